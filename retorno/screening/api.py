"""The screening endpoints of the REST API (v1), under a case.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike); writes go through screening.services. Service errors become 400/403 in
retorno.lib.api.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import REFUSED as _REFUSED
from retorno.lib.api_serializers import NotFoundSerializer
from retorno.screening import policy, services
from retorno.screening.serializers import (
    BidInputSerializer,
    BidSerializer,
    ScreeningInputSerializer,
    ScreeningSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case, or not one you may see."))


@extend_schema(tags=["screening"])
class ScreeningList(GenericAPIView):
    serializer_class = ScreeningSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_screenings_list",
                   responses={200: ScreeningSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's vulnerability screenings, newest first. Answers, flags, proposals
        and notes only for roles that may read protection detail."""
        case = access_case(request.user, reference)
        context = {"request": request,
                   "show_detail": policy.can_read_detail(request.user, case)}
        return Response(ScreeningSerializer(policy.screenings_of(case), many=True,
                                            context=context).data)

    @extend_schema(operation_id="cases_screenings_create", request=ScreeningInputSerializer,
                   responses={201: ScreeningSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Screen a member (the case team, while the case is open). The suggested flags
        are added to the member's vulnerabilities. Audit event "vulnerability screening
        recorded"."""
        case = access_case(request.user, reference)
        data = ScreeningInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            member = policy.access_member(case, fields["person_id"])
        except Http404:
            if not policy.can_screen(request.user, case):
                raise
            return Response({"person_id": [_("Not a member of this case.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        screening = services.record_screening(
            actor=request.user, case=case, member=member, answers=dict(fields["answers"]),
            screened_on=fields.get("screened_on"), notes=fields.get("notes", ""))
        context = {"request": request,
                   "show_detail": policy.can_read_detail(request.user, case)}
        return Response(ScreeningSerializer(screening, context=context).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["screening"])
class BidList(GenericAPIView):
    serializer_class = BidSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_best_interest_list",
                   responses={200: BidSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's best-interest determinations, newest first. The summary of reasons
        only for roles that may read protection detail."""
        case = access_case(request.user, reference)
        context = {"request": request,
                   "show_detail": policy.can_read_detail(request.user, case)}
        return Response(BidSerializer(policy.bids_of(case), many=True,
                                      context=context).data)

    @extend_schema(operation_id="cases_best_interest_create", request=BidInputSerializer,
                   responses={201: BidSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Record a best-interest determination for an unaccompanied or separated child
        of the case (the case team, while the case is open). Audit event "best-interest
        determination recorded"."""
        case = access_case(request.user, reference)
        data = BidInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        try:
            member = policy.access_member(case, fields.pop("person_id"))
        except Http404:
            if not policy.can_screen(request.user, case):
                raise
            return Response({"person_id": [_("Not a member of this case.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        bid = services.record_bid(actor=request.user, case=case, person=member.person,
                                  data=fields)
        context = {"request": request,
                   "show_detail": policy.can_read_detail(request.user, case)}
        return Response(BidSerializer(bid, context=context).data,
                        status=status.HTTP_201_CREATED)
