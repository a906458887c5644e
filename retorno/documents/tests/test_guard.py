"""The ready_to_travel guard: every member holds an issued or collected travel document
valid on the planned departure date, before the itinerary is booked (journeys across
time zones, once booked: travel/tests/test_document_expiry.py)."""

import datetime

import pytest
from django.utils import timezone

from retorno.cases.models import Status
from retorno.cases.services import register_and_add_member, transition_case, update_case
from retorno.cases.workflow import Attempt
from retorno.documents import services
from retorno.documents.guards import travel_documents_valid, without_valid_document
from retorno.documents.tests.builders import held, in_days, record, requested
from retorno.lib.errors import GuardsFailed
from retorno.testing.personas import (
    book_travel,
    open_case,
    person_data,
    prepare_application,
    prepare_travel,
)

pytestmark = pytest.mark.django_db

AHMED = "Ahmed Al-Rashid (أحمد الرشيد)"
SARA = "Sara Al-Rashid (سارة الرشيد)"
PLANNED = datetime.date(2031, 5, 17)


def _preparing_departure(world):
    """A case that has everything ready_to_travel needs, a passport for the principal
    (from prepare_travel) included."""
    case = open_case(world)
    prepare_application(world, case)
    for name, actor in [("counselling", world.carla), ("applied", world.carla),
                        ("approved", world.sam), ("preparing_departure", world.max)]:
        transition_case(case, name, actor=actor)
    prepare_travel(world, case)
    return case


def _add_sara(world, case):
    return register_and_add_member(
        actor=world.carla, case=case,
        person=person_data(given_name="Sara", given_name_original="سارة", sex="F",
                           date_of_birth=datetime.date(2015, 2, 3)),
        member={"relationship": "child", "category": "asylum_rejected",
                "vulnerabilities": []}).person


def _plan(world, case, day: datetime.date | None) -> None:
    update_case(actor=world.carla, case=case, version=case.version,
                data={"planned_departure_on": day})


def _expire(world, person, day: datetime.date) -> None:
    for document in person.travel_documents.all():
        services.update_document(actor=world.max, document=document, version=document.version,
                                 data={"issued_on": in_days(-3000), "expires_on": day})


def _unmet(world, case) -> list[str]:
    with pytest.raises(GuardsFailed) as refused:
        transition_case(case, "ready_to_travel", actor=world.max)
    case.refresh_from_db()
    assert case.status == Status.PREPARING_DEPARTURE
    # These cases are booked only at the end: that guard's message is not the subject.
    return [m for m in refused.value.messages if not m.startswith("No booked itinerary")]


def _guard(world, case) -> str | None:
    return travel_documents_valid(Attempt(case, world.max, "", timezone.localdate()))


def test_it_asks_for_the_planned_departure_date(world):
    case = _preparing_departure(world)
    _plan(world, case, None)
    assert _unmet(world, case) == [
        "Set the planned departure date on the case, so that the travel documents can be "
        "checked against it."]


def test_it_names_the_members_whose_document_expires_before_departure(world):
    case = _preparing_departure(world)
    sara = _add_sara(world, case)
    prepare_travel(world, case)  # Sara's consent, fitness and passport
    _plan(world, case, PLANNED)
    soon = in_days(3)
    _expire(world, case.principal.person, soon)
    _expire(world, sara, soon)
    assert _unmet(world, case) == [
        f"Travel document expires before the end of the journey: {AHMED} (expires "
        f"{soon:%m/%d/%Y}, travels until 05/17/2031), {SARA} (expires {soon:%m/%d/%Y}, "
        "travels until 05/17/2031). Obtain a new document, or change the travel date."]
    # A document that expires on the day of departure still covers it.
    record(case, world.max, **held(number="N1", expires_on=PLANNED))
    assert _guard(world, case) == (
        f"Travel document expires before the end of the journey: {SARA} (expires "
        f"{soon:%m/%d/%Y}, travels until 05/17/2031). Obtain a new document, or change the "
        "travel date.")
    record(case, world.max, person=sara, **held(number="N2", expires_on=PLANNED
                                                + datetime.timedelta(days=1)))
    book_travel(world, case)
    transition_case(case, "ready_to_travel", actor=world.max)
    assert case.status == Status.READY_TO_TRAVEL


def test_it_counts_only_issued_or_collected_documents(world):
    case = _preparing_departure(world)
    sara = _add_sara(world, case)
    assert without_valid_document(case) == [sara]
    lacking = (f"No issued or collected travel document for: {SARA}. Record each one's "
               "passport, identity card or emergency travel document under Travel documents "
               "on the case page.")
    etd = requested(case, world.max, person=sara)
    assert _guard(world, case) == lacking
    services.change_status(actor=world.max, document=etd, to="refused", version=etd.version,
                           data={"refusal_reason": "Identity not confirmed"})
    assert _guard(world, case) == lacking
    services.change_status(actor=world.max, document=etd, to="to_request", version=etd.version)
    services.change_status(actor=world.max, document=etd, to="requested", version=etd.version,
                           data={"requested_on": in_days(0)})
    assert _guard(world, case) == lacking
    services.change_status(actor=world.max, document=etd, to="issued", version=etd.version,
                           data={"number": "E100", "expires_on": in_days(60)})
    # Issued is enough: collecting it is a step of its own.
    assert _guard(world, case) is None and without_valid_document(case) == []
    prepare_travel(world, case)  # Sara's consent and fitness; her document is there
    assert sara.travel_documents.count() == 1
    book_travel(world, case)
    transition_case(case, "ready_to_travel", actor=world.max)
    assert case.status == Status.READY_TO_TRAVEL


def test_it_says_everything_that_is_missing_at_once(world):
    case = _preparing_departure(world)
    _add_sara(world, case)
    _plan(world, case, None)
    assert _guard(world, case) == (
        "Set the planned departure date on the case, so that the travel documents can be "
        f"checked against it. No issued or collected travel document for: {SARA}. Record "
        "each one's passport, identity card or emergency travel document under Travel "
        "documents on the case page.")


def test_it_is_met_by_what_prepare_travel_records(world):
    case = _preparing_departure(world)
    assert case.planned_departure_on == in_days(28)
    assert [d.status for d in case.travel_documents.all()] == ["collected"]
    prepare_travel(world, case)  # nothing more to record
    assert case.travel_documents.count() == 1
    book_travel(world, case)
    transition_case(case, "ready_to_travel", actor=world.max)
    assert case.status == Status.READY_TO_TRAVEL
