"""The travel guards of the lifecycle (cases/workflow.py): `ready_to_travel` needs every
member on a booked itinerary and the escorts they need on each leg; `departed` needs the
pre-embarkation check and, when an allowance is recorded, its payment signed for.

They read without a user: the case was loaded through the policy by whoever tries the
step. Messages name people, never a medical detail.
"""

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from retorno.people.models import display_names
from retorno.travel.models import EscortKind, Itinerary, ItineraryStatus

if TYPE_CHECKING:
    from retorno.cases.models import Case
    from retorno.cases.workflow import Attempt


def booked_itineraries(case: "Case") -> list[Itinerary]:
    return list(Itinerary.objects.filter(case=case, status=ItineraryStatus.BOOKED)
                .prefetch_related("legs__escorts").select_related("departure")
                .order_by("id"))


def _booked_by_person(case: "Case") -> dict[int, Itinerary]:
    return {person: itinerary for itinerary in booked_itineraries(case)
            for person in itinerary.people}


def _members(case: "Case"):
    return [m.person for m in case.members.select_related("person").order_by("id")]


def travel_dates(case: "Case") -> dict[int, datetime.date]:
    """Per traveller on a booked itinerary, the last local date of the journey: the later
    of the local departure and arrival dates of its legs (across the date line the
    arrival can fall on an earlier date than the departure, or two days later)."""
    last: dict[int, datetime.date] = {}
    for itinerary in booked_itineraries(case):
        legs = list(itinerary.legs.all())
        if not legs:
            continue
        day = max(max(leg.departs_local.date(), leg.arrives_local.date()) for leg in legs)
        for person in itinerary.people:
            last[person] = max(day, last.get(person, day))
    return last


def itinerary_booked(attempt: "Attempt") -> str | None:
    """Every member travels on a booked itinerary."""
    booked = _booked_by_person(attempt.case)
    lacking = [p for p in _members(attempt.case) if p.pk not in booked]
    if lacking:
        return _("No booked itinerary for: %(names)s. Record the itinerary under "
                 "Itineraries on the case page and book it.") % {"names": display_names(lacking)}
    return None


def escort_needs(case: "Case") -> dict[int, set[str]]:
    """Per member, the kinds of escort they need on every leg: medical when their fitness
    to travel requires one, social for an unaccompanied or separated child."""
    from retorno.medical.fitness import needs_escort
    from retorno.screening.bid import needs_best_interest_determination

    needs: dict[int, set[str]] = {}
    for person in needs_escort(case):
        needs.setdefault(person.pk, set()).add(EscortKind.MEDICAL)
    for person in needs_best_interest_determination(case):
        needs.setdefault(person.pk, set()).add(EscortKind.SOCIAL)
    return needs


def escorts_assigned(attempt: "Attempt") -> str | None:
    """Each member who needs an escort has one of that kind on every leg of their booked
    itinerary (a member without a booked itinerary is `itinerary_booked`'s concern)."""
    case = attempt.case
    needs = escort_needs(case)
    if not needs:
        return None
    booked = _booked_by_person(case)
    unmet = []
    for person in _members(case):
        itinerary = booked.get(person.pk)
        if person.pk not in needs or itinerary is None:
            continue
        for kind in sorted(needs[person.pk]):
            if any(kind not in {e.kind for e in leg.escorts.all()}
                   for leg in itinerary.legs.all()):
                unmet.append(_("%(name)s needs a %(escort)s on every leg.")
                             % {"name": person.display_name,
                                "escort": EscortKind(kind).label.lower()})
    if unmet:
        return " ".join([*unmet, _("Add the escort to each leg of the itinerary (cancel the "
                                   "booked one and book it again with the escort).")])
    return None


def departure_checked(attempt: "Attempt") -> str | None:
    """Each booked itinerary has passed its pre-embarkation check, and an allowance
    recorded for it has been paid and signed for."""
    itineraries = booked_itineraries(attempt.case)
    if not itineraries:
        return _("No booked itinerary: book the rebooking before confirming departure.")
    unmet = []
    for itinerary in itineraries:
        departure = getattr(itinerary, "departure", None)
        if departure is None or departure.pre_embarkation_checked_at is None:
            unmet.append(_("Record the pre-embarkation check of booking %(ref)s under "
                           "Departure on the case page.") % {"ref": itinerary.booking_reference})
        elif departure.allowance is not None and not (departure.allowance_paid_on
                                                      and departure.allowance_signed):
            unmet.append(_("The allowance of booking %(ref)s is not yet paid and signed "
                           "for.") % {"ref": itinerary.booking_reference})
    return " ".join(unmet) or None
