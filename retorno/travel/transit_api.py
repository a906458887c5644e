"""Transit requests and departure manifests in the REST API (v1).

Transit requests are read through `travel.transit` (`visible_transit_requests`,
`access_transit_request`: 404 for anyone but the request's transit office); the list
answers 403 to whoever works no transit request. Confirming goes through
`transit.confirm_transit`.

A manifest read through the API is always an export: whatever the format (`json`, `csv`,
`pdf`), `manifests.export_manifest` records audit event 284. Service errors become
400/403/409 in retorno.lib.api, as JSON even where the success is a file.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.lib.api_files import FileRenderer, FileView, PdfRenderer
from retorno.lib.api_serializers import INVALID, NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import Invalid
from retorno.travel import manifests, transit
from retorno.travel.transit_serializers import (
    ConfirmInputSerializer,
    ManifestRowSerializer,
    MovementSerializer,
    TransitListItemSerializer,
)
from retorno.travel.transit_views import file_response

_JSON = "application/json"
_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such transit request, or not one of your office."))
_NOT_TRANSIT = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the movement staff of a transit office read transit requests."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the request since `version`; nothing was saved."))


def _row(request: Any, names: dict[int, list[str]]) -> dict[str, Any]:
    return {"request": request, "place": request.leg.to_code or request.leg.to_place,
            "travellers": names.get(request.pk, []),
            "case_reference": request.itinerary.case.reference}


@extend_schema(tags=["transit assistance"])
class TransitList(GenericAPIView):
    serializer_class = TransitListItemSerializer
    pagination_class = None

    @extend_schema(operation_id="transit_list",
                   responses={200: TransitListItemSerializer(many=True), 403: _NOT_TRANSIT})
    def get(self, request: Request) -> Response:
        """The transit requests of your transit office(s): requested ones first, soonest
        connection first, then assisted and cancelled ones."""
        if not transit.can_assist(request.user):
            raise PermissionDenied
        order = {"requested": 0, "assisted": 1, "cancelled": 2}
        found = sorted(transit.visible_transit_requests(request.user),
                       key=lambda r: (order.get(r.status, 3), r.leg.arrives_at, r.pk))
        names = transit.travellers_named(found)
        return Response(TransitListItemSerializer([_row(r, names) for r in found],
                                                 many=True).data)


@extend_schema(tags=["transit assistance"])
class TransitDetail(GenericAPIView):
    serializer_class = MovementSerializer

    @extend_schema(operation_id="transit_retrieve",
                   responses={200: MovementSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, transit_id: int) -> Response:
        """The movement data of a transit request: travellers' names, every leg in local
        time, the escorts, special needs for the journey, the booking reference."""
        found = transit.access_transit_request(request.user, transit_id)
        return Response(MovementSerializer(transit.movement(found)).data)


@extend_schema(tags=["transit assistance"])
class TransitConfirm(GenericAPIView):
    serializer_class = ConfirmInputSerializer

    @extend_schema(operation_id="transit_confirm", request=ConfirmInputSerializer,
                   responses={200: MovementSerializer, 400: INVALID, 404: _NOT_FOUND,
                              409: _STALE})
    def post(self, request: Request, transit_id: int) -> Response:
        """Confirm the assistance given at the connection (requested → assisted). Audit
        event "transit assistance confirmed" and a timeline entry on the case."""
        found = transit.access_transit_request(request.user, transit_id)
        data = ConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transit.confirm_transit(actor=request.user, request=found,
                                note=data.validated_data.get("note", ""),
                                version=data.validated_data["version"])
        return Response(MovementSerializer(transit.movement(
            transit.access_transit_request(request.user, transit_id))).data)


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


@extend_schema(tags=["departure manifests"])
class Manifest(FileView):
    serializer_class = ManifestRowSerializer
    pagination_class = None
    renderer_classes = [JSONRenderer, CsvRenderer, PdfRenderer]

    @extend_schema(
        operation_id="manifests_retrieve",
        parameters=[
            OpenApiParameter("day", OpenApiTypes.DATE, required=True,
                             description=gettext_lazy("The local date at the airport.")),
            OpenApiParameter("airport", OpenApiTypes.STR, required=True,
                             description=gettext_lazy("IATA code, e.g. BER.")),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "pdf"],
                             description=gettext_lazy("json (default), csv or pdf.")),
        ],
        responses={(200, _JSON): ManifestRowSerializer(many=True),
                   (200, "text/csv"): OpenApiTypes.BINARY,
                   (200, "application/pdf"): OpenApiTypes.BINARY,
                   (400, _JSON): INVALID,
                   (403, _JSON): OpenApiResponse(ServiceErrorSerializer, description=(
                       gettext_lazy("Only the movement officers and supervisors of a host "
                                    "office read departure manifests."))),
                   (404, _JSON): OpenApiResponse(NotFoundSerializer, description=(
                       gettext_lazy("No such format.")))})
    def get(self, request: Request) -> Any:
        """The departures from an airport on a day, of the cases you record travel for:
        name, travel document number, flights, special needs, escorts. Every read is an
        export, in any format: audit event "departure manifest exported"."""
        if not manifests.can_read_manifests(request.user):
            raise PermissionDenied
        fmt = getattr(request.accepted_renderer, "format", "json")
        day_text = request.query_params.get("day", "")
        airport = request.query_params.get("airport", "")
        problems: dict[str, list[str]] = {}
        for name, check in (("day", lambda: manifests.parse_day(day_text)),
                            ("airport", lambda: manifests.airport_of(airport))):
            try:
                check()
            except Invalid as exc:
                problems[name] = exc.messages
        if problems:
            raise Invalid(*[m for ms in problems.values() for m in ms], field_errors=problems)
        day, place = manifests.parse_day(day_text), manifests.airport_of(airport)
        content = manifests.export_manifest(actor=request.user, day=day, airport=place.code,
                                            fmt=fmt)
        if fmt == "json":
            return Response(ManifestRowSerializer(content, many=True).data)
        return file_response(content, day, place.code, fmt)
