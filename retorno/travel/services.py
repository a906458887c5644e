"""Recording, changing and cancelling itineraries. The only way their rows are written.

Each public function checks permission through `travel.policy`, validates (every rule of
`travel.validation` at once, nothing half-written), writes, records the audit event
(280 recorded, 281 changed or cancelled) and a timeline entry, all in one transaction,
and raises a `retorno.lib.errors.ServiceError` with a translated message when it refuses.

`data` for an itinerary: `people` (person ids of the members who travel; all members when
left out), `booking_reference`, and `legs`, in travel order, each a dict:

- air: `mode`="air", `from_code`, `to_code` (IATA), `carrier`, `flight_number`;
- road or sea: `mode`, `from_place`, `to_place`, `from_country`, `to_country` (ISO alpha-3),
  `from_tz`, `to_tz` (zone names such as "Europe/Istanbul");
- any mode: `departs`, `arrives` — the local date and time at the place (a naive datetime,
  read in the place's zone; an aware one is taken as it is) — optionally `cost` with its
  `currency`, and `escorts`: a list of {`kind` (medical, social, security), `name`,
  `organisation`}.

An itinerary is recorded as *planned* and changed freely; `book_itinerary` books it — the
one step that checks return suspensions and hands the case over to the office of origin
(with the consent of every member to that sharing), and sends transit requests. A booked
itinerary is not changed: it is cancelled, or marked a no-show, and a new one records the
rebooking, so the history of what was booked stays.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts.models import Office, OfficeKind, Role, User
from retorno.cases.models import Case, Status, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.lib.money import validate_amount
from retorno.people.models import display_names
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.reports.facts import refresh_case
from retorno.travel import airports, policy, validation
from retorno.travel.models import (
    CLOSED_ITINERARY,
    Departure,
    Escort,
    EscortKind,
    Itinerary,
    ItineraryStatus,
    Leg,
    Mode,
    TransitRequest,
    TransitStatus,
)

FIELDS = ["people", "booking_reference", "legs"]
COMMON = ["mode", "departs", "arrives", "cost", "currency", "escorts"]
ESCORT_FIELDS = ["kind", "name", "organisation"]
AIR = COMMON + ["from_code", "to_code", "carrier", "flight_number"]
SURFACE = COMMON + ["from_place", "to_place", "from_country", "to_country", "from_tz",
                    "to_tz", "carrier"]


def require_record(actor: User, case: Case) -> None:
    """Refuse unless `actor` may record itineraries on `case` now."""
    if not policy.may_record(actor, case):
        raise NotAllowed(_("Only the movement officers and supervisors of the host office may "
                           "record itineraries on case %(ref)s.") % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def _leg(case: Case, raw: dict[str, Any], number: int) -> Leg:
    """One unsaved leg from its input: the airports looked up, local times made aware,
    the model's validators run. `Invalid` with every problem of this leg."""
    mode = raw.get("mode")
    if mode not in Mode.values:
        raise Invalid(_("Leg %(number)d: choose air, road or sea.") % {"number": number})
    try:
        refuse_unknown_fields(raw, AIR if mode == Mode.AIR else SURFACE)
    except Invalid as exc:
        raise Invalid(*[_("Leg %(number)d: %(problem)s") % {"number": number, "problem": m}
                        for m in exc.messages]) from None
    leg = Leg(mode=mode, order=number, carrier=(raw.get("carrier") or "").strip(),
              currency=(raw.get("currency") or "").strip().upper())
    messages: list[str] = []
    if mode == Mode.AIR:
        leg.flight_number = (raw.get("flight_number") or "").replace(" ", "").upper()
        for end in ("from", "to"):
            try:
                airport = airports.lookup(raw.get(f"{end}_code") or "")
            except Invalid as exc:
                messages += [_("Leg %(number)d: %(problem)s") % {"number": number,
                                                                  "problem": m}
                             for m in exc.messages]
                continue
            setattr(leg, f"{end}_code", airport.code)
            setattr(leg, f"{end}_place", airport.name)
            setattr(leg, f"{end}_country", airport.country)
            setattr(leg, f"{end}_tz", airport.tz)
    else:
        for end in ("from", "to"):
            setattr(leg, f"{end}_place", (raw.get(f"{end}_place") or "").strip())
            setattr(leg, f"{end}_country", (raw.get(f"{end}_country") or "").strip().upper())
            setattr(leg, f"{end}_tz", (raw.get(f"{end}_tz") or "").strip())
    if messages:
        raise Invalid(*messages)
    label = validation.name(leg, number)
    try:
        validate(leg, exclude=["itinerary", "departs_at", "arrives_at", "cost"])
    except Invalid as exc:
        raise Invalid(*[_("%(leg)s, %(field)s: %(problem)s") % {
            "leg": label, "field": Leg._meta.get_field(field).verbose_name, "problem": m}
            for field, problems in exc.field_errors.items() for m in problems]) from None
    leg.departs_at, leg.arrives_at = [
        _when(raw.get(key), tz, _("%(leg)s, %(what)s") % {"leg": label, "what": what})
        for key, tz, what in (("departs", leg.from_tz, _("departure")),
                              ("arrives", leg.to_tz, _("arrival")))]
    leg.cost = _cost(raw.get("cost"), leg.currency, label)
    leg.new_escorts = _escorts(raw.get("escorts"), label)  # saved with the leg
    return leg


def _escorts(raw: Any, label: str) -> list[Escort]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise Invalid(_("%(leg)s: escorts are a list.") % {"leg": label})
    escorts, messages = [], []
    for item in raw:
        item = item if isinstance(item, dict) else {}
        try:
            refuse_unknown_fields(item, ESCORT_FIELDS)
        except Invalid as exc:
            messages += [_("%(leg)s: %(problem)s") % {"leg": label, "problem": m}
                         for m in exc.messages]
            continue
        escort = Escort(kind=item.get("kind") or "", name=(item.get("name") or "").strip(),
                        organisation=(item.get("organisation") or "").strip())
        if escort.kind not in EscortKind.values:
            messages.append(_("%(leg)s: choose a medical, social or security escort.")
                            % {"leg": label})
        elif not escort.name:
            messages.append(_("%(leg)s: give the escort's name.") % {"leg": label})
        else:
            try:
                validate(escort, exclude=["leg"])
            except Invalid as exc:
                messages += [_("%(leg)s: %(problem)s") % {"leg": label, "problem": m}
                             for m in exc.messages]
                continue
            escorts.append(escort)
    if messages:
        raise Invalid(*messages)
    return escorts


def _when(value: Any, tz: str, what: str) -> Any:
    if not hasattr(value, "tzinfo") or not hasattr(value, "hour"):
        raise Invalid(_("%(what)s: give the local date and time.") % {"what": what})
    return validation.aware(value, tz, what)


def _cost(value: Any, currency: str, label: str) -> Decimal | None:
    if value in (None, ""):
        if currency:
            raise Invalid(_("%(leg)s: give the ticket cost, or no currency.") % {"leg": label})
        return None
    try:
        cost = Decimal(str(value))
    except InvalidOperation:
        raise Invalid(_("%(leg)s: the ticket cost is not a number.") % {"leg": label}) from None
    if not currency:
        raise Invalid(_("%(leg)s: give the currency of the ticket cost.") % {"leg": label})
    if cost < 0:
        raise Invalid(_("%(leg)s: the ticket cost cannot be negative.") % {"leg": label})
    try:
        validate_amount(cost, currency)
    except ValidationError as exc:
        raise Invalid(_("%(leg)s: %(problem)s") % {"leg": label,
                                                   "problem": " ".join(exc.messages)}) from None
    return cost


def _legs(case: Case, raw_legs: Any) -> list[Leg]:
    """All the legs, validated together: every problem of every leg at once."""
    if not isinstance(raw_legs, list) or not raw_legs:
        raise Invalid(_("An itinerary has at least one leg."))
    legs, messages = [], []
    for number, raw in enumerate(raw_legs, start=1):
        try:
            legs.append(_leg(case, raw if isinstance(raw, dict) else {}, number))
        except Invalid as exc:
            messages += exc.messages
    if messages:
        raise Invalid(*messages)
    messages = validation.check_legs(legs, case.destination_country)
    if messages:
        raise Invalid(*messages)
    return legs


def _people(case: Case, people: Any) -> list[int]:
    members = list(case.members.order_by("id").values_list("person_id", flat=True))
    if people is None:
        return members
    if not isinstance(people, list) or not people:
        raise Invalid(_("Choose at least one member who travels on this itinerary."))
    if any(p not in members for p in people) or len(set(people)) != len(people):
        raise Invalid(_("Only members of case %(ref)s can travel on its itinerary, each "
                        "once.") % {"ref": case.reference})
    return sorted(people, key=members.index)


def _leg_snapshot(legs: list[Leg]) -> list[dict[str, Any]]:
    # What the audit log keeps of the legs: enough to tell what was booked and changed.
    return [{"mode": leg.mode, "from": leg.from_code or leg.from_place,
             "to": leg.to_code or leg.to_place, "carrier": leg.carrier,
             "flight_number": leg.flight_number, "departs_at": leg.departs_at.isoformat(),
             "arrives_at": leg.arrives_at.isoformat(),
             "cost": None if leg.cost is None else str(leg.cost), "currency": leg.currency,
             "escorts": [{"kind": e.kind, "name": e.name, "organisation": e.organisation}
                         for e in _leg_escorts(leg)]}
            for leg in legs]


def _leg_escorts(leg: Leg) -> list[Escort]:
    new = getattr(leg, "new_escorts", None)
    return new if new is not None else list(leg.escorts.all())


def _route(legs: list[Leg]) -> str:
    stops = [legs[0].from_code or legs[0].from_place]
    stops += [leg.to_code or leg.to_place for leg in legs]
    return " → ".join(stops)


def _describe(itinerary: Itinerary, legs: list[Leg]) -> str:
    return _("Itinerary %(route)s (%(status)s), departing %(departure)s") % {
        "route": _route(legs), "status": itinerary.get_status_display(),
        "departure": validation.show(legs[0].departs_at, legs[0].from_tz)}


def _save_legs(itinerary: Itinerary, legs: list[Leg]) -> None:
    for leg in legs:
        leg.itinerary = itinerary
    Leg.objects.bulk_create(legs)
    escorts = []
    for leg in legs:
        for escort in getattr(leg, "new_escorts", []):
            escort.leg = leg
            escorts.append(escort)
    Escort.objects.bulk_create(escorts)


def record_itinerary(*, actor: User, case: Case, data: dict[str, Any]) -> Itinerary:
    """Record an itinerary of `case` with its legs. Needs travel.record in the case's host
    office and an open case; every leg rule (`validation`) is checked, all problems at
    once. Audit event 280, timeline entry."""
    require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    itinerary = Itinerary(case=case, created_by=actor, updated_by=actor,
                          status=ItineraryStatus.PLANNED,
                          booking_reference=(data.get("booking_reference") or "").strip(),
                          people=_people(case, data.get("people")))
    validate(itinerary, exclude=["case", "created_by", "updated_by"])
    legs = _legs(case, data.get("legs"))
    with transaction.atomic():
        itinerary.save()
        _save_legs(itinerary, legs)
        audit.record(AuditType.ITINERARY_RECORDED, itinerary, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={**audit.snapshot(itinerary, ["people", "booking_reference"]),
                          "legs": _leg_snapshot(legs)})
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("%(itinerary)s — recorded")
                        % {"itinerary": _describe(itinerary, legs)})
    return itinerary


def update_itinerary(*, actor: User, itinerary: Itinerary, data: dict[str, Any],
                     version: int) -> Itinerary:
    """Change a planned itinerary (its travellers, booking reference, or all its legs at
    once), if nobody else changed it since `version` (else StaleVersion, and nothing is
    written). A booked, cancelled or no-show itinerary is not changed: record a new one.
    Same permission as recording. Audit event 281 with old and new values, timeline
    entry; nothing is written if nothing changed."""
    case = itinerary.case
    require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    if itinerary.status != ItineraryStatus.PLANNED:
        raise Invalid(_("This itinerary is %(status)s and can no longer be changed: cancel "
                        "it and record the new one.")
                      % {"status": itinerary.get_status_display().lower()})
    plain = ["people", "booking_reference"]
    before = audit.snapshot(itinerary, plain)
    old_legs = list(itinerary.legs.order_by("order"))
    before["legs"] = _leg_snapshot(old_legs)
    if "people" in data:
        itinerary.people = _people(case, data["people"])
    if "booking_reference" in data:
        itinerary.booking_reference = (data["booking_reference"] or "").strip()
    validate(itinerary, exclude=["case", "created_by", "updated_by"])
    legs = _legs(case, data["legs"]) if "legs" in data else old_legs
    after = {**audit.snapshot(itinerary, plain), "legs": _leg_snapshot(legs)}
    old, new = audit.diff(before, after)
    if not new:
        return itinerary
    itinerary.updated_by = actor
    with transaction.atomic():
        save_versioned(itinerary, version, [f for f in plain if f in new] + ["updated_by"])
        if "legs" in new:
            itinerary.legs.all().delete()
            _save_legs(itinerary, legs)
        audit.record(AuditType.ITINERARY_CHANGED, itinerary, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk, old=old, new=new)
        labels = [str(_("legs")) if f == "legs"
                  else str(Itinerary._meta.get_field(f).verbose_name) for f in new]
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("%(itinerary)s — changed: %(fields)s")
                        % {"itinerary": _describe(itinerary, legs), "fields": ", ".join(labels)})
    return itinerary


def _close(actor: User, itinerary: Itinerary, version: int, reason: str,
           status: ItineraryStatus, done: str) -> Itinerary:
    """Cancel or mark a no-show: the itinerary is kept, with its legs, as it was; its
    open transit requests are cancelled."""
    case = itinerary.case
    old_status = itinerary.status
    itinerary.status = status
    itinerary.updated_by = actor
    legs = list(itinerary.legs.order_by("order"))
    with transaction.atomic():
        save_versioned(itinerary, version, ["status", "updated_by"])
        TransitRequest.objects.filter(itinerary=itinerary,
                                      status=TransitStatus.REQUESTED).update(
            status=TransitStatus.CANCELLED, version=F("version") + 1)
        audit.record(AuditType.ITINERARY_CHANGED, itinerary, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     old={"status": old_status}, new={"status": itinerary.status},
                     reason=reason.strip() or None)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        done % {"itinerary": _describe(itinerary, legs)},
                        reason=reason.strip())
        refresh_case(case)  # a no-show after a confirmed departure moves its day
    return itinerary


def cancel_itinerary(*, actor: User, itinerary: Itinerary, version: int,
                     reason: str = "") -> Itinerary:
    """Cancel a planned or booked itinerary (kept, with its legs, as it was; its transit
    requests are cancelled). Same permission as recording; versioned. Audit event 281
    (status from → cancelled, with the reason), timeline entry."""
    require_record(actor, itinerary.case)
    if itinerary.status in CLOSED_ITINERARY:
        raise Invalid(_("This itinerary is %(status)s already: nothing was changed.")
                      % {"status": itinerary.get_status_display().lower()})
    return _close(actor, itinerary, version, reason, ItineraryStatus.CANCELLED,
                  _("%(itinerary)s — cancelled"))


def record_no_show(*, actor: User, itinerary: Itinerary, version: int,
                   reason: str) -> Itinerary:
    """The travellers did not board the booked itinerary: it is kept as a no-show (its
    transit requests cancelled) and a new itinerary records the rebooking. A reason is
    required. Same permission as recording; versioned; audit 281, timeline entry."""
    require_record(actor, itinerary.case)
    if itinerary.status != ItineraryStatus.BOOKED:
        raise Invalid(_("Only a booked itinerary can be a no-show."))
    if not (reason or "").strip():
        raise Invalid(_("Say what happened (why the travellers did not board)."),
                      field_errors={"reason": [_("Say what happened (why the travellers "
                                                 "did not board).")]})
    return _close(actor, itinerary, version, reason, ItineraryStatus.NO_SHOW,
                  _("%(itinerary)s — no-show"))


# ---- booking: suspensions, handover, transit --------------------------------------------

BOOKABLE = frozenset({Status.APPROVED, Status.PREPARING_DEPARTURE, Status.READY_TO_TRAVEL})
ACCEPT_HANDOVER_DAYS = 3


def _suspension_problems(case: Case, legs: list[Leg]) -> list[str]:
    """A suspension for the destination in force on any day from today to the arrival."""
    from retorno.suspensions.models import ReturnSuspension

    today = timezone.localdate()
    last = max(today, legs[-1].arrives_local.date())
    blocking = (ReturnSuspension.objects.filter(lifted_at__isnull=True, starts_on__lte=last)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
                .for_destination(case.destination_country, case.destination_subdivision)
                .order_by("starts_on", "id"))
    return [_("Returns to %(destination)s are suspended %(period)s: %(reason)s. The "
              "itinerary cannot be booked.")
            % {"destination": s.destination_label(), "reason": s.reason,
               "period": s.until_label() if s.starts_on <= today else
               _("from %(start)s %(until)s") % {
                   "start": date_format(s.starts_on, "DATE_FORMAT"),
                   "until": s.until_label()}}
            for s in blocking]


def _handover_problems(case: Case) -> list[str]:
    from retorno.privacy.consent import missing_consent
    from retorno.privacy.models import ConsentPurpose

    if case.origin_office_id is None:
        return [_("Choose the origin office that will receive the returnees before booking: "
                  "booking hands the case over to it.")]
    if case.handed_over_at is not None:
        return []
    lacking = missing_consent(case, ConsentPurpose.ORIGIN_OFFICE)
    if lacking:
        return [_("Booking hands the case over to %(office)s, and the handover is refused: "
                  "consent to sharing with the office in the country of origin is missing "
                  "for %(names)s. Record that consent under Consent on the case page, then "
                  "book again.") % {"office": case.origin_office.name,
                                    "names": display_names(lacking)}]
    return []


def transit_offices(case: Case, legs: list[Leg]) -> list[tuple[Leg, Office]]:
    """The connections of `legs` in a country that is neither the host country nor the
    destination and where there is a transit office: (the leg arriving there, the
    office). The first such office by code when a country has several."""
    host_country = case.host_office.country
    points = [leg for leg in legs[:-1]
              if leg.to_country not in (host_country, case.destination_country)]
    if not points:
        return []
    offices: dict[str, Office] = {}
    for office in Office.objects.filter(kind=OfficeKind.TRANSIT,
                                        country__in={leg.to_country for leg in points}
                                        ).order_by("-code"):
        offices[office.country] = office
    return [(leg, offices[leg.to_country]) for leg in points if leg.to_country in offices]


def book_itinerary(*, actor: User, itinerary: Itinerary, version: int,
                   booking_reference: str = "") -> Itinerary:
    """Book a planned itinerary, with its booking reference (given here or recorded
    before). Refused, with every reason at once, when returns to the destination are
    suspended on any day until the arrival, when another booked itinerary carries one of
    its travellers, when the case is not approved yet, or when the case cannot be
    handed over to the office of origin (none chosen, or a member has not consented to
    that sharing).

    On success, in one transaction: the itinerary is booked (audit 282, timeline); the
    case is handed over to the origin office, which sees it from now on (timeline entry,
    a task `accept_handover` on its reintegration officers' queue); and each connection
    through a country with a transit office sends that office a transit request."""
    case = itinerary.case
    require_record(actor, case)
    if itinerary.status != ItineraryStatus.PLANNED:
        raise Invalid(_("Only a planned itinerary can be booked; this one is %(status)s.")
                      % {"status": itinerary.get_status_display().lower()})
    reference = (booking_reference or itinerary.booking_reference or "").strip()
    legs = list(itinerary.legs.order_by("order"))
    problems = []
    if not reference:
        problems.append(_("Give the booking reference."))
    if case.status not in BOOKABLE:
        problems.append(_("A case is booked once approved; this one is %(status)s.")
                        % {"status": case.get_status_display()})
    other = (Itinerary.objects.filter(case=case, status=ItineraryStatus.BOOKED)
             .exclude(pk=itinerary.pk))
    if any(set(o.people) & set(itinerary.people) for o in other):
        problems.append(_("Another booked itinerary carries some of these travellers: "
                          "cancel it, or record it as a no-show, first."))
    problems += _suspension_problems(case, legs)
    problems += _handover_problems(case)
    if problems:
        raise Invalid(*problems)
    now = timezone.now()
    itinerary.status = ItineraryStatus.BOOKED
    itinerary.booking_reference = reference
    itinerary.booked_at, itinerary.booked_by, itinerary.updated_by = now, actor, actor
    transit = transit_offices(case, legs)
    with transaction.atomic():
        save_versioned(itinerary, version, ["status", "booking_reference", "booked_at",
                                            "booked_by", "updated_by"])
        for leg, office in transit:
            TransitRequest.objects.create(itinerary=itinerary, leg=leg, office=office)
        audit.record(AuditType.ITINERARY_BOOKED, itinerary, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={"booking_reference": reference,
                          "transit_offices": [office.code for _leg, office in transit]})
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("%(itinerary)s — booked") % {"itinerary": _describe(itinerary,
                                                                              legs)})
        for leg, office in transit:
            record_timeline(case, actor, TimelineKind.CHANGED,
                            _("Transit assistance requested from %(office)s at %(place)s")
                            % {"office": office.name, "place": leg.to_code or leg.to_place})
        if case.handed_over_at is None:
            _hand_over(actor, case, now)
    return itinerary


def _hand_over(actor: User, case: Case, now: datetime.datetime) -> None:
    from retorno.tasks.models import TaskKind
    from retorno.tasks.services import open_task

    Case.objects.filter(pk=case.pk).update(handed_over_at=now)
    case.handed_over_at = now
    record_timeline(case, actor, TimelineKind.CHANGED,
                    _("Handed over to %(office)s") % {"office": case.origin_office.name})
    open_task(case=case, kind=TaskKind.ACCEPT_HANDOVER, office=case.origin_office,
              role=Role.REINTEGRATION_OFFICER, actor=actor,
              due_on=timezone.localdate() + datetime.timedelta(days=ACCEPT_HANDOVER_DAYS))


# ---- departure -------------------------------------------------------------------------

DEPARTURE_FIELDS = ["allowance", "allowance_currency", "allowance_paid_on",
                    "allowance_signed", "checked_bags", "checked_kg", "unaccompanied_bags",
                    "unaccompanied_kg", "notes", "pre_embarkation_checked"]


def _departure_values(departure: Departure, data: dict[str, Any], actor: User) -> None:
    for name in DEPARTURE_FIELDS[:-1]:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            if name == "allowance_currency":
                value = (value or "").upper()
            if name in ("allowance", "checked_kg", "unaccompanied_kg", "allowance_paid_on"):
                value = value if value not in ("", None) else None
            if name in ("checked_bags", "unaccompanied_bags") and value in ("", None):
                value = 0
            setattr(departure, name, value)
    if "pre_embarkation_checked" in data:
        if data["pre_embarkation_checked"]:
            if departure.pre_embarkation_checked_at is None:
                departure.pre_embarkation_checked_at = timezone.now()
                departure.pre_embarkation_checked_by = actor
        else:
            departure.pre_embarkation_checked_at = None
            departure.pre_embarkation_checked_by = None


def _check_departure(departure: Departure) -> None:
    validate(departure, exclude=["itinerary", "updated_by", "pre_embarkation_checked_by"])
    amount, currency = departure.allowance, departure.allowance_currency
    problems = []
    if amount is None and currency:
        problems.append(_("Give the allowance's amount, or no currency."))
    if amount is not None:
        if not currency:
            problems.append(_("Give the currency of the allowance."))
        elif amount < 0:
            problems.append(_("The allowance cannot be negative."))
        else:
            try:
                validate_amount(amount, currency)
            except ValidationError as exc:
                problems += exc.messages
    if departure.allowance_paid_on is not None:
        if amount is None:
            problems.append(_("Give the allowance paid."))
        if departure.allowance_paid_on > timezone.localdate():
            problems.append(_("The allowance cannot have been paid on a future date."))
    if departure.allowance_signed and departure.allowance_paid_on is None:
        problems.append(_("A receipt is signed for an allowance paid: give the date it was "
                          "paid."))
    if problems:
        raise Invalid(*problems)


def record_departure(*, actor: User, itinerary: Itinerary, data: dict[str, Any],
                     version: int | None = None) -> Departure:
    """Record what is done at departure for a booked itinerary: the departure and travel
    allowance (amount, currency, paid on, receipt signed), checked and unaccompanied
    baggage, notes, and the pre-embarkation check (`pre_embarkation_checked`: true records
    who checked and when; false clears it). The first call creates the record; later ones
    give its `version` (StaleVersion otherwise). Same permission as recording
    itineraries. Audit 283 with what changed; timeline entry naming the fields (never
    amounts)."""
    case = itinerary.case
    require_record(actor, case)
    refuse_unknown_fields(data, DEPARTURE_FIELDS)
    if itinerary.status != ItineraryStatus.BOOKED:
        raise Invalid(_("Departure details are recorded for a booked itinerary."))
    departure = Departure.objects.filter(itinerary=itinerary).first()
    creating = departure is None
    if departure is None:
        departure = Departure(itinerary=itinerary, updated_by=actor)
    elif version is None:
        raise Invalid(_("Give the version of the departure record you changed."))
    tracked = DEPARTURE_FIELDS[:-1] + ["pre_embarkation_checked_at"]
    before = {} if creating else audit.snapshot(departure, tracked)
    _departure_values(departure, data, actor)
    _check_departure(departure)
    after = audit.snapshot(departure, tracked)
    old, new = audit.diff(before, after)
    if not new and not creating:
        return departure
    departure.updated_by = actor
    with transaction.atomic():
        if creating:
            departure.save()
        else:
            save_versioned(departure, version, [*DEPARTURE_FIELDS[:-1],
                                                "pre_embarkation_checked_at",
                                                "pre_embarkation_checked_by", "updated_by"])
        audit.record(AuditType.DEPARTURE_RECORDED, departure, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk, old=old, new=new)
        labels = [str(Departure._meta.get_field(f).verbose_name) for f in new]
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Departure details recorded: %(fields)s")
                        % {"fields": ", ".join(labels) or "—"})
    return departure
