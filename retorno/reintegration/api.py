"""The reintegration plan and community project endpoints of the REST API (v1).

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike), the plan and its rows through reintegration.policy (404 when missing). Writes
are refused (403) to everyone but the origin office's reintegration officers and
supervisors before the body is even read; they go through reintegration.services.
Service errors become 400/403/409 in retorno.lib.api. The needs assessment's notes are
null for readers without protection rights.
"""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.accounts.models import Office
from retorno.cases.models import Case
from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer, validated
from retorno.lib.errors import Invalid, NotAllowed
from retorno.programmes.models import Programme
from retorno.reintegration import policy, services
from retorno.reintegration.models import CommunityProject, ReintegrationPlan
from retorno.reintegration.serializers import (
    DeliveryInputSerializer,
    ItemCreateSerializer,
    ItemPatchSerializer,
    ItemSerializer,
    MilestoneCreateSerializer,
    MilestonePatchSerializer,
    MilestoneSerializer,
    PlanVersionSerializer,
    ProjectCreateSerializer,
    ProjectPatchSerializer,
    ProjectSerializer,
    ReintegrationPlanPatchSerializer,
    ReintegrationPlanSerializer,
    ReintegrationPlanStartSerializer,
    ReopenSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case, not one you may see, or its plan (item, milestone) does not exist."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the reintegration officers and supervisors of the case's office of origin may "
    "do this, once the case has arrived."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed it since `version`; nothing was saved."))
_TAGS = ["reintegration"]


def _plan_context(request: Request, case: Case, plan: ReintegrationPlan) -> dict[str, Any]:
    items = policy.items_of(plan)
    ceiling, currency = services.ceiling_of(case)
    return {"read_notes": policy.can_read_notes(request.user, case), "items": items,
            "milestones": policy.milestones_of(plan), "spent": services.spent_on(items),
            "total": sum((i.cost for i in items), Decimal(0)),
            "ceiling": ceiling, "currency": currency}


def _plan_response(request: Request, case: Case, code: int = status.HTTP_200_OK) -> Response:
    plan = policy.access_plan(case)
    context = _plan_context(request, case, plan)
    return Response(ReintegrationPlanSerializer(plan, context=context).data, status=code)


def _writable_plan(request: Request, reference: str) -> tuple[Case, ReintegrationPlan]:
    case = access_case(request.user, reference)
    services.require_record(request.user, case)
    return case, policy.access_plan(case)



@extend_schema(tags=_TAGS)
class PlanDetail(GenericAPIView):
    serializer_class = ReintegrationPlanSerializer

    @extend_schema(operation_id="cases_reintegration_plan_retrieve",
                   responses={200: ReintegrationPlanSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's reintegration plan: the needs assessment (its notes only for
        protection readers), the items with what was spent on each, the total against
        the ceiling, the milestones. 404 until the plan is started."""
        case = access_case(request.user, reference)
        return _plan_response(request, case)

    @extend_schema(operation_id="cases_reintegration_plan_start",
                   request=ReintegrationPlanStartSerializer,
                   responses={201: ReintegrationPlanSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Start the case's plan, as a draft (once the case has arrived)."""
        case = access_case(request.user, reference)
        services.require_record(request.user, case)
        services.start_plan(actor=request.user, case=case,
                            data=validated(ReintegrationPlanStartSerializer, request))
        return _plan_response(request, case, status.HTTP_201_CREATED)

    @extend_schema(operation_id="cases_reintegration_plan_partial_update",
                   request=ReintegrationPlanPatchSerializer,
                   responses={200: ReintegrationPlanSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str) -> Response:
        """Change the needs assessment or the level of a draft plan. Send `version`
        from the plan you read."""
        case, plan = _writable_plan(request, reference)
        fields = validated(ReintegrationPlanPatchSerializer, request)
        version = fields.pop("version")
        services.update_plan(actor=request.user, plan=plan, version=version, data=fields)
        return _plan_response(request, case)


@extend_schema(tags=_TAGS)
class PlanApprove(GenericAPIView):
    serializer_class = ReintegrationPlanSerializer

    @extend_schema(operation_id="cases_reintegration_plan_approve", request=PlanVersionSerializer,
                   responses={200: ReintegrationPlanSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str) -> Response:
        """Approve the draft plan: the assessment complete, at least one item, the total
        within the case's reintegration ceiling (every problem at once). Awards the
        reintegration grant the total."""
        case, plan = _writable_plan(request, reference)
        version = validated(PlanVersionSerializer, request)["version"]
        services.approve_plan(actor=request.user, plan=plan, version=version)
        return _plan_response(request, case)


@extend_schema(tags=_TAGS)
class PlanReopen(GenericAPIView):
    serializer_class = ReintegrationPlanSerializer

    @extend_schema(operation_id="cases_reintegration_plan_reopen", request=ReopenSerializer,
                   responses={200: ReintegrationPlanSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str) -> Response:
        """Take the approved plan back to draft to change it; the reason is required."""
        case, plan = _writable_plan(request, reference)
        fields = validated(ReopenSerializer, request)
        services.reopen_plan(actor=request.user, plan=plan, **fields)
        return _plan_response(request, case)


def _item_data(request: Request, case: Case, item_id: int) -> dict[str, Any]:
    plan = policy.access_plan(case)
    item = policy.access_item(plan, item_id)
    return ItemSerializer(item, context={"spent": services.spent_on([item])}).data


@extend_schema(tags=_TAGS)
class PlanItems(GenericAPIView):
    serializer_class = ItemSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_reintegration_plan_items_list",
                   responses={200: ItemSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The plan's assistance items, with what was spent on each."""
        case = access_case(request.user, reference)
        items = policy.items_of(policy.access_plan(case))
        return Response(ItemSerializer(items, many=True,
                                       context={"spent": services.spent_on(items)}).data)

    @extend_schema(operation_id="cases_reintegration_plan_items_create",
                   request=ItemCreateSerializer,
                   responses={201: ItemSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Add an assistance item to the draft plan."""
        case, plan = _writable_plan(request, reference)
        item = services.add_item(actor=request.user, plan=plan,
                                 data=validated(ItemCreateSerializer, request))
        return Response(_item_data(request, case, item.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=_TAGS)
class PlanItemDetail(GenericAPIView):
    serializer_class = ItemSerializer

    @extend_schema(operation_id="cases_reintegration_plan_items_partial_update",
                   request=ItemPatchSerializer,
                   responses={200: ItemSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str, item_id: int) -> Response:
        """Change an item of the draft plan. Send `version` from the item you read."""
        case, plan = _writable_plan(request, reference)
        item = policy.access_item(plan, item_id)
        fields = validated(ItemPatchSerializer, request)
        version = fields.pop("version")
        services.update_item(actor=request.user, item=item, version=version, data=fields)
        return Response(_item_data(request, case, item.pk))

    @extend_schema(operation_id="cases_reintegration_plan_items_destroy",
                   responses={204: None, 400: _INVALID, 403: _REFUSED, 404: _NOT_FOUND})
    def delete(self, request: Request, reference: str, item_id: int) -> Response:
        """Remove an item from the draft plan (not once money was requested for it)."""
        case, plan = _writable_plan(request, reference)
        services.remove_item(actor=request.user, item=policy.access_item(plan, item_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=_TAGS)
class PlanItemDelivery(GenericAPIView):
    serializer_class = ItemSerializer

    @extend_schema(operation_id="cases_reintegration_plan_items_delivery",
                   request=DeliveryInputSerializer,
                   responses={200: ItemSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, item_id: int) -> Response:
        """Record the item's delivery, once the plan is approved: delivered needs its
        date."""
        case, plan = _writable_plan(request, reference)
        item = policy.access_item(plan, item_id)
        services.record_delivery(actor=request.user, item=item,
                                 **validated(DeliveryInputSerializer, request))
        return Response(_item_data(request, case, item.pk))


@extend_schema(tags=_TAGS)
class PlanMilestones(GenericAPIView):
    serializer_class = MilestoneSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_reintegration_plan_milestones_list",
                   responses={200: MilestoneSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The plan's milestones, soonest due first."""
        case = access_case(request.user, reference)
        return Response(MilestoneSerializer(
            policy.milestones_of(policy.access_plan(case)), many=True).data)

    @extend_schema(operation_id="cases_reintegration_plan_milestones_create",
                   request=MilestoneCreateSerializer,
                   responses={201: MilestoneSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Add a milestone to the plan (draft or approved)."""
        _case, plan = _writable_plan(request, reference)
        milestone = services.add_milestone(actor=request.user, plan=plan,
                                           data=validated(MilestoneCreateSerializer, request))
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=_TAGS)
class PlanMilestoneDetail(GenericAPIView):
    serializer_class = MilestoneSerializer

    @extend_schema(operation_id="cases_reintegration_plan_milestones_partial_update",
                   request=MilestonePatchSerializer,
                   responses={200: MilestoneSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str, milestone_id: int) -> Response:
        """Change a milestone (mark it reached, move it). Send `version`."""
        _case, plan = _writable_plan(request, reference)
        milestone = policy.access_milestone(plan, milestone_id)
        fields = validated(MilestonePatchSerializer, request)
        version = fields.pop("version")
        services.update_milestone(actor=request.user, milestone=milestone, version=version,
                                  data=fields)
        return Response(MilestoneSerializer(milestone).data)


# ---- community projects --------------------------------------------------------------------

_PROJECTS_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Community projects are read by staff and kept by reintegration officers and "
    "supervisors (in the project's office)."))
_PROJECT_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such project, or you may not read projects."))


def _references(request: Request, projects: list[CommunityProject]) -> dict[int, list[str]]:
    if not projects:
        return {}
    linked: dict[int, list[str]] = {p.pk: [] for p in projects}
    rows = policy.linked_references(request.user, [p.pk for p in projects])
    for project_id, reference in rows:
        linked[project_id].append(reference)
    return linked


def _project_data(request: Request, project_id: int) -> dict[str, Any]:
    project = policy.access_project(request.user, project_id)
    return ProjectSerializer(project, context={
        "linked": _references(request, [project])}).data


def _codes(fields: dict[str, Any]) -> dict[str, Any]:
    """Office and programme codes to rows: an unknown code is named."""
    errors: dict[str, list[str]] = {}
    if "office" in fields:
        office = Office.objects.filter(code=fields["office"]).first()
        if office is None:
            errors["office"] = [_("There is no office with this code.")]
        fields["office"] = office
    if "programme" in fields:
        programme = Programme.objects.filter(code=fields["programme"]).first()
        if programme is None:
            errors["programme"] = [_("There is no programme with this code.")]
        fields["programme"] = programme
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)
    return fields


@extend_schema(tags=_TAGS)
class ProjectList(GenericAPIView):
    serializer_class = ProjectSerializer

    @extend_schema(operation_id="community_projects_list",
                   parameters=[
                       OpenApiParameter("country", str, description=gettext_lazy(
                           "ISO 3166-1 alpha-3.")),
                       OpenApiParameter("status", str, enum=[
                           "planned", "ongoing", "completed", "cancelled"]),
                       OpenApiParameter("programme", str, description=gettext_lazy(
                           "The programme's code."))],
                   responses={200: ProjectSerializer(many=True), 403: _PROJECTS_REFUSED})
    def get(self, request: Request) -> Response:
        """Community projects, newest first, with the linked cases you may see."""
        if not policy.can_read_projects(request.user):
            raise NotAllowed(_("Community projects are read by staff only."))
        found = policy.visible_projects(request.user).order_by("-id")
        params = request.query_params
        if params.get("country"):
            found = found.filter(country=params["country"].upper())
        if params.get("status"):
            found = found.filter(status=params["status"])
        if params.get("programme"):
            found = found.filter(programme__code=params["programme"])
        page = self.paginate_queryset(found)
        return self.get_paginated_response(ProjectSerializer(
            page, many=True, context={"linked": _references(request, page)}).data)

    @extend_schema(operation_id="community_projects_create", request=ProjectCreateSerializer,
                   responses={201: ProjectSerializer, 400: _INVALID, 403: _PROJECTS_REFUSED})
    def post(self, request: Request) -> Response:
        """Record a community project (reintegration officers and supervisors)."""
        if not policy.may_create_project(request.user):
            raise NotAllowed(_("Only reintegration officers and supervisors keep community "
                               "projects."))
        project = services.create_project(
            actor=request.user, data=_codes(validated(ProjectCreateSerializer, request)))
        return Response(_project_data(request, project.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=_TAGS)
class ProjectDetail(GenericAPIView):
    serializer_class = ProjectSerializer

    @extend_schema(operation_id="community_projects_retrieve",
                   responses={200: ProjectSerializer, 404: _PROJECT_NOT_FOUND})
    def get(self, request: Request, project_id: int) -> Response:
        """A community project, with the linked cases you may see."""
        return Response(_project_data(request, project_id))

    @extend_schema(operation_id="community_projects_partial_update",
                   request=ProjectPatchSerializer,
                   responses={200: ProjectSerializer, 400: _INVALID, 403: _PROJECTS_REFUSED,
                              404: _PROJECT_NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, project_id: int) -> Response:
        """Change a project (reintegration.record in its office). Send `version`."""
        project = policy.access_project(request.user, project_id)
        if not policy.may_manage_project(request.user, project):
            raise NotAllowed(_("Only the reintegration officers and supervisors of "
                               "%(office)s may change this project.")
                             % {"office": project.office})
        fields = _codes(validated(ProjectPatchSerializer, request))
        version = fields.pop("version")
        services.update_project(actor=request.user, project=project, version=version,
                                data=fields)
        return Response(_project_data(request, project.pk))
