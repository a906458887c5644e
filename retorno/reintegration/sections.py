"""The reintegration plan on the case page (registered in ReintegrationConfig.ready())."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from retorno.cases.models import Case
from retorno.lib.money import format_money
from retorno.reintegration import policy, services
from retorno.reintegration.models import (
    DIMENSION_OF,
    Dimension,
    PlanStatus,
    Rating,
    ReintegrationPlan,
)


def _money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    return format_money(amount, currency) if currency else str(amount)


def plan_context(user: Any, case: Case, plan: ReintegrationPlan | None) -> dict[str, Any]:
    """What the section (and the plan's pages) show: the needs by dimension, the items
    grouped by dimension with what was spent on each, the total against the ceiling, the
    milestones."""
    notes = policy.can_read_notes(user, case)
    ceiling, currency = services.ceiling_of(case)
    items = policy.items_of(plan) if plan else []
    milestones = policy.milestones_of(plan) if plan else []
    spent = services.spent_on(items)
    total = sum((i.cost for i in items), Decimal(0))
    dimensions = []
    for dimension in Dimension:
        rows = [{"item": i, "cost": _money(i.cost, currency),
                 "spent": _money(spent.get(i.pk, Decimal(0)), currency)}
                for i in items if DIMENSION_OF[i.kind] == dimension]
        field = f"{dimension.value}_needs"
        dimensions.append({
            "label": dimension.label, "key": dimension.value,
            "rating": Rating(getattr(plan, field)).label if plan and getattr(plan, field)
            else "",
            "rated": bool(plan and getattr(plan, field)),
            "notes": getattr(plan, f"{dimension.value}_notes") if plan and notes else "",
            "items": rows})
    members = {m.person_id: m.person for m in case.members.select_related("person")}
    for item in items:
        item.beneficiary = members.get(item.beneficiary_id)  # type: ignore[attr-defined]
    today = timezone.localdate()
    return {
        "plan": plan, "read_notes": notes, "dimensions": dimensions,
        "items": items, "milestones": [
            {"milestone": m, "overdue": m.reached_on is None and m.due_on < today}
            for m in milestones],
        "total": _money(total, currency), "ceiling": _money(ceiling, currency),
        "over": ceiling is not None and total > ceiling, "no_package": ceiling is None,
        "spent_total": _money(sum(spent.values(), Decimal(0)), currency),
    }


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case. Shown once the case has been
    # handed over to its office of origin; whoever sees the case reads it.
    if case.handed_over_at is None or not policy.can_view(request.user, case):
        return None
    plan = policy.plan_of(case)
    may = policy.may_record(request.user, case) and case.is_open
    if plan is None and policy.effective_status(case) not in policy.RECORDING:
        return None  # before arrival (or a case ended without a plan): nothing to show
    if plan is None:
        return {"plan": None, "can_start": may}
    context = plan_context(request.user, case, plan)
    draft = plan.status == PlanStatus.DRAFT
    context.update({"can_start": False, "can_edit": may and draft,
                    "can_approve": may and draft, "can_reopen": may and not draft,
                    "can_deliver": may and not draft, "can_milestone": may})
    return context
