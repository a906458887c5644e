"""The return suspension endpoints of the REST API (v1).

Read by everyone who reads cases; set and lifted with suspension.manage (403 before the
body is read). Writes go through suspensions.services; service errors become
400/403/409 in retorno.lib.api.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import NotAllowed
from retorno.suspensions import policy, services
from retorno.suspensions.serializers import (
    LiftInputSerializer,
    SuspensionInputSerializer,
    SuspensionSerializer,
)

_NO_READ = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "For those who read cases."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only supervisors and programme managers set and lift suspensions."))


def _require_read(request: Request) -> None:
    if not policy.can_read(request.user):
        raise NotAllowed(_("Only those who read cases read the return suspensions."))


@extend_schema(tags=["return suspensions"])
class SuspensionList(GenericAPIView):
    serializer_class = SuspensionSerializer
    pagination_class = None

    @extend_schema(operation_id="suspensions_list",
                   responses={200: SuspensionSerializer(many=True), 403: _NO_READ})
    def get(self, request: Request) -> Response:
        """Every return suspension, active, scheduled and past, newest start first."""
        _require_read(request)
        return Response(SuspensionSerializer(policy.suspensions(), many=True).data)

    @extend_schema(operation_id="suspensions_create", request=SuspensionInputSerializer,
                   responses={201: SuspensionSerializer, 400: _INVALID, 403: _REFUSED})
    def post(self, request: Request) -> Response:
        """Suspend returns to a country or one of its subdivisions. While active, no case
        to that destination can be marked ready to travel. Audit event "return suspension
        set"."""
        _require_read(request)
        services.require_manage(request.user)
        data = SuspensionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suspension = services.set_suspension(actor=request.user,
                                             data=dict(data.validated_data))
        return Response(SuspensionSerializer(suspension).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["return suspensions"])
class SuspensionLift(GenericAPIView):
    serializer_class = SuspensionSerializer

    @extend_schema(operation_id="suspensions_lift", request=LiftInputSerializer,
                   responses={200: SuspensionSerializer, 400: _INVALID, 403: _REFUSED,
                              404: OpenApiResponse(NotFoundSerializer), 409: OpenApiResponse(
                                  ServiceErrorSerializer, description=gettext_lazy(
                                      "Someone else changed the suspension since "
                                      "`version`; nothing was saved."))})
    def post(self, request: Request, suspension_id: int) -> Response:
        """Lift a suspension now, with a reason. Audit event "return suspension lifted"."""
        _require_read(request)
        services.require_manage(request.user)
        suspension = policy.access_suspension(suspension_id)
        data = LiftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.lift_suspension(actor=request.user, suspension=suspension,
                                 reason=data.validated_data["reason"],
                                 version=data.validated_data["version"])
        return Response(SuspensionSerializer(policy.access_suspension(suspension_id)).data)
