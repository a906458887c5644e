"""The declaration as a PDF, from `declarations/pdf.html` through WeasyPrint.

Offices work on poor or no internet, and a declaration holds personal data: rendering
never reaches the network. Fonts are the system's (DejaVu, from Debian's
fonts-dejavu-core, found through fontconfig), the stylesheet is inline, and the URL
fetcher refuses every URL that is not a local file.
"""

import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalFilesOnly(URLFetcher):
    """Refuses http, https, data, ftp…: only file: URLs are read."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.lower().startswith("file:"):
            raise ValueError(f"Declarations are rendered offline; refused {url!r}.")
        return super().fetch(url, headers)


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
    return HTML(string=html, base_url="file:///nonexistent/",
                url_fetcher=LocalFilesOnly(allowed_protocols=["file"])).write_pdf()
