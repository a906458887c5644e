"""The fitness to travel endpoints of the REST API (v1), under a case.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike). Writes are refused (403) to everyone but the host office's medical officer before
the body is even read; they go through medical.services. Service errors become
400/403/409 in retorno.lib.api.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.models import Case
from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.medical import policy, services
from retorno.medical.fitness import current_fitness
from retorno.medical.serializers import (
    AssessmentInputSerializer,
    AssessmentPatchSerializer,
    AssessmentSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case or assessment, or not one you may see."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the medical officer of the case's host office may do this."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the assessment since `version`; nothing was saved."))


def _context(request: Request, case: Case) -> dict[str, Any]:
    current = {a.pk for a in current_fitness(case).values() if a is not None}
    return {"request": request, "current_ids": current,
            "show_detail": policy.can_view_detail(request.user, case)}


@extend_schema(tags=["fitness to travel"])
class AssessmentList(GenericAPIView):
    serializer_class = AssessmentSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_fitness_list",
                   responses={200: AssessmentSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """Every assessment of the case's members, per person, newest first; `current`
        marks each member's current one. `detail` only for the medical officer."""
        case = access_case(request.user, reference)
        return Response(AssessmentSerializer(policy.assessments_of(case), many=True,
                                             context=_context(request, case)).data)

    @extend_schema(operation_id="cases_fitness_create", request=AssessmentInputSerializer,
                   responses={201: AssessmentSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Record a member's fitness to travel (the host office's medical officer, while
        the case is open). Audit event "fitness to travel recorded" and a timeline
        entry, neither with the detail."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        data = AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        member = case.members.select_related("person").filter(
            person_id=fields.pop("person_id")).first()
        if member is None:
            raise serializers.ValidationError(
                {"person_id": [_("This person is not a member of this case.")]})
        assessment = services.record_assessment(actor=request.user, case=case,
                                                person=member.person, data=fields)
        return Response(AssessmentSerializer(assessment, context=_context(request, case)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["fitness to travel"])
class AssessmentDetail(GenericAPIView):
    serializer_class = AssessmentSerializer

    @extend_schema(operation_id="cases_fitness_partial_update",
                   request=AssessmentPatchSerializer,
                   responses={200: AssessmentSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str, assessment_id: int) -> Response:
        """Change an assessment. Send `version` from the assessment you read; all changes
        are saved, or none."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        assessment = policy.access_assessment(case, assessment_id)
        data = AssessmentPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        services.update_assessment(actor=request.user, assessment=assessment, data=fields,
                                   version=version)
        return Response(AssessmentSerializer(policy.access_assessment(case, assessment_id),
                                             context=_context(request, case)).data)
