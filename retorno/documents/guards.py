"""The travel document guard of the ready_to_travel step (cases/workflow.py).

It reads without a user: the case was loaded through the policy by whoever tries the
step. Its message names people and dates, never a document number, since everyone who
may take the step reads it.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.documents.models import HELD, TravelDocument
from retorno.people.models import Person, display_names

if TYPE_CHECKING:
    from retorno.cases.models import Case
    from retorno.cases.workflow import Attempt


def _latest_expiry(case: "Case") -> tuple[list[Person], dict[int, datetime.date]]:
    """The members of `case` in member order, and per person the latest expiry among
    their issued or collected documents on it (absent: they hold none)."""
    members = [m.person for m in case.members.select_related("person").order_by("id")]
    latest: dict[int, datetime.date] = {}
    for person_id, expires in (TravelDocument.objects
                               .filter(case=case, status__in=HELD,
                                       person_id__in=[p.pk for p in members])
                               .values_list("person_id", "expires_on")):
        if expires is not None and (person_id not in latest or expires > latest[person_id]):
            latest[person_id] = expires
    return members, latest


def _needed_until(case: "Case", members: list[Person]) -> dict[int, datetime.date]:
    """Per member, the day their document must still be valid on: the last local date of
    their booked journey (`travel.guards.travel_dates`) or, before it is booked, the
    planned departure date (absent when neither is known)."""
    from retorno.travel.guards import travel_dates  # the travel app imports this one

    journeys = travel_dates(case)
    planned = case.planned_departure_on
    return {p.pk: day for p in members
            if (day := journeys.get(p.pk, planned)) is not None}


def without_valid_document(case: "Case") -> list[Person]:
    """The members who hold no issued or collected document valid through their journey
    (`_needed_until`; any such document while no date is known)."""
    members, latest = _latest_expiry(case)
    until = _needed_until(case, members)
    return [p for p in members
            if p.pk not in latest or (p.pk in until and latest[p.pk] < until[p.pk])]


def travel_documents_valid(attempt: "Attempt") -> str | None:
    """Every member holds a travel document that is issued or collected and still valid
    on the last local date of their booked journey — or, before the itinerary is booked,
    on the planned departure date (expires on that date or later).

    Shown to the user when unmet: "Set the planned departure date on the case, so that
    the travel documents can be checked against it." / "No issued or collected travel
    document for: <names>. Record each one's passport, identity card or emergency
    travel document under Travel documents on the case page." / "Travel document
    expires before the end of the journey: <name> (expires <expiry>, travels until
    <date>). Obtain a new document, or change the travel date."
    """
    case = attempt.case
    members, latest = _latest_expiry(case)
    until = _needed_until(case, members)
    unmet = []
    if any(p.pk not in until for p in members):
        unmet.append(_("Set the planned departure date on the case, so that the travel "
                       "documents can be checked against it."))
    lacking = [p for p in members if p.pk not in latest]
    if lacking:
        unmet.append(_("No issued or collected travel document for: %(names)s. Record each "
                       "one's passport, identity card or emergency travel document under "
                       "Travel documents on the case page.") % {"names": display_names(lacking)})
    expiring = [(p, latest[p.pk], until[p.pk]) for p in members
                if p.pk in latest and p.pk in until and latest[p.pk] < until[p.pk]]
    if expiring:
        listed = ", ".join(
            _("%(name)s (expires %(expiry)s, travels until %(until)s)") % {
                "name": p.display_name,
                "expiry": date_format(expires, "SHORT_DATE_FORMAT"),
                "until": date_format(day, "SHORT_DATE_FORMAT")}
            for p, expires, day in expiring)
        unmet.append(_("Travel document expires before the end of the journey: %(people)s. "
                       "Obtain a new document, or change the travel date.")
                     % {"people": listed})
    return " ".join(unmet) or None
