import datetime

import pytest
from django.utils import timezone

from retorno.cases.models import Status, TimelineEntry, TimelineKind
from retorno.cases.services import register_and_add_member, transition_case, transition_options
from retorno.counselling.services import record_session
from retorno.lib.errors import GuardsFailed, NotAllowed
from retorno.medical.services import record_assessment
from retorno.privacy.consent import record_consent, withdraw_consent
from retorno.privacy.models import AuditEvent, AuditType, Consent, ConsentPurpose
from retorno.testing.personas import (
    book_travel,
    open_case,
    person_data,
    prepare_application,
    prepare_travel,
    receive,
    record_consents,
    walk,
)
from retorno.travel.services import cancel_itinerary

pytestmark = pytest.mark.django_db


def test_it_moves_a_case_and_records_timeline_and_audit(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    case.refresh_from_db()
    assert case.status == Status.COUNSELLING
    entry = case.timeline.filter(kind=TimelineKind.TRANSITION).get()
    assert (entry.from_status, entry.to_status, entry.actor) == (
        Status.REGISTERED, Status.COUNSELLING, world.carla)
    event = AuditEvent.objects.get(case=case, event_type=AuditType.CASE_TRANSITIONED)
    assert event.extra["old"] == {"status": "registered"}
    assert event.extra["new"] == {"status": "counselling"}


def test_it_records_nothing_when_moving_to_the_current_status(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    before = TimelineEntry.objects.count()
    transition_case(case, "counselling", actor=world.carla)
    assert TimelineEntry.objects.count() == before


def test_it_requires_a_reason_to_withdraw(world):
    case = open_case(world)
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "withdrawn", actor=world.carla, reason="  ")
    assert exc.value.messages == ["Give a reason."]
    transition_case(case, "withdrawn", actor=world.carla, reason="Wants to stay with family")
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    assert case.timeline.first().reason == "Wants to stay with family"


def test_it_refuses_approval_by_the_assigned_caseworker_and_lists_every_unmet_guard(world):
    case = open_case(world, person=person_data(nationality="NGA"))
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    case.assignee = world.sam  # the supervisor is also the assignee: four-eyes fails
    case.save(update_fields=["assignee"])
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "approved", actor=world.sam)
    assert len(exc.value.messages) == 2
    assert "nationality (Nigeria) is not eligible" in exc.value.messages[0]
    assert "other than the assigned caseworker" in exc.value.messages[1]


def test_it_refuses_a_role_that_may_not_perform_the_transition(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    with pytest.raises(NotAllowed):
        transition_case(case, "approved", actor=world.carla)
    transition_case(case, "approved", actor=world.sam)
    assert case.status == Status.APPROVED


def test_it_hands_over_on_departure_and_lets_the_origin_office_confirm_arrival(world):
    case = open_case(world)
    prepare_application(world, case)
    prepare_travel(world, case)
    walk(world, case, ("counselling", world.carla), ("applied", world.carla),
         ("approved", world.sam), ("preparing_departure", world.max),
         ("ready_to_travel", world.max), ("departed", world.max))
    assert case.handed_over_at is not None
    assert [o.transition.name for o in transition_options(case, world.rita)][:1] == ["arrived"]
    receive(world, case)
    transition_case(case, "arrived", actor=world.rita)
    assert case.status == Status.ARRIVED


def test_it_resumes_a_held_case_where_it_was(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    transition_case(case, "on_hold", actor=world.carla, reason="Return suspended")
    assert case.held_from == Status.COUNSELLING
    transition_case(case, "resume", actor=world.carla)
    assert case.status == Status.COUNSELLING


def _with_child(world):
    case = open_case(world)
    register_and_add_member(
        actor=world.carla, case=case,
        person=person_data(given_name="Sara", given_name_original="سارة", sex="F",
                           date_of_birth=datetime.date(2015, 2, 3)),
        member={"relationship": "child", "category": "asylum_rejected",
                "vulnerabilities": []})
    return case


def test_it_refuses_the_application_without_consent_and_a_wish_to_return(world):
    case = _with_child(world)
    transition_case(case, "counselling", actor=world.carla)
    record_session(actor=world.carla, case=case, data={
        "date": timezone.localdate(), "mode": "in_person", "language": "arb",
        "position": "undecided"})
    record_consent(actor=world.carla, case=case, person=case.principal.person,
                   purpose="processing", given_on=timezone.localdate(), form_version="C-1")
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "applied", actor=world.carla)
    assert exc.value.messages == [
        "Record consent to processing for: Sara Al-Rashid (سارة الرشيد).",
        "Record a counselling session in which the person says they wish to return.",
        "Print the voluntary return declaration, have it signed, and record the signed copy "
        "under “Voluntary return declaration” on the case page.",
    ]
    case.refresh_from_db()
    assert case.status == Status.COUNSELLING
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    assert case.status == Status.APPLIED


def _preparing_departure(world):
    case = _with_child(world)
    prepare_application(world, case)
    for name, actor in [("counselling", world.carla), ("applied", world.carla),
                        ("approved", world.sam), ("preparing_departure", world.max)]:
        transition_case(case, name, actor=actor)
    return case


def test_it_keeps_a_case_from_travelling_until_every_member_is_fit(world):
    case = _preparing_departure(world)
    child = case.members.order_by("id").last().person
    prepare_travel(world, case)
    booked = book_travel(world, case)
    record_assessment(actor=world.mona, case=case, person=child, data={
        "outcome": "unfit", "assessed_on": timezone.localdate()})
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "ready_to_travel", actor=world.max)
    assert len(exc.value.messages) == 1
    assert "Not yet assessed fit to travel" in exc.value.messages[0]
    assert "Sara Al-Rashid" in exc.value.messages[0]
    assert "Ahmed" not in exc.value.messages[0]
    # Pending counts as not fit either.
    record_assessment(actor=world.mona, case=case, person=child, data={
        "outcome": "pending", "assessed_on": timezone.localdate()})
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "ready_to_travel", actor=world.max)
    assert "Sara Al-Rashid" in exc.value.messages[0]
    record_assessment(actor=world.mona, case=case, person=child, data={
        "outcome": "fit_with_escort", "assessed_on": timezone.localdate()})
    # Fit with a medical escort: the booked itinerary has none.
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "ready_to_travel", actor=world.max)
    assert exc.value.messages == [
        "Sara Al-Rashid (سارة الرشيد) needs a medical escort on every leg. Add the escort to "
        "each leg of the itinerary (cancel the booked one and book it again with the "
        "escort)."]
    cancel_itinerary(actor=world.max, itinerary=booked, version=booked.version,
                     reason="Needs a medical escort")
    rebooked = book_travel(world, case)  # planned again, with the escort she needs
    assert {e.kind for leg in rebooked.legs.all() for e in leg.escorts.all()} == {"medical"}
    transition_case(case, "ready_to_travel", actor=world.max)
    assert case.status == Status.READY_TO_TRAVEL


def test_it_names_members_not_yet_assessed_and_without_consent_to_share(world):
    case = _preparing_departure(world)
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "ready_to_travel", actor=world.max)
    names = "Ahmed Al-Rashid (أحمد الرشيد), Sara Al-Rashid (سارة الرشيد)"
    assert exc.value.messages == [
        f"Record consent to sharing with the office in the country of origin for: {names}.",
        f"Not yet assessed fit to travel (unfit, pending or not assessed): {names}. The "
        "medical officer records fitness to travel for each member.",
        "Set the planned departure date on the case, so that the travel documents can be "
        f"checked against it. No issued or collected travel document for: {names}. Record "
        "each one's passport, identity card or emergency travel document under Travel "
        "documents on the case page.",
        f"No booked itinerary for: {names}. Record the itinerary under Itineraries on the "
        "case page and book it.",
    ]
    assert case.status == Status.PREPARING_DEPARTURE


def test_withdrawing_consent_to_share_with_the_origin_blocks_travel_again(world):
    case = _preparing_departure(world)
    prepare_travel(world, case)
    book_travel(world, case)
    ready = next(o for o in transition_options(case, world.max)
                 if o.transition.name == "ready_to_travel")
    assert ready.unmet == []
    consent = Consent.objects.get(person=case.principal.person, purpose="origin_office",
                                  withdrawn_at__isnull=True)
    withdraw_consent(actor=world.carla, consent=consent, reason="Does not want it shared")
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "ready_to_travel", actor=world.max)
    assert exc.value.messages == [
        "Record consent to sharing with the office in the country of origin for: "
        "Ahmed Al-Rashid (أحمد الرشيد)."]
    record_consents(world, case, "origin_office")
    transition_case(case, "ready_to_travel", actor=world.max)
    assert case.status == Status.READY_TO_TRAVEL


def test_it_will_not_resume_a_held_case_whose_status_no_longer_holds(world):
    case = open_case(world)
    prepare_application(world, case)
    for name, actor in [("counselling", world.carla), ("applied", world.carla),
                        ("approved", world.sam), ("preparing_departure", world.max)]:
        transition_case(case, name, actor=actor)
    prepare_travel(world, case)
    book_travel(world, case)
    transition_case(case, "ready_to_travel", actor=world.max)
    transition_case(case, "on_hold", actor=world.max, reason="Return suspended")
    consent = Consent.objects.get(person=case.principal.person,
                                  purpose=ConsentPurpose.ORIGIN_OFFICE,
                                  withdrawn_at__isnull=True)
    withdraw_consent(actor=world.carla, consent=consent, reason="Changed their mind")
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "resume", actor=world.max)
    assert "sharing with the office in the country of origin" in exc.value.messages[0]
