"""The declaration as a PDF, from `declarations/pdf.html`, drawn offline by
`retorno.lib.pdf` (WeasyPrint, no network)."""

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation

from retorno.lib.pdf import html_to_pdf


def render_pdf(*, title: str, text_blocks: list[Any], language: str, reference: str,
               template_label: str, printed_on: datetime.date) -> bytes:
    """The PDF of a declaration whose text is already filled in (`text_blocks`, from
    placeholders.layout). Everything on the page is in `language`."""
    with translation.override(language):
        html = render_to_string("declarations/pdf.html", {
            "title": title, "blocks": text_blocks, "language": language,
            "reference": reference, "template_label": template_label,
            "printed_on": formats.date_format(printed_on, "DATE_FORMAT"),
        })
    return html_to_pdf(html)
