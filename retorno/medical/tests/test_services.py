import datetime
import json

import pytest
from django.test import RequestFactory
from django.utils import timezone

from retorno.cases import services as case_services
from retorno.cases.models import TimelineKind
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.medical import services
from retorno.medical.fitness import current_fitness, needs_escort, unfit_or_pending
from retorno.medical.models import FitnessAssessment
from retorno.medical.sections import case_section
from retorno.medical.tests.builders import DETAIL, assessment_data, record
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case, open_case_with_child

pytestmark = pytest.mark.django_db


def test_it_records_an_assessment_with_audit_and_timeline(world):
    case = open_case(world)
    assessment = record(case, world.mona)
    stored = FitnessAssessment.objects.get(pk=assessment.pk)
    assert stored.person == case.principal.person and stored.assessed_by == world.mona
    assert stored.special_needs == ["wheelchair", "other"] and stored.detail == DETAIL
    # Fit with a medical escort: the escort is required, whatever was sent.
    assert stored.escort_required is True and stored.version == 1
    event = AuditEvent.objects.get(case=case, event_type=AuditType.FITNESS_RECORDED)
    assert event.target_type == "fitnessassessment" and event.target_id == assessment.pk
    assert event.actor == world.mona and event.office == world.berlin
    assert event.extra["new"]["outcome"] == "fit_with_escort"
    assert event.extra["new"]["person"] == case.principal.person_id
    # Supervisors and the DP focal point read the audit log: never the detail.
    assert "detail" not in event.extra["new"] and event.extra["detail_given"] is True
    assert "metformin" not in json.dumps(event.extra)
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED and entry.actor == world.mona
    assert "Fit to travel with a medical escort" in entry.summary
    assert "metformin" not in entry.summary


def test_it_updates_with_the_current_version_without_auditing_the_detail(world):
    case = open_case(world)
    assessment = record(case, world.mona)
    services.update_assessment(actor=world.mona, assessment=assessment, version=1,
                               data={"outcome": "unfit", "detail": "Unstable angina."})
    stored = FitnessAssessment.objects.get(pk=assessment.pk)
    assert (stored.outcome, stored.detail, stored.version) == ("unfit", "Unstable angina.", 2)
    # The escort flag, once derived, stays until it is unticked.
    assert stored.escort_required is True
    event = AuditEvent.objects.get(case=case, event_type=AuditType.FITNESS_CHANGED)
    assert event.extra == {"old": {"outcome": "fit_with_escort"}, "new": {"outcome": "unfit"},
                           "detail_changed": True}
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED and "angina" not in entry.summary


def test_it_refuses_a_stale_version_and_overwrites_nothing(world):
    case = open_case(world)
    assessment = record(case, world.mona)
    first = FitnessAssessment.objects.get(pk=assessment.pk)
    services.update_assessment(actor=world.mona, assessment=first, version=1,
                               data={"outcome": "fit"})
    events, entries = AuditEvent.objects.count(), case.timeline.count()
    stale = FitnessAssessment.objects.select_related("person").get(pk=assessment.pk)
    with pytest.raises(StaleVersion):
        services.update_assessment(actor=world.mona, assessment=stale, version=1,
                                   data={"outcome": "unfit", "detail": "Overwritten"})
    stored = FitnessAssessment.objects.get(pk=assessment.pk)
    assert (stored.outcome, stored.detail, stored.version) == ("fit", DETAIL, 2)
    assert AuditEvent.objects.count() == events and case.timeline.count() == entries


def test_it_records_nothing_when_nothing_changed(world):
    case = open_case(world)
    assessment = record(case, world.mona)
    services.update_assessment(actor=world.mona, assessment=assessment, version=1,
                               data={"outcome": "fit_with_escort", "escort_required": False})
    assert not AuditEvent.objects.filter(event_type=AuditType.FITNESS_CHANGED).exists()
    assert FitnessAssessment.objects.get(pk=assessment.pk).version == 1


@pytest.mark.parametrize("persona", ["carla", "sam", "max", "dana", "pia"])
def test_it_refuses_everyone_but_the_medical_officer(world, persona):
    case = open_case(world)
    with pytest.raises(NotAllowed):
        record(case, world.users[persona])
    assessment = record(case, world.mona)
    with pytest.raises(NotAllowed):
        services.update_assessment(actor=world.users[persona], assessment=assessment,
                                   version=1, data={"detail": "Not mine to write"})
    assert FitnessAssessment.objects.get().detail == DETAIL


def test_it_refuses_invalid_input_with_messages_per_field(world):
    case = open_case(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        record(case, world.mona, outcome="maybe", special_needs=["jetpack"],
               special_needs_other="",
               assessed_on=tomorrow)
    assert set(refused.value.field_errors) == {"outcome", "special_needs", "assessed_on"}
    with pytest.raises(Invalid) as refused:
        record(case, world.mona, special_needs_other="  ")
    assert set(refused.value.field_errors) == {"special_needs_other"}
    with pytest.raises(Invalid) as refused:
        record(case, world.mona, special_needs=["oxygen"])
    assert set(refused.value.field_errors) == {"special_needs_other"}
    with pytest.raises(Invalid):
        services.record_assessment(actor=world.mona, case=case, person=case.principal.person,
                                   data=assessment_data(assessed_by=world.carla.pk))
    stranger = open_case(world).principal.person
    with pytest.raises(Invalid):
        record(case, world.mona, person=stranger)
    assert not FitnessAssessment.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditType.FITNESS_RECORDED).exists()


def test_it_refuses_a_closed_case(world):
    case = open_case(world)
    case_services.transition_case(case, "withdrawn", actor=world.carla, reason="Changed")
    with pytest.raises(Invalid):
        record(case, world.mona)


def test_it_keeps_history_and_takes_the_newest_as_current(world):
    case, child = open_case_with_child(world)
    assert current_fitness(case) == {case.principal.pk: None, child.pk: None}
    assert unfit_or_pending(case) == [case.principal.person, child.person]
    older = record(case, world.mona, outcome="pending", assessed_on=datetime.date(2026, 3, 1))
    newer = record(case, world.mona, outcome="fit", special_needs=[],
                   special_needs_other="", assessed_on=datetime.date(2026, 3, 5))
    # Recorded later but assessed earlier: history, not the current one.
    record(case, world.mona, outcome="unfit", assessed_on=datetime.date(2026, 2, 1))
    unfit_child = record(case, world.mona, person=child.person, outcome="unfit",
                         escort_required=True)
    current = current_fitness(case)
    assert current == {case.principal.pk: newer, child.pk: unfit_child}
    assert older.pk != newer.pk and FitnessAssessment.objects.count() == 4
    assert unfit_or_pending(case) == [child.person]
    assert needs_escort(case) == [child.person]
    record(case, world.mona, person=child.person, outcome="fit",
           special_needs=[], special_needs_other="", assessed_on=datetime.date(2026, 3, 9))
    assert unfit_or_pending(case) == [] and needs_escort(case) == []


def test_it_keeps_the_assessments_of_a_member_taken_off_the_case(world):
    case, child = open_case_with_child(world)
    record(case, world.mona, person=child.person)
    case_services.remove_member(actor=world.carla, case=case, member=child)
    assert FitnessAssessment.objects.filter(person=child.person).count() == 1
    assert list(current_fitness(case)) == [case.principal.pk]


def test_it_shows_the_detail_to_the_medical_officer_only(world):
    case = open_case(world)
    record(case, world.mona)
    request = RequestFactory().get("/")
    for persona, shown in [("mona", True), ("carla", False), ("sam", False), ("max", False),
                           ("dana", False)]:
        request.user = world.users[persona]
        context = case_section(request, case)
        assert len(context["rows"]) == 1 and context["rows"][0][1] is not None
        assert context["show_detail"] is shown, persona
        assert context["can_record"] is shown, persona
