import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from retorno.cases.models import TimelineKind
from retorno.counselling import services
from retorno.counselling.models import CounsellingSession
from retorno.counselling.sections import case_section
from retorno.counselling.tests.builders import record, session_data
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def test_it_records_a_session_with_audit_and_timeline(world):
    case = open_case(world)
    session = record(case, world.carla)
    stored = CounsellingSession.objects.get(pk=session.pk)
    assert stored.case == case and stored.recorded_by == world.carla
    assert stored.topics == ["return_process", "origin_housing"]
    assert stored.version == 1
    event = AuditEvent.objects.get(case=case, event_type=AuditType.COUNSELLING_RECORDED)
    assert event.target_type == "counsellingsession" and event.target_id == session.pk
    assert event.actor == world.carla and event.office == world.berlin
    assert event.extra["new"]["position"] == "undecided"
    assert event.extra["new"]["date"] == "2026-03-02"
    # The audit log is read outside the case team: it says notes were given, not what.
    assert "notes" not in event.extra["new"] and event.extra["notes_given"] is True
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.COUNSELLING and entry.actor == world.carla
    assert "Undecided" in entry.summary and "debts" not in entry.summary


def test_it_updates_with_the_current_version(world):
    case = open_case(world)
    session = record(case, world.carla)
    services.update_session(actor=world.sam, session=session, version=1,
                            data={"position": "wishes_to_return", "notes": "Decided."})
    stored = CounsellingSession.objects.get(pk=session.pk)
    assert (stored.position, stored.notes, stored.version) == ("wishes_to_return",
                                                               "Decided.", 2)
    event = AuditEvent.objects.get(case=case, event_type=AuditType.COUNSELLING_CHANGED)
    assert event.extra == {"old": {"position": "undecided"},
                           "new": {"position": "wishes_to_return"}, "notes_changed": True}
    assert case.timeline.first().kind == TimelineKind.COUNSELLING


def test_it_refuses_a_stale_version_and_overwrites_nothing(world):
    case = open_case(world)
    session = record(case, world.carla)
    first = CounsellingSession.objects.get(pk=session.pk)
    services.update_session(actor=world.carla, session=first, version=1,
                            data={"materials": "Booklet"})
    events = AuditEvent.objects.count()
    entries = case.timeline.count()
    stale = CounsellingSession.objects.get(pk=session.pk)
    with pytest.raises(StaleVersion):
        services.update_session(actor=world.sam, session=stale, version=1,
                                data={"materials": "Overwritten", "notes": "Overwritten"})
    stored = CounsellingSession.objects.get(pk=session.pk)
    assert stored.materials == "Booklet" and stored.notes == session.notes
    assert stored.version == 2
    assert AuditEvent.objects.count() == events and case.timeline.count() == entries


def test_it_records_nothing_when_nothing_changed(world):
    case = open_case(world)
    session = record(case, world.carla)
    services.update_session(actor=world.carla, session=session, version=1,
                            data={"position": "undecided"})
    assert not AuditEvent.objects.filter(event_type=AuditType.COUNSELLING_CHANGED).exists()
    assert CounsellingSession.objects.get(pk=session.pk).version == 1


@pytest.mark.parametrize("persona", ["max", "mona", "dana", "pia"])
def test_it_refuses_roles_outside_the_case_team(world, persona):
    case = open_case(world)
    with pytest.raises(NotAllowed):
        record(case, world.users[persona])
    session = record(case, world.carla)
    with pytest.raises(NotAllowed):
        services.update_session(actor=world.users[persona], session=session, version=1,
                                data={"notes": "Not mine to write"})
    assert CounsellingSession.objects.get(pk=session.pk).notes == session.notes
    assert CounsellingSession.objects.count() == 1


def test_it_refuses_invalid_input_with_messages_per_field(world):
    case = open_case(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        record(case, world.carla, language="xx1", topics=["astrology"], mode="letter",
               date=tomorrow)
    assert set(refused.value.field_errors) == {"language", "topics", "mode", "date"}
    with pytest.raises(Invalid):
        services.record_session(actor=world.carla, case=case,
                                data=session_data(status="closed"))
    assert not CounsellingSession.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditType.COUNSELLING_RECORDED).exists()


def test_it_refuses_a_closed_case(world):
    from retorno.cases.services import transition_case

    case = open_case(world)
    transition_case(case, "withdrawn", actor=world.carla, reason="Changed their mind")
    with pytest.raises(Invalid):
        record(case, world.carla)


def test_it_shows_notes_to_the_case_team_only(world):
    case = open_case(world)
    record(case, world.carla)
    request = RequestFactory().get("/")
    for persona, shown in [("carla", True), ("sam", True), ("max", False),
                           ("mona", False), ("dana", False)]:
        request.user = world.users[persona]
        context = case_section(request, case)
        assert len(context["sessions"]) == 1
        assert context["show_notes"] is shown, persona
        assert context["can_record"] is shown, persona
