"""The voluntary return declaration endpoints of the REST API (v1): under a case, and the
templates' list.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike). Printing and recording are refused (403) to all but the host office's
caseworkers and supervisors before the body is read; the scan to all but those who may
read it (`policy.can_read_scan`). Changes go through declarations.services; service
errors become 400/403/409 in retorno.lib.api, as JSON even where the success is a file.
"""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.models import Case
from retorno.cases.policy import access_case
from retorno.declarations import current, policy, services
from retorno.declarations.serializers import (
    DeclarationSerializer,
    PrintInputSerializer,
    SignedInputSerializer,
    TemplateSerializer,
)
from retorno.declarations.views import pdf_response, print_filename, scan_response
from retorno.lib.api_files import FileRenderer, FileView, PdfRenderer
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import NotAllowed

_JSON = "application/json"
# The ?format= DRF offers with several renderers: the Accept header is enough.
_NO_FORMAT = OpenApiParameter("format", exclude=True)
_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case or declaration, or not one you may see."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the caseworkers and supervisors of the case's host office may do this, while the "
    "case is open."))
_INVALID = OpenApiResponse(description=gettext_lazy(
    "Invalid input: messages per field, or a service error (detail, errors, fields)."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else recorded a signed copy since `version`; nothing was saved."))


class JpegRenderer(FileRenderer):
    media_type = "image/jpeg"
    format = "jpeg"


class PngRenderer(FileRenderer):
    media_type = "image/png"
    format = "png"


def _context(request: Request, case: Case) -> dict[str, Any]:
    signed = current.latest_signed(case)
    return {"request": request, "current_id": signed.pk if signed else None}


def _writable_case(request: Request, reference: str) -> Case:
    case = access_case(request.user, reference)
    services.require_record(request.user, case)
    return case


@extend_schema(tags=["voluntary return declaration"])
class DeclarationList(GenericAPIView):
    serializer_class = DeclarationSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_declarations_list",
                   responses={200: DeclarationSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """Every printing of the case's declaration, newest first, with its signed copy's
        details once recorded; `current` marks the one the application stands on."""
        case = access_case(request.user, reference)
        return Response(DeclarationSerializer(policy.declarations_of(case), many=True,
                                              context=_context(request, case)).data)


@extend_schema(tags=["voluntary return declaration"])
class DeclarationDetail(GenericAPIView):
    serializer_class = DeclarationSerializer

    @extend_schema(operation_id="cases_declarations_retrieve",
                   responses={200: DeclarationSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str, declaration_id: int) -> Response:
        case = access_case(request.user, reference)
        declaration = policy.access_declaration(case, declaration_id)
        return Response(DeclarationSerializer(declaration,
                                              context=_context(request, case)).data)


@extend_schema(tags=["voluntary return declaration"])
class DeclarationPrint(FileView):
    serializer_class = PrintInputSerializer
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="cases_declarations_print", request=PrintInputSerializer,
        parameters=[_NO_FORMAT],
        responses={
            (201, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=(
                gettext_lazy("The declaration to print and have signed. `Location` names "
                             "the declaration recorded as printed."))),
            (400, _JSON): _INVALID, (403, _JSON): _REFUSED, (404, _JSON): _NOT_FOUND})
    def post(self, request: Request, reference: str) -> HttpResponse:
        """Print the voluntary return declaration of the case in a language: the PDF,
        filled in from the language's active template. Audit event "declaration
        printed" and a timeline entry."""
        case = _writable_case(request, reference)
        data = PrintInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declaration, pdf = services.print_declaration(
            request.user, case, data.validated_data.get("language") or None)
        response = pdf_response(pdf, print_filename(declaration))
        response.status_code = 201
        response["Location"] = reverse("api:case_declaration",
                                       args=[case.reference, declaration.pk])
        return response


@extend_schema(tags=["voluntary return declaration"])
class DeclarationSigned(GenericAPIView):
    serializer_class = DeclarationSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="cases_declarations_signed", request=SignedInputSerializer,
                   responses={200: DeclarationSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE, 415: OpenApiResponse(
                                  description=gettext_lazy("Send multipart/form-data."))})
    def post(self, request: Request, reference: str, declaration_id: int) -> Response:
        """Record the signed copy of a printed declaration (or replace it): the date and
        place of signing, the interpreter, and the scan. Audit event "signed declaration
        recorded" and a timeline entry."""
        case = _writable_case(request, reference)
        declaration = policy.access_declaration(case, declaration_id)
        data = SignedInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        scan, version = fields.pop("scan"), fields.pop("version")
        services.record_signed_declaration(actor=request.user, declaration=declaration,
                                           data=fields, scan=scan, version=version)
        return Response(DeclarationSerializer(policy.access_declaration(case, declaration_id),
                                              context=_context(request, case)).data)


@extend_schema(tags=["voluntary return declaration"])
class DeclarationScan(FileView):
    serializer_class = DeclarationSerializer
    renderer_classes = [JSONRenderer, PdfRenderer, JpegRenderer, PngRenderer]

    @extend_schema(
        operation_id="cases_declarations_scan", parameters=[_NO_FORMAT],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (403, _JSON): OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
                "Only the host office's caseworkers, supervisors and data protection focal "
                "point open the signed copy.")),
            (404, _JSON): OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
                "No such case or declaration, not one you may see, or no signed copy "
                "recorded."))})
    def get(self, request: Request, reference: str, declaration_id: int) -> Any:
        """The signed copy as recorded, as an attachment. Audit event "signed declaration
        scan opened"."""
        case = access_case(request.user, reference)
        declaration = policy.access_declaration(case, declaration_id)
        return scan_response(request, declaration)


@extend_schema(tags=["voluntary return declaration"])
class TemplateList(GenericAPIView):
    serializer_class = TemplateSerializer
    pagination_class = None

    @extend_schema(operation_id="declaration_templates_list",
                   responses={200: TemplateSerializer(many=True), 403: OpenApiResponse(
                       ServiceErrorSerializer, description=gettext_lazy(
                           "For those who print declarations or manage their templates."))})
    def get(self, request: Request) -> Response:
        """Every declaration template, by language, the active one first. Declarations
        are printed from each language's active template."""
        if not policy.can_read_templates(request.user):
            raise NotAllowed(_("Only those who print declarations or manage their "
                               "templates read the templates."))
        rows = policy.templates().order_by("language", "-active", "-created_at", "-id")
        return Response(TemplateSerializer(rows, many=True).data)
