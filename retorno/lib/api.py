"""Turning service errors into API responses; paging without counting."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param
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


class PeekPagination(PageNumberPagination):
    """Pages without counting every match: a common name matches thousands of rows, and
    counting them costs more than the page. One row more than the page tells whether a
    next page exists; the response has `next`, `previous` and `results`."""

    max_page = 100_000

    @property
    def page_size(self) -> int:  # read at each request: the setting may change in tests
        return api_settings.PAGE_SIZE

    def page_number(self, request: Request) -> int:
        self.request = request
        value = request.query_params.get(self.page_query_param, "1")
        try:
            number = int(value)
        except ValueError:
            number = 0
        if not 1 <= number <= self.max_page:
            raise NotFound(_("There is no page %(page)s.") % {"page": value})
        self.number = number
        return number

    def bounds(self, request: Request) -> tuple[int, int]:
        """The offset and size of the requested page."""
        number = self.page_number(request)
        return (number - 1) * self.page_size, self.page_size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list:
        offset, size = self.bounds(request)
        rows = list(queryset[offset:offset + size + 1])
        self.has_next = len(rows) > size
        return rows[:size]

    def respond(self, data: Any, has_next: bool) -> Response:
        self.has_next = has_next
        return self.get_paginated_response(data)

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self) -> str | None:
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(),
                         "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {"type": "object", "required": ["next", "previous", "results"],
                "properties": {"next": link, "previous": link, "results": schema}}
