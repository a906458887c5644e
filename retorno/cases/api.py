"""The case endpoints of the REST API (v1).

Reads go through cases.policy (visible_cases, access_case: 404 for missing and forbidden
alike); writes through cases.services. Service errors become 400/403/409 in
retorno.lib.api.
"""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.accounts import permissions as perms
from retorno.accounts.api import office_for
from retorno.cases import services
from retorno.cases.models import CaseMember
from retorno.cases.policy import access_case, can_view_protection, visible_cases
from retorno.cases.search import find_cases
from retorno.cases.serializers import (
    CaseCreateSerializer,
    CaseFilterSerializer,
    CaseListItemSerializer,
    CasePatchSerializer,
    CaseSerializer,
    MemberAddSerializer,
    TransitionOptionSerializer,
    TransitionRequestSerializer,
)
from retorno.lib.api_serializers import (
    INVALID as _INVALID,
)
from retorno.lib.api_serializers import (
    REFUSED as _REFUSED,
)
from retorno.lib.api_serializers import (
    GuardsFailedSerializer,
    NotFoundSerializer,
    ServiceErrorSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer,
                             description=gettext_lazy("No such case, or not one you may see."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the case since `version`; nothing was saved."))

# Members with their person in one query, for lists and the detail alike.
_MEMBERS = Prefetch("members", queryset=CaseMember.objects.select_related("person"))


def _search_args(filters: dict[str, Any]) -> dict[str, Any]:
    args = dict(filters)
    status_ = args.pop("status", "")
    args["statuses"] = [status_] if status_ else None
    return args


def _detail(request: Request, reference: str, code: int = status.HTTP_200_OK) -> Response:
    # Read again through the policy after a write, so the answer is what is stored.
    case = access_case(request.user, reference)
    prefetch_related_objects([case], _MEMBERS)
    context = {"request": request, "show_protection": can_view_protection(request.user, case)}
    return Response(CaseSerializer(case, context=context).data, status=code)


@extend_schema(tags=["cases"])
class CaseList(GenericAPIView):
    serializer_class = CaseListItemSerializer

    @extend_schema(operation_id="cases_list", parameters=[CaseFilterSerializer],
                   responses={200: CaseListItemSerializer(many=True)})
    def get(self, request: Request) -> Response:
        """Cases you may see, newest first."""
        filters = CaseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        offset, size = self.paginator.bounds(request)
        found = find_cases(request.user, offset=offset, limit=size,
                           **_search_args(filters.validated_data))
        cases = (visible_cases(request.user).filter(id__in=found.ids)
                 .select_related("host_office", "assignee").prefetch_related(_MEMBERS)
                 .order_by("-id"))
        data = CaseListItemSerializer(cases, many=True).data
        return self.paginator.respond(data, found.has_next)

    @extend_schema(operation_id="cases_create", request=CaseCreateSerializer,
                   responses={201: CaseSerializer, 400: _INVALID, 403: _REFUSED})
    def post(self, request: Request) -> Response:
        """Open a case for a registered person (`principal_id`) or a new one (`principal`).

        Audit events "case opened" and "case member added" (and "person registered" for a
        new person); timeline "case opened".
        """
        data = CaseCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        office = office_for(request.user, perms.CASE_CREATE, fields.pop("office", None),
                            refusal=_("You may not open cases."))
        member = {"category": fields.pop("category"),
                  "vulnerabilities": fields.pop("vulnerabilities")}
        existing, new = fields.pop("principal_id", None), fields.pop("principal", None)
        if new is not None:
            case = services.register_and_open_case(actor=request.user, office=office,
                                                   person=dict(new), member=member, case=fields)
        else:
            case = services.open_case(actor=request.user, office=office, principal=existing,
                                      member=member, case=fields)
        return _detail(request, case.reference, status.HTTP_201_CREATED)


@extend_schema(tags=["cases"])
class CaseDetail(GenericAPIView):
    serializer_class = CaseSerializer

    @extend_schema(operation_id="cases_retrieve",
                   responses={200: CaseSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case with its members and its latest timeline entries."""
        return _detail(request, reference)

    @extend_schema(operation_id="cases_partial_update", request=CasePatchSerializer,
                   responses={200: CaseSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str) -> Response:
        """Change the destination, programme, origin office or assignee. Send `version`
        from the detail you read; all changes are saved, or none."""
        case = access_case(request.user, reference)
        data = CasePatchSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        reassign, assignee = "assignee" in fields, fields.pop("assignee", None)
        with transaction.atomic():
            if fields:
                before = case.version
                services.update_case(actor=request.user, case=case, data=fields,
                                     version=version)
                # update_case writes nothing (and keeps the version) when nothing changed.
                if case.version != before:
                    version = case.version
            if reassign:
                services.assign_case(actor=request.user, case=case, assignee=assignee,
                                     version=version)
        return _detail(request, reference)


@extend_schema(tags=["cases"])
class CaseMembers(GenericAPIView):
    serializer_class = CaseSerializer

    @extend_schema(operation_id="cases_members_create", request=MemberAddSerializer,
                   responses={201: CaseSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Add a family member who returns with the principal: a registered person
        (`person_id`) or a new one (`person`). Answers with the whole case."""
        case = access_case(request.user, reference)
        data = MemberAddSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        member = {name: fields[name] for name in ("relationship", "category",
                                                  "vulnerabilities")}
        if "person" in fields:
            services.register_and_add_member(actor=request.user, case=case,
                                             person=dict(fields["person"]), member=member)
        else:
            services.add_member(actor=request.user, case=case, person=fields["person_id"],
                                member=member)
        return _detail(request, reference, status.HTTP_201_CREATED)


@extend_schema(tags=["cases"])
class CaseMemberDetail(GenericAPIView):
    serializer_class = CaseSerializer

    @extend_schema(operation_id="cases_members_destroy",
                   responses={204: None, 400: _INVALID, 403: _REFUSED, 404: _NOT_FOUND})
    def delete(self, request: Request, reference: str, person_id: int) -> Response:
        """Take a member off the case; the person stays registered."""
        case = access_case(request.user, reference)
        member = case.members.select_related("person").filter(person_id=person_id).first()
        if member is None:
            raise Http404
        services.remove_member(actor=request.user, case=case, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["cases"])
class CaseTransitions(GenericAPIView):
    serializer_class = TransitionOptionSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_transitions_list",
                   responses={200: TransitionOptionSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The steps you may take from the case's current status, each with what still
        blocks it."""
        case = access_case(request.user, reference)
        options = services.transition_options(case, request.user)
        return Response(TransitionOptionSerializer(options, many=True,
                                                   context={"case": case}).data)

    @extend_schema(
        operation_id="cases_transitions_create", request=TransitionRequestSerializer,
        responses={200: CaseSerializer, 400: _INVALID, 403: _REFUSED, 404: _NOT_FOUND,
                   409: OpenApiResponse(GuardsFailedSerializer, description=gettext_lazy(
                       "Refused: `unmet_guards` lists everything that is missing."))},
    )
    def post(self, request: Request, reference: str) -> Response:
        """Move the case along its lifecycle. Answers with the whole case."""
        case = access_case(request.user, reference)
        data = TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.transition_case(case, data.validated_data["transition"], actor=request.user,
                                 reason=data.validated_data["reason"])
        return _detail(request, reference)
