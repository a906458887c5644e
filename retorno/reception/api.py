"""The handover and reception endpoints of the REST API (v1).

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike). Writes are refused (403) to everyone but the origin office's reintegration
officers and supervisors before the body is even read; they go through
reception.services. Service errors become 400/403/409 in retorno.lib.api.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.models import Case
from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import NotAllowed
from retorno.reception import policy, services
from retorno.reception.serializers import (
    ArrivalPatchSerializer,
    IncomingSerializer,
    PlanPatchSerializer,
    ReceptionSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case, not one you may see, or (for the reception) its handover is not "
    "accepted yet."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the reintegration officers and supervisors of the case's office of origin may "
    "do this."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the reception since `version`; nothing was saved."))


def _reception(request: Request, case: Case) -> Response:
    return Response(ReceptionSerializer(policy.access_reception(case)).data)


@extend_schema(tags=["reception"])
class ReceptionDetail(GenericAPIView):
    serializer_class = ReceptionSerializer

    @extend_schema(operation_id="cases_reception_retrieve",
                   responses={200: ReceptionSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's reception: who accepted the handover and when, the reception plan
        and the arrival. 404 until the office of origin accepts the handover."""
        case = access_case(request.user, reference)
        return _reception(request, case)

    @extend_schema(operation_id="cases_reception_accept", request=None,
                   responses={201: ReceptionSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Accept the handover of the case (the office of origin, once the case is handed
        over and before it arrives). Audit event "handover accepted", a timeline entry."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        reception = services.accept_handover(actor=request.user, case=case)
        return Response(ReceptionSerializer(reception).data, status=status.HTTP_201_CREATED)


def _patch(request: Request, reference: str, serializer: type, write: Any) -> Response:
    case = access_case(request.user, reference)
    services.require_record(request.user, case)
    reception = policy.access_reception(case)
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    fields = dict(data.validated_data)
    version = fields.pop("version")
    write(actor=request.user, reception=reception, data=fields, version=version)
    return _reception(request, case)


@extend_schema(tags=["reception"])
class ReceptionPlan(GenericAPIView):
    serializer_class = ReceptionSerializer

    @extend_schema(operation_id="cases_reception_plan_partial_update",
                   request=PlanPatchSerializer,
                   responses={200: ReceptionSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str) -> Response:
        """Change the reception plan, until the case is in reintegration. Send `version`
        from the reception you read; all changes are saved, or none."""
        return _patch(request, reference, PlanPatchSerializer, services.plan_reception)


@extend_schema(tags=["reception"])
class ReceptionArrival(GenericAPIView):
    serializer_class = ReceptionSerializer

    @extend_schema(operation_id="cases_reception_arrival_partial_update",
                   request=ArrivalPatchSerializer,
                   responses={200: ReceptionSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str) -> Response:
        """Record or change the arrival, once the case has departed and until it is in
        reintegration. The `arrived` step needs the arrival date. Send `version` from the
        reception you read; all changes are saved, or none."""
        return _patch(request, reference, ArrivalPatchSerializer, services.record_arrival)


@extend_schema(tags=["reception"])
class IncomingList(GenericAPIView):
    serializer_class = IncomingSerializer

    @extend_schema(operation_id="reception_incoming_list",
                   responses={200: IncomingSerializer(many=True),
                              403: OpenApiResponse(ServiceErrorSerializer, description=(
                                  gettext_lazy("For those who receive handed-over "
                                               "cases.")))})
    def get(self, request: Request) -> Response:
        """The cases handed over to your office(s), not yet in reintegration, oldest
        handover first."""
        if not policy.receiving_offices(request.user):
            raise NotAllowed(_("Only the reintegration officers and supervisors of an "
                               "office of origin receive handed-over cases."))
        offset, size = self.paginator.bounds(request)
        found = list(policy.incoming_cases(request.user)[offset:offset + size + 1])
        cases = found[:size]
        journeys = policy.planned_journeys(request.user, cases)
        rows = []
        for case in cases:
            reception = getattr(case, "reception", None)
            first, last = journeys.get(case.pk, (None, None))
            rows.append({
                "reference": case.reference, "status": case.status,
                "host_office": case.host_office.code, "origin_office": case.origin_office.code,
                "handed_over_at": case.handed_over_at,
                "accepted_at": reception.accepted_at if reception else None,
                "accepted_by": reception.accepted_by.username if reception else None,
                "arrived_on": reception.arrived_on if reception else None,
                "departs_at": first.departs_at if first else None,
                "arrives_at": last.arrives_at if last else None,
            })
        return self.paginator.respond(IncomingSerializer(rows, many=True).data,
                                      len(found) > size)
