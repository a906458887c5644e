"""The readiness checklist on the case page: each guard of the `ready_to_travel` step,
met or not, with what is missing and a link to where it is fixed.

The list is the lifecycle table's own guards (cases/workflow.py), so the checklist and
the step can never disagree; this module only gives each guard a label and a place.
"""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from retorno.cases import workflow
from retorno.cases.models import Case, Status
from retorno.travel import policy

# While a case is on its way to ready_to_travel (or on hold from there).
SHOWN_IN = frozenset({Status.APPROVED, Status.PREPARING_DEPARTURE})


@dataclass(frozen=True)
class Item:
    label: Promise
    where: str  # "#section" on the case page, a URL name taking the reference, or "/path/"


ITEMS: dict[Any, Item] = {
    workflow.has_origin_office: Item(_("Office of origin chosen"), "cases:edit"),
    workflow.consents_to_origin_sharing: Item(
        _("Consent to share with the office of origin"), "#consent"),
    workflow.fit_to_travel: Item(_("Fit to travel"), "#fitness"),
    workflow.child_best_interest: Item(
        _("Best-interest determination for unaccompanied or separated children"),
        "#screening"),
    workflow.holds_valid_travel_documents: Item(
        _("Travel documents valid through the travel date"), "#travel-documents"),
    workflow.travel_booked: Item(_("Itinerary booked"), "#itineraries"),
    workflow.escorts_on_every_leg: Item(_("Escorts assigned where needed"), "#itineraries"),
    workflow.no_return_suspension: Item(
        _("No suspension of returns to the destination"), "suspensions:list"),
}


def _link(where: str, case: Case) -> str:
    if where.startswith("#"):
        return where
    if where == "suspensions:list":
        return reverse(where)
    return reverse(where, args=[case.reference])


def checklist(case: Case, actor) -> list[dict[str, Any]]:
    """Each guard of ready_to_travel in table order: label, met, what is missing, link."""
    transition = workflow.BY_NAME["ready_to_travel"]
    attempt = workflow.Attempt(case, actor, "", timezone.localdate())
    rows = []
    for guard in transition.guards:
        item = ITEMS[guard]
        missing = guard(attempt)
        rows.append({"label": item.label, "met": missing is None, "missing": missing or "",
                     "link": _link(item.where, case)})
    return rows


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    held_there = case.status == Status.ON_HOLD and case.held_from in SHOWN_IN
    if not (case.status in SHOWN_IN or held_there) or not policy.can_view(request.user, case):
        return None
    rows = checklist(case, request.user)
    return {"rows": rows, "ready": all(row["met"] for row in rows)}
