"""Statistics in a real browser: the statistics viewer reads the published figures, filters
them by region and country and downloads a table; the M&E officer builds the quarterly
bulletin, which the viewer then opens and whose PDF she downloads."""

import csv
import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from retorno.reports.forms import last_quarter
from retorno.reports.statistics import Period, Selection, compute
from retorno.testing.personas import World
from tests.e2e.pages import field, sign_in

pytestmark = pytest.mark.e2e


def _figure(page: Page, key: str) -> str:
    return page.get_by_test_id(f"headline-{key}").locator(".figure").inner_text().strip()


def test_published_statistics_and_the_quarterly_bulletin(page: Page, world: World):
    call_command("seed_demo", cases=5, people=3000, stdout=StringIO())
    today = timezone.localdate()
    year = Period.year(today.year - 1)

    # ---- the statistics viewer: published figures -----------------------------------
    sign_in(page, world.users["stella"])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Statistics").click()
    expect(page.get_by_test_id("published")).to_be_visible()
    page.get_by_role("link", name="Last year").click()
    whole = compute(year)
    expect(page.get_by_test_id("headline-individuals").locator(".figure")).to_have_text(
        f"{whole.individuals:,}")
    # No count from 1 to 4 in the sex and age table she reads.
    cells = page.get_by_test_id("table-returns-by-sex-and-age").locator("td").all_inner_texts()
    assert not [c for c in cells if re.fullmatch(r"[1-4]", c.strip())]
    # The countries of origin: a map and a chart beside the table.
    origin = page.get_by_test_id("section-origin")
    expect(origin.locator("figure.map svg")).to_have_count(1)
    expect(origin.locator('svg [data-country="IRQ"]')).to_have_count(1)

    # By region (the organisation's), then by country.
    field(page, "Country or region of origin").select_option(
        label="Middle East and North Africa")
    page.get_by_role("button", name="Show").click()
    mena = compute(year, Selection(origin_countries=frozenset(
        {"DZA", "BHR", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MAR", "OMN", "PSE", "QAT",
         "SAU", "SDN", "SYR", "TUN", "ARE", "YEM"})))
    assert 0 < mena.individuals < whole.individuals
    expect(page.get_by_test_id("headline-individuals").locator(".figure")).to_have_text(
        f"{mena.individuals:,}")

    # A table as CSV with its HXL hashtags.
    with page.expect_download() as download:
        page.get_by_test_id("section-origin").get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(
        open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows[1][0] == "#country+code+origin"
    assert rows[-1][1] == "Total"
    assert {r[0] for r in rows[2:-1] if r[0]} <= {"IRQ", "SYR", "LBY", "EGY", "MAR", "TUN",
                                                  "DZA", "SDN", "YEM", "JOR", "LBN"}

    # ---- the M&E officer builds the bulletin of the last quarter ----------------------
    page.context.clear_cookies()
    sign_in(page, world.emil)
    page.goto("/statistics/reports/")
    quarter = last_quarter(today)
    page.get_by_role("button", name="Build the bulletin").click()
    expect(page.get_by_test_id("report-ready")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quarterly bulletin")

    # ---- the viewer opens it ------------------------------------------------------------
    page.context.clear_cookies()
    sign_in(page, world.users["stella"])
    page.goto("/statistics/reports/")
    page.get_by_test_id("reports").get_by_role("link").first.click()
    page.get_by_role("link", name="Open the page").click()
    summary = page.get_by_test_id("bulletin-summary")
    people = compute(quarter).individuals
    expect(summary).to_contain_text(f"{people:,} migrants were assisted to return home")
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
