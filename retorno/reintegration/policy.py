"""Who reads a case's reintegration plan, and who builds it; who reads and keeps the
community projects.

The plan is read with its case (`cases.policy.access_case` first): whoever sees the case
reads it — its level, ratings, items, costs and milestones. The needs assessment's notes
(the economic, social and psychosocial situation and the returnee's own words) are
protection detail: only roles with `case.view_protection` on the case read them
(`can_read_notes`), on the page and in the API alike.

Building the plan (`reintegration.record`) belongs to the reintegration officers and
supervisors of the case's *origin office*, once the case is handed over and has arrived
(its status, or the status it is held in, is arrived, reintegration or monitoring).

Community projects are organisation-wide reading: every member of staff
(`partner.view`) reads the list and a project; the cases linked to one are shown only
as the references the reader may see. `reintegration.record` in the project's office
creates and changes it.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import Office, User
from retorno.cases.models import Case, Status
from retorno.cases.policy import can_on_case, can_view_protection, visible_cases
from retorno.reintegration.models import (
    AssistanceItem,
    CommunityProject,
    Milestone,
    ReintegrationPlan,
)

# Where a case is when its plan is built and kept: from arrival until it is closed.
RECORDING = (Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING)

# The fields of the needs assessment that only protection readers see.
NOTE_FIELDS = ("economic_notes", "social_notes", "psychosocial_notes", "returnee_view")


def effective_status(case: Case) -> Status:
    """The status that counts: the one a held case was held from."""
    if case.status == Status.ON_HOLD and case.held_from:
        return Status(case.held_from)
    return Status(case.status)


def can_view(user: User | AnonymousUser, case: Case) -> bool:
    return can_on_case(user, perms.CASE_VIEW, case)


def can_read_notes(user: User | AnonymousUser, case: Case) -> bool:
    """The needs assessment's notes: protection detail."""
    return can_view_protection(user, case)


def holds_role(user: User | AnonymousUser, case: Case) -> bool:
    """The role check alone: reintegration.record in the case's origin office."""
    return (case.origin_office_id is not None
            and perms.can(user, perms.REINTEGRATION_RECORD, case.origin_office_id))


def may_record(user: User | AnonymousUser, case: Case) -> bool:
    """May build the plan: reintegration.record in the case's origin office, the case
    handed over, and arrived, in reintegration or monitoring (or held in one of them)."""
    return (holds_role(user, case) and case.handed_over_at is not None
            and effective_status(case) in RECORDING)


def plan_of(case: Case) -> ReintegrationPlan | None:
    """The plan of a case the caller loaded through `access_case`; None until started."""
    plan = (ReintegrationPlan.objects.select_related("approved_by", "created_by")
            .filter(case_id=case.pk).first())
    if plan is not None:
        plan.case = case
    return plan


def access_plan(case: Case) -> ReintegrationPlan:
    """The plan of `case` (already loaded through `access_case`); 404 until started."""
    plan = plan_of(case)
    if plan is None:
        raise Http404
    return plan


def items_of(plan: ReintegrationPlan) -> list[AssistanceItem]:
    items = list(plan.items.select_related("provider").order_by("id"))
    for item in items:
        item.plan = plan
    return items


def milestones_of(plan: ReintegrationPlan) -> list[Milestone]:
    milestones = list(plan.milestones.order_by("due_on", "id"))
    for milestone in milestones:
        milestone.plan = plan
    return milestones


def access_item(plan: ReintegrationPlan, item_id: int | str) -> AssistanceItem:
    item = (AssistanceItem.objects.select_related("provider")
            .filter(plan_id=plan.pk, pk=_int(item_id)).first())
    if item is None:
        raise Http404
    item.plan = plan
    return item


def access_milestone(plan: ReintegrationPlan, milestone_id: int | str) -> Milestone:
    milestone = Milestone.objects.filter(plan_id=plan.pk, pk=_int(milestone_id)).first()
    if milestone is None:
        raise Http404
    milestone.plan = plan
    return milestone


def _int(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# ---- community projects --------------------------------------------------------------------


def can_read_projects(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.PARTNER_VIEW)


def project_offices(user: User | AnonymousUser) -> QuerySet[Office]:
    """The offices in which `user` may create community projects."""
    ids = perms.office_ids(user, perms.REINTEGRATION_RECORD)
    return Office.objects.filter(pk__in=ids).order_by("name")


def may_create_project(user: User | AnonymousUser) -> bool:
    return bool(perms.office_ids(user, perms.REINTEGRATION_RECORD))


def may_manage_project(user: User | AnonymousUser, project: CommunityProject) -> bool:
    return perms.can(user, perms.REINTEGRATION_RECORD, project.office_id)


def visible_projects(user: User | AnonymousUser) -> QuerySet[CommunityProject]:
    """Every project for staff (partner.view), with the number of linked cases; none for
    anyone else."""
    if not can_read_projects(user):
        return CommunityProject.objects.none()
    return (CommunityProject.objects.select_related("office", "programme", "partner")
            .annotate(linked=Count("cases", distinct=True)))


def access_project(user: User | AnonymousUser, project_id: int | str) -> CommunityProject:
    """The project if `user` may read projects; 404 otherwise (missing or forbidden)."""
    project = visible_projects(user).filter(pk=_int(project_id)).first()
    if project is None:
        raise Http404
    return project


def linked_cases(user: User | AnonymousUser, project: CommunityProject) -> QuerySet[Case]:
    """The project's linked cases that `user` may see (the others are only counted)."""
    return visible_cases(user).filter(community_projects=project).order_by("reference")


def linked_references(user: User | AnonymousUser,
                      project_ids: list[int]) -> list[tuple[int, str]]:
    """(project id, case reference) for the cases linked to these projects that `user`
    may see, by reference. One query."""
    return list(visible_cases(user).filter(community_projects__in=project_ids)
                .order_by("reference")
                .values_list("community_projects", "reference"))
