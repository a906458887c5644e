"""The M&E dashboard: who opens it, the arithmetic of its groups, small-group suppression,
follow-up coverage and the feedback counts (sensitive ones for focal points only)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from retorno.feedback.tests.builders import recorded, sensitive
from retorno.monitoring.dashboard import MIN_GROUP, Row, followup_coverage, group_by
from retorno.monitoring.services import record_visit
from retorno.monitoring.tests.builders import schedule
from retorno.surveys.tests.builders import arrived_case, install_default_instruments, respond

pytestmark = pytest.mark.django_db

URL = reverse("monitoring:dashboard")


def _row(composite: float | None, country: str = "IRQ", **dims: float | None) -> Row:
    return Row(case_id=0, composite=composite, dimensions=dims, country=country,
               programme="P", sex="F", age=30, months=4)


def test_a_group_shows_its_median_and_mean_and_counts_the_unscored():
    rows = [_row(0.2, economic=0.1), _row(0.4, economic=0.3), _row(0.9, economic=None),
            _row(0.5, economic=0.5), _row(None, economic=0.7), _row(0.6, economic=0.9)]
    [group] = group_by(rows, "all")
    assert group.count == 6 and group.unscored == 1
    # composites 0.2 0.4 0.5 0.6 0.9: median 0.5, mean 2.6 / 5
    assert group.composite_median == 0.5
    assert group.composite_mean == pytest.approx(0.52)
    # economic 0.1 0.3 0.5 0.7 0.9 (the None is not a zero): median 0.5
    assert group.dimension_median("economic") == 0.5


def test_a_group_smaller_than_the_threshold_shows_no_score():
    rows = [_row(0.8, country="IRQ") for _ in range(MIN_GROUP)]
    rows.append(_row(0.1, country="AFG"))
    groups = {g.label: g for g in group_by(rows, "country")}
    assert groups["Iraq"].shown and groups["Iraq"].composite_median == 0.8
    assert groups["Afghanistan"].count == 1 and not groups["Afghanistan"].shown
    assert groups["Afghanistan"].composite_median is None
    assert groups["Afghanistan"].dimension_median("economic") is None


def test_it_opens_for_me_view_holders_only(world, client):
    client.force_login(world.rita)  # reintegration officer: no me.view
    assert client.get(URL).status_code == 403
    client.force_login(world.emil)
    assert client.get(URL).status_code == 200
    client.logout()
    assert client.get(URL).status_code == 302


def test_it_shows_scores_of_the_cases_the_reader_sees_and_suppresses_small_groups(world,
                                                                                client):
    versions = install_default_instruments()
    version = versions["sustainability"]
    cases = [arrived_case(world) for _ in range(MIN_GROUP)]
    for case in cases:
        respond(world, case, version, "best")
    client.force_login(world.emil)
    page = client.get(URL).content.decode()
    assert 'data-testid="overall"' in page and "5 responses" in page
    assert "Median composite score 1.00" in page
    assert "<svg" in page  # the histogram and the bar charts
    # Vienna's supervisor sees none of Berlin's cases: nothing to show.
    client.force_login(world.vera)
    assert "No responses yet." in client.get(URL).content.decode()
    # Berlin's supervisor sees all five (the host office keeps its cases): one group of
    # five by country; one of them answered worst is still in a group of five.
    client.force_login(world.sam)
    page = client.get(URL, {"responses": "all"}).content.decode()
    assert "fewer than 5" not in page.split('data-testid="breakdown-country"')[1][:2000]


def test_followup_coverage_counts_conclusive_contacts_and_follow_up_surveys(world):
    install_default_instruments()
    schedule(world)  # first contact 3 months after arrival
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=120)
    cases = [arrived_case(world, arrived_on=long_ago) for _ in range(MIN_GROUP)]
    arrived_case(world)  # arrived today: no follow-up due yet, not counted
    version = install_default_instruments()["sustainability"]
    for case in cases:  # the baselines
        respond(world, case, version, "middle", collected_on=long_ago)
    # Reached by phone: done. Not reached: not done. A follow-up survey: done.
    record_visit(actor=world.emil, case=cases[0], data={
        "step": None, "contact_on": today, "mode": "phone_call", "outcome": "reached"})
    record_visit(actor=world.emil, case=cases[1], data={
        "step": None, "contact_on": today, "mode": "phone_call", "outcome": "not_reached"})
    respond(world, cases[2], version, "best", collected_on=today)
    overall = followup_coverage(world.emil)[0]
    assert (overall.due, overall.done) == (MIN_GROUP, 2)
    assert overall.share == pytest.approx(2 / MIN_GROUP)


def test_feedback_counts_sensitive_complaints_for_focal_points_only(world, client):
    recorded(world)  # delays, Berlin
    sensitive(world)  # sexual exploitation and abuse, Berlin
    sensitive(world, actor=world.rita, office=world.baghdad)
    client.force_login(world.sam)  # Berlin's supervisor: handles feedback, no focal point
    table = client.get(URL).content.decode().split('data-testid="feedback-table"')[1]
    assert "Delays" in table
    assert "exploitation" not in table
    client.force_login(world.emil)  # Baghdad's M&E officer and focal point
    table = client.get(URL).content.decode().split('data-testid="feedback-table"')[1]
    assert "exploitation" in table and "Delays" not in table
