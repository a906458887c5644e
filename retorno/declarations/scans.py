"""Checking an uploaded signed copy by what it contains, never by its name.

A PDF starts with `%PDF-`; a JPEG or PNG is opened and verified with Pillow. The type
found is the one stored (a PNG named "scan.pdf" is stored as the PNG it is); anything
else is refused with a message saying what is accepted.
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
_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class Scan:
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _refuse(message: str) -> Invalid:
    return Invalid(message, field_errors={"scan": [message]})


def _image_type(content: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError):
        return None
    return _IMAGE_TYPES.get(kind or "")


def read_scan(upload: IO[bytes] | None) -> Scan:
    """The upload's content and type, or Invalid saying why it is refused."""
    if upload is None:
        raise _refuse(_("Choose the file of the signed declaration (PDF, JPEG or PNG)."))
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(_("The file is %(size)s MB; the limit is 10 MB. Scan it at a lower "
                        "resolution, or in black and white.") % {"size": _mb(size)})
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise _refuse(_("The file is larger than the limit of 10 MB. Scan it at a lower "
                        "resolution, or in black and white."))
    if not content:
        raise _refuse(_("The file is empty."))
    if content.startswith(b"%PDF-"):
        content_type = "application/pdf"
    else:
        content_type = _image_type(content) or ""
    if not content_type:
        raise _refuse(_("This file is not a PDF, JPEG or PNG (whatever its name says). "
                        "Scan the signed declaration to one of these."))
    return Scan(content, content_type, hashlib.sha256(content).hexdigest())


def _mb(size: int) -> str:
    return formats.number_format(size / (1024 * 1024), 1)
