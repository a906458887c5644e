"""Recording, changing and cancelling itineraries. The only way their rows are written.

Each public function checks permission through `travel.policy`, validates (every rule of
`travel.validation` at once, nothing half-written), writes, records the audit event
(280 recorded, 281 changed or cancelled) and a timeline entry, all in one transaction,
and raises a `retorno.lib.errors.ServiceError` with a translated message when it refuses.

`data` for an itinerary: `people` (person ids of the members who travel; all members when
left out), `status` ("planned" or "booked"), `booking_reference`, and `legs`, in travel
order, each a dict:

- air: `mode`="air", `from_code`, `to_code` (IATA), `carrier`, `flight_number`;
- road or sea: `mode`, `from_place`, `to_place`, `from_country`, `to_country` (ISO alpha-3),
  `from_tz`, `to_tz` (zone names such as "Europe/Istanbul");
- any mode: `departs`, `arrives` — the local date and time at the place (a naive datetime,
  read in the place's zone; an aware one is taken as it is) — and optionally `cost` with
  its `currency`.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.cases.models import Case, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.lib.money import validate_amount
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.travel import airports, policy, validation
from retorno.travel.models import Itinerary, ItineraryStatus, Leg, Mode

FIELDS = ["people", "status", "booking_reference", "legs"]
COMMON = ["mode", "departs", "arrives", "cost", "currency"]
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
    return leg


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


def _check_status(itinerary: Itinerary) -> None:
    if itinerary.status not in (ItineraryStatus.PLANNED, ItineraryStatus.BOOKED):
        raise Invalid(_("An itinerary's status is planned or booked (cancelling is a step of "
                        "its own)."))
    if itinerary.status == ItineraryStatus.BOOKED and not itinerary.booking_reference:
        raise Invalid(_("A booked itinerary needs its booking reference."))


def _leg_snapshot(legs: list[Leg]) -> list[dict[str, Any]]:
    # What the audit log keeps of the legs: enough to tell what was booked and changed.
    return [{"mode": leg.mode, "from": leg.from_code or leg.from_place,
             "to": leg.to_code or leg.to_place, "carrier": leg.carrier,
             "flight_number": leg.flight_number, "departs_at": leg.departs_at.isoformat(),
             "arrives_at": leg.arrives_at.isoformat(),
             "cost": None if leg.cost is None else str(leg.cost), "currency": leg.currency}
            for leg in legs]


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


def record_itinerary(*, actor: User, case: Case, data: dict[str, Any]) -> Itinerary:
    """Record an itinerary of `case` with its legs. Needs travel.record in the case's host
    office and an open case; every leg rule (`validation`) is checked, all problems at
    once. Audit event 280, timeline entry."""
    require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    itinerary = Itinerary(case=case, created_by=actor, updated_by=actor,
                          status=data.get("status") or ItineraryStatus.PLANNED,
                          booking_reference=(data.get("booking_reference") or "").strip(),
                          people=_people(case, data.get("people")))
    _check_status(itinerary)
    validate(itinerary, exclude=["case", "created_by", "updated_by"])
    legs = _legs(case, data.get("legs"))
    with transaction.atomic():
        itinerary.save()
        _save_legs(itinerary, legs)
        audit.record(AuditType.ITINERARY_RECORDED, itinerary, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={**audit.snapshot(itinerary, ["people", "status",
                                                       "booking_reference"]),
                          "legs": _leg_snapshot(legs)})
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("%(itinerary)s — recorded")
                        % {"itinerary": _describe(itinerary, legs)})
    return itinerary


def update_itinerary(*, actor: User, itinerary: Itinerary, data: dict[str, Any],
                     version: int) -> Itinerary:
    """Change an itinerary (its travellers, status, booking reference, or all its legs at
    once), if nobody else changed it since `version` (else StaleVersion, and nothing is
    written). A cancelled itinerary is not changed: record a new one. Same permission
    as recording. Audit event 281 with old and new values, timeline entry; nothing is
    written if nothing changed."""
    case = itinerary.case
    require_record(actor, case)
    refuse_unknown_fields(data, FIELDS)
    if itinerary.status == ItineraryStatus.CANCELLED:
        raise Invalid(_("This itinerary is cancelled and can no longer be changed."))
    plain = ["people", "status", "booking_reference"]
    before = audit.snapshot(itinerary, plain)
    old_legs = list(itinerary.legs.order_by("order"))
    before["legs"] = _leg_snapshot(old_legs)
    if "people" in data:
        itinerary.people = _people(case, data["people"])
    if "status" in data:
        itinerary.status = data["status"]
    if "booking_reference" in data:
        itinerary.booking_reference = (data["booking_reference"] or "").strip()
    _check_status(itinerary)
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


def cancel_itinerary(*, actor: User, itinerary: Itinerary, version: int,
                     reason: str = "") -> Itinerary:
    """Cancel an itinerary (kept, with its legs, as it was). Same permission as
    recording; versioned. Audit event 281 (status from → cancelled, with the reason),
    timeline entry."""
    case = itinerary.case
    require_record(actor, case)
    if itinerary.status == ItineraryStatus.CANCELLED:
        raise Invalid(_("This itinerary is already cancelled."))
    old_status = itinerary.status
    itinerary.status = ItineraryStatus.CANCELLED
    itinerary.updated_by = actor
    legs = list(itinerary.legs.order_by("order"))
    with transaction.atomic():
        save_versioned(itinerary, version, ["status", "updated_by"])
        audit.record(AuditType.ITINERARY_CHANGED, itinerary, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     old={"status": old_status}, new={"status": itinerary.status},
                     reason=reason.strip() or None)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("%(itinerary)s — cancelled") % {"itinerary": _describe(itinerary,
                                                                                 legs)},
                        reason=reason.strip())
    return itinerary
