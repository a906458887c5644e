"""The programme endpoints of the REST API (v1).

Programmes and their packages are read by every member of staff (`partner.view`); the
package is replaced with finance.manage (403 before the body is read). Writes go
through programmes.services; service errors become 400/403/409 in retorno.lib.api.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import NotAllowed
from retorno.programmes import policy, services
from retorno.programmes.serializers import (
    PackageInputSerializer,
    PackageSerializer,
    ProgrammeDetailSerializer,
    ProgrammeSerializer,
)

_NO_READ = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "For members of staff."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only programme managers change assistance packages."))
_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No programme has this code."))


def require_read(request: Request) -> None:
    if not policy.can_read(request.user):
        raise NotAllowed(_("Only members of staff read the programmes."))


@extend_schema(tags=["programmes"])
class ProgrammeList(GenericAPIView):
    serializer_class = ProgrammeSerializer
    pagination_class = None

    @extend_schema(operation_id="programmes_list",
                   responses={200: ProgrammeSerializer(many=True), 403: _NO_READ})
    def get(self, request: Request) -> Response:
        """Every programme, by name."""
        require_read(request)
        return Response(ProgrammeSerializer(policy.programmes(), many=True).data)


@extend_schema(tags=["programmes"])
class ProgrammeDetail(GenericAPIView):
    serializer_class = ProgrammeDetailSerializer

    @extend_schema(operation_id="programmes_retrieve",
                   responses={200: ProgrammeDetailSerializer, 403: _NO_READ,
                              404: _NOT_FOUND})
    def get(self, request: Request, code: str) -> Response:
        """One programme: its rules, budget and assistance package."""
        require_read(request)
        return Response(ProgrammeDetailSerializer(policy.access_programme(code)).data)


@extend_schema(tags=["programmes"])
class ProgrammePackage(GenericAPIView):
    serializer_class = PackageSerializer

    @extend_schema(operation_id="programmes_package_retrieve",
                   responses={200: PackageSerializer, 403: _NO_READ, 404: _NOT_FOUND})
    def get(self, request: Request, code: str) -> Response:
        """The programme's assistance package, with its budget, currency, quota and
        disbursement approval threshold."""
        require_read(request)
        return Response(PackageSerializer(policy.access_programme(code)).data)

    @extend_schema(operation_id="programmes_package_update", request=PackageInputSerializer,
                   responses={200: PackageSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: OpenApiResponse(
                                  ServiceErrorSerializer, description=gettext_lazy(
                                      "Someone else changed the programme since "
                                      "`version`; nothing was saved."))})
    def put(self, request: Request, code: str) -> Response:
        """Replace the assistance package (every component at once) and set the budget,
        currency, quota and approval threshold given. Every problem is reported at once,
        each naming its component (`fields` keys `components.<index>.<field>`). Approvals
        already made keep what they committed. Audit event "assistance package or
        programme budget changed"."""
        require_read(request)
        services.require_manage_package(request.user)
        programme = policy.access_programme(code)
        data = PackageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_package(actor=request.user, programme=programme,
                             version=data.validated_data["version"],
                             fields=data.fields_data(), components=data.components_data())
        return Response(PackageSerializer(policy.access_programme(code)).data)
