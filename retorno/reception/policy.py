"""Who reads a case's reception, and who accepts the handover, plans the reception and
records the arrival.

The reception is read with its case (`cases.policy.access_case` first): whoever sees the
case reads it — the host office's staff, and the origin office once the case is handed
over. Nothing in it is more sensitive than the case itself.

Accepting the handover, planning the reception and recording the arrival
(`reception.record`) belong to the reintegration officers and supervisors of the case's
*origin office*, once the case has been handed over to it; never to the host office.
"""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case, Status
from retorno.cases.policy import can_on_case, visible_cases
from retorno.reception.models import Reception

if TYPE_CHECKING:
    from retorno.travel.models import Leg

# The cases an origin office is expecting: handed over, not yet in reintegration.
INCOMING = (Status.APPROVED, Status.PREPARING_DEPARTURE, Status.READY_TO_TRAVEL,
            Status.DEPARTED, Status.ARRIVED)


def can_view(user: User | AnonymousUser, case: Case) -> bool:
    return can_on_case(user, perms.CASE_VIEW, case)


def holds_role(user: User | AnonymousUser, case: Case) -> bool:
    """The role check alone: reception.record in the case's origin office."""
    return (case.origin_office_id is not None
            and perms.can(user, perms.RECEPTION_RECORD, case.origin_office_id))


def may_record(user: User | AnonymousUser, case: Case) -> bool:
    """May accept the handover, plan the reception and record the arrival: the origin
    office's reintegration officers and supervisors, once the case is handed over."""
    return case.handed_over_at is not None and holds_role(user, case)


def reception_of(case: Case) -> Reception | None:
    """The reception of a case the caller loaded through `access_case`; None until the
    origin office accepts the handover."""
    reception = (Reception.objects.select_related("accepted_by", "updated_by")
                 .filter(case_id=case.pk).first())
    if reception is not None:
        reception.case = case
    return reception


def access_reception(case: Case) -> Reception:
    """The reception of `case` (already loaded through `access_case`); 404 until the
    handover is accepted."""
    reception = reception_of(case)
    if reception is None:
        raise Http404
    return reception


def receiving_offices(user: User | AnonymousUser) -> set[int]:
    return perms.office_ids(user, perms.RECEPTION_RECORD)


def incoming_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    """The cases handed over to an office where `user` holds reception.record and not yet
    in reintegration, oldest handover first (none for anyone else)."""
    offices = receiving_offices(user)
    if not offices:
        return Case.objects.none()
    return (visible_cases(user)
            .filter(origin_office_id__in=offices, handed_over_at__isnull=False,
                    status__in=INCOMING)
            .select_related("host_office", "origin_office", "reception",
                            "reception__accepted_by")
            .order_by("handed_over_at", "id"))


def planned_journeys(user: User | AnonymousUser,
                     cases: list[Case]) -> dict[int, tuple["Leg", "Leg"]]:
    """For each case (already read through `incoming_cases`) with a booked itinerary that
    `user` may read (travel.view): the first and the last leg of the newest booked one.
    Two queries."""
    from retorno.travel import policy as travel_policy
    from retorno.travel.models import Itinerary, Leg

    readable = [c.pk for c in cases if travel_policy.can_view(user, c)]
    if not readable:
        return {}
    itineraries = (Itinerary.objects.filter(case_id__in=readable, status="booked")
                   .order_by("case_id", "id")
                   .prefetch_related(Prefetch("legs", queryset=Leg.objects.order_by("order"))))
    journeys = {}
    for itinerary in itineraries:  # the newest booked one of each case wins
        legs = list(itinerary.legs.all())
        if legs:
            journeys[itinerary.case_id] = (legs[0], legs[-1])
    return journeys
