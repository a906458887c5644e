"""The demo's monitoring after return, surveys, feedback and complaints (`followup`,
`complaints`), as seeded by `seed_demo`."""

import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Membership, Role, User
from retorno.cases.models import Relationship
from retorno.demo import complaints, followup, world
from retorno.feedback.deadlines import days_for
from retorno.feedback.models import Category, Channel, Feedback, Kind, Status
from retorno.feedback.policy import visible_feedback
from retorno.monitoring.models import MonitoringVisit, Outcome
from retorno.monitoring.policy import schedule_of
from retorno.monitoring.services import arrival_of
from retorno.privacy.models import AuditEvent, AuditType, Consent, ConsentPurpose
from retorno.programmes.models import Programme
from retorno.surveys.models import DimensionScore, Round, SurveyResponse
from retorno.tasks.models import Task, TaskKind, TaskStatus

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _office_of(user: User, roles: set[str]) -> set[int]:
    return set(Membership.objects.filter(user=user, role__in=roles)
               .values_list("office_id", flat=True))


def test_arrived_cases_are_monitored_on_their_schedule_with_surveys():
    seed(cases=40)
    today = timezone.localdate()
    for programme in Programme.objects.filter(code__in=[p.code for p in world.PROGRAMMES]):
        steps = list(schedule_of(programme).steps.values_list(
            "months_after_arrival", "mode", "instrument"))
        assert steps == [(3, "call", "satisfaction"), (6, "visit", "sustainability"),
                         (12, "visit", "sustainability")]

    responses = list(SurveyResponse.objects.select_related(
        "case", "version__instrument", "recorded_by"))
    by_kind = Counter((r.version.instrument.code, r.round) for r in responses)
    assert by_kind[followup.SUSTAINABILITY, Round.BASELINE] > 0
    assert by_kind[followup.SUSTAINABILITY, Round.FOLLOW_UP] > 0
    assert by_kind[followup.SATISFACTION, Round.SINGLE] > 0
    assert any(r.composite is not None for r in responses)
    # Some answers are "don't know": a dimension falls under the missing-answer rule.
    assert any(r.composite is None for r in responses)
    assert DimensionScore.objects.filter(score__isnull=True).exists()
    assert DimensionScore.objects.filter(score__isnull=False).exists()
    for r in responses:
        case = r.case
        arrived = arrival_of(case)
        assert arrived is not None and arrived <= r.collected_on <= today
        # Recorded by the origin office's M&E or reintegration officer, with the
        # principal's consent to monitoring given before departure.
        assert _office_of(r.recorded_by, {Role.ME_OFFICER, Role.REINTEGRATION_OFFICER}) \
            == {case.origin_office_id}
        principal = case.members.get(relationship=Relationship.PRINCIPAL)
        consent = Consent.objects.get(person_id=principal.person_id,
                                      purpose=ConsentPurpose.MONITORING)
        assert consent.given_on <= arrived
        assert AuditEvent.objects.filter(event_type=AuditType.SURVEY_RESPONSE_RECORDED,
                                         case=case).exists()
        if r.round == Round.BASELINE:
            assert r.months_since_return <= 2
    # Most of those followed up are better off than at their baseline.
    baselines = {r.case_id: r.composite for r in responses
                 if r.round == Round.BASELINE and r.composite is not None}
    latest = {r.case_id: r.composite for r in sorted(responses, key=lambda r: r.collected_on)
              if r.round == Round.FOLLOW_UP and r.composite is not None}
    compared = [latest[c] > baselines[c] for c in latest if c in baselines]
    assert compared and sum(compared) > len(compared) / 2

    visits = list(MonitoringVisit.objects.select_related("case", "step", "recorded_by"))
    assert {v.outcome for v in visits} == {Outcome.REACHED, Outcome.NOT_REACHED,
                                          Outcome.MOVED_IN_COUNTRY, Outcome.MIGRATED_AGAIN,
                                          Outcome.DECLINED}
    for visit in visits:
        assert arrival_of(visit.case) <= visit.contact_on <= today
        assert visit.step is not None
        assert _office_of(visit.recorded_by, {Role.ME_OFFICER, Role.REINTEGRATION_OFFICER}) \
            == {visit.case.origin_office_id}
        if visit.outcome == Outcome.MIGRATED_AGAIN:
            assert visit.migrated_to_country not in ("", visit.case.destination_country)
        else:
            assert visit.migrated_to_country == ""
        if visit.conclusive:
            # The step's contact task, opened by the arrival, is done.
            assert Task.objects.filter(kind=TaskKind.MONITORING_CONTACT, case=visit.case,
                                       subject_id=visit.step_id,
                                       status=TaskStatus.DONE).exists()
    # Someone not reached at first was reached on a later attempt for the same step.
    attempts = sorted(visits, key=lambda v: (v.contact_on, v.pk))
    assert any(a.outcome == Outcome.NOT_REACHED and any(
        b.case_id == a.case_id and b.step_id == a.step_id and b.outcome == Outcome.REACHED
        and b.contact_on >= a.contact_on for b in attempts) for a in attempts)

    # The M&E officer of the office of origin with the most returnees surveyed sees their
    # scores on the dashboard.
    office_id, _n = Counter(r.case.origin_office_id for r in responses
                            if r.version.instrument.code == followup.SUSTAINABILITY
                            ).most_common(1)[0]
    officer = User.objects.get(memberships__office_id=office_id,
                               memberships__role=Role.ME_OFFICER)
    surveyed = len({r.case_id for r in responses
                    if r.version.instrument.code == followup.SUSTAINABILITY
                    and r.case.origin_office_id == office_id})
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("monitoring:dashboard"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "No responses yet" not in content
    assert f"{surveyed} responses" in content
    if surveyed >= 5:
        assert "Median composite score" in content


def test_offices_receive_feedback_and_complaints_handled_by_the_right_people():
    output = seed(cases=20)
    today = timezone.localdate()
    items = list(Feedback.objects.select_related("office", "assignee", "answered_by"))
    assert len(items) == len(complaints.ITEMS) >= 30
    assert {i.channel for i in items} == set(Channel) - {Channel.OTHER}
    assert {i.kind for i in items} == set(Kind)
    assert {i.status for i in items} == set(Status)
    assert {i.office.code for i in items} == {o.code for o in world.OFFICES}
    # Some answered in time, one late, some still waiting past their deadline.
    assert any(i.answered_at and timezone.localdate(i.answered_at) <= i.due_on for i in items)
    assert any(i.answered_at and timezone.localdate(i.answered_at) > i.due_on for i in items)
    assert any(i.overdue for i in items)
    for item in items:
        received = timezone.localdate(item.received_at)
        assert received <= today
        assert item.due_on == received + datetime.timedelta(
            days=days_for(item.kind, item.category))
        if item.channel == Channel.WEB:
            assert item.recorded_by is None
        if item.answered_at is not None:
            assert item.received_at <= item.answered_at <= timezone.now()
            assert item.response and item.answered_by == item.assignee
        if item.status == Status.CLOSED:
            assert item.answered_at <= item.closed_at

    sensitive = [i for i in items if i.sensitive]
    assert 2 <= len(sensitive) <= 3
    assert {i.category for i in sensitive} == {Category.SEA, Category.FRAUD}
    concerning = [i for i in sensitive if i.concerns.exists()]
    assert concerning
    for item in sensitive:
        office = item.office
        focal = User.objects.get(memberships__office=office,
                                 memberships__role=Role.COMPLAINTS_FOCAL_POINT)
        # The office's data protection focal point is its complaints focal point.
        assert focal.memberships.filter(office=office, role=Role.DP_FOCAL_POINT).exists()
        assert item in visible_feedback(focal)
        if item.assignee is not None:
            assert item.assignee == focal
        # Neither the office's handlers nor the staff it concerns see it.
        for role in (Role.SUPERVISOR, Role.ME_OFFICER):
            assert item not in visible_feedback(User.objects.get(
                memberships__office=office, memberships__role=role))
        for person in item.concerns.all():
            assert item not in visible_feedback(person)
            assert not person.memberships.filter(
                role=Role.COMPLAINTS_FOCAL_POINT).exists()
    # Every office has a complaints focal point, said in the printed logins.
    for spec in world.OFFICES:
        assert Membership.objects.filter(office__code=spec.code,
                                         role=Role.COMPLAINTS_FOCAL_POINT).exists()
    assert re.search(r"berlin\.dataprotection\s+Data protection focal point \+ complaints "
                     r"focal point \(SEA, fraud\)\s+Berlin", output)
    # The items that are not sensitive are handled by the office's M&E officer.
    for item in items:
        if not item.sensitive and item.assignee is not None:
            assert item.assignee.memberships.filter(role=Role.ME_OFFICER,
                                                    office=item.office).exists()
    linked = [i for i in items if i.case_id]
    for item in linked:
        assert item.office_id in (item.case.host_office_id, item.case.origin_office_id)
