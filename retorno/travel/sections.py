"""Itineraries on the case page (registered in TravelConfig.ready()). Read-only in this
increment: itineraries are recorded through `travel.services`."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.lib.money import format_money
from retorno.travel import policy, validation


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case; itineraries only for the roles
    # that plan travel (travel.view).
    if not policy.can_view(request.user, case):
        return None
    names = {m.person_id: m.person for m in case.members.select_related("person")}
    rows = []
    for itinerary in policy.itineraries_of(case):
        legs = [{"leg": leg, "departs": validation.show(leg.departs_at, leg.from_tz),
                 "arrives": validation.show(leg.arrives_at, leg.to_tz),
                 "cost": (format_money(leg.cost, leg.currency) if leg.cost is not None
                          else "")}
                for leg in itinerary.legs.all()]
        travellers = [names[p] for p in itinerary.people if p in names]
        rows.append({"itinerary": itinerary, "legs": legs, "travellers": travellers})
    return {"itineraries": rows}
