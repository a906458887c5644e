"""Checking an uploaded scan (a signed declaration, a payment receipt) by what it
contains, never by its name.

A PDF starts with `%PDF-`; a JPEG or PNG is opened and verified with Pillow. The type
found is the one stored (a PNG named "scan.pdf" is stored as the PNG it is); anything
else, an empty file or one over 10 MB is refused with a message saying what is accepted,
attached to the form field that carried the file.
"""

import hashlib
import io
from dataclasses import dataclass
from typing import IO

from django.utils import formats
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from retorno.lib.errors import Invalid

MAX_BYTES = 10 * 1024 * 1024
# Content type -> the file name extension it is stored and downloaded with.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def _image_type(content: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        return None
    return _IMAGE_TYPES.get(kind or "")


def check_scan(upload: IO[bytes], *, field: str, not_accepted: str) -> CheckedFile:
    """The upload's content, type and SHA-256, or Invalid (on `field`) saying why it is
    refused; `not_accepted` is the message for a file that is none of the accepted
    types."""
    def refuse(message: str) -> Invalid:
        return Invalid(message, field_errors={field: [message]})

    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise refuse(_("The file is %(size)s MB; the limit is 10 MB. Scan it at a lower "
                       "resolution, or in black and white.")
                     % {"size": formats.number_format(size / (1024 * 1024), 1)})
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise refuse(_("The file is larger than the limit of 10 MB. Scan it at a lower "
                       "resolution, or in black and white."))
    if not content:
        raise refuse(_("The file is empty."))
    content_type = ("application/pdf" if content.startswith(b"%PDF-")
                    else _image_type(content) or "")
    if not content_type:
        raise refuse(not_accepted)
    return CheckedFile(content, content_type, hashlib.sha256(content).hexdigest())
