"""The monitoring endpoints of the REST API (v1): a case's visits and calls, and a
programme's monitoring schedule.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike), a visit through monitoring.policy (404 when missing). Writes are refused (403)
to everyone but the origin office's `survey.record` holders before the body is read;
they go through monitoring.services. A visit's notes are null for readers without
protection rights. The schedule is read by staff and kept by `survey.manage` holders.
Service errors become 400/403/409 in retorno.lib.api.
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
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer, validated
from retorno.lib.errors import NotAllowed
from retorno.monitoring import policy, services
from retorno.monitoring.models import MonitoringVisit
from retorno.monitoring.serializers import (
    ScheduleInputSerializer,
    ScheduleSerializer,
    VisitCreateSerializer,
    VisitPatchSerializer,
    VisitSerializer,
)
from retorno.programmes.models import Programme
from retorno.programmes.policy import access_programme

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case, not one you may see, or no such visit of it."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the M&E officers, reintegration officers and supervisors of the case's office "
    "of origin may do this, once the case has arrived."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed it since `version`; nothing was saved."))
_SCHEDULE_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Staff read the schedules; M&E officers and programme managers keep them."))
_NO_PROGRAMME = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No programme with this code."))
_TAGS = ["monitoring"]



def _visit_data(request: Request, case: Case, visit: MonitoringVisit) -> dict[str, Any]:
    return VisitSerializer(visit, context={
        "read_notes": policy.can_read_notes(request.user, case)}).data


@extend_schema(tags=_TAGS)
class CaseVisits(GenericAPIView):
    serializer_class = VisitSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_monitoring_visits_list",
                   responses={200: VisitSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's monitoring visits and calls, newest first (notes only for
        protection readers)."""
        case = access_case(request.user, reference)
        return Response(VisitSerializer(policy.visits_of(case), many=True, context={
            "read_notes": policy.can_read_notes(request.user, case)}).data)

    @extend_schema(operation_id="cases_monitoring_visits_create",
                   request=VisitCreateSerializer,
                   responses={201: VisitSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Record a visit or call. A conclusive outcome completes the step's scheduled
        contact; "could not be reached" leaves it open."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        visit = services.record_visit(actor=request.user, case=case,
                                      data=validated(VisitCreateSerializer, request))
        return Response(_visit_data(request, case, visit), status=status.HTTP_201_CREATED)


@extend_schema(tags=_TAGS)
class CaseVisitDetail(GenericAPIView):
    serializer_class = VisitSerializer

    @extend_schema(operation_id="cases_monitoring_visits_partial_update",
                   request=VisitPatchSerializer,
                   responses={200: VisitSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str, visit_id: int) -> Response:
        """Change a visit or call. Send `version`; notes only if you may read them."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        visit = policy.access_visit(case, visit_id)
        fields = validated(VisitPatchSerializer, request)
        version = fields.pop("version")
        services.update_visit(actor=request.user, visit=visit, version=version, data=fields)
        return Response(_visit_data(request, case, visit))


def _schedule_data(programme: Programme) -> dict[str, Any]:
    schedule = policy.schedule_of(programme)
    return ScheduleSerializer({"programme": programme.code,
                               "version": schedule.version if schedule else None,
                               "steps": policy.steps_of(programme)}).data


@extend_schema(tags=_TAGS)
class ProgrammeSchedule(GenericAPIView):
    serializer_class = ScheduleSerializer

    @extend_schema(operation_id="programmes_monitoring_schedule_retrieve",
                   responses={200: ScheduleSerializer, 403: _SCHEDULE_REFUSED,
                              404: _NO_PROGRAMME})
    def get(self, request: Request, code: str) -> Response:
        """The programme's monitoring schedule: its steps by months after arrival."""
        if not policy.can_read_schedule(request.user):
            raise NotAllowed(_("Only members of staff read the programmes."))
        return Response(_schedule_data(access_programme(code)))

    @extend_schema(operation_id="programmes_monitoring_schedule_update",
                   request=ScheduleInputSerializer,
                   responses={200: ScheduleSerializer, 400: _INVALID, 403: _SCHEDULE_REFUSED,
                              404: _NO_PROGRAMME, 409: _STALE})
    def put(self, request: Request, code: str) -> Response:
        """Replace the schedule with `steps`. A step keeps its cases' contacts while its
        months after arrival stay the same; the contacts of the cases being monitored
        follow the new schedule. Send `version` (null for a programme without one)."""
        if not policy.can_manage_schedule(request.user):
            raise NotAllowed(_("Only the M&E officers and programme managers keep the "
                               "monitoring schedules."))
        programme = access_programme(code)
        data = validated(ScheduleInputSerializer, request)
        services.set_schedule(actor=request.user, programme=programme,
                              version=data["version"],
                              steps=[dict(s) for s in data["steps"]])
        return Response(_schedule_data(programme))
