"""The statistics pages, as their readers use them: exact for staff, published for the
statistics viewer, downloads with HXL hashtags and an audit entry."""

import csv
import datetime
import io
import re

import hxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retorno.privacy.models import AuditEvent, AuditType
from retorno.regions import lookup
from retorno.reports.statistics import Period, Selection, compute
from retorno.reports.tests.builders import client_for, generate

pytestmark = pytest.mark.django_db

START, END = "2021-01-01", "2025-12-31"


@pytest.fixture
def data(world):
    generate(2500)
    return world


def _get(world, who: str, **query) -> str:
    response = client_for(world, who).get(reverse("reports:dashboard"),
                                       {"start": START, "end": END, **query})
    assert response.status_code == 200
    return response.content.decode()


def _cells(page: str, slug: str) -> list[str]:
    table = re.search(rf'data-testid="table-{slug}">(.*?)</table>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", table, re.S)]


def _numbers(cells: list[str]) -> list[int]:
    return [int(c.replace(",", "")) for c in cells if re.fullmatch(r"[\d,]+", c)]


def test_staff_see_exact_counts_and_the_viewer_the_published_ones(data):
    summary = compute(Period(datetime.date.fromisoformat(START), datetime.date.fromisoformat(END)))
    assert summary.individuals > 100
    exact = _get(data, "pia")
    assert 'data-testid="published"' not in exact
    # Some exact count of 1 to 4 is on the staff page (the data has small groups)...
    small = [n for n in _numbers(_cells(exact, "returns-by-sex-and-age")) if 1 <= n <= 4]
    assert small
    published = _get(data, "stella")
    assert 'data-testid="published"' in published
    # ...and none on the statistics viewer's, in any table.
    for slug in re.findall(r'data-testid="table-([a-z0-9-]+)"', published):
        numbers = _numbers(_cells(published, slug))
        assert not [n for n in numbers if 1 <= n <= 4], slug
    # The headline total is the same for both: it is large.
    total = f"{summary.individuals:,}"
    assert total in exact and total in published
    # Staff may look at the published version too.
    assert 'data-testid="published"' in _get(data, "pia", public="on")


def test_the_viewer_has_no_way_to_a_person_or_a_case(data):
    page = _get(data, "stella")
    assert "/cases/" not in page and "/people/" not in page
    from retorno.testing.personas import open_case

    open_case(data)  # an Iraqi principal in Berlin
    # Search finds no case for her, whatever she asks.
    found = client_for(data, "stella").get(reverse("cases:search"),
                                       {"nationality": "IRQ"}).content.decode()
    assert not re.search(r"/cases/[A-Z]{3}-\d{4}-", found)
    pia = client_for(data, "sam").get(reverse("cases:search"),
                                  {"nationality": "IRQ"}).content.decode()
    assert re.search(r"/cases/[A-Z]{3}-\d{4}-", pia)  # the control: Berlin's supervisor


def test_who_may_read_statistics(data):
    url = reverse("reports:dashboard")
    for who in ("carla", "mona", "max", "rita", "dana", "paul", "otto"):
        assert client_for(data, who).get(url).status_code == 403, who
    assert Client().get(url).status_code == 302


def test_a_period_ending_before_it_starts_is_refused_with_a_message(data):
    page = client_for(data, "pia").get(reverse("reports:dashboard"),
                                    {"start": "2025-02-01", "end": "2025-01-01"})
    assert page.status_code == 200
    assert "The period cannot end before it starts." in page.content.decode()
    assert 'data-testid="headlines"' not in page.content.decode()


def _headline(page: str, key: str) -> str:
    block = re.search(rf'data-testid="headline-{key}">(.*?)</div>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", re.search(r'class="figure">(.*?)</dd>', block, re.S)
                  .group(1)).strip()


def test_regions_and_countries_filter_the_figures(data):
    period = Period(datetime.date.fromisoformat(START), datetime.date.fromisoformat(END))
    # The demo's own regions (seed_demo): Middle East and North Africa holds Iraq and Syria.
    whole = compute(period)
    mena = compute(period, Selection(origin_countries=lookup.countries_in("mena")))
    assert 0 < mena.individuals < whole.individuals
    assert _headline(_get(data, "pia"), "individuals") == f"{whole.individuals:,}"
    assert _headline(_get(data, "pia", origin="org:mena"), "individuals") == \
        f"{mena.individuals:,}"
    # The regions table: the organisation's regions and the M49 ones each add up.
    board = client_for(data, "pia").get(reverse("reports:dashboard"),
                                     {"start": START, "end": END}).context["board"]
    regions = board.sections["regions"].table
    org = {r[2]: r[3] for r in regions.rows if r[0] == "Organisation region"}
    un = {r[2]: r[3] for r in regions.rows if r[0] == "UN M49 region"}
    assert org["Middle East and North Africa"] == mena.individuals
    assert sum(org.values()) == sum(un.values()) == whole.individuals
    assert un["Asia"] == compute(period, Selection(origin_countries=frozenset(
        c for c in whole.origin_countries if c in {"IRQ", "SYR", "AFG", "GEO"}))).individuals
    iraq = compute(period, Selection(origin_countries=frozenset({"IRQ"})))
    assert _headline(_get(data, "pia", origin="IRQ"), "individuals") == f"{iraq.individuals:,}"
    western_asia = _get(data, "pia", origin="m49:145")  # Iraq, Syria, Georgia, not Afghanistan
    origins = _cells(western_asia, "returns-by-origin-country")
    assert "Iraq" in origins and "Afghanistan" not in origins
    gone = client_for(data, "pia").get(reverse("reports:dashboard"),
                                    {"start": START, "end": END, "origin": "org:nowhere"})
    assert "Select a valid choice" in gone.content.decode()
    assert 'data-testid="headlines"' not in gone.content.decode()


def test_a_download_is_hxl_and_is_audited(data):
    client = client_for(data, "stella")
    response = client.get(reverse("reports:download", args=["returns-by-origin-country", "csv"]),
                          {"start": START, "end": END})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1] == ["#country+code+origin", "#country+name+origin",
                       "#affected+returnees+ind"]
    dataset = hxl.data(io.BytesIO(response.content))
    assert [column.display_tag for column in dataset.columns] == [
        "#country+code+origin", "#country+name+origin", "#affected+returnees+ind"]
    values = [row.get("#affected+returnees+ind") for row in dataset]
    assert values and all(v == "" or int(v) >= 5 for v in values)
    event = AuditEvent.objects.get(event_type=AuditType.STATISTICS_EXPORTED)
    assert event.actor == data.users["stella"]
    assert event.extra["table"] == "returns-by-origin-country"
    assert event.extra["public"] is True and event.extra["start"] == START
    xlsx = client.get(reverse("reports:download", args=["returns-by-sex-and-age", "xlsx"]),
                      {"start": START, "end": END})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("reports:download", args=["no-such-table", "csv"])).status_code \
        == 404
    assert client.get(reverse("reports:download",
                              args=["returns-by-sex-and-age", "pdf"])).status_code == 404


def test_the_default_period_is_the_last_complete_quarter(data):
    from retorno.reports.forms import last_quarter

    response = client_for(data, "pia").get(reverse("reports:dashboard"))
    assert response.context["board"].period == last_quarter(timezone.localdate())
