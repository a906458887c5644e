"""Booking an itinerary: suspensions, the handover to the office of origin, transit
requests; no-show and rebooking; departure details and the guards of the journey."""

import datetime

import pytest
from django.utils import timezone

from retorno.cases.models import Status
from retorno.cases.policy import visible_cases
from retorno.cases.services import transition_case
from retorno.lib.errors import GuardsFailed, Invalid, NotAllowed, StaleVersion
from retorno.privacy.consent import withdraw_consent
from retorno.privacy.models import AuditEvent, AuditType, Consent, ConsentPurpose
from retorno.suspensions.services import set_suspension
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.testing.personas import (
    book_travel,
    check_departure,
    open_case,
    plan_itinerary,
    prepare_application,
    prepare_travel,
    walk,
)
from retorno.travel import services
from retorno.travel.models import Itinerary, TransitRequest

pytestmark = pytest.mark.django_db


def approved(world, **case):
    """An approved case to Iraq with everything travel needs, its itinerary planned."""
    opened = open_case(world, **case)
    prepare_application(world, opened)
    walk(world, opened, ("counselling", world.carla), ("applied", world.carla),
         ("approved", world.sam), ("preparing_departure", world.max))
    prepare_travel(world, opened)
    return opened


def planned(case) -> Itinerary:
    return Itinerary.objects.get(case=case, status="planned")


def test_booking_hands_the_case_over_and_asks_istanbul_for_transit_assistance(world):
    case = approved(world)
    assert case not in visible_cases(world.rita)
    itinerary = services.book_itinerary(actor=world.max, itinerary=planned(case), version=1,
                                        booking_reference=" TK-77QX ")
    case.refresh_from_db()
    assert itinerary.status == "booked" and itinerary.booking_reference == "TK-77QX"
    assert itinerary.booked_by == world.max and itinerary.booked_at is not None
    assert case.handed_over_at == itinerary.booked_at
    # Baghdad sees it now, and its reintegration officers have it on their queue.
    assert case in visible_cases(world.rita)
    task = Task.objects.get(case=case, kind=TaskKind.ACCEPT_HANDOVER)
    assert (task.office, task.role, task.status) == (world.baghdad, "reintegration_officer",
                                                     TaskStatus.OPEN)
    # The connection in Istanbul (Türkiye: a transit office) sends it a request; Berlin
    # and Baghdad are the host and destination countries, never a transit.
    (request,) = TransitRequest.objects.filter(itinerary=itinerary)
    assert request.office == world.istanbul and request.leg.to_code == "IST"
    assert request.status == "requested"
    event = AuditEvent.objects.get(case=case, event_type=AuditType.ITINERARY_BOOKED)
    assert event.extra["new"] == {"booking_reference": "TK-77QX",
                                  "transit_offices": ["tur-ist"]}
    summaries = list(case.timeline.values_list("summary", flat=True)[:3])
    assert "Handed over to Baghdad" in summaries
    assert "Transit assistance requested from Istanbul at IST" in summaries


def test_without_consent_to_share_with_the_origin_office_the_handover_is_refused(world):
    case = approved(world)
    consent = Consent.objects.get(person=case.principal.person,
                                  purpose=ConsentPurpose.ORIGIN_OFFICE,
                                  withdrawn_at__isnull=True)
    withdraw_consent(actor=world.carla, consent=consent, reason="Does not want it")
    with pytest.raises(Invalid) as refused:
        services.book_itinerary(actor=world.max, itinerary=planned(case), version=1,
                                booking_reference="X1")
    assert refused.value.messages == [
        "Booking hands the case over to Baghdad, and the handover is refused: consent to "
        "sharing with the office in the country of origin is missing for Ahmed Al-Rashid "
        "(أحمد الرشيد). Record that consent under Consent on the case page, then book "
        "again."]
    case.refresh_from_db()
    assert case.handed_over_at is None and planned(case).version == 1
    assert not TransitRequest.objects.exists()
    assert not Task.objects.filter(kind=TaskKind.ACCEPT_HANDOVER).exists()


def test_it_refuses_every_problem_at_once_and_only_to_the_host_movement_staff(world):
    case = open_case(world)
    itinerary = plan_itinerary(world, case)
    with pytest.raises(NotAllowed):
        services.book_itinerary(actor=world.carla, itinerary=itinerary, version=1,
                                booking_reference="X1")
    set_suspension(actor=world.sam, data={"country": "IRQ", "reason": "Airport closed"})
    with pytest.raises(Invalid) as refused:
        services.book_itinerary(actor=world.max, itinerary=itinerary, version=1)
    assert refused.value.messages[:3] == [
        "Give the booking reference.",
        "A case is booked once approved; this one is Registered.",
        "Returns to Iraq are suspended until lifted: Airport closed. The itinerary cannot "
        "be booked."]
    assert "consent to sharing" in refused.value.messages[3]


def test_a_second_booking_for_the_same_travellers_is_refused(world):
    case = approved(world)
    book_travel(world, case)
    again = plan_itinerary(world, case)
    with pytest.raises(Invalid, match="Another booked itinerary carries"):
        services.book_itinerary(actor=world.max, itinerary=again, version=1,
                                booking_reference="X2")
    with pytest.raises(Invalid, match="can no longer be changed"):
        booked = Itinerary.objects.get(case=case, status="booked")
        services.update_itinerary(actor=world.max, itinerary=booked, version=booked.version,
                                  data={"booking_reference": "NEW"})


def test_a_no_show_keeps_the_booking_and_a_rebooking_follows_it(world):
    case = approved(world)
    first = book_travel(world, case)
    walk(world, case, ("ready_to_travel", world.max))
    with pytest.raises(Invalid, match="Say what happened"):
        services.record_no_show(actor=world.max, itinerary=first, version=first.version,
                                reason=" ")
    services.record_no_show(actor=world.max, itinerary=first, version=first.version,
                            reason="Did not come to the airport; ill.")
    first.refresh_from_db()
    assert first.status == "no_show" and first.legs.count() == 2
    assert TransitRequest.objects.get(itinerary=first).status == "cancelled"
    # Departure needs a booked itinerary: the rebooking.
    with pytest.raises(GuardsFailed, match="No booked itinerary: book the rebooking"):
        transition_case(case, "departed", actor=world.max)
    second = book_travel(world, case)  # planned anew and booked; the case stays with Baghdad
    assert second.pk != first.pk
    assert TransitRequest.objects.filter(itinerary=second, status="requested").count() == 1
    check_departure(world, case)
    transition_case(case, "departed", actor=world.max)
    assert case.status == Status.DEPARTED
    statuses = list(Itinerary.objects.filter(case=case).order_by("id")
                    .values_list("status", flat=True))
    assert statuses == ["no_show", "booked"]
    with pytest.raises(Invalid, match="Only a booked itinerary"):
        services.record_no_show(actor=world.max, itinerary=first, version=first.version,
                                reason="again")


def test_departure_needs_the_pre_embarkation_check_and_a_signed_for_allowance(world):
    case = approved(world)
    itinerary = book_travel(world, case)
    walk(world, case, ("ready_to_travel", world.max))
    with pytest.raises(GuardsFailed) as refused:
        transition_case(case, "departed", actor=world.max)
    assert refused.value.messages == [
        f"Record the pre-embarkation check of booking RT{case.pk:05d} under Departure on "
        "the case page."]
    today = timezone.localdate()
    with pytest.raises(Invalid) as bad:
        services.record_departure(actor=world.max, itinerary=itinerary, data={
            "allowance": "12.345", "allowance_currency": "EUR", "allowance_signed": True,
            "allowance_paid_on": today + datetime.timedelta(days=1)})
    assert "The allowance cannot have been paid on a future date." in bad.value.messages
    assert any("EUR" in m for m in bad.value.messages)  # two decimals in euros
    departure = services.record_departure(actor=world.max, itinerary=itinerary, data={
        "allowance": "200", "allowance_currency": "EUR", "checked_bags": 2,
        "checked_kg": "38.5", "unaccompanied_bags": 1, "unaccompanied_kg": "20",
        "pre_embarkation_checked": True})
    assert departure.pre_embarkation_checked_by == world.max
    with pytest.raises(GuardsFailed, match="not yet paid and signed for"):
        transition_case(case, "departed", actor=world.max)
    with pytest.raises(StaleVersion):
        services.record_departure(actor=world.max, itinerary=itinerary, version=5,
                                  data={"allowance_paid_on": today})
    services.record_departure(actor=world.max, itinerary=itinerary, version=1,
                              data={"allowance_paid_on": today, "allowance_signed": True})
    transition_case(case, "departed", actor=world.max)
    assert case.status == Status.DEPARTED
    events = AuditEvent.objects.filter(case=case, event_type=AuditType.DEPARTURE_RECORDED)
    assert events.count() == 2
    recorded = case.timeline.filter(summary__startswith="Departure details recorded").first()
    assert "allowance paid on" in recorded.summary and "200" not in recorded.summary


def test_an_escort_per_leg_is_recorded_and_required_where_needed(world):
    case = approved(world)
    with pytest.raises(Invalid, match="choose a medical, social or security escort"):
        services.record_itinerary(actor=world.max, case=case, data={"legs": [
            {**_input(planned(case))[0], "escorts": [{"kind": "friend", "name": "X"}]}]})
    itinerary = services.record_itinerary(actor=world.max, case=case, data={"legs": [
        {**leg, "escorts": [{"kind": "medical", "name": "Dr Lena Weiss",
                             "organisation": "Charité"}]} for leg in _input(planned(case))]})
    escorts = [(e.kind, e.name, e.organisation) for leg in itinerary.legs.all()
               for e in leg.escorts.all()]
    assert escorts == [("medical", "Dr Lena Weiss", "Charité")] * 2


def _input(itinerary: Itinerary) -> list[dict]:
    """An itinerary's legs as service input again (local times at each airport)."""
    return [{"mode": leg.mode, "from_code": leg.from_code, "to_code": leg.to_code,
             "carrier": leg.carrier, "flight_number": leg.flight_number,
             "departs": leg.departs_local.replace(tzinfo=None),
             "arrives": leg.arrives_local.replace(tzinfo=None)}
            for leg in itinerary.legs.order_by("order")]
