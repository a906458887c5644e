"""Turning service errors into API responses."""

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from retorno.lib.errors import GuardsFailed, ServiceError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        body: dict[str, Any] = {"detail": " ".join(exc.messages), "errors": exc.messages}
        if exc.field_errors:
            body["fields"] = exc.field_errors
        if isinstance(exc, GuardsFailed):
            body["unmet_guards"] = exc.messages
        return Response(body, status=exc.status_code)
    return drf_exception_handler(exc, context)
