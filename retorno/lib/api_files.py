"""API endpoints that answer with a file (a PDF, a CSV, a scan). Apart from `lib/api.py`,
which the REST framework's settings import: the views here import the framework's
generic views, which read those settings."""

from typing import Any

from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response


class FileRenderer(BaseRenderer):
    """Lets a client ask for a file's type in Accept or `?format=`; the view answers with
    the file itself (an HttpResponse), and errors are JSON (`FileView`)."""

    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: Any = None) -> bytes:
        return data if isinstance(data, bytes) else b""


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class FileView(GenericAPIView):
    """An endpoint answering with a file: its error answers (DRF Responses) are rendered
    as JSON even when the client asked for the file's type."""

    def finalize_response(self, request: Request, response: Any, *args: Any,
                          **kwargs: Any) -> Any:
        if isinstance(response, Response) and isinstance(
                getattr(request, "accepted_renderer", None), FileRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
