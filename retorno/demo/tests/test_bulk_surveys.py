"""The survey responses of the bulk data (`retorno.demo.bulk`): shaped as
`surveys.services.record_response` would have left them, on the right cases only."""

import datetime
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Membership, Role, User
from retorno.cases.models import Status, TimelineEntry, TimelineKind
from retorno.monitoring.dashboard import survey_rows
from retorno.monitoring.services import arrival_dates
from retorno.surveys.models import (
    DimensionScore,
    Purpose,
    Round,
    Source,
    SurveyResponse,
)
from retorno.surveys.scoring import score
from retorno.surveys.services import months_between

pytestmark = pytest.mark.django_db

AFTER_ARRIVAL = {Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING, Status.CLOSED}


@pytest.fixture
def bulk():
    call_command("seed_demo", cases=10, people=2500, stdout=StringIO())


def bulk_responses():
    return (SurveyResponse.objects.filter(submission_id__startswith="bulk-")
            .select_related("case", "version__instrument", "recorded_by"))


def test_responses_are_scored_and_stored_as_the_service_stores_them(bulk):
    responses = list(bulk_responses())
    assert len(responses) > 100
    assert len({r.submission_id for r in responses}) == len(responses)
    dimension_rows = defaultdict(dict)
    for row in DimensionScore.objects.filter(response__in=[r.pk for r in responses]):
        dimension_rows[row.response_id][row.dimension] = row.score
    for response in responses:
        assert response.version.instrument.purpose == Purpose.SUSTAINABILITY
        assert response.submission_id == f"bulk-{response.pk}"
        assert response.source == Source.WEB
        assert response.respondent_id is None
        definition = response.version.definition
        options = {q["name"]: {o["name"] for o in q.get("options", [])}
                   for q in definition["questions"]}
        assert response.answers
        assert all(answer in options[name] for name, answer in response.answers.items())
        assert response.breakdown == score(definition, response.answers)
        assert response.composite == response.breakdown["composite"]
        assert dimension_rows[response.pk] == {
            code: d["score"] for code, d in response.breakdown["dimensions"].items()}
    # Some answers are "don't know", and some responses have no composite because of it
    # or not: either way the mix is not uniform.
    assert any("dont_know" in r.answers.values() for r in responses)
    assert any(r.composite is not None for r in responses)


def test_only_cases_that_arrived_in_the_last_two_years_are_surveyed_after_arrival(bulk):
    responses = list(bulk_responses())
    arrivals = arrival_dates({r.case_id for r in responses})
    today = timezone.localdate()
    two_years_ago = today - datetime.timedelta(days=2 * 366)
    for response in responses:
        arrived = arrivals[response.case_id]
        assert two_years_ago <= arrived <= response.collected_on <= today
        assert response.months_since_return == months_between(arrived,
                                                               response.collected_on)
    # Older arrivals exist in the load, and got nothing.
    old = [case_id for case_id, day in arrival_dates(
        TimelineEntry.objects.filter(kind=TimelineKind.TRANSITION, to_status=Status.ARRIVED,
                                     case__created_by__username__contains=".cw")
        .values_list("case_id", flat=True)).items() if day < two_years_ago - datetime.
        timedelta(days=30)]
    assert old
    assert not SurveyResponse.objects.filter(case_id__in=old).exists()


def test_one_baseline_first_then_follow_ups_recorded_by_the_origin_office(bulk):
    by_case = defaultdict(list)
    for response in bulk_responses().order_by("collected_on", "pk"):
        by_case[response.case_id].append(response)
    assert any(len(found) >= 3 for found in by_case.values())
    rises = falls = 0
    for found in by_case.values():
        baselines = [r for r in found if r.round == Round.BASELINE]
        assert len(baselines) <= 1
        assert baselines == found[:len(baselines)]
        for response in found[len(baselines):]:
            assert response.round == Round.FOLLOW_UP
            assert response.months_since_return >= 3
        case = found[0].case
        assert case.status in AFTER_ARRIVAL | {Status.WITHDRAWN}
        recorder = found[0].recorded_by
        assert Membership.objects.filter(user=recorder, office_id=case.origin_office_id,
                                         role=Role.REINTEGRATION_OFFICER).exists()
        scored = [r.composite for r in found if r.composite is not None]
        if len(scored) >= 2:
            rises += scored[-1] > scored[0]
            falls += scored[-1] < scored[0]
        # The timeline says so, once per response.
        assert TimelineEntry.objects.filter(
            case=case, kind=TimelineKind.CHANGED,
            summary__startswith="Survey recorded").count() == len(found)
    assert rises > falls  # mostly better over time


def test_the_m_and_e_dashboard_reads_the_bulk_responses(bulk):
    officer = User.objects.get(username="baghdad.monitoring")
    sustainability = bulk_responses().filter(
        version__instrument__purpose=Purpose.SUSTAINABILITY).first().version.instrument
    rows = survey_rows(officer, sustainability, latest_only=False)
    assert any(r.case_id in set(bulk_responses().values_list("case_id", flat=True))
               for r in rows)
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("monitoring:dashboard")).status_code == 200
    assert client.get(reverse("monitoring:dashboard"), {"responses": "all"}).status_code == 200
