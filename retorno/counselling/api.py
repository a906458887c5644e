"""The counselling endpoints of the REST API (v1), under a case.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike); writes go through counselling.services. Service errors become 400/403/409 in
retorno.lib.api.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.models import Case
from retorno.cases.policy import access_case
from retorno.counselling import policy, services
from retorno.counselling.models import CounsellingSession
from retorno.counselling.serializers import (
    SessionInputSerializer,
    SessionPatchSerializer,
    SessionSerializer,
)
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import REFUSED as _REFUSED
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case or session, or not one you may see."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the session since `version`; nothing was saved."))


def _shown(request: Request, case: Case, session: CounsellingSession,
           code: int = status.HTTP_200_OK) -> Response:
    context = {"request": request, "show_notes": policy.can_read_notes(request.user, case)}
    return Response(SessionSerializer(session, context=context).data, status=code)


@extend_schema(tags=["counselling"])
class SessionList(GenericAPIView):
    serializer_class = SessionSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_counselling_list",
                   responses={200: SessionSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's counselling sessions, newest first. `notes` only for the case
        team."""
        case = access_case(request.user, reference)
        context = {"request": request, "show_notes": policy.can_read_notes(request.user, case)}
        return Response(SessionSerializer(policy.sessions_of(case), many=True,
                                          context=context).data)

    @extend_schema(operation_id="cases_counselling_create", request=SessionInputSerializer,
                   responses={201: SessionSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Record a counselling session (the case team, while the case is open). Audit
        event "counselling session recorded"; timeline "counselling session"."""
        case = access_case(request.user, reference)
        data = SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.record_session(actor=request.user, case=case,
                                          data=dict(data.validated_data))
        return _shown(request, case, session, status.HTTP_201_CREATED)


@extend_schema(tags=["counselling"])
class SessionDetail(GenericAPIView):
    serializer_class = SessionSerializer

    @extend_schema(operation_id="cases_counselling_partial_update",
                   request=SessionPatchSerializer,
                   responses={200: SessionSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str, session_id: int) -> Response:
        """Change a session. Send `version` from the session you read; all changes are
        saved, or none."""
        case = access_case(request.user, reference)
        session = policy.access_session(case, session_id)
        data = SessionPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        services.update_session(actor=request.user, session=session, data=fields,
                                version=version)
        return _shown(request, case, policy.access_session(case, session_id))
