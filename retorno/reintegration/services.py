"""Building, approving and reopening reintegration plans, their assistance items and
milestones; community projects. The only way the rows of this app are written.

Each public function takes `actor` keyword-only, checks permission through
`reintegration.policy`, validates (reporting every problem at once), writes, records
the audit event and, for a case, the timeline entry, all in one transaction; it raises a
`retorno.lib.errors.ServiceError` with translated messages when it refuses.

The timeline is read by everyone who sees the case: its entries name what changed (the
fields, the kind of assistance), never an amount of money or the free text (notes,
descriptions, a reopening's reason). The audit log keeps the old and new values.

Values arrive typed (dates, Decimals, model instances or ids), from forms or the API.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import Office, Role, User
from retorno.cases.models import Case, TimelineKind
from retorno.cases.policy import visible_cases
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.lib.money import format_money, validate_amount
from retorno.lib.subdivisions import subdivision_error
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.programmes.models import ComponentKind, Programme
from retorno.programmes.package import entitlement
from retorno.reintegration import policy
from retorno.reintegration.models import (
    AssistanceItem,
    CommunityProject,
    Delivery,
    Level,
    Milestone,
    PlanStatus,
    ProjectStatus,
    ReintegrationPlan,
)
from retorno.tasks.models import TaskKind
from retorno.tasks.services import close_tasks, open_task

PLAN_FIELDS = ["level", "assessed_on", "economic_needs", "economic_notes", "social_needs",
               "social_notes", "psychosocial_needs", "psychosocial_notes", "returnee_view"]
RATING_FIELDS = ["economic_needs", "social_needs", "psychosocial_needs"]
_PLAN_TEXT = {"economic_notes", "social_notes", "psychosocial_notes", "returnee_view"}
# What a caller gives for an item, and the columns it is stored in.
ITEM_FIELDS = ["kind", "description", "beneficiary", "provider", "provider_name", "cost"]
_ITEM_COLUMNS = ["kind", "description", "beneficiary_id", "provider", "provider_name",
                 "cost"]
DELIVERY_FIELDS = ["delivery", "delivered_on"]
MILESTONE_FIELDS = ["title", "due_on", "reached_on", "note"]
PROJECT_FIELDS = ["office", "programme", "name", "description", "country", "subdivision",
                  "place", "budget", "currency", "partner", "status", "starts_on", "ends_on",
                  "returnees_taking_part", "community_members_taking_part"]
_PROJECT_TEXT = {"name", "description", "place", "subdivision", "currency", "country"}
_COLUMN = Decimal("0.001")
BUILD_PLAN_DAYS = 14


# ---- shared checks -------------------------------------------------------------------------


def require_record(actor: User, case: Case) -> None:
    """Refuse unless `actor` may build the plan of `case`: reintegration.record in its
    origin office, the case handed over and arrived, in reintegration or monitoring."""
    if not policy.holds_role(actor, case) or case.handed_over_at is None:
        raise NotAllowed(_("Only the reintegration officers and supervisors of the office "
                           "of origin may build the reintegration plan of case %(ref)s.")
                         % {"ref": case.reference})
    if policy.effective_status(case) not in policy.RECORDING:
        raise Invalid(_("Case %(ref)s is %(status)s: the reintegration plan is built once "
                        "the returnees have arrived, until the case is closed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def _require_draft(plan: ReintegrationPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise Invalid(_("The reintegration plan is approved: reopen it (with a reason) to "
                        "change its assessment or its items."))


def _labels(model: type, fields: list[str]) -> str:
    names = []
    for name in fields:
        field = model._meta.get_field(name[:-3] if name.endswith("_id") else name)
        names.append(str(field.verbose_name))
    return ", ".join(names)


def _errors_to_invalid(errors: dict[str, list[str]]) -> None:
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)


def _validate_into(obj: Any, errors: dict[str, list[str]], exclude: list[str]) -> None:
    try:
        validate(obj, exclude=exclude)
    except Invalid as exc:
        for name, messages in exc.field_errors.items():
            errors.setdefault(name, []).extend(messages)
        if not exc.field_errors:
            errors.setdefault("__all__", []).extend(exc.messages)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _check_amount(amount: Any, currency: str, field: str, errors: dict[str, list[str]],
                  label: str) -> Decimal | None:
    number = _decimal(amount)
    if number is None:
        errors.setdefault(field, []).append(_("Give %(what)s as a number.") % {"what": label})
        return None
    if number < 0:
        errors.setdefault(field, []).append(_("An amount cannot be negative."))
        return None
    if currency:
        try:
            validate_amount(number, currency)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(str(m) for m in exc.messages)
            return None
    return number.quantize(_COLUMN)


def arrived_on(case: Case) -> datetime.date | None:
    from retorno.reception.policy import reception_of

    reception = reception_of(case)
    return reception.arrived_on if reception is not None else None


def ceiling_of(case: Case) -> tuple[Decimal | None, str]:
    """The case's reintegration ceiling (budget and top-ups) and its currency; None when
    its programme has no assistance package."""
    priced = entitlement(case)
    currency = case.programme.currency if case.programme_id else ""
    return (priced.reintegration if priced is not None else None), currency


def spent_on(items: list[AssistanceItem]) -> dict[int, Decimal]:
    """What has been paid on each item: its paid disbursements."""
    from retorno.finance.models import Disbursement, DisbursementStatus

    if not items:
        return {}
    rows = (Disbursement.objects.filter(item_id__in=[i.pk for i in items],
                                        status=DisbursementStatus.PAID)
            .values("item_id").annotate(total=Sum("amount")))
    return {row["item_id"]: row["total"] for row in rows}


# ---- the plan and its needs assessment -----------------------------------------------------


def _apply_plan(plan: ReintegrationPlan, data: dict[str, Any], case: Case) -> None:
    refuse_unknown_fields(data, PLAN_FIELDS)
    for name, value in data.items():
        if name in _PLAN_TEXT or name in RATING_FIELDS or name == "level":
            value = (value or "").strip()
        setattr(plan, name, value)
    errors: dict[str, list[str]] = {}
    _validate_into(plan, errors, exclude=["case", "created_by", "approved_by"])
    if plan.level not in Level.values:
        errors.setdefault("level", []).append(_("Choose individual, family or community."))
    assessed = plan.assessed_on
    if isinstance(assessed, datetime.date) and "assessed_on" not in errors:
        arrival = arrived_on(case)
        if assessed > timezone.localdate():
            errors.setdefault("assessed_on", []).append(
                _("The needs assessment cannot be dated in the future."))
        elif arrival is not None and assessed < arrival:
            errors.setdefault("assessed_on", []).append(
                _("The needs assessment cannot be before the arrival (%(date)s).")
                % {"date": date_format(arrival, "SHORT_DATE_FORMAT")})
    _errors_to_invalid(errors)


def start_plan(*, actor: User, case: Case, data: dict[str, Any] | None = None
               ) -> ReintegrationPlan:
    """Start the case's reintegration plan, as a draft, with whatever of the needs
    assessment `data` gives. One plan per case. Audit event 310, a timeline entry."""
    require_record(actor, case)
    existing = policy.plan_of(case)
    if existing is not None:
        raise Invalid(_("Case %(ref)s has a reintegration plan already.")
                      % {"ref": case.reference})
    plan = ReintegrationPlan(case=case, created_by=actor)
    _apply_plan(plan, dict(data or {}), case)
    try:
        with transaction.atomic():
            plan.save()
            audit.record(AuditType.PLAN_CHANGED, plan, actor=actor,
                         office_id=case.origin_office_id, case_id=case.pk, part="started",
                         new=audit.snapshot(plan, PLAN_FIELDS))
            record_timeline(case, actor, TimelineKind.CHANGED,
                            _("Reintegration plan started"))
    except IntegrityError:
        raise Invalid(_("Case %(ref)s has a reintegration plan already.")
                      % {"ref": case.reference}) from None
    plan.case = case
    return plan


def update_plan(*, actor: User, plan: ReintegrationPlan, version: int,
                data: dict[str, Any]) -> ReintegrationPlan:
    """Change the needs assessment or the level of a draft plan, if nobody changed it
    since `version` (else StaleVersion). The assessment is not dated in the future nor
    before the arrival. Audit 310 with old and new values; a timeline entry naming the
    fields; nothing is written when nothing changes."""
    case = plan.case
    require_record(actor, case)
    _require_draft(plan)
    before = audit.snapshot(plan, PLAN_FIELDS)
    try:
        _apply_plan(plan, data, case)
    except Invalid:
        plan.refresh_from_db(fields=PLAN_FIELDS)
        raise
    old, new = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
    if not new:
        return plan
    with transaction.atomic():
        save_versioned(plan, version, list(new))
        audit.record(AuditType.PLAN_CHANGED, plan, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, part="assessment",
                     old=old, new=new)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Reintegration plan changed: %(fields)s")
                        % {"fields": _labels(ReintegrationPlan, list(new))})
    return plan


def approval_problems(plan: ReintegrationPlan, items: list[AssistanceItem]
                      ) -> tuple[list[str], Decimal]:
    """Everything that stops `plan` being approved, and the items' total."""
    case = plan.case
    problems = []
    missing = [str(ReintegrationPlan._meta.get_field(f).verbose_name)
               for f in RATING_FIELDS if not getattr(plan, f)]
    if plan.assessed_on is None:
        problems.append(_("Give the date of the needs assessment."))
    if missing:
        problems.append(_("Rate the needs of the assessment: %(fields)s.")
                        % {"fields": ", ".join(missing)})
    if not items:
        problems.append(_("Add at least one assistance item to the plan."))
    total = sum((item.cost for item in items), Decimal(0))
    ceiling, currency = ceiling_of(case)
    if ceiling is None:
        problems.append(_("The programme of case %(ref)s has no assistance package: the "
                          "case's reintegration ceiling is unknown, so the plan cannot be "
                          "approved.") % {"ref": case.reference})
    elif total > ceiling:
        problems.append(_("The items cost %(total)s; the package allows at most "
                          "%(ceiling)s for this case.")
                        % {"total": format_money(total, currency),
                           "ceiling": format_money(ceiling, currency)})
    return problems, total


def approve_plan(*, actor: User, plan: ReintegrationPlan, version: int) -> ReintegrationPlan:
    """Approve a draft plan, if nobody changed it since `version`: the needs assessment
    complete (its date and the three ratings), at least one item, the items' total
    within the case's reintegration ceiling — every problem at once. Awards the
    reintegration grant the total (`finance.services.award_grant`) in the same
    transaction and closes the "build the plan" task. Audit event 311, a timeline entry."""
    from retorno.finance.services import award_grant

    case = plan.case
    require_record(actor, case)
    if plan.status == PlanStatus.APPROVED:
        raise Invalid(_("The reintegration plan is approved already."))
    problems, total = approval_problems(plan, policy.items_of(plan))
    if problems:
        raise Invalid(*problems)
    now = timezone.now()
    try:
        with transaction.atomic():
            plan.status, plan.approved_by, plan.approved_at = PlanStatus.APPROVED, actor, now
            save_versioned(plan, version, ["status", "approved_by", "approved_at"])
            grant = award_grant(actor=actor, case=case, kind=ComponentKind.REINTEGRATION,
                                amount=total)
            audit.record(AuditType.PLAN_APPROVED, plan, actor=actor,
                         office_id=case.origin_office_id, case_id=case.pk,
                         old={"status": PlanStatus.DRAFT},
                         new={"status": PlanStatus.APPROVED}, total=str(total),
                         grant=grant.pk)
            record_timeline(case, actor, TimelineKind.CHANGED,
                            _("Reintegration plan approved"))
            close_tasks(case=case, kind=TaskKind.BUILD_PLAN, actor=actor)
    except Exception:
        plan.refresh_from_db(fields=["status", "approved_by", "approved_at", "version"])
        raise
    return plan


def reopen_plan(*, actor: User, plan: ReintegrationPlan, version: int,
                reason: str) -> ReintegrationPlan:
    """Take an approved plan back to draft to change it (a reason is required), if nobody
    changed it since `version`. Its grant stays as awarded until the plan is approved
    again. Audit event 312 with the reason; a timeline entry without it; the "build the
    plan" task is opened again."""
    case = plan.case
    require_record(actor, case)
    if plan.status != PlanStatus.APPROVED:
        raise Invalid(_("The reintegration plan is a draft already."))
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why the plan is reopened.")
        raise Invalid(message, field_errors={"reason": [message]})
    old = {"status": plan.status, "approved_by": plan.approved_by_id,
           "approved_at": plan.approved_at.isoformat() if plan.approved_at else None}
    plan.status, plan.approved_by, plan.approved_at = PlanStatus.DRAFT, None, None
    try:
        with transaction.atomic():
            save_versioned(plan, version, ["status", "approved_by", "approved_at"])
            audit.record(AuditType.PLAN_REOPENED, plan, actor=actor,
                         office_id=case.origin_office_id, case_id=case.pk, old=old,
                         new={"status": PlanStatus.DRAFT}, reason=reason)
            record_timeline(case, actor, TimelineKind.CHANGED,
                            _("Reintegration plan reopened"))
            open_build_plan_task(case, actor)
    except Exception:
        plan.refresh_from_db(fields=["status", "approved_by", "approved_at", "version"])
        raise
    return plan


def open_build_plan_task(case: Case, actor: User | None) -> None:
    """Put "build the reintegration plan" on the origin office's reintegration officers'
    queue, due in 14 days (idempotent). For the system: called inside a step's
    transaction (the `arrived` step through `tasks.hooks`, reopening a plan)."""
    if case.origin_office_id is None:
        return
    open_task(case=case, kind=TaskKind.BUILD_PLAN, office=case.origin_office,
              role=Role.REINTEGRATION_OFFICER, actor=actor,
              due_on=timezone.localdate() + datetime.timedelta(days=BUILD_PLAN_DAYS))


# ---- assistance items ----------------------------------------------------------------------


def _partner(value: Any) -> Any:
    from retorno.partners.models import Partner

    if value is None or value == "":
        return None
    if isinstance(value, Partner):
        return value
    try:
        return Partner.objects.filter(pk=int(value)).first() or False
    except (TypeError, ValueError):
        return False


def _apply_item(item: AssistanceItem, data: dict[str, Any], case: Case,
                spent: Decimal = Decimal(0)) -> None:
    refuse_unknown_fields(data, ITEM_FIELDS)
    errors: dict[str, list[str]] = {}
    currency = case.programme.currency if case.programme_id else ""
    for name, value in data.items():
        if name in ("description", "provider_name", "kind"):
            setattr(item, name, (value or "").strip())
        elif name == "beneficiary":
            item.beneficiary_id = getattr(value, "pk", value) or None
        elif name == "provider":
            partner = _partner(value)
            if partner is False:
                errors.setdefault("provider", []).append(
                    _("Choose a partner from the directory."))
            elif partner is not None and not partner.active and partner.pk != item.provider_id:
                errors.setdefault("provider", []).append(
                    _("%(partner)s is no longer an active partner.") % {"partner": partner})
            else:
                item.provider = partner
        elif name == "cost":
            item.cost = value
    if not currency:
        errors.setdefault("cost", []).append(
            _("The case's programme has no currency: costs cannot be recorded until it has "
              "one."))
    elif "cost" in data or item.pk is None:
        cost = _check_amount(item.cost, currency, "cost", errors, _("the cost"))
        if cost is not None:
            item.cost = cost
            if cost < spent:
                errors.setdefault("cost", []).append(
                    _("%(spent)s has been paid for this item already: its cost cannot be "
                      "less.") % {"spent": format_money(spent, currency)})
    if item.beneficiary_id is not None and not case.members.filter(
            person_id=item.beneficiary_id).exists():
        errors.setdefault("beneficiary", []).append(
            _("Choose a member of the case, or nobody for the whole family."))
    if item.provider_id is not None and item.provider_name:
        errors.setdefault("provider_name", []).append(
            _("Choose a partner from the directory or name another provider, not both."))
    exclude = ["plan", "provider", "beneficiary_id", *errors]
    _validate_into(item, errors, exclude=exclude)
    _errors_to_invalid(errors)


def _item_label(item: AssistanceItem) -> str:
    return str(item.get_kind_display())


def add_item(*, actor: User, plan: ReintegrationPlan, data: dict[str, Any]) -> AssistanceItem:
    """Add an assistance item to a draft plan: kind, description, beneficiary (a member
    of the case, or none for the whole family), provider (an active partner) or another
    provider's name, cost (≥ 0, with the programme currency's minor units). Audit 313,
    a timeline entry naming the kind of assistance."""
    case = plan.case
    require_record(actor, case)
    _require_draft(plan)
    item = AssistanceItem(plan=plan)
    _apply_item(item, data, case)
    with transaction.atomic():
        item.save()
        audit.record(AuditType.ASSISTANCE_ITEM_CHANGED, item, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, part="added",
                     new=audit.snapshot(item, _ITEM_COLUMNS))
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Assistance item added: %(kind)s") % {"kind": _item_label(item)})
    return item


def update_item(*, actor: User, item: AssistanceItem, version: int,
                data: dict[str, Any]) -> AssistanceItem:
    """Change an item of a draft plan, if nobody changed it since `version`. The cost is
    never below what has been paid on it. Audit 313 with old and new values; a timeline
    entry naming the fields; nothing is written when nothing changes."""
    plan = item.plan
    case = plan.case
    require_record(actor, case)
    _require_draft(plan)
    before = audit.snapshot(item, _ITEM_COLUMNS)
    try:
        _apply_item(item, data, case, spent=spent_on([item]).get(item.pk, Decimal(0)))
    except Invalid:
        item.refresh_from_db()
        item.plan = plan
        raise
    old, new = audit.diff(before, audit.snapshot(item, _ITEM_COLUMNS))
    if not new:
        return item
    with transaction.atomic():
        save_versioned(item, version, list(new))
        audit.record(AuditType.ASSISTANCE_ITEM_CHANGED, item, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, part="changed",
                     old=old, new=new)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Assistance item changed (%(kind)s): %(fields)s")
                        % {"kind": _item_label(item),
                           "fields": _labels(AssistanceItem, list(new))})
    return item


def remove_item(*, actor: User, item: AssistanceItem) -> None:
    """Remove an item from a draft plan; refused once money was requested or paid for
    it. Audit 313 with its values; a timeline entry naming the kind of assistance."""
    from retorno.finance.models import Disbursement

    plan = item.plan
    case = plan.case
    require_record(actor, case)
    _require_draft(plan)
    if Disbursement.objects.filter(item_id=item.pk).exists():
        raise Invalid(_("Money has been requested or paid for this item: it cannot be "
                        "removed. Set its delivery to cancelled once the plan is "
                        "approved instead."))
    old = audit.snapshot(item, _ITEM_COLUMNS)
    label, pk = _item_label(item), item.pk
    with transaction.atomic():
        audit.record(AuditType.ASSISTANCE_ITEM_CHANGED, item, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, part="removed",
                     old=old)
        item.delete()
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Assistance item removed: %(kind)s") % {"kind": label})
    item.pk = pk


def record_delivery(*, actor: User, item: AssistanceItem, version: int, delivery: str,
                    delivered_on: datetime.date | None) -> AssistanceItem:
    """Record how an item of an approved plan is delivered (planned, under way,
    delivered, cancelled), if nobody changed it since `version`. Delivered needs the
    date, not in the future; the date is kept only for a delivered item. Audit 313, a
    timeline entry naming the kind and the delivery status."""
    plan = item.plan
    case = plan.case
    require_record(actor, case)
    if plan.status != PlanStatus.APPROVED:
        raise Invalid(_("Delivery is recorded once the plan is approved."))
    errors: dict[str, list[str]] = {}
    if delivery not in Delivery.values:
        errors.setdefault("delivery", []).append(
            _("Choose planned, under way, delivered or cancelled."))
    if delivery == Delivery.DELIVERED:
        if delivered_on is None:
            errors.setdefault("delivered_on", []).append(
                _("Give the date the assistance was delivered."))
        elif delivered_on > timezone.localdate():
            errors.setdefault("delivered_on", []).append(
                _("The delivery date cannot be in the future."))
    else:
        delivered_on = None
    _errors_to_invalid(errors)
    before = audit.snapshot(item, DELIVERY_FIELDS)
    item.delivery, item.delivered_on = delivery, delivered_on
    old, new = audit.diff(before, audit.snapshot(item, DELIVERY_FIELDS))
    if not new:
        return item
    with transaction.atomic():
        save_versioned(item, version, list(new))
        audit.record(AuditType.ASSISTANCE_ITEM_CHANGED, item, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, part="delivery",
                     old=old, new=new)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Assistance delivery (%(kind)s): %(delivery)s")
                        % {"kind": _item_label(item),
                           "delivery": item.get_delivery_display()})
    return item


# ---- milestones ----------------------------------------------------------------------------


def _apply_milestone(milestone: Milestone, data: dict[str, Any]) -> None:
    refuse_unknown_fields(data, MILESTONE_FIELDS)
    for name, value in data.items():
        if name in ("title", "note"):
            value = (value or "").strip()
        setattr(milestone, name, value)
    errors: dict[str, list[str]] = {}
    _validate_into(milestone, errors, exclude=["plan"])
    reached = milestone.reached_on
    if isinstance(reached, datetime.date) and reached > timezone.localdate():
        errors.setdefault("reached_on", []).append(
            _("A milestone cannot be reached in the future."))
    _errors_to_invalid(errors)


def add_milestone(*, actor: User, plan: ReintegrationPlan, data: dict[str, Any]) -> Milestone:
    """Add a milestone (title, due date, reached on, note) to the plan, draft or
    approved. Audit 314, a timeline entry."""
    case = plan.case
    require_record(actor, case)
    milestone = Milestone(plan=plan)
    _apply_milestone(milestone, data)
    with transaction.atomic():
        milestone.save()
        audit.record(AuditType.MILESTONE_CHANGED, milestone, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, part="added",
                     new=audit.snapshot(milestone, MILESTONE_FIELDS))
        record_timeline(case, actor, TimelineKind.CHANGED, _("Plan milestone added"))
    return milestone


def update_milestone(*, actor: User, milestone: Milestone, version: int,
                     data: dict[str, Any]) -> Milestone:
    """Change a milestone (mark it reached, move it), if nobody changed it since
    `version`. Audit 314 with old and new values; a timeline entry naming the fields."""
    plan = milestone.plan
    case = plan.case
    require_record(actor, case)
    before = audit.snapshot(milestone, MILESTONE_FIELDS)
    try:
        _apply_milestone(milestone, data)
    except Invalid:
        milestone.refresh_from_db()
        milestone.plan = plan
        raise
    old, new = audit.diff(before, audit.snapshot(milestone, MILESTONE_FIELDS))
    if not new:
        return milestone
    with transaction.atomic():
        save_versioned(milestone, version, list(new))
        audit.record(AuditType.MILESTONE_CHANGED, milestone, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, part="changed",
                     old=old, new=new)
        if list(new) == ["reached_on"] and milestone.reached_on is not None:
            summary = _("Plan milestone reached")
        else:
            summary = (_("Plan milestone changed: %(fields)s")
                       % {"fields": _labels(Milestone, list(new))})
        record_timeline(case, actor, TimelineKind.CHANGED, summary)
    return milestone


# ---- community projects --------------------------------------------------------------------

_PROJECT_COLUMNS = ["office", "programme", "name", "description", "country", "subdivision",
                    "place", "budget", "currency", "partner", "status", "starts_on",
                    "ends_on", "returnees_taking_part", "community_members_taking_part"]


def _apply_project(actor: User, project: CommunityProject, data: dict[str, Any]) -> None:
    refuse_unknown_fields(data, PROJECT_FIELDS)
    errors: dict[str, list[str]] = {}
    offices = perms.office_ids(actor, perms.REINTEGRATION_RECORD)
    for name, value in data.items():
        if name in _PROJECT_TEXT:
            value = (value or "").strip()
            if name in ("currency", "country", "subdivision"):
                value = value.upper()
            setattr(project, name, value)
        elif name == "office":
            office_id = getattr(value, "pk", value)
            if office_id != project.office_id or project.pk is None:
                if office_id not in offices:
                    errors.setdefault("office", []).append(
                        _("Choose an office where you keep community projects."))
                else:
                    project.office = (value if isinstance(value, Office)
                                      else Office.objects.get(pk=office_id))
        elif name == "programme":
            if isinstance(value, Programme):
                project.programme = value
            else:
                programme = Programme.objects.filter(pk=getattr(value, "pk", value)).first()
                if programme is None:
                    errors.setdefault("programme", []).append(_("Choose a programme."))
                else:
                    project.programme = programme
        elif name == "partner":
            partner = _partner(value)
            if partner is False:
                errors.setdefault("partner", []).append(
                    _("Choose a partner from the directory."))
            elif (partner is not None and not partner.active
                  and partner.pk != project.partner_id):
                errors.setdefault("partner", []).append(
                    _("%(partner)s is no longer an active partner.") % {"partner": partner})
            else:
                project.partner = partner
        else:
            setattr(project, name, value)
    if project.office_id is None and "office" not in errors:
        if len(offices) == 1:
            project.office_id = next(iter(offices))
        else:
            errors.setdefault("office", []).append(
                _("Choose the office that runs the project."))
    if project.programme_id is None and "programme" not in errors:
        errors.setdefault("programme", []).append(_("Choose a programme."))
    if not project.currency and project.programme_id is not None:
        project.currency = project.programme.currency
    if not project.currency:
        errors.setdefault("currency", []).append(
            _("Give the currency of the budget (the programme has none)."))
    budget = _check_amount(project.budget, project.currency, "budget", errors,
                           _("the budget"))
    if budget is not None:
        project.budget = budget
    if project.country and project.subdivision:
        problem = subdivision_error(project.subdivision, project.country)
        if problem:
            errors.setdefault("subdivision", []).append(problem)
    if project.status not in ProjectStatus.values:
        errors.setdefault("status", []).append(_("Choose a status."))
    if (isinstance(project.starts_on, datetime.date)
            and isinstance(project.ends_on, datetime.date)
            and project.ends_on < project.starts_on):
        errors.setdefault("ends_on", []).append(_("The project cannot end before it starts."))
    exclude = ["office", "programme", "partner", "created_by", "cases", *errors]
    _validate_into(project, errors, exclude=exclude)
    _errors_to_invalid(errors)


def create_project(*, actor: User, data: dict[str, Any]) -> CommunityProject:
    """Record a community project: office (one where the actor holds
    reintegration.record; theirs when they have one), programme, name, place, budget
    (≥ 0 in the project's currency, the programme's by default), partner, status, dates
    (the end not before the start), the numbers taking part. Audit event 315."""
    if not policy.may_create_project(actor):
        raise NotAllowed(_("Only reintegration officers and supervisors keep community "
                           "projects."))
    project = CommunityProject(created_by=actor, budget=Decimal(0))
    _apply_project(actor, project, data)
    with transaction.atomic():
        project.save()
        audit.record(AuditType.COMMUNITY_PROJECT_CHANGED, project, actor=actor,
                     office_id=project.office_id, part="created",
                     new=audit.snapshot(project, _PROJECT_COLUMNS))
    return project


def update_project(*, actor: User, project: CommunityProject, version: int,
                   data: dict[str, Any]) -> CommunityProject:
    """Change a project, if nobody changed it since `version` (else StaleVersion): the
    same rules as `create_project`; reintegration.record in its office. Audit event 315
    with old and new values; nothing is written when nothing changes."""
    if not policy.may_manage_project(actor, project):
        raise NotAllowed(_("Only the reintegration officers and supervisors of %(office)s "
                           "may change this project.") % {"office": project.office})
    before = audit.snapshot(project, _PROJECT_COLUMNS)
    try:
        _apply_project(actor, project, data)
    except Invalid:
        project.refresh_from_db()
        raise
    old, new = audit.diff(before, audit.snapshot(project, _PROJECT_COLUMNS))
    if not new:
        return project
    with transaction.atomic():
        save_versioned(project, version, list(new))
        audit.record(AuditType.COMMUNITY_PROJECT_CHANGED, project, actor=actor,
                     office_id=project.office_id, part="changed", old=old, new=new)
    return project


def _require_link(actor: User, project: CommunityProject, case: Case) -> None:
    if not policy.may_manage_project(actor, project):
        raise NotAllowed(_("Only the reintegration officers and supervisors of %(office)s "
                           "may link cases to this project.") % {"office": project.office})
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise Invalid(_("There is no case %(ref)s that you may see.")
                      % {"ref": case.reference})


def link_case(*, actor: User, project: CommunityProject, case: Case) -> None:
    """Link a case the actor may see to the project (its returnees take part). Audit
    event 315 with the case, a timeline entry on the case naming the project."""
    _require_link(actor, project, case)
    if project.cases.filter(pk=case.pk).exists():
        raise Invalid(_("Case %(ref)s is linked to this project already.")
                      % {"ref": case.reference})
    with transaction.atomic():
        project.cases.add(case)
        audit.record(AuditType.COMMUNITY_PROJECT_CHANGED, project, actor=actor,
                     office_id=project.office_id, case_id=case.pk, part="linked",
                     new={"case": case.reference})
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Linked to the community project %(name)s")
                        % {"name": project.name})


def unlink_case(*, actor: User, project: CommunityProject, case: Case) -> None:
    """Take a case off the project. Audit event 315, a timeline entry on the case."""
    _require_link(actor, project, case)
    if not project.cases.filter(pk=case.pk).exists():
        raise Invalid(_("Case %(ref)s is not linked to this project.")
                      % {"ref": case.reference})
    with transaction.atomic():
        project.cases.remove(case)
        audit.record(AuditType.COMMUNITY_PROJECT_CHANGED, project, actor=actor,
                     office_id=project.office_id, case_id=case.pk, part="unlinked",
                     old={"case": case.reference})
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("No longer linked to the community project %(name)s")
                        % {"name": project.name})
