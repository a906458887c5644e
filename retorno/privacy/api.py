"""The consent endpoints of the REST API (v1), under a case.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike); writes go through retorno.privacy.consent.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import REFUSED as _REFUSED
from retorno.lib.api_serializers import NotFoundSerializer
from retorno.privacy import consent as consents
from retorno.privacy.serializers import (
    ConsentCreateSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer,
                             description=gettext_lazy("No such case, or not one you may see."))


@extend_schema(tags=["consent"])
class ConsentList(GenericAPIView):
    serializer_class = ConsentSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_consents_list",
                   responses={200: ConsentSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """Every consent of the case's members, given and withdrawn, by person and
        purpose."""
        case = access_case(request.user, reference)
        rows = consents.case_consents(case).order_by("person_id", "purpose", "-recorded_at",
                                                     "-id")
        return Response(ConsentSerializer(rows, many=True).data)

    @extend_schema(operation_id="cases_consents_create", request=ConsentCreateSerializer,
                   responses={201: ConsentSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Record a member's consent to a purpose. A child's needs a guardian's name and
        relationship. Audit event "consent recorded" and a timeline entry."""
        case = access_case(request.user, reference)
        data = ConsentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        member = case.members.select_related("person").filter(
            person_id=fields.pop("person_id")).first()
        if member is None:
            raise serializers.ValidationError(
                {"person_id": [_("This person is not a member of this case.")]})
        consent = consents.record_consent(actor=request.user, case=case,
                                          person=member.person, **fields)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["consent"])
class ConsentWithdraw(GenericAPIView):
    serializer_class = ConsentSerializer

    @extend_schema(operation_id="cases_consents_withdraw", request=ConsentWithdrawSerializer,
                   responses={200: ConsentSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str, consent_id: int) -> Response:
        """Withdraw a consent, with a reason; it takes effect at once. Withdrawing it
        again changes nothing."""
        case = access_case(request.user, reference)
        consent = consents.access_consent(case, consent_id)
        data = ConsentWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consents.withdraw_consent(actor=request.user, case=case, consent=consent,
                                  reason=data.validated_data["reason"])
        return Response(ConsentSerializer(consent).data)
