"""The alternative pathway endpoints of the REST API (v1), under a case.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike); writes go through pathways.services. Service errors become 400/403/409 in
retorno.lib.api.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import REFUSED as _REFUSED
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.pathways import policy, services
from retorno.pathways.serializers import (
    PathwayInputSerializer,
    PathwaySerializer,
    StatusChangeInputSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case or pathway, or not one you may see."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the pathway since `version`; nothing was saved."))


@extend_schema(tags=["pathways"])
class PathwayList(GenericAPIView):
    serializer_class = PathwaySerializer
    pagination_class = None

    @extend_schema(operation_id="cases_pathways_list",
                   responses={200: PathwaySerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's alternative pathways, newest first, each with its history."""
        case = access_case(request.user, reference)
        return Response(PathwaySerializer(policy.pathways_of(case), many=True).data)

    @extend_schema(operation_id="cases_pathways_create", request=PathwayInputSerializer,
                   responses={201: PathwaySerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Propose an alternative pathway (the case team). Audit event "alternative
        pathway proposed"; timeline "case details changed"."""
        case = access_case(request.user, reference)
        data = PathwayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pathway = services.propose_pathway(actor=request.user, case=case,
                                           data=dict(data.validated_data))
        shown = policy.pathways_of(case).get(pk=pathway.pk)
        return Response(PathwaySerializer(shown).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["pathways"])
class PathwayStatusChange(GenericAPIView):
    serializer_class = PathwaySerializer

    @extend_schema(operation_id="cases_pathways_status", request=StatusChangeInputSerializer,
                   responses={200: PathwaySerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, pathway_id: int) -> Response:
        """Change the pathway's status (proposed → submitted → accepted or declined →
        completed; withdrawn from any status before the end). Send `version` from the
        pathway you read."""
        case = access_case(request.user, reference)
        pathway = policy.access_pathway(case, pathway_id)
        data = StatusChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.change_pathway_status(actor=request.user, pathway=pathway,
                                       **data.validated_data)
        return Response(PathwaySerializer(policy.pathways_of(case).get(pk=pathway.pk)).data)
