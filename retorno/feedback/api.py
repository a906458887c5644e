"""Feedback and complaints in the REST API (v1).

Items are read through `feedback.policy` (`visible_feedback` / `access_feedback`): 404 for
an item the user may not read, whatever the reason — another office, a sensitive
complaint for someone who is not a focal point, one that concerns them. Reading an item
and handling it are the same right, so the actions answer 404 rather than 403 to whoever
may not read it. The list answers 403 to staff who handle no feedback; recording answers
403 to those who may not record (and returns a receipt: the reference, not the item).
Writes go through feedback.services; service errors become 400/403/409 in
retorno.lib.api.
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

from retorno.accounts.models import Office, User
from retorno.cases.policy import visible_cases
from retorno.feedback import inbox, policy, services
from retorno.feedback.models import Feedback
from retorno.feedback.serializers import (
    FeedbackAnswerSerializer,
    FeedbackAssignSerializer,
    FeedbackCategoriseSerializer,
    FeedbackCreateSerializer,
    FeedbackItemSerializer,
    FeedbackReceiptSerializer,
    FeedbackVersionSerializer,
)
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer, validated
from retorno.lib.errors import Invalid, NotAllowed

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such item, or not one you may read."))
_NO_INBOX = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the offices' feedback handlers and complaints focal points read feedback."))
_NO_RECORD = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "You may not record feedback for this office."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only a complaints focal point may do this."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the item since `version`; nothing was saved."))
_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, description=gettext_lazy(
        "received, in_progress, answered or closed.")),
    OpenApiParameter("category", OpenApiTypes.STR),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description=gettext_lazy(
        "Only the open items past their deadline.")),
]
_TAGS = ["feedback"]



def _context(request: Request, items: list[Feedback]) -> dict[str, Any]:
    case_ids = {i.case_id for i in items if i.case_id}
    visible = (set(visible_cases(request.user).filter(pk__in=case_ids)
                   .values_list("pk", flat=True)) if case_ids else set())
    return {"visible_case_ids": visible}


def _item_response(request: Request, reference: str) -> Response:
    item = policy.access_feedback(request.user, reference)
    return Response(FeedbackItemSerializer(item, context=_context(request, [item])).data)


def _staff(usernames: list[str], field: str) -> list[User]:
    users = list(policy.staff_users().filter(username__in=usernames))
    missing = set(usernames) - {u.username for u in users}
    if missing:
        message = _("Not members of staff: %(names)s.") % {"names": ", ".join(sorted(missing))}
        raise Invalid(message, field_errors={field: [message]})
    return users


def _after(request: Request, item: Feedback) -> Response:
    """The item after a change, or 204 if the change took it out of the user's sight."""
    if not policy.visible_feedback(request.user).filter(pk=item.pk).exists():
        return Response(status=status.HTTP_204_NO_CONTENT)
    return _item_response(request, item.reference)


@extend_schema(tags=_TAGS)
class FeedbackList(GenericAPIView):
    serializer_class = FeedbackItemSerializer

    @extend_schema(operation_id="feedback_list", parameters=_FILTERS,
                   responses={200: FeedbackItemSerializer(many=True), 403: _NO_INBOX})
    def get(self, request: Request) -> Response:
        """The feedback you may read, soonest due first."""
        if not policy.may_use_inbox(request.user):
            raise NotAllowed(_("Only the offices' feedback handlers and complaints focal "
                               "points read feedback."))
        params = request.query_params
        rows = inbox.filter_items(
            policy.visible_feedback(request.user), status=params.get("status", ""),
            category=params.get("category", ""),
            overdue=params.get("overdue", "").lower() in ("1", "true", "yes"))
        page = self.paginator.paginate_queryset(
            rows.select_related("case").prefetch_related("concerns"), request, view=self)
        data = FeedbackItemSerializer(page, many=True, context=_context(request, page)).data
        return self.paginator.get_paginated_response(data)

    @extend_schema(operation_id="feedback_create", request=FeedbackCreateSerializer,
                   responses={201: FeedbackReceiptSerializer, 400: _INVALID, 403: _NO_RECORD})
    def post(self, request: Request) -> Response:
        """Record feedback received in person, on the phone, by email... Returns the
        reference to give the person; the item itself only if you may read it."""
        if not policy.may_record(request.user):
            raise NotAllowed(_("You may not record feedback."))
        fields = validated(FeedbackCreateSerializer, request)
        office = Office.objects.filter(code=fields.pop("office")).first()
        if office is None:
            message = _("No office with this code.")
            raise Invalid(message, field_errors={"office": [message]})
        reference = fields.pop("case")
        case = None
        if reference:
            case = visible_cases(request.user).filter(reference=reference).first()
            if case is None:
                message = _("No case with this reference that you may see.")
                raise Invalid(message, field_errors={"case": [message]})
        fields["concerns"] = _staff(fields["concerns"], "concerns")
        item = services.record_feedback(actor=request.user, office=office, case=case,
                                        **fields)
        readable = policy.visible_feedback(request.user).filter(pk=item.pk).exists()
        return Response({"reference": item.reference, "status": item.status,
                         "readable": readable}, status=status.HTTP_201_CREATED)


@extend_schema(tags=_TAGS)
class FeedbackDetail(GenericAPIView):
    serializer_class = FeedbackItemSerializer

    @extend_schema(operation_id="feedback_retrieve",
                   responses={200: FeedbackItemSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        return _item_response(request, reference)


def _action(summary: str, serializer: type, op: str, refused: bool = False) -> Any:
    responses: dict[int, Any] = {200: FeedbackItemSerializer, 400: _INVALID, 404: _NOT_FOUND,
                                 409: _STALE,
                                 204: OpenApiResponse(description=gettext_lazy(
                                     "Done; the item is no longer yours to read."))}
    if refused:
        responses[403] = _REFUSED
    return extend_schema(operation_id=op, request=serializer, responses=responses,
                         description=summary)


@extend_schema(tags=_TAGS)
class FeedbackCategorise(GenericAPIView):
    serializer_class = FeedbackCategoriseSerializer

    @_action("Change the kind, the category (the deadline follows) and the staff "
             "concerned. Moving it to `sea` or `fraud` hands it to the focal points: "
             "unless you are one, the answer is 204 and you no longer read it.",
             FeedbackCategoriseSerializer, "feedback_categorise", refused=True)
    def post(self, request: Request, reference: str) -> Response:
        item = policy.access_feedback(request.user, reference)
        d = validated(FeedbackCategoriseSerializer, request)
        services.categorise(actor=request.user, item=item, version=d["version"],
                            kind=d["kind"], category=d["category"],
                            add_concerns=_staff(d["add_concerns"], "add_concerns"),
                            remove_concerns=_staff(d["remove_concerns"], "remove_concerns"))
        return _after(request, item)


@extend_schema(tags=_TAGS)
class FeedbackAssign(GenericAPIView):
    serializer_class = FeedbackAssignSerializer

    @_action("Give the item to a handler of its office (a complaints focal point for a "
             "sensitive one), never to someone it concerns.", FeedbackAssignSerializer,
             "feedback_assign")
    def post(self, request: Request, reference: str) -> Response:
        item = policy.access_feedback(request.user, reference)
        d = validated(FeedbackAssignSerializer, request)
        assignee = policy.assignable_users(item).filter(username=d["assignee"]).first()
        if assignee is None:
            message = _("Assign it to someone who handles this feedback in %(office)s and "
                        "is not concerned by it.") % {"office": item.office}
            raise Invalid(message, field_errors={"assignee": [message]})
        services.assign(actor=request.user, item=item, version=d["version"],
                        assignee=assignee)
        return _after(request, item)


@extend_schema(tags=_TAGS)
class FeedbackAnswer(GenericAPIView):
    serializer_class = FeedbackAnswerSerializer

    @_action("Record the answer given to the person.", FeedbackAnswerSerializer, "feedback_answer")
    def post(self, request: Request, reference: str) -> Response:
        item = policy.access_feedback(request.user, reference)
        d = validated(FeedbackAnswerSerializer, request)
        services.answer(actor=request.user, item=item, version=d["version"],
                        response=d["response"])
        return _after(request, item)


@extend_schema(tags=_TAGS)
class FeedbackClose(GenericAPIView):
    serializer_class = FeedbackVersionSerializer

    @_action("Close the item.", FeedbackVersionSerializer, "feedback_close")
    def post(self, request: Request, reference: str) -> Response:
        item = policy.access_feedback(request.user, reference)
        d = validated(FeedbackVersionSerializer, request)
        services.close(actor=request.user, item=item, version=d["version"])
        return _after(request, item)


@extend_schema(tags=_TAGS)
class FeedbackReopen(GenericAPIView):
    serializer_class = FeedbackVersionSerializer

    @_action("Reopen a closed item.", FeedbackVersionSerializer, "feedback_reopen")
    def post(self, request: Request, reference: str) -> Response:
        item = policy.access_feedback(request.user, reference)
        d = validated(FeedbackVersionSerializer, request)
        services.reopen(actor=request.user, item=item, version=d["version"])
        return _after(request, item)
