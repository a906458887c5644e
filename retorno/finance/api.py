"""The grants, disbursements and exchange rates endpoints of the REST API (v1).

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike); grants and disbursements through finance.policy (404 when not of that case).
Writes go through finance.services, which check who may do them; service errors become
400/403/409 in retorno.lib.api, as JSON even where the success is a file.
"""

from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.models import Case
from retorno.cases.policy import access_case
from retorno.finance import policy, services
from retorno.finance.models import Disbursement
from retorno.finance.sections import approved_items
from retorno.finance.serializers import (
    AwardInputSerializer,
    DecideInputSerializer,
    DisbursementSerializer,
    ExchangeRateSerializer,
    GrantSerializer,
    ImportSummarySerializer,
    PaidInputSerializer,
    RatesUploadSerializer,
    RequestInputSerializer,
)
from retorno.lib.api_files import FileRenderer, FileView
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.uploads import EXTENSIONS

_JSON = "application/json"
_NO_FORMAT = OpenApiParameter("format", exclude=True)
_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case, grant or disbursement, or not one you may see."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "You may not do this on this case (see the operation)."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the disbursement since `version`; nothing was saved."))


def _grant_data(case: Case, grant_id: int) -> dict[str, Any]:
    grant = policy.grants_with_totals(case).get(pk=grant_id)
    grant.case = case
    return GrantSerializer(grant).data


def _disbursement_data(case: Case, disbursement_id: int) -> dict[str, Any]:
    return DisbursementSerializer(policy.access_disbursement(case, disbursement_id)).data


@extend_schema(tags=["grants"])
class GrantList(GenericAPIView):
    serializer_class = GrantSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_grants_list",
                   responses={200: GrantSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's grants with what is counted against each, paid and remaining."""
        case = access_case(request.user, reference)
        grants = list(policy.grants_with_totals(case))
        for grant in grants:
            grant.case = case
        return Response(GrantSerializer(grants, many=True).data)

    @extend_schema(operation_id="cases_grants_award", request=AwardInputSerializer,
                   responses={200: GrantSerializer, 201: GrantSerializer, 400: _INVALID,
                              403: _REFUSED, 404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Award the case its reinstallation or reintegration grant (201), or change the
        amount awarded (200): at most the ceiling the package allows the case, at least
        what its disbursements count. The host office's payers until departure, the
        office of origin's once handed over. Audit event "grant awarded", a timeline
        entry."""
        case = access_case(request.user, reference)
        if not policy.may_award(request.user, case):
            raise NotAllowed(_("You may not award grants on case %(ref)s.")
                             % {"ref": case.reference})
        data = AwardInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kind = data.validated_data["kind"]
        existed = services.grant_of(case, kind) is not None
        grant = services.award_grant(actor=request.user, case=case, kind=kind,
                                     amount=data.validated_data.get("amount"),
                                     modality=data.validated_data.get("modality"))
        return Response(_grant_data(case, grant.pk),
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema(tags=["grants"])
class DisbursementList(GenericAPIView):
    serializer_class = DisbursementSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(operation_id="cases_disbursements_list",
                   responses={200: DisbursementSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The payments out of the case's grants, oldest first."""
        case = access_case(request.user, reference)
        offset, size = self.paginator.bounds(request)
        found = list(policy.disbursements_of(case)[offset:offset + size + 1])
        return self.paginator.respond(DisbursementSerializer(found[:size], many=True).data,
                                      len(found) > size)

    @extend_schema(operation_id="cases_disbursements_request", request={
        _JSON: RequestInputSerializer, "multipart/form-data": RequestInputSerializer},
        responses={200: OpenApiResponse(DisbursementSerializer, description=gettext_lazy(
            "Already recorded with this `client_key`: the first request, unchanged.")),
            201: DisbursementSerializer, 400: _INVALID, 403: _REFUSED, 404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Request a payment out of a grant, idempotent on `client_key`. Above the
        programme's approval threshold it awaits a second person's approval; otherwise
        it is approved, or paid at once with `paid_on`. Never more than what remains of
        the grant, nor than the package's timing allows (before departure, the
        before-departure share; the rest after arrival). Audit event "disbursement
        requested" (and "paid"), a timeline entry."""
        case = access_case(request.user, reference)
        if not policy.may_disburse(request.user, case):
            raise NotAllowed(_("You may not pay out grants of case %(ref)s.")
                             % {"ref": case.reference})
        data = RequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        grant = policy.access_grant(case, fields.pop("grant"))
        item_id = fields.pop("item")
        item = None
        if item_id is not None:
            item = next((i for i in approved_items(case) if i.pk == item_id), None)
            if item is None:
                message = _("This assistance item is not part of the case's approved "
                            "reintegration plan.")
                raise Invalid(message, field_errors={"item": [message]})
        disbursement = services.request_disbursement(actor=request.user, grant=grant,
                                                     item=item, **fields)
        replayed = getattr(disbursement, "replayed", False)
        return Response(_disbursement_data(case, disbursement.pk),
                        status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)


def _decide(request: Request, reference: str, disbursement_id: int,
            approve: bool) -> Response:
    case = access_case(request.user, reference)
    disbursement = policy.access_disbursement(case, disbursement_id)
    if not policy.may_approve(request.user, case):
        raise NotAllowed(_("Only a supervisor of the case's office or a programme manager "
                           "may approve or reject a payment."))
    data = DecideInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    services.decide_disbursement(actor=request.user, disbursement=disbursement,
                                 approve=approve, **data.validated_data)
    return Response(_disbursement_data(case, disbursement.pk))


@extend_schema(tags=["grants"])
class DisbursementApprove(GenericAPIView):
    serializer_class = DisbursementSerializer

    @extend_schema(operation_id="cases_disbursements_approve",
                   request=DecideInputSerializer,
                   responses={200: DisbursementSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, disbursement_id: int) -> Response:
        """Approve a disbursement awaiting approval: a supervisor of the case's office or
        a programme manager, never who requested it. Audit event "disbursement approved
        or rejected"."""
        return _decide(request, reference, disbursement_id, approve=True)


@extend_schema(tags=["grants"])
class DisbursementReject(GenericAPIView):
    serializer_class = DisbursementSerializer

    @extend_schema(operation_id="cases_disbursements_reject",
                   request=DecideInputSerializer,
                   responses={200: DisbursementSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, disbursement_id: int) -> Response:
        """Reject a disbursement awaiting approval, saying why (`note`): its amount no
        longer counts against the grant."""
        return _decide(request, reference, disbursement_id, approve=False)


@extend_schema(tags=["grants"])
class DisbursementPaid(GenericAPIView):
    serializer_class = DisbursementSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="cases_disbursements_paid", request={
        "multipart/form-data": PaidInputSerializer, _JSON: PaidInputSerializer},
        responses={200: DisbursementSerializer, 400: _INVALID, 403: _REFUSED,
                   404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, disbursement_id: int) -> Response:
        """Record an approved disbursement as paid, with the receipt (multipart). Paid in
        another currency, the amount in it is taken at the rate of the month of
        `paid_on`, which finance must have loaded. Audit event "disbursement paid"."""
        case = access_case(request.user, reference)
        disbursement = policy.access_disbursement(case, disbursement_id)
        if not policy.may_disburse(request.user, case):
            raise NotAllowed(_("You may not pay out grants of case %(ref)s.")
                             % {"ref": case.reference})
        data = PaidInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_payment(actor=request.user, disbursement=disbursement,
                                **data.validated_data)
        return Response(_disbursement_data(case, disbursement.pk))


def _renderer(content_type: str, extension: str) -> type[FileRenderer]:
    return type(f"{extension.title()}ReceiptRenderer", (FileRenderer,),
                {"media_type": content_type, "format": extension})


@extend_schema(tags=["grants"])
class DisbursementReceipt(FileView):
    serializer_class = DisbursementSerializer
    renderer_classes = [JSONRenderer, *(_renderer(t, e) for t, e in EXTENSIONS.items())]

    @extend_schema(
        operation_id="cases_disbursements_receipt", parameters=[_NO_FORMAT],
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in EXTENSIONS},
            (403, _JSON): OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
                "Only those who pay or approve the case's grants and the data protection "
                "focal point open receipts.")),
            (404, _JSON): OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
                "No such case or disbursement, not one you may see, or no receipt."))})
    def get(self, request: Request, reference: str, disbursement_id: int) -> Any:
        """The receipt as recorded, as an attachment. Audit event "disbursement receipt
        opened"."""
        case = access_case(request.user, reference)
        disbursement: Disbursement = policy.access_disbursement(case, disbursement_id)
        if not policy.can_read_receipt(request.user, case):
            raise NotAllowed(_("Only those who pay or approve the case's grants and the "
                               "data protection focal point open receipts."))
        if not disbursement.receipt:
            raise Http404
        handle, content_type = services.read_receipt(actor=request.user,
                                                     disbursement=disbursement)
        response = FileResponse(handle, as_attachment=True, content_type=content_type,
                                filename=services.receipt_filename_of(disbursement))
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(tags=["exchange rates"])
class ExchangeRateList(GenericAPIView):
    serializer_class = ExchangeRateSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="exchange_rates_list",
                   parameters=[OpenApiParameter("month", str, description=gettext_lazy(
                       "YYYY-MM: only that month's rates."))],
                   responses={200: ExchangeRateSerializer(many=True), 403: OpenApiResponse(
                       ServiceErrorSerializer, description=gettext_lazy(
                           "For finance and those who pay out grants.")),
                       400: _INVALID})
    def get(self, request: Request) -> Response:
        """The monthly exchange rates, newest month first."""
        if not policy.can_view_rates(request.user):
            raise NotAllowed(_("Only finance and those who pay out grants read the "
                               "exchange rates."))
        rates = policy.visible_rates(request.user)
        month = request.query_params.get("month")
        if month:
            try:
                year, number = (int(part) for part in month.split("-"))
                rates = rates.filter(month__year=year, month__month=number)
            except ValueError:
                message = _("Give the month as YYYY-MM.")
                raise Invalid(message, field_errors={"month": [message]}) from None
        offset, size = self.paginator.bounds(request)
        found = list(rates[offset:offset + size + 1])
        return self.paginator.respond(ExchangeRateSerializer(found[:size], many=True).data,
                                      len(found) > size)

    @extend_schema(operation_id="exchange_rates_import", request={
        "multipart/form-data": RatesUploadSerializer},
        responses={200: ImportSummarySerializer, 400: _INVALID, 403: OpenApiResponse(
            ServiceErrorSerializer, description=gettext_lazy("For finance only."))})
    def post(self, request: Request) -> Response:
        """Import a CSV of rates (header month,base,currency,rate). All or nothing: every
        bad line is named. A rate already loaded for the month and currencies is
        replaced; the same file twice changes nothing. Audit event "exchange rates
        imported"."""
        if not policy.can_manage_rates(request.user):
            raise NotAllowed(_("Only finance (programme managers) may load exchange "
                               "rates."))
        data = RatesUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            text = data.validated_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("The file is not UTF-8 text.")
            raise Invalid(message, field_errors={"file": [message]}) from None
        summary = services.import_rates(actor=request.user, csv_text=text)
        return Response(ImportSummarySerializer(summary).data)
