"""The travel document endpoints of the REST API (v1), under a case, and MRZ reading.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike). Reading the documents needs `document.view` on the case (403 otherwise); writes
are refused (403) to everyone who may not record documents before the body is even
read, and go through documents.services. Service errors become 400/403/409 in
retorno.lib.api.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.accounts import permissions as perms
from retorno.cases.policy import access_case
from retorno.documents import mrz, policy, services
from retorno.documents.serializers import (
    MrzInputSerializer,
    MrzSerializer,
    TravelDocumentInputSerializer,
    TravelDocumentPatchSerializer,
    TravelDocumentSerializer,
    TravelDocumentStatusInputSerializer,
)
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import NotAllowed

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case or travel document, or not one you may see."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Your role may not read, or not record, the travel documents of this case."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the travel document since `version`; nothing was saved."))


@extend_schema(tags=["travel documents"])
class DocumentList(GenericAPIView):
    serializer_class = TravelDocumentSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_travel_documents_list",
                   responses={200: TravelDocumentSerializer(many=True), 403: _REFUSED,
                              404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The travel documents of the case's members, per person, in the order they were
        recorded."""
        case = access_case(request.user, reference)
        policy.require_view(request.user, case)
        return Response(TravelDocumentSerializer(policy.documents_of(case), many=True).data)

    @extend_schema(operation_id="cases_travel_documents_create",
                   request=TravelDocumentInputSerializer,
                   responses={201: TravelDocumentSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Record a member's travel document (caseworkers, supervisors and movement
        officers of the host office, while the case is open). Audit event "travel
        document recorded"; timeline entry, without the number."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        data = TravelDocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        member = case.members.select_related("person").filter(
            person_id=fields.pop("person_id")).first()
        if member is None:
            raise serializers.ValidationError(
                {"person_id": [_("This person is not a member of this case.")]})
        document = services.record_document(actor=request.user, case=case,
                                            person=member.person, data=fields)
        return Response(TravelDocumentSerializer(policy.access_document(case, document.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["travel documents"])
class DocumentDetail(GenericAPIView):
    serializer_class = TravelDocumentSerializer

    @extend_schema(operation_id="cases_travel_documents_retrieve",
                   responses={200: TravelDocumentSerializer, 403: _REFUSED, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str, document_id: int) -> Response:
        case = access_case(request.user, reference)
        policy.require_view(request.user, case)
        return Response(TravelDocumentSerializer(policy.access_document(case, document_id)).data)

    @extend_schema(operation_id="cases_travel_documents_partial_update",
                   request=TravelDocumentPatchSerializer,
                   responses={200: TravelDocumentSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str, document_id: int) -> Response:
        """Correct a travel document's details (not its status). Send `version` from the
        document you read; all changes are saved, or none."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        document = policy.access_document(case, document_id)
        data = TravelDocumentPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        services.update_document(actor=request.user, document=document, data=fields,
                                 version=version)
        return Response(TravelDocumentSerializer(policy.access_document(case, document_id)).data)


@extend_schema(tags=["travel documents"])
class DocumentStatusChange(GenericAPIView):
    serializer_class = TravelDocumentSerializer

    @extend_schema(operation_id="cases_travel_documents_status",
                   request=TravelDocumentStatusInputSerializer,
                   responses={200: TravelDocumentSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, document_id: int) -> Response:
        """Move the travel document to another status (to request → requested →
        issued → collected, or refused and then to request again; requested →
        requested records a follow-up). Send `version` from the document you read."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        document = policy.access_document(case, document_id)
        data = TravelDocumentStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        to, version = fields.pop("to"), fields.pop("version")
        services.change_status(actor=request.user, document=document, to=to, data=fields,
                               version=version)
        return Response(TravelDocumentSerializer(policy.access_document(case, document_id)).data)


@extend_schema(tags=["travel documents"])
class MrzParse(GenericAPIView):
    serializer_class = MrzSerializer

    @extend_schema(operation_id="mrz_parse", request=MrzInputSerializer,
                   responses={200: MrzSerializer, 400: _INVALID, 403: _REFUSED})
    def post(self, request: Request) -> Response:
        """Read a machine-readable zone (ICAO 9303 TD1, TD2 or TD3) and check its check
        digits and codes. Saves nothing. 400 when the text has no MRZ shape; a zone
        with a failing check digit is read (200), its `errors` naming each failing one.
        For the roles that record travel documents."""
        if not perms.can(request.user, perms.DOCUMENT_RECORD):
            raise NotAllowed(_("Your role does not record travel documents."))
        data = MrzInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            parsed = mrz.parse(data.validated_data["mrz"])
        except mrz.UnreadableMrz as exc:
            raise serializers.ValidationError({"mrz": [exc.message]}) from None
        return Response(MrzSerializer(parsed).data)
