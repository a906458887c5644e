"""The ready_to_travel guard: no active suspension for the case's destination."""

import pytest

from retorno.cases.models import Status
from retorno.cases.services import transition_case, update_case
from retorno.lib.errors import GuardsFailed, Invalid
from retorno.suspensions.services import lift_suspension
from retorno.suspensions.tests.builders import in_days, preparing_departure, suspend
from retorno.testing.personas import book_travel

pytestmark = pytest.mark.django_db


def _unmet(world, case) -> list[str]:
    with pytest.raises(GuardsFailed) as refused:
        transition_case(case, "ready_to_travel", actor=world.max)
    case.refresh_from_db()
    assert case.status == Status.PREPARING_DEPARTURE
    return refused.value.messages


def _ready(world, case) -> None:
    transition_case(case, "ready_to_travel", actor=world.max)
    case.refresh_from_db()
    assert case.status == Status.READY_TO_TRAVEL


def test_a_suspension_of_the_whole_country_blocks_and_lifting_unblocks(world):
    case = preparing_departure(world)
    suspension = suspend(world)
    assert _unmet(world, case) == [
        "Returns to Iraq are suspended until lifted: Fighting near the airport. Wait until "
        "the suspension ends or is lifted, or put the case on hold."]
    lift_suspension(actor=world.sam, suspension=suspension, reason="Calm", version=1)
    _ready(world, case)


def test_a_subdivision_suspension_blocks_only_cases_to_that_subdivision(world):
    suspend(world, subdivision="IQ-NI", ends_on=in_days(60), reason="Floods")
    to_baghdad = preparing_departure(world, destination_subdivision="IQ-BG")
    _ready(world, to_baghdad)
    to_mosul = preparing_departure(world, book=False, destination_subdivision="IQ-NI")
    with pytest.raises(Invalid) as refused:
        book_travel(world, to_mosul)
    assert refused.value.messages[0].startswith(
        "Returns to Nīnawá (IQ-NI), Iraq are suspended until ")
    booking, message = _unmet(world, to_mosul)
    assert booking.startswith("No booked itinerary for: Ahmed")
    assert message.startswith("Returns to Nīnawá (IQ-NI), Iraq are suspended until ")
    assert "Floods" in message and "put the case on hold" in message
    # A case with no subdivision is blocked by the whole country's suspensions only.
    _ready(world, preparing_departure(world))


def test_a_future_suspension_blocks_a_booking_it_covers_not_the_step_before_it_starts(world):
    # The journey is in four weeks (prepare_travel): a suspension from the day after the
    # arrival lets the booking and the step through.
    suspend(world, starts_on=in_days(29))
    _ready(world, preparing_departure(world))
    # One from the day after tomorrow covers the journey: booking is refused …
    suspend(world, starts_on=in_days(2))
    case = preparing_departure(world, book=False)
    with pytest.raises(Invalid, match="Iraq are suspended from"):
        book_travel(world, case)
    # … while a case booked before it was set may still be marked ready today (its booking
    # is flagged for review: test_flagging.py).


def test_another_country_does_not_block(world):
    suspend(world, country="SYR")
    _ready(world, preparing_departure(world))


def test_the_case_subdivision_must_belong_to_its_destination(world):
    case = preparing_departure(world)
    with pytest.raises(Invalid) as refused:
        update_case(actor=world.carla, case=case, version=case.version,
                    data={"destination_subdivision": "SY-DI"})
    assert refused.value.field_errors["destination_subdivision"] == [
        "SY-DI (Dimashq) is not in Iraq."]
    case.refresh_from_db()
    assert case.destination_subdivision == ""
