"""Itineraries on the case page (registered in TravelConfig.ready()): each with its legs in
local time, escorts, transit requests and departure details, and — for the host office's
movement officers and supervisors — the steps they may take. Cancelled and no-show
itineraries stay listed after the live ones: they are the history of the bookings."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.lib.money import format_money
from retorno.travel import policy, validation
from retorno.travel.models import CLOSED_ITINERARY, Departure, Itinerary, ItineraryStatus
from retorno.travel.suspended import suspensions_covering


def _departure(departure: Departure | None) -> dict[str, Any] | None:
    if departure is None:
        return None
    return {"record": departure,
            "allowance": (format_money(departure.allowance, departure.allowance_currency)
                          if departure.allowance is not None else "")}


def _row(case: Case, itinerary: Itinerary, names: dict[int, Any],
         can_record: bool) -> dict[str, Any]:
    legs = [{"leg": leg, "departs": validation.show(leg.departs_at, leg.from_tz),
             "arrives": validation.show(leg.arrives_at, leg.to_tz),
             "cost": (format_money(leg.cost, leg.currency) if leg.cost is not None else ""),
             "escorts": list(leg.escorts.all())}
            for leg in itinerary.legs.all()]
    status = itinerary.status
    return {"itinerary": itinerary, "legs": legs,
            "travellers": [names[p] for p in itinerary.people if p in names],
            "transit": list(itinerary.transit_requests.all()),
            "departure": _departure(getattr(itinerary, "departure", None)),
            "closed": status in CLOSED_ITINERARY,
            # A suspension set after the booking covers the journey: flagged for review.
            "suspended": suspensions_covering(case, itinerary),
            "can_edit": can_record and status == ItineraryStatus.PLANNED,
            "can_book": can_record and status == ItineraryStatus.PLANNED,
            "can_cancel": can_record and status not in CLOSED_ITINERARY,
            "can_no_show": can_record and status == ItineraryStatus.BOOKED,
            "can_depart": can_record and status == ItineraryStatus.BOOKED}


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case; itineraries only for the roles
    # that plan travel (travel.view).
    if not policy.can_view(request.user, case):
        return None
    can_record = policy.can_record(request.user, case)
    names = {m.person_id: m.person for m in case.members.select_related("person")}
    itineraries = (policy.itineraries_of(case)
                   .select_related("departure__pre_embarkation_checked_by")
                   .prefetch_related("legs__escorts", "transit_requests__office",
                                     "transit_requests__leg"))
    rows = [_row(case, itinerary, names, can_record) for itinerary in itineraries]
    # Live ones first; the closed ones keep their order after them.
    rows.sort(key=lambda row: row["closed"])
    return {"itineraries": rows, "can_record": can_record}
