"""Checking an uploaded signed copy of a declaration by what it contains, never by its
name (`lib.uploads.check_scan`: PDF, JPEG or PNG, up to 10 MB; the type found is the one
stored)."""

from typing import IO

from django.utils.translation import gettext as _

from retorno.lib.errors import Invalid
from retorno.lib.uploads import MAX_BYTES, CheckedFile, check_scan

__all__ = ["MAX_BYTES", "read_scan"]


def read_scan(upload: IO[bytes] | None) -> CheckedFile:
    """The upload's content and type, or Invalid saying why it is refused."""
    if upload is None:
        message = _("Choose the file of the signed declaration (PDF, JPEG or PNG).")
        raise Invalid(message, field_errors={"scan": [message]})
    return check_scan(upload, field="scan", not_accepted=_(
        "This file is not a PDF, JPEG or PNG (whatever its name says). Scan the signed "
        "declaration to one of these."))
