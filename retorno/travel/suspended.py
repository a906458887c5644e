"""Booked journeys that a return suspension covers.

Setting a suspension flags every open case whose booked itinerary travels during it
(`suspensions.services.set_suspension` calls `bookings_covered`); the case page shows the
flag (`suspensions_covering`) for as long as the suspension is in force.
"""

import datetime

from django.db.models import Q

from retorno.cases.models import Case, Status
from retorno.travel.models import Itinerary, ItineraryStatus

# Booked and not yet gone: a suspension still concerns them.
NOT_YET_DEPARTED = [Status.APPROVED, Status.PREPARING_DEPARTURE, Status.READY_TO_TRAVEL,
                    Status.ON_HOLD]


def journey(itinerary: Itinerary) -> tuple[datetime.date, datetime.date]:
    """The first and last local dates of an itinerary's legs."""
    days = [d for leg in itinerary.legs.all()
            for d in (leg.departs_local.date(), leg.arrives_local.date())]
    return min(days), max(days)


def covers(suspension, itinerary: Itinerary) -> bool:
    first, last = journey(itinerary)
    if suspension.lifted_at is not None:
        return False
    return suspension.starts_on <= last and (suspension.ends_on is None
                                             or suspension.ends_on >= first)


def bookings_covered(suspension) -> list[Case]:
    """The open, not yet departed cases to the suspension's destination whose booked
    itinerary travels on a day the suspension covers."""
    where = Q(case__destination_country=suspension.country,
              case__status__in=NOT_YET_DEPARTED, status=ItineraryStatus.BOOKED)
    if suspension.subdivision:
        where &= Q(case__destination_subdivision=suspension.subdivision)
    cases: dict[int, Case] = {}
    for itinerary in (Itinerary.objects.filter(where).select_related("case", "case__assignee")
                      .prefetch_related("legs").order_by("case_id", "id")):
        if itinerary.case_id not in cases and covers(suspension, itinerary):
            cases[itinerary.case_id] = itinerary.case
    return list(cases.values())


def suspensions_covering(case: Case, itinerary: Itinerary) -> list:
    """The suspensions in force or scheduled (not lifted, not over) that cover a booked
    itinerary of `case`."""
    from django.utils import timezone

    from retorno.suspensions.models import ReturnSuspension

    if itinerary.status != ItineraryStatus.BOOKED:
        return []
    today = timezone.localdate()
    candidates = (ReturnSuspension.objects.filter(lifted_at__isnull=True)
                  .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
                  .for_destination(case.destination_country, case.destination_subdivision))
    return [s for s in candidates if covers(s, itinerary)]
