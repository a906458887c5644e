"""HTML to PDF through WeasyPrint, offline.

Offices work on poor or no internet, and these documents hold personal data: drawing a
PDF never reaches the network. Fonts are the system's (DejaVu, from Debian's
fonts-dejavu-core, found through fontconfig), stylesheets are inline, and the URL fetcher
refuses every URL that is not a local file. Used by the voluntary return declaration
(`declarations/pdf.py`) and the departure manifest (`travel/manifests.py`).
"""

from typing import Any

from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalFilesOnly(URLFetcher):
    """Refuses http, https, data, ftp…: only file: URLs are read."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.lower().startswith("file:"):
            raise ValueError(f"PDFs are rendered offline; refused {url!r}.")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (inline styles, no remote resources)."""
    return HTML(string=html, base_url="file:///nonexistent/",
                url_fetcher=LocalFilesOnly(allowed_protocols=["file"])).write_pdf()
