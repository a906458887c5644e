"""Who reads a case's itineraries, and who records them.

Itineraries are read with their case (`cases.policy.access_case` first), and only by the
roles that plan travel with it (`travel.view`): the host office's caseworkers,
supervisors and movement officers, and — once the case is handed over on booking — the
origin office's reintegration officers and supervisors, read-only.

Recording, changing and cancelling an itinerary (`travel.record`) belong to the movement
officers and supervisors of the case's *host office*, while the case is open.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.cases.policy import can_on_case
from retorno.travel.models import Itinerary, Leg


def can_view(user: User | AnonymousUser, case: Case) -> bool:
    # travel.view in an office through which the case is reached: the host office, and
    # the origin office after handover (cases.policy.case_offices).
    return can_on_case(user, perms.TRAVEL_VIEW, case)


def may_record(user: User | AnonymousUser, case: Case) -> bool:
    """The role check alone: travel.record in the case's host office (never the origin
    office, even after handover)."""
    return perms.can(user, perms.TRAVEL_RECORD, case.host_office_id)


def can_record(user: User | AnonymousUser, case: Case) -> bool:
    return case.is_open and may_record(user, case)


def itineraries_of(case: Case) -> QuerySet[Itinerary]:
    """The itineraries of a case the caller loaded through `access_case` and may read
    (`can_view`), oldest first, with their legs in travel order. Two queries."""
    return (Itinerary.objects.filter(case=case).order_by("id")
            .prefetch_related(Prefetch("legs", queryset=Leg.objects.order_by("order"))))


def access_itinerary(case: Case, itinerary_id: int) -> Itinerary:
    """An itinerary of `case` (already loaded through `access_case`); 404 otherwise."""
    itinerary = itineraries_of(case).filter(pk=itinerary_id).first()
    if itinerary is None:
        raise Http404
    itinerary.case = case
    return itinerary
