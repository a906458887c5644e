"""The regions endpoints of the REST API (v1).

Read by those who read statistics or keep the regions; created and changed with
region.manage (403 before the body is read). Writes go through regions.services;
service errors become 400/403/409 in retorno.lib.api.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer, validated
from retorno.lib.errors import NotAllowed, StaleVersion
from retorno.regions import policy, services
from retorno.regions.serializers import RegionInputSerializer, RegionSerializer

_NO_READ = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "For those who read statistics or keep the regions."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only programme managers change the regions."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the region since `version`, or a region with this code exists "
    "and no `version` was sent; nothing was saved."))
_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No region with this code."))
_TAGS = ["regions"]


def _require_read(request: Request) -> None:
    if not policy.can_read(request.user):
        raise NotAllowed(_("Only those who read statistics read the regions."))


@extend_schema(tags=_TAGS)
class RegionList(GenericAPIView):
    serializer_class = RegionSerializer
    pagination_class = None

    @extend_schema(operation_id="regions_list",
                   responses={200: RegionSerializer(many=True), 403: _NO_READ})
    def get(self, request: Request) -> Response:
        """The organisation's regions, by name, each with its countries."""
        _require_read(request)
        return Response(RegionSerializer(policy.regions(), many=True).data)


@extend_schema(tags=_TAGS)
class RegionDetail(GenericAPIView):
    serializer_class = RegionSerializer

    @extend_schema(operation_id="regions_retrieve",
                   responses={200: RegionSerializer, 403: _NO_READ, 404: _NOT_FOUND})
    def get(self, request: Request, code: str) -> Response:
        """One region and its countries."""
        _require_read(request)
        return Response(RegionSerializer(policy.access_region(code.lower())).data)

    @extend_schema(operation_id="regions_update", request=RegionInputSerializer,
                   responses={200: RegionSerializer, 201: RegionSerializer, 400: _INVALID,
                              403: _REFUSED, 409: _STALE})
    def put(self, request: Request, code: str) -> Response:
        """Set the name and countries of the region with this code: 200 when it existed
        (send its `version`), 201 when it is created (send no version). Audit event
        "region changed"."""
        services.require_manage(request.user)
        code = code.lower()
        data = validated(RegionInputSerializer, request)
        version = data.pop("version", None)
        region = policy.regions().filter(code=code).first()
        if region is None:
            if version is not None:
                raise StaleVersion(_("There is no region with this code any more: someone "
                                     "else deleted it. Send no version to create it again."))
            region = services.create_region(actor=request.user, data={**data, "code": code})
            return Response(RegionSerializer(region).data, status=status.HTTP_201_CREATED)
        if version is None:
            raise StaleVersion(_("A region with this code already exists: send the version "
                                 "you read to change it."))
        services.update_region(actor=request.user, region=region, data=data, version=version)
        return Response(RegionSerializer(policy.access_region(code)).data)
