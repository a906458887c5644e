"""Declarations for tests, printed and signed through the real services, and files to
upload as scans."""

import datetime
import io
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.declarations.models import Declaration
from retorno.declarations.services import print_declaration, record_signed_declaration
from retorno.testing.personas import SCAN_PDF

# The smallest well-formed PDF: one empty A4 page.
TINY_PDF = SCAN_PDF


def image_bytes(kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, format=kind)
    return out.getvalue()


def upload(content: bytes, name: str = "scan.pdf") -> ContentFile:
    return ContentFile(content, name=name)


def pdf_text(content: bytes) -> str:
    """The text of a PDF, read back with pypdf, its lines joined by spaces."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())


def signed_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"signed_on": timezone.localdate(), "place": "Berlin",
                            "interpreter_name": "Layla Haddad", "interpreter_language": "arb"}
    data.update(overrides)
    return data


def printed(case: Case, actor: User, language: str | None = "en") -> Declaration:
    declaration, _pdf = print_declaration(actor, case, language, render=False)
    return declaration


def signed(case: Case, actor: User, language: str = "en", scan: bytes = TINY_PDF,
           **overrides: Any) -> Declaration:
    declaration = printed(case, actor, language)
    return record_signed_declaration(actor=actor, declaration=declaration,
                                     data=signed_data(**overrides), scan=upload(scan),
                                     version=declaration.version)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)
