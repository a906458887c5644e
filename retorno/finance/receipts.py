"""Checking an uploaded receipt, and where it is stored.

The file is checked by what it contains, never by its name (`lib.uploads.check_scan`:
PDF, JPEG or PNG, up to 10 MB). Receipts are stored under
`MEDIA_ROOT/receipts/<case reference>/`, named by a random part (never by the uploaded
file's name), with the mode of `FILE_UPLOAD_PERMISSIONS` (0600), and are never served by
URL: `finance.services.read_receipt` opens them.
"""

import secrets
from typing import IO

from django.utils.translation import gettext as _

from retorno.lib.uploads import EXTENSIONS, CheckedFile, check_scan


def check_receipt(upload: IO[bytes]) -> CheckedFile:
    """The upload's content and type, or Invalid saying why it is refused."""
    return check_scan(upload, field="receipt", not_accepted=_(
        "The receipt is not a PDF, JPEG or PNG (whatever its name says). Scan it to one of "
        "these."))


def receipt_path(reference: str, content_type: str) -> str:
    return f"receipts/{reference}/{secrets.token_hex(16)}.{EXTENSIONS.get(content_type, 'bin')}"


def receipt_filename(reference: str, disbursement_id: int, content_type: str) -> str:
    return f"receipt-{reference}-{disbursement_id}.{EXTENSIONS.get(content_type, 'bin')}"
