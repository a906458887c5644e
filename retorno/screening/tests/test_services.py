import pytest
from django.test import RequestFactory

from retorno.cases.models import CaseMember, TimelineKind
from retorno.cases.services import set_member_vulnerabilities, transition_case
from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy.models import AuditEvent, AuditType
from retorno.screening import services
from retorno.screening.bid import needs_best_interest_determination
from retorno.screening.models import Screening
from retorno.screening.sections import case_section
from retorno.screening.tests.builders import SCREENED_ON, add, answers, born, case_of, screen
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def test_it_records_the_screening_with_flags_and_proposals(world):
    case = open_case(world)
    screening = screen(case, world.carla, None, "sexual_violence", notes="Spoke of Libya.")
    stored = Screening.objects.get(pk=screening.pk)
    assert stored.person == case.principal.person and stored.case == case
    assert stored.screened_by == world.carla and stored.screened_on == SCREENED_ON
    assert stored.answers["sexual_violence"] == "yes" and stored.answers["pregnant"] == "no"
    assert stored.flags == ["gbv"]
    assert stored.proposals == [{"flag": "gbv", "kind": "referral"}]
    assert "gender-based violence case management" in stored.proposal_rows()[0]["action"]


def test_it_adds_the_flags_to_the_members_vulnerabilities(world):
    case = open_case(world)
    child = add(case, world.carla, "other_relative", born(15), vulnerabilities=["disability"])
    screen(case, world.carla, child, "disability", "pregnant")
    assert CaseMember.objects.get(pk=child.pk).vulnerabilities == [
        "disability", "separated_child", "pregnant"]


def test_it_writes_audit_and_timeline_without_the_answers(world):
    case = open_case(world)
    version = case.version
    screening = screen(case, world.carla, None, "forced_work", notes="Owes 4000 EUR.")
    event = AuditEvent.objects.get(case=case, event_type=AuditType.SCREENING_RECORDED)
    assert event.target_type == "screening" and event.target_id == screening.pk
    assert event.actor == world.carla and event.office == world.berlin
    assert event.extra == {"new": {"person": case.principal.person_id,
                                   "screened_on": "2026-03-02", "flags": ["trafficking"]},
                           "notes_given": True}
    changed = AuditEvent.objects.get(case=case, event_type=AuditType.CASE_CHANGED)
    assert changed.extra == {"old": {"vulnerabilities": []},
                             "new": {"vulnerabilities": ["trafficking"]},
                             "person": case.principal.person_id}
    summaries = [e.summary for e in case.timeline.filter(kind=TimelineKind.CHANGED)]
    name = case.principal.person.display_name
    assert summaries == [f"Vulnerabilities of {name}", f"Vulnerability screening of {name}"]
    assert not any("raffick" in s or "4000" in s for s in summaries)
    case.refresh_from_db()
    assert case.version == version + 1


def test_it_changes_no_flags_when_the_screening_adds_none(world):
    case = open_case(world)
    screen(case, world.carla)
    assert AuditEvent.objects.filter(event_type=AuditType.SCREENING_RECORDED).count() == 1
    assert not AuditEvent.objects.filter(event_type=AuditType.CASE_CHANGED).exists()
    assert case.timeline.filter(kind=TimelineKind.CHANGED).count() == 1


@pytest.mark.parametrize("persona", ["max", "mona", "dana", "pia"])
def test_it_refuses_roles_outside_the_case_team(world, persona):
    case = open_case(world)
    with pytest.raises(NotAllowed):
        screen(case, world.users[persona], None, "pregnant")
    with pytest.raises(NotAllowed):
        set_member_vulnerabilities(actor=world.users[persona], case=case,
                                   member=case.principal, vulnerabilities=["pregnant"])
    assert not Screening.objects.exists()
    assert CaseMember.objects.get(pk=case.principal.pk).vulnerabilities == []


def test_it_refuses_incomplete_or_wrong_answers_and_writes_nothing(world):
    case = open_case(world)
    member = case.principal
    incomplete = answers()
    del incomplete["pregnant"]
    for bad in (incomplete, {**answers(), "pregnant": "maybe"},
                {**answers(), "astrology": "yes"}, ["yes"]):
        with pytest.raises(Invalid) as refused:
            services.record_screening(actor=world.carla, case=case, member=member,
                                      answers=bad)
        assert "answers" in refused.value.field_errors
    assert not Screening.objects.exists() and not AuditEvent.objects.filter(
        event_type=AuditType.SCREENING_RECORDED).exists()


def test_it_refuses_a_member_of_another_case_and_a_closed_case(world):
    case, other = open_case(world), open_case(world)
    with pytest.raises(Invalid):
        screen(case, world.carla, other.principal)
    with pytest.raises(Invalid):
        set_member_vulnerabilities(actor=world.carla, case=case, member=other.principal,
                                   vulnerabilities=["other"])
    transition_case(case, "withdrawn", actor=world.carla, reason="Changed their mind")
    with pytest.raises(Invalid):
        screen(case, world.carla)
    assert not Screening.objects.exists()


def test_it_refuses_unknown_vulnerability_codes(world):
    case = open_case(world)
    with pytest.raises(Invalid):
        set_member_vulnerabilities(actor=world.carla, case=case, member=case.principal,
                                   vulnerabilities=["astrology"])
    assert CaseMember.objects.get(pk=case.principal.pk).vulnerabilities == []
    assert case.principal.vulnerabilities == []


def test_it_lists_children_who_need_a_best_interest_determination(world):
    case = case_of(world, born(16))
    cousin = add(case, world.carla, "other_relative", born(10), given_name="Lina")
    add(case, world.carla, "other", None, given_name="Omar", vulnerabilities=["separated_child"])
    add(case, world.carla, "other", born(30), given_name="Adult",
        vulnerabilities=["unaccompanied_child"])  # flagged once, now an adult
    assert [p.given_name for p in needs_best_interest_determination(case)] == ["Omar"]
    screen(case, world.carla)
    screen(case, world.carla, cousin)
    assert [p.given_name for p in needs_best_interest_determination(case)] == [
        "Ahmed", "Lina", "Omar"]


def test_it_shows_the_detail_to_protection_roles_only(world):
    case = open_case(world)
    screen(case, world.carla, None, "pregnant")
    request = RequestFactory().get("/")
    for persona, detail, screens in [("carla", True, True), ("sam", True, True),
                                     ("mona", True, False), ("dana", True, False),
                                     ("max", False, False), ("pia", False, False)]:
        request.user = world.users[persona]
        context = case_section(request, case)
        assert context["rows"][0]["latest"].flags == ["pregnant"]
        assert context["show_detail"] is detail, persona
        assert context["can_screen"] is screens, persona
