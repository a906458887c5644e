"""The "Surveys and scores" section of the case page."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from retorno.surveys.sections import case_section
from retorno.surveys.tests.builders import arrived_case, install_default_instruments, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(db):
    return install_default_instruments()


def _context(user, case):
    request = RequestFactory().get(f"/cases/{case.reference}/")
    request.user = user
    return case_section(request, case)


def test_it_shows_how_the_scores_moved_as_a_chart_and_a_table(world, versions):
    today = timezone.localdate()
    case = arrived_case(world, arrived_on=today - datetime.timedelta(days=200))
    version = versions["sustainability"]
    respond(world, case, version, "worst", collected_on=today - datetime.timedelta(days=190))
    respond(world, case, version, "middle", collected_on=today - datetime.timedelta(days=100))
    respond(world, case, version, "best", collected_on=today)
    respond(world, case, versions["satisfaction"], "best", collected_on=today)
    context = _context(world.carla, case)
    assert [row["round"] for row in context["responses"]] == [
        "Baseline", "Follow-up", "Follow-up", "Single survey"]
    assert [r["response"].months_since_return for r in context["responses"]] == [0, 3, 6, 6]
    table = dict(context["table"])
    assert len(context["columns"]) == 3  # the satisfaction survey is not a sustainability one
    low, middle, high = table["Composite"]
    assert (low, high) == (0.0, 1.0) and 0.4 < middle < 0.7
    assert table["Economic"][0] == 0.0 and table["Psychosocial"][2] == 1.0
    assert context["chart"].startswith("<svg") and "Composite" in context["chart"]
    assert not context["show_key"] and not context["may_record"]


def test_it_is_left_out_until_there_is_something_to_show_or_record(world, versions):
    case = arrived_case(world)
    assert _context(world.carla, case) is None
    context = _context(world.emil, case)
    assert context["may_record"] and context["show_key"] and context["responses"] == []
    assert context["chart"] == ""
    assert context["sustainability"].code == "sustainability"


def test_its_queries_do_not_grow_with_the_responses(world, versions,
                                                    django_assert_max_num_queries):
    case = arrived_case(world, arrived_on=timezone.localdate() - datetime.timedelta(days=2))
    version = versions["sustainability"]
    respond(world, case, version, "best")
    _context(world.emil, case)  # the survey key is created on first sight
    with django_assert_max_num_queries(8) as few:
        _context(world.emil, case)
    for level in ("worst", "middle", "unknown", "best"):  # the same answers, a day earlier
        respond(world, case, version, level, submission_id=f"more-{level}",
                collected_on=timezone.localdate() - datetime.timedelta(days=level == "best"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        context = _context(world.emil, case)
    assert len(context["responses"]) == 5
