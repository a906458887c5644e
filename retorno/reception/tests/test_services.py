import datetime

import pytest
from django.utils import timezone

from retorno.cases.models import Status, TimelineKind
from retorno.cases.services import transition_case
from retorno.lib.errors import GuardsFailed, Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.reception import services
from retorno.reception.models import Reception
from retorno.reception.tests.builders import (
    accepted,
    arrival_data,
    departed,
    handed_over,
    other_origin_officer,
    plan_data,
    yesterday,
)
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


# ---- accepting the handover ------------------------------------------------------------


def test_it_accepts_a_handover_with_audit_timeline_and_closes_the_task(world):
    case = handed_over(world)
    task = Task.objects.get(case=case, kind=TaskKind.ACCEPT_HANDOVER)
    assert task.status == TaskStatus.OPEN and task.office == world.baghdad
    reception = services.accept_handover(actor=world.rita, case=case)
    stored = Reception.objects.get(case=case)
    assert stored.pk == reception.pk and stored.accepted_by == world.rita
    assert stored.version == 1 and stored.arrived_on is None
    event = AuditEvent.objects.get(event_type=AuditType.HANDOVER_ACCEPTED)
    assert event.case == case and event.office == world.baghdad and event.actor == world.rita
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED and entry.summary == "Handover accepted by Baghdad"
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_by == world.rita


@pytest.mark.parametrize("persona", ["carla", "sam", "max", "emil", "otto", "vera"])
def test_it_lets_only_the_origin_office_accept(world, persona):
    case = handed_over(world)
    with pytest.raises(NotAllowed) as refused:
        services.accept_handover(actor=world.users[persona], case=case)
    assert "office of origin" in refused.value.messages[0]
    assert not Reception.objects.exists()


def test_it_refuses_another_origin_office(world):
    case = handed_over(world)
    with pytest.raises(NotAllowed):
        services.accept_handover(actor=other_origin_officer(), case=case)
    assert not Reception.objects.exists()


def test_it_refuses_a_case_not_handed_over(world):
    case = open_case(world)
    with pytest.raises(Invalid) as refused:
        services.accept_handover(actor=world.rita, case=case)
    assert "has not been handed over" in refused.value.messages[0]
    assert not Reception.objects.exists()


def test_it_refuses_to_accept_twice_or_a_case_that_ended(world):
    case = handed_over(world)
    services.accept_handover(actor=world.rita, case=case)
    with pytest.raises(Invalid) as refused:
        services.accept_handover(actor=world.rita, case=case)
    assert "already accepted" in refused.value.messages[0]
    assert Reception.objects.count() == 1
    other = handed_over(world)
    transition_case(other, "withdrawn", actor=world.carla, reason="Changed their mind")
    with pytest.raises(Invalid) as refused:
        services.accept_handover(actor=world.rita, case=other)
    assert "can no longer be changed" in refused.value.messages[0]
    assert AuditEvent.objects.filter(event_type=AuditType.HANDOVER_ACCEPTED).count() == 1


# ---- the reception plan ---------------------------------------------------------------


def test_it_plans_the_reception_with_audit_and_a_timeline_without_amounts(world):
    reception = accepted(world)
    services.plan_reception(actor=world.rita, reception=reception, data=plan_data(),
                            version=1)
    stored = Reception.objects.get(pk=reception.pk)
    assert stored.final_destination == "Basra" and stored.pocket_money == 150000
    assert stored.pocket_money_currency == "IQD" and stored.version == 2
    event = AuditEvent.objects.get(event_type=AuditType.RECEPTION_CHANGED)
    assert event.extra["part"] == "plan" and event.office == world.baghdad
    assert event.extra["new"]["pocket_money"] == "150000.000"
    assert event.extra["old"]["final_destination"] == ""
    entry = reception.case.timeline.first()
    assert entry.summary.startswith("Reception plan changed: ")
    assert "final destination" in entry.summary and "reception pocket money" in entry.summary
    assert "150" not in entry.summary and "Basra" not in entry.summary
    assert "Layla" not in entry.summary


def test_it_records_nothing_when_the_plan_did_not_change(world):
    reception = accepted(world)
    services.plan_reception(actor=world.rita, reception=reception, data=plan_data(),
                            version=1)
    reception = Reception.objects.select_related("case").get(pk=reception.pk)
    services.plan_reception(actor=world.rita, reception=reception,
                            data=plan_data(pocket_money="150000.000", met_by=" Layla Hassan, "
                                           "IOM Baghdad "), version=2)
    assert Reception.objects.get(pk=reception.pk).version == 2
    assert AuditEvent.objects.filter(event_type=AuditType.RECEPTION_CHANGED).count() == 1


def test_it_refuses_a_stale_version_and_overwrites_nothing(world):
    reception = accepted(world)
    services.plan_reception(actor=world.rita, reception=reception,
                            data={"final_destination": "Basra"}, version=1)
    stale = Reception.objects.select_related("case").get(pk=reception.pk)
    with pytest.raises(StaleVersion):
        services.plan_reception(actor=world.rita, reception=stale,
                                data={"final_destination": "Mosul"}, version=1)
    assert Reception.objects.get(pk=reception.pk).final_destination == "Basra"
    assert AuditEvent.objects.filter(event_type=AuditType.RECEPTION_CHANGED).count() == 1


@pytest.mark.parametrize(("money", "field"), [
    ({"pocket_money": "150.5", "pocket_money_currency": "IQD"}, "pocket_money"),
    ({"pocket_money": "12.345", "pocket_money_currency": "EUR"}, "pocket_money"),
    ({"pocket_money": "-5", "pocket_money_currency": "EUR"}, "pocket_money"),
    ({"pocket_money": "100", "pocket_money_currency": ""}, "pocket_money_currency"),
    ({"pocket_money": None, "pocket_money_currency": "USD"}, "pocket_money"),
    ({"pocket_money": "100", "pocket_money_currency": "XYZ"}, "pocket_money_currency"),
])
def test_it_refuses_bad_pocket_money(world, money, field):
    reception = accepted(world)
    with pytest.raises(Invalid) as refused:
        services.plan_reception(actor=world.rita, reception=reception,
                                data=plan_data(**money), version=1)
    assert field in refused.value.field_errors, refused.value.messages
    stored = Reception.objects.get(pk=reception.pk)
    assert stored.version == 1 and stored.pocket_money is None
    assert not AuditEvent.objects.filter(event_type=AuditType.RECEPTION_CHANGED).exists()


def test_it_refuses_unknown_fields_and_strangers_to_the_plan(world):
    reception = accepted(world)
    with pytest.raises(Invalid) as refused:
        services.plan_reception(actor=world.rita, reception=reception,
                                data={"arrived_on": timezone.localdate()}, version=1)
    assert "Unknown fields: arrived_on." in refused.value.messages
    for persona in ("sam", "max", "emil"):
        with pytest.raises(NotAllowed):
            services.plan_reception(actor=world.users[persona], reception=reception,
                                    data={"final_destination": "Mosul"}, version=1)
    assert Reception.objects.get(pk=reception.pk).version == 1


# ---- the arrival -----------------------------------------------------------------------


def test_it_records_the_arrival_once_departed(world):
    case = departed(world)
    reception = Reception.objects.select_related("case").get(case=case)
    with pytest.raises(Invalid) as refused:
        services.record_arrival(actor=world.rita, reception=accepted(world),
                                data=arrival_data(), version=1)
    assert "once the returnees have departed" in refused.value.messages[0]
    services.record_arrival(actor=world.rita, reception=reception, data=arrival_data(),
                            version=reception.version)
    stored = Reception.objects.get(pk=reception.pk)
    assert stored.arrived_on == timezone.localdate() and stored.met_on_arrival is True
    event = AuditEvent.objects.get(event_type=AuditType.RECEPTION_CHANGED)
    assert event.extra["part"] == "arrival"
    assert event.extra["new"]["arrived_on"] == timezone.localdate().isoformat()
    entry = case.timeline.first()
    assert entry.summary.startswith("Arrival recorded: arrived on")
    assert "Tired" not in entry.summary


def test_it_refuses_arrival_dates_in_the_future_or_before_departure(world):
    case = departed(world)
    reception = Reception.objects.select_related("case").get(case=case)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for data, field, message in [
        ({"arrived_on": tomorrow}, "arrived_on", "cannot be in the future"),
        ({"arrived_on": yesterday()}, "arrived_on", "cannot be before the departure"),
        ({"arrived_on": None, "pocket_money_paid_on": timezone.localdate()},
         "pocket_money_paid_on", "Give the arrival date first"),
        ({"pocket_money_paid_on": tomorrow}, "pocket_money_paid_on", "in the future"),
    ]:
        with pytest.raises(Invalid) as refused:
            services.record_arrival(actor=world.rita, reception=reception,
                                    data=arrival_data(**data), version=reception.version)
        assert message in " ".join(refused.value.field_errors[field]), data
    assert Reception.objects.get(pk=reception.pk).arrived_on is None


# ---- the guard of the `arrived` step ---------------------------------------------------


def test_it_confirms_arrival_only_once_accepted_and_recorded_then_reintegration(world):
    case = departed(world, accepted=False)
    with pytest.raises(GuardsFailed) as refused:
        transition_case(case, "arrived", actor=world.rita)
    assert refused.value.messages[0].startswith("Accept the handover of this case")
    services.accept_handover(actor=world.rita, case=case)
    with pytest.raises(GuardsFailed) as refused:
        transition_case(case, "arrived", actor=world.rita)
    assert refused.value.messages == [
        "Record the arrival (date, met at the airport…) under Reception on the case page."]
    reception = Reception.objects.select_related("case").get(case=case)
    services.record_arrival(actor=world.rita, reception=reception,
                            data={"arrived_on": timezone.localdate()}, version=1)
    transition_case(case, "arrived", actor=world.rita)
    assert case.status == Status.ARRIVED
    # Arrived: the date stays, and the plan can still be completed.
    reception = Reception.objects.select_related("case").get(case=case)
    with pytest.raises(Invalid) as refused:
        services.record_arrival(actor=world.rita, reception=reception,
                                data={"arrived_on": None}, version=reception.version)
    assert "cannot be removed" in refused.value.messages[0]
    services.plan_reception(actor=world.rita, reception=reception,
                            data={"final_destination": "Basra"}, version=reception.version)
    transition_case(case, "reintegration", actor=world.rita)
    assert case.status == Status.REINTEGRATION
    reception = Reception.objects.select_related("case").get(case=case)
    with pytest.raises(Invalid):
        services.plan_reception(actor=world.rita, reception=reception,
                                data={"final_destination": "Mosul"}, version=reception.version)
    with pytest.raises(Invalid):
        services.record_arrival(actor=world.rita, reception=reception,
                                data={"arrival_notes": "Late"}, version=reception.version)
