"""The programme finance pages and their CSV and XLSX exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from retorno.finance.tests.programme_world import with_money
from retorno.privacy.models import AuditEvent, AuditType
from retorno.programmes.tests.builders import packaged, programme

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("programme_finance:overview")
OVERVIEW_EXPORT = reverse("programme_finance:overview_export")


def _detail(code):
    return reverse("programme_finance:programme", args=[code])


def _export(code):
    return reverse("programme_finance:programme_export", args=[code])


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def _xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize("who", ["sam", "pia"])
def test_finance_readers_see_every_programmes_figures(world, client, who):
    money = with_money(world)
    client.force_login(getattr(world, who))
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    body = response.content.decode()
    assert "erin-deu" in body and money.programme.code in body
    assert "Over budget by €1,000.00" in body
    assert "€6,000.00" in body and "€1,700.00" in body and "€800.00" in body
    assert "3 of 10" in body
    assert f'href="{OVERVIEW}"' in body  # the navigation link


@pytest.mark.parametrize("who", ["carla", "rita", "mona", "dana", "paul", "stella", "otto"])
def test_others_get_no_finance_page(world, client, who):
    programme = packaged(world)
    client.force_login(getattr(world, who))
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(_detail(programme.code)).status_code == 403
    assert client.post(OVERVIEW_EXPORT, {"format": "csv"}).status_code == 403
    assert client.post(_export(programme.code), {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(event_type=AuditType.FINANCE_EXPORTED).exists()


def test_an_unknown_programme_is_not_found(world, client):
    client.force_login(world.sam)
    assert client.get(_detail("nope")).status_code == 404
    assert client.post(_export("nope"), {"format": "csv"}).status_code == 404


def test_the_detail_shows_the_spending_by_kind_method_and_month(world, client):
    money = with_money(world)
    client.force_login(world.sam)
    body = client.get(_detail(money.programme.code)).content.decode()
    assert "Over budget by €1,000.00" in body
    assert "Reinstallation grant</th><td>€700.00" in body
    assert "Mobile money</th><td>€300.00" in body
    assert "Voucher</th><td>€0.00" in body
    assert "€1,400.00" in body  # this month
    assert "Cost per returnee" in body and "€1,700.00" in body
    assert reverse("programmes:package", args=[money.programme.code]) not in body
    client.force_login(world.pia)
    body = client.get(_detail(money.programme.code)).content.decode()
    assert reverse("programmes:package", args=[money.programme.code]) in body


def test_the_overview_makes_the_same_queries_however_many_programmes(
        world, client, django_assert_max_num_queries):
    client.force_login(world.sam)
    client.get(OVERVIEW)
    with django_assert_max_num_queries(9):
        assert client.get(OVERVIEW).status_code == 200
    with_money(world)
    for n in range(8):
        packaged(world, f"p{n}")
    with django_assert_max_num_queries(9):
        assert client.get(OVERVIEW).status_code == 200


def test_the_overview_exports_to_csv_with_the_right_numbers(world, client):
    money = with_money(world)
    client.force_login(world.sam)
    response = client.post(OVERVIEW_EXPORT, {"format": "csv"})
    assert response["Content-Disposition"].startswith(
        'attachment; filename="finance-programmes-')
    rows = _csv(response)
    assert rows[0][:8] == ["Code", "Programme", "Donor", "Currency", "Budget", "Committed",
                           "Remaining", "Over budget"]
    row = next(r for r in rows if r[0] == money.programme.code)
    assert row[3:] == ["EUR", "5000.00", "6000.00", "-1000.00", "yes", "1700.00", "800.00",
                       "3", "10", "1", "1700.00"]
    bare = next(r for r in rows if r[0] == "erin-deu")
    assert bare[3:7] == ["", "", "", ""] and bare[-1] == ""
    event = AuditEvent.objects.get(event_type=AuditType.FINANCE_EXPORTED)
    assert (event.actor, event.case_id, event.office_id) == (world.sam, None, None)
    assert event.extra["format"] == "csv" and event.extra["rows"] == 2
    assert set(event.extra["programmes"]) == {"fin", "erin-deu"}


def test_the_overview_exports_to_xlsx_with_numbers_as_numbers(world, client):
    money = with_money(world)
    client.force_login(world.pia)
    sheet = _xlsx(client.post(OVERVIEW_EXPORT, {"format": "xlsx"}))
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["Code", "Programme", "Donor", "Currency", "Budget"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == money.programme.code)
    budget, committed, remaining = row[4], row[5], row[6]
    assert row[3].value == "EUR"
    assert (budget.value, committed.value, remaining.value) == (5000, 6000, -1000)
    assert budget.data_type == "n" and budget.number_format == "#,##0.00"
    assert row[8].value == 1700 and row[10].value == 3 and row[13].value == 1700
    assert AuditEvent.objects.get(event_type=AuditType.FINANCE_EXPORTED).extra["format"] == \
        "xlsx"


def test_one_programme_exports_its_figures_and_breakdowns(world, client):
    money = with_money(world)
    client.force_login(world.sam)
    rows = _csv(client.post(_export(money.programme.code), {"format": "csv"}))
    assert rows[0] == ["Code", "Figure", "Detail", "Amount or number", "Currency"]
    table = {(r[1], r[2]): (r[3], r[4]) for r in rows[1:]}
    assert table[("Spent", "")] == ("1700.00", "EUR")
    assert table[("Remaining", "over budget")] == ("-1000.00", "EUR")
    assert table[("Returnees assisted", "")] == ("1", "")
    assert table[("Spent by grant kind", "Reintegration budget")] == ("1000.00", "EUR")
    assert table[("Spent by payment method", "Bank transfer")] == ("1000.00", "EUR")
    assert table[("Spent by month", money.later.strftime("%Y-%m"))] == ("300.00", "EUR")
    sheet = _xlsx(client.post(_export(money.programme.code), {"format": "xlsx"}))
    cells = {(r[1].value, r[2].value): r[3] for r in sheet.iter_rows(min_row=2)}
    assert cells[("Awaiting payment", None)].value == 800
    assert cells[("Awaiting payment", None)].number_format == "#,##0.00"
    event = AuditEvent.objects.filter(event_type=AuditType.FINANCE_EXPORTED).latest("id")
    assert event.target_id == money.programme.pk and event.extra["programmes"] == ["fin"]
    assert AuditEvent.objects.filter(event_type=AuditType.FINANCE_EXPORTED).count() == 2


def test_a_currency_without_minor_units_exports_whole_numbers(world, client):
    packaged(world, "iqd", currency="IQD", budget="150000000", components=[])
    client.force_login(world.sam)
    row = next(r for r in _csv(client.post(OVERVIEW_EXPORT, {"format": "csv"}))
               if r[0] == "iqd")
    assert row[3:5] == ["IQD", "150000000"]
    sheet = _xlsx(client.post(_export("iqd"), {"format": "xlsx"}))
    assert sheet["D2"].value == 150000000 and sheet["D2"].number_format == "#,##0"


def test_formula_looking_text_is_made_inert(world, client):
    programme(world, "formula", name="=HYPERLINK(\"http://evil\")", donor="+1-2",
              currency="EUR")
    client.force_login(world.sam)
    row = next(r for r in _csv(client.post(OVERVIEW_EXPORT, {"format": "csv"}))
               if r[0] == "formula")
    assert row[1] == "'=HYPERLINK(\"http://evil\")" and row[2] == "'+1-2"
    sheet = _xlsx(client.post(OVERVIEW_EXPORT, {"format": "xlsx"}))
    cells = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "formula")
    assert cells[1].value == "'=HYPERLINK(\"http://evil\")" and cells[1].data_type == "s"


def test_an_unknown_format_is_refused(world, client):
    client.force_login(world.sam)
    assert client.post(OVERVIEW_EXPORT, {"format": "pdf"}).status_code == 400
    assert not AuditEvent.objects.filter(event_type=AuditType.FINANCE_EXPORTED).exists()


def test_exports_are_posted_not_fetched(world, client):
    client.force_login(world.sam)
    assert client.get(OVERVIEW_EXPORT).status_code == 405
