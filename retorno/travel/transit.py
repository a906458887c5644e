"""Transit assistance: what a transit office reads of a case, and how it confirms the
assistance given.

Booking an itinerary that connects through a country with a transit office sends that
office a `TransitRequest` (`services.book_itinerary`). The office's movement staff
(`transit.assist` held in an office of kind *transit*) read the *movement data* of that
request and nothing else of the case: the travellers' names, whether each is a child, the
legs of the itinerary in local time, the escorts of each leg, the booking reference and
each traveller's special needs for the journey (from their current fitness to travel
assessment: the needs and whether an escort is required, never the medical detail).
They never reach the case through `cases.policy` — no case page, documents, consents,
vulnerabilities or timeline.

A request whose itinerary was cancelled, or whose travellers did not board, is cancelled
(`services.cancel_itinerary`, `record_no_show`); it stays on the office's list, greyed,
with the travellers' names and the legs only.

`confirm_transit` is the one way a request changes here: requested → assisted, versioned,
audit event 285 in the transit office's name, a timeline entry on the case.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import Office, OfficeKind, User
from retorno.cases.models import TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy import services as audit
from retorno.privacy.consent import ADULT_AGE, age_on
from retorno.privacy.models import AuditType
from retorno.travel import validation
from retorno.travel.models import Escort, ItineraryStatus, Leg, TransitRequest, TransitStatus


def office_kinds(user: User | AnonymousUser, offices: set[int]) -> dict[int, str]:
    """The kind of each of `offices` (offices `user` holds a role in), cached on the user
    object like their memberships: one query per request, for the nav and the page."""
    cached: dict[int, str] = getattr(user, "_retorno_office_kinds", None) or {}
    missing = offices - set(cached)
    if missing:
        cached.update(Office.objects.filter(pk__in=missing).values_list("pk", "kind"))
        user._retorno_office_kinds = cached  # type: ignore[union-attr]  # per-request cache
    return {pk: cached[pk] for pk in offices if pk in cached}


def transit_office_ids(user: User | AnonymousUser) -> set[int]:
    """The transit offices in which `user` assists travellers (transit.assist there).
    A supervisor of a host office holds transit.assist too, but reaches no request: the
    requests go to transit offices only."""
    offices = perms.office_ids(user, perms.TRANSIT_ASSIST)
    if not offices:
        return set()
    return {pk for pk, kind in office_kinds(user, offices).items()
            if kind == OfficeKind.TRANSIT}


def can_assist(user: User | AnonymousUser) -> bool:
    """Does `user` work transit requests anywhere (the list page, the nav link)?"""
    return bool(transit_office_ids(user))


def visible_transit_requests(user: User | AnonymousUser) -> QuerySet[TransitRequest]:
    """The transit requests sent to the offices where `user` holds transit.assist: open
    ones of a booked itinerary, assisted ones, and cancelled ones (shown as such, with
    names and legs only). Nothing for anyone else."""
    offices = transit_office_ids(user)
    if not offices:
        return TransitRequest.objects.none()
    return (TransitRequest.objects
            .filter(office_id__in=offices)
            .filter(Q(status=TransitStatus.REQUESTED, itinerary__status=ItineraryStatus.BOOKED)
                    | Q(status__in=[TransitStatus.ASSISTED, TransitStatus.CANCELLED]))
            .select_related("office", "leg", "itinerary", "itinerary__case", "assisted_by"))


def access_transit_request(user: User | AnonymousUser, request_id: int) -> TransitRequest:
    """The transit request if `user` may read it; 404 otherwise (missing and forbidden
    look the same)."""
    found = visible_transit_requests(user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


# ---- the movement data ----------------------------------------------------------------


@dataclass
class Traveller:
    person_id: int
    name: str  # display name: Latin letters, then the original script
    given_name: str
    family_name: str
    child: bool  # under 18 on the day of the connection
    special_needs: list[str] = field(default_factory=list)  # codes
    special_needs_other: str = ""
    special_need_labels: list[str] = field(default_factory=list)
    escort_required: bool = False


@dataclass
class LegView:
    leg: Leg
    departs: str  # local time with the zone, in the reader's format
    arrives: str
    escorts: list[Escort]
    connection: bool  # the leg arriving at the transit point


@dataclass
class Movement:
    request: TransitRequest
    case_reference: str  # the case's reference, as plain text
    travellers: list[Traveller]
    legs: list[LegView]
    full: bool  # False for a cancelled request: names and legs only

    @property
    def booking_reference(self) -> str:
        return self.request.itinerary.booking_reference if self.full else ""

    @property
    def connection_at(self) -> str:
        leg = self.request.leg
        return validation.show(leg.arrives_at, leg.to_tz)

    @property
    def place(self) -> str:
        leg = self.request.leg
        return leg.to_code or leg.to_place


def _people(person_ids: set[int]):
    from retorno.people.models import Person

    # Read for a request the caller loaded through `access_transit_request` or
    # `visible_transit_requests`: only the travellers of that itinerary.
    return {p.pk: p for p in Person.objects.filter(pk__in=person_ids)}


def _traveller(person, day: datetime.date, fitness=None, *, full: bool) -> Traveller:
    born = person.date_of_birth
    traveller = Traveller(person_id=person.pk, name=person.display_name,
                          given_name=person.given_name, family_name=person.family_name,
                          child=born is not None and age_on(born, day) < ADULT_AGE)
    if full and fitness is not None:
        traveller.special_needs = list(fitness.special_needs)
        traveller.special_needs_other = fitness.special_needs_other
        traveller.special_need_labels = fitness.special_need_labels()
        traveller.escort_required = fitness.escort_required
    return traveller


def _fitness_by_person(case) -> dict[int, object]:
    from retorno.medical.fitness import current_by_member

    return {member.person_id: current for member, current in current_by_member(case)
            if current is not None}


def travellers_named(requests: list[TransitRequest]) -> dict[int, list[str]]:
    """For a page of requests, the travellers' display names per request. One query."""
    ids = {p for r in requests for p in r.itinerary.people}
    people = _people(ids)
    return {r.pk: [people[p].display_name for p in r.itinerary.people if p in people]
            for r in requests}


def movement(request: TransitRequest) -> Movement:
    """The movement data of a request loaded through `access_transit_request`."""
    itinerary = request.itinerary
    full = request.status != TransitStatus.CANCELLED
    day = request.leg.arrives_local.date()
    people = _people(set(itinerary.people))
    fitness = _fitness_by_person(itinerary.case) if full else {}
    travellers = [_traveller(people[p], day, fitness.get(p), full=full)
                  for p in itinerary.people if p in people]
    legs = []
    for leg in itinerary.legs.order_by("order").prefetch_related("escorts"):
        legs.append(LegView(leg=leg, departs=validation.show(leg.departs_at, leg.from_tz),
                            arrives=validation.show(leg.arrives_at, leg.to_tz),
                            escorts=list(leg.escorts.all()) if full else [],
                            connection=leg.pk == request.leg_id))
    return Movement(request=request, case_reference=itinerary.case.reference,
                    travellers=travellers, legs=legs, full=full)


# ---- confirming -------------------------------------------------------------------------


def confirm_transit(*, actor: User, request: TransitRequest, note: str = "",
                    version: int) -> TransitRequest:
    """Confirm that the travellers of `request` were assisted at the connection: the
    movement staff of the request's transit office (transit.assist there), while it is
    requested. Versioned (`StaleVersion` when someone changed it since `version`). In one
    transaction: the request is assisted (when, by whom, the note), audit event 285 in the
    transit office's name with the case, and a timeline entry on the case."""
    if not perms.can(actor, perms.TRANSIT_ASSIST, request.office_id) \
            or request.office.kind != OfficeKind.TRANSIT:
        raise NotAllowed(_("Only the movement staff of %(office)s confirm this transit "
                           "assistance.") % {"office": request.office.name})
    if request.status == TransitStatus.ASSISTED:
        raise Invalid(_("Assistance at %(place)s was already confirmed.")
                      % {"place": request.leg.to_code or request.leg.to_place})
    if request.status == TransitStatus.CANCELLED:
        raise Invalid(_("This transit request was cancelled (the itinerary was cancelled "
                        "or the travellers did not board): there is nothing to confirm."))
    note = (note or "").strip()
    limit = 2000
    if len(note) > limit:
        raise Invalid(_("Keep the note under %(limit)d characters.") % {"limit": limit},
                      field_errors={"note": [_("Keep the note under %(limit)d characters.")
                                             % {"limit": limit}]})
    case = request.itinerary.case
    now = timezone.now()
    with transaction.atomic():
        # Conditional on the version and the status read: two people confirming at once
        # cannot both succeed. (The model has no updated_at, so not lib.save_versioned.)
        updated = (TransitRequest.objects
                   .filter(pk=request.pk, version=version, status=TransitStatus.REQUESTED)
                   .update(status=TransitStatus.ASSISTED, assisted_at=now, assisted_by=actor,
                           note=note, version=F("version") + 1))
        if not updated:
            raise StaleVersion(_(
                "Someone else changed this record after you opened it. Your changes were "
                "not saved: reload the page to see the current version, then make them "
                "again."))
        request.status, request.assisted_at, request.assisted_by = (
            TransitStatus.ASSISTED, now, actor)
        request.note, request.version = note, version + 1
        audit.record(AuditType.TRANSIT_ASSISTED, request, actor=actor,
                     office_id=request.office_id, case_id=case.pk,
                     old={"status": TransitStatus.REQUESTED},
                     new={"status": TransitStatus.ASSISTED, **({"note": note} if note else {})})
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Transit assistance confirmed at %(place)s by %(office)s")
                        % {"place": request.leg.to_code or request.leg.to_place,
                           "office": request.office.name})
    return request
