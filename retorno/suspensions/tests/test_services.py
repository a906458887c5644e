"""Setting and lifting suspensions: validation, permission, audit, concurrency."""

import pytest

from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.suspensions.models import ReturnSuspension
from retorno.suspensions.services import lift_suspension, set_suspension
from retorno.suspensions.tests.builders import in_days, suspend, suspension_data

pytestmark = pytest.mark.django_db


def refused(world, **overrides) -> Invalid:
    with pytest.raises(Invalid) as caught:
        suspend(world, **overrides)
    assert not ReturnSuspension.objects.exists()
    return caught.value


def test_a_supervisor_suspends_returns_to_a_subdivision(world):
    suspension = suspend(world, subdivision="iq-ni ", ends_on=in_days(30))
    assert (suspension.country, suspension.subdivision) == ("IRQ", "IQ-NI")
    assert suspension.set_by == world.sam and suspension.state() == "active"
    event = AuditEvent.objects.get(event_type=AuditType.SUSPENSION_SET)
    assert event.actor == world.sam and event.office_id is None
    assert event.extra["new"]["subdivision"] == "IQ-NI"


def test_it_refuses_a_subdivision_of_another_country(world):
    error = refused(world, subdivision="SY-DI")
    assert error.field_errors["subdivision"] == ["SY-DI (Dimashq) is not in Iraq."]


def test_it_refuses_an_unknown_subdivision_and_country(world):
    assert "IQ-ZZ is not an ISO 3166-2 subdivision code" in refused(
        world, subdivision="IQ-ZZ").field_errors["subdivision"][0]
    assert refused(world, country="XXX").field_errors["country"] == [
        "XXX is not an ISO 3166 country code."]


def test_it_refuses_an_end_before_the_start_or_in_the_past(world):
    error = refused(world, starts_on=in_days(10), ends_on=in_days(5))
    assert error.field_errors["ends_on"] == ["A suspension cannot end before it starts."]
    error = refused(world, starts_on=in_days(-10), ends_on=in_days(-1))
    assert "already over" in error.field_errors["ends_on"][0]


def test_it_asks_for_a_reason(world):
    assert "reason" in refused(world, reason="  ").field_errors


@pytest.mark.parametrize("persona", ["carla", "mona", "max", "rita", "dana", "paul", "stella"])
def test_only_supervisors_and_programme_managers_suspend(world, persona):
    with pytest.raises(NotAllowed):
        set_suspension(actor=world.users[persona], data=suspension_data())
    assert not ReturnSuspension.objects.exists()


@pytest.mark.parametrize("persona", ["sam", "vera", "pia"])
def test_supervisors_of_any_office_and_programme_managers_suspend(world, persona):
    assert set_suspension(actor=world.users[persona], data=suspension_data()).pk


def test_it_lifts_a_suspension_with_a_reason_and_records_it(world):
    suspension = suspend(world)
    lift_suspension(actor=world.pia, suspension=suspension, reason="Ceasefire holds",
                    version=suspension.version)
    suspension.refresh_from_db()
    assert suspension.state() == "lifted" and suspension.lifted_by == world.pia
    assert suspension.lift_reason == "Ceasefire holds" and suspension.version == 2
    event = AuditEvent.objects.get(event_type=AuditType.SUSPENSION_LIFTED)
    assert event.actor == world.pia
    assert event.extra["new"] == {"lift_reason": "Ceasefire holds", "unflagged_cases": []}


def test_it_refuses_to_lift_without_reason_twice_or_stale(world):
    suspension = suspend(world)
    with pytest.raises(Invalid, match="Say why"):
        lift_suspension(actor=world.sam, suspension=suspension, reason=" ", version=1)
    with pytest.raises(NotAllowed):
        lift_suspension(actor=world.carla, suspension=suspension, reason="x", version=1)
    with pytest.raises(StaleVersion):
        lift_suspension(actor=world.sam, suspension=ReturnSuspension.objects.get(),
                        reason="x", version=7)
    assert ReturnSuspension.objects.get().lifted_at is None
    lift_suspension(actor=world.sam, suspension=suspension, reason="Over", version=1)
    with pytest.raises(Invalid, match="already been lifted"):
        lift_suspension(actor=world.sam, suspension=suspension, reason="Again", version=2)
    assert AuditEvent.objects.filter(event_type=AuditType.SUSPENSION_LIFTED).count() == 1


def test_active_on_follows_the_period_and_the_lifting(world):
    whole = suspend(world, starts_on=in_days(-5), ends_on=in_days(5))
    later = suspend(world, starts_on=in_days(3))
    region = suspend(world, subdivision="IQ-BG")
    active = ReturnSuspension.objects.active_on
    assert set(active(in_days(0))) == {whole, region}
    assert set(active(in_days(4))) == {whole, later, region}
    assert set(active(in_days(6))) == {later, region}
    assert set(active(in_days(0)).for_destination("IRQ", "IQ-NI")) == {whole}
    assert set(active(in_days(0)).for_destination("IRQ", "IQ-BG")) == {whole, region}
    assert not active(in_days(0)).for_destination("SYR")
    lift_suspension(actor=world.sam, suspension=region, reason="Calm", version=1)
    assert set(active(in_days(0))) == {whole}
