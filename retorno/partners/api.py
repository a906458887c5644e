"""The partner directory, a case's referrals and the partner users' referrals in the REST
API (v1).

The directory is read by every member of staff (403 for others) and kept by
partner.manage in the partner's office or a programme manager (403 before the body is
read). A case's referrals are read with the case (`cases.policy.access_case`: 404 for
outsiders) and sent or withdrawn by reintegration.record in an office of the case. Partner
users read only their organisation's referrals (`/partner/referrals/`: 404 for any
other) and answer them. Writes go through partners.services; service errors become
400/403/409 in retorno.lib.api.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import Invalid, NotAllowed
from retorno.partners import directory, policy, services
from retorno.partners.models import Partner, ReferralStatus
from retorno.partners.serializers import (
    AgreementInputSerializer,
    AgreementSerializer,
    FeedbackSerializer,
    PartnerCreateSerializer,
    PartnerPatchSerializer,
    PartnerReferralSerializer,
    PartnerSerializer,
    ReasonSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    ServiceGivenSerializer,
    VersionSerializer,
)
from retorno.reintegration.models import AssistanceItem

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such record, or not one you may see."))
_NO_DIRECTORY = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "For members of staff."))
_NO_MANAGE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the reintegration officers and supervisors of the partner's office, and "
    "programme managers, keep the directory."))
_NO_REFER = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the reintegration officers and supervisors of the case's offices refer."))
_NOT_PARTNER = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "For partner users."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the record since `version`; nothing was saved."))

_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description=gettext_lazy("Part of the name.")),
    OpenApiParameter("country", OpenApiTypes.STR,
                     description=gettext_lazy("ISO 3166-1 alpha-3 code.")),
    OpenApiParameter("area", OpenApiTypes.STR, description=gettext_lazy(
        "ISO 3166-2 code: partners working there or in the whole country.")),
    OpenApiParameter("service", OpenApiTypes.STR,
                     description=gettext_lazy("A kind of assistance they offer.")),
]


def _require_directory(request: Request) -> None:
    if not policy.can_view_directory(request.user):
        raise NotAllowed(_("Only members of staff read the partner directory."))


def _require_manage(request: Request, partner: Partner) -> None:
    if not policy.may_manage(request.user, partner):
        raise NotAllowed(_("You may not change %(name)s: it is kept by %(office)s.")
                         % {"name": partner.name, "office": partner.office})


@extend_schema(tags=["partners"])
class PartnerList(GenericAPIView):
    serializer_class = PartnerSerializer

    @extend_schema(operation_id="partners_list", parameters=_FILTERS,
                   responses={200: PartnerSerializer(many=True), 403: _NO_DIRECTORY})
    def get(self, request: Request) -> Response:
        """The partner directory by country and name, with each partner's agreement
        state today."""
        _require_directory(request)
        params = request.query_params
        rows = directory.filter_partners(
            policy.visible_partners(request.user), q=params.get("q", ""),
            country=params.get("country", ""), area=params.get("area", ""),
            service=params.get("service", ""))
        offset, size = self.paginator.bounds(request)
        page = rows[offset:offset + size]
        data = PartnerSerializer(page, many=True,
                                 context={"states": directory.agreement_states(page)}).data
        return self.paginator.respond(data, len(rows) > offset + size)

    @extend_schema(operation_id="partners_create", request=PartnerCreateSerializer,
                   responses={201: PartnerSerializer, 400: _INVALID, 403: _NO_MANAGE})
    def post(self, request: Request) -> Response:
        """Add an organisation to the directory. Audit event "partner recorded"."""
        _require_directory(request)
        if not policy.may_create(request.user):
            raise NotAllowed(_("You may not add partners to the directory."))
        data = PartnerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        office = fields.pop("office")
        partner = services.create_partner(actor=request.user, office=office, data=fields)
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["partners"])
class PartnerDetail(GenericAPIView):
    serializer_class = PartnerSerializer

    @extend_schema(operation_id="partners_retrieve",
                   responses={200: PartnerSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, partner_id: int) -> Response:
        return Response(PartnerSerializer(policy.access_partner(request.user,
                                                                partner_id)).data)

    @extend_schema(operation_id="partners_partial_update", request=PartnerPatchSerializer,
                   responses={200: PartnerSerializer, 400: _INVALID, 403: _NO_MANAGE,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, partner_id: int) -> Response:
        """Change the entry: send only the fields that change and `version`. Renaming is
        refused once consents or referrals name the partner."""
        partner = policy.access_partner(request.user, partner_id)
        _require_manage(request, partner)
        data = PartnerPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        services.update_partner(actor=request.user, partner=partner, data=fields,
                                version=version)
        return Response(PartnerSerializer(policy.access_partner(request.user,
                                                                partner_id)).data)


@extend_schema(tags=["partners"])
class AgreementList(GenericAPIView):
    serializer_class = AgreementSerializer
    pagination_class = None

    @extend_schema(operation_id="partners_agreements_list",
                   responses={200: AgreementSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, partner_id: int) -> Response:
        """The partner's data-sharing agreements, the longest-running first."""
        partner = policy.access_partner(request.user, partner_id)
        rows = partner.agreements.select_related("recorded_by")
        return Response(AgreementSerializer(rows, many=True).data)

    @extend_schema(operation_id="partners_agreements_create",
                   request=AgreementInputSerializer,
                   responses={201: AgreementSerializer, 400: _INVALID, 403: _NO_MANAGE,
                              404: _NOT_FOUND})
    def post(self, request: Request, partner_id: int) -> Response:
        """Record a signed data-sharing agreement. Audit event "agreement recorded"."""
        partner = policy.access_partner(request.user, partner_id)
        _require_manage(request, partner)
        data = AgreementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = services.record_agreement(actor=request.user, partner=partner,
                                              **data.validated_data)
        return Response(AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


# ---- a case's referrals ----------------------------------------------------------------------


def _referral_parts(case: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The person, partner and item the body names, each checked to be one the case may
    use; every problem at once."""
    errors: dict[str, list[str]] = {}
    member = case.members.select_related("person").filter(person_id=data["person"]).first()
    if member is None:
        errors["person"] = [_("This person is not a member of case %(ref)s.")
                            % {"ref": case.reference}]
    partner = Partner.objects.filter(pk=data["partner"]).first()
    if partner is None:
        errors["partner"] = [_("There is no partner %(id)s in the directory.")
                             % {"id": data["partner"]}]
    item = None
    if data.get("item") is not None:
        item = (AssistanceItem.objects.select_related("plan")
                .filter(pk=data["item"], plan__case_id=case.pk).first())
        if item is None:
            errors["item"] = [_("The assistance item is not part of this case's "
                                "reintegration plan.")]
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)
    return {"person": member.person, "partner": partner, "item": item}


@extend_schema(tags=["referrals"])
class CaseReferralList(GenericAPIView):
    serializer_class = ReferralSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_referrals_list",
                   responses={200: ReferralSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's referrals to partners, newest first."""
        case = access_case(request.user, reference)
        return Response(ReferralSerializer(policy.case_referrals(case), many=True).data)

    @extend_schema(operation_id="cases_referrals_create", request=ReferralCreateSerializer,
                   responses={201: ReferralSerializer, 400: _INVALID, 403: _NO_REFER,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Refer a member of the case to a partner for a service: the partner active,
        offering it, with a data-sharing agreement valid today; the person's consent to
        sharing with that partner. Only the service's minimum fields are shared. Audit
        event "referral sent", a timeline entry."""
        case = access_case(request.user, reference)
        if not policy.may_refer(request.user, case):
            raise NotAllowed(_("Only the reintegration officers and supervisors of the "
                               "offices of case %(ref)s may refer its returnees to "
                               "partners.") % {"ref": case.reference})
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parts = _referral_parts(case, data.validated_data)
        referral = services.send_referral(actor=request.user, case=case,
                                          service=data.validated_data["service"],
                                          need=data.validated_data["need"], **parts)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["referrals"])
class CaseReferralWithdraw(GenericAPIView):
    serializer_class = ReferralSerializer

    @extend_schema(operation_id="cases_referrals_withdraw", request=ReasonSerializer,
                   responses={200: ReferralSerializer, 400: _INVALID, 403: _NO_REFER,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, referral_id: int) -> Response:
        """Withdraw an open referral, with a reason."""
        case = access_case(request.user, reference)
        referral = policy.access_case_referral(case, referral_id)
        if not policy.may_refer(request.user, case):
            raise NotAllowed(_("Only the reintegration officers and supervisors of the "
                               "offices of case %(ref)s may withdraw its referrals.")
                             % {"ref": case.reference})
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.withdraw_referral(actor=request.user, referral=referral,
                                   **data.validated_data)
        return Response(ReferralSerializer(policy.access_case_referral(case,
                                                                       referral_id)).data)


# ---- the partner users' referrals --------------------------------------------------------


def _require_partner_user(request: Request) -> None:
    if policy.partner_of(request.user) is None:
        raise NotAllowed(_("Only partner users read the referrals sent to their "
                           "organisation."))


@extend_schema(tags=["partner referrals"])
class PartnerReferralList(GenericAPIView):
    serializer_class = PartnerReferralSerializer

    @extend_schema(operation_id="partner_referrals_list", parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, enum=ReferralStatus.values)],
        responses={200: PartnerReferralSerializer(many=True), 403: _NOT_PARTNER})
    def get(self, request: Request) -> Response:
        """The referrals sent to your organisation, newest first."""
        _require_partner_user(request)
        rows = policy.visible_referrals(request.user).order_by("-sent_at", "-id")
        wanted = request.query_params.get("status", "")
        if wanted in ReferralStatus.values:
            rows = rows.filter(status=wanted)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PartnerReferralSerializer(page, many=True).data)


@extend_schema(tags=["partner referrals"])
class PartnerReferralDetail(GenericAPIView):
    serializer_class = PartnerReferralSerializer

    @extend_schema(operation_id="partner_referrals_retrieve",
                   responses={200: PartnerReferralSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, referral_id: int) -> Response:
        referral = policy.access_partner_referral(request.user, referral_id)
        return Response(PartnerReferralSerializer(referral).data)


def _answer(request: Request, referral_id: int, serializer: type, act: Any) -> Response:
    referral = policy.access_partner_referral(request.user, referral_id)
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    act(actor=request.user, referral=referral, **data.validated_data)
    return Response(PartnerReferralSerializer(
        policy.access_partner_referral(request.user, referral_id)).data)


_ANSWERS = {200: PartnerReferralSerializer, 400: _INVALID, 404: _NOT_FOUND, 409: _STALE}


@extend_schema(tags=["partner referrals"])
class PartnerReferralAccept(GenericAPIView):
    serializer_class = PartnerReferralSerializer

    @extend_schema(operation_id="partner_referrals_accept", request=VersionSerializer,
                   responses=_ANSWERS)
    def post(self, request: Request, referral_id: int) -> Response:
        """Accept a referral just sent."""
        return _answer(request, referral_id, VersionSerializer, services.accept_referral)


@extend_schema(tags=["partner referrals"])
class PartnerReferralDecline(GenericAPIView):
    serializer_class = PartnerReferralSerializer

    @extend_schema(operation_id="partner_referrals_decline", request=ReasonSerializer,
                   responses=_ANSWERS)
    def post(self, request: Request, referral_id: int) -> Response:
        """Decline a referral just sent, saying why."""
        return _answer(request, referral_id, ReasonSerializer, services.decline_referral)


@extend_schema(tags=["partner referrals"])
class PartnerReferralService(GenericAPIView):
    serializer_class = PartnerReferralSerializer

    @extend_schema(operation_id="partner_referrals_service", request=ServiceGivenSerializer,
                   responses=_ANSWERS)
    def post(self, request: Request, referral_id: int) -> Response:
        """Record the service given to an accepted referral, and when."""
        return _answer(request, referral_id, ServiceGivenSerializer, services.record_service)


@extend_schema(tags=["partner referrals"])
class PartnerReferralClose(GenericAPIView):
    serializer_class = PartnerReferralSerializer

    @extend_schema(operation_id="partner_referrals_close", request=FeedbackSerializer,
                   responses=_ANSWERS)
    def post(self, request: Request, referral_id: int) -> Response:
        """Close a referral whose service is recorded, with your feedback."""
        return _answer(request, referral_id, FeedbackSerializer, services.close_referral)
