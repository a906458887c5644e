"""Statistics tables as CSV and XLSX with HXL hashtags, read back the way their users
read them: with libhxl (the HXL standard's own library), with Python's csv and with
openpyxl."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import hxl
import pytest
import time_machine
from django.utils import translation
from openpyxl import load_workbook

from retorno.reports.tables import (
    Column,
    Table,
    download,
    several_to_xlsx,
    sheet_name,
    to_csv,
    to_xlsx,
    validate_hashtag,
)

ARABIC = "العائدون حسب بلد المنشأ"
TRICKY_LABEL = 'Returnees, "assisted"\nin 2026'
# xlrd3, which libhxl reads XLSX with, imports a module defusedxml deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:defusedxml.cElementTree:DeprecationWarning")

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1", "-2", "@x"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def columns() -> list[Column]:
    return [
        Column("country", "Country of origin", "#country+name+origin"),
        Column("code", "ISO code", "#country+code+origin"),
        Column("returnees", TRICKY_LABEL, "#affected+returnees+num", kind="count"),
        Column("women", ARABIC, "#affected+returnees+f", kind="count"),
        Column("share", "Share of women", "#affected+returnees+f+pct", kind="share"),
        Column("cost", "Cost (EUR)", "#value+eur", kind="money", currency="EUR"),
        Column("grant", "Grant (IQD)", "#value+grant+iqd", kind="money", currency="IQD"),
        Column("mean", "Mean household size", "#indicator+household+size", kind="number"),
        Column("month", "First return", "#date+month", kind="date"),
    ]


def sample(**overrides) -> Table:
    fields = dict(
        slug="returns-by-origin-country",
        title="Returns by country of origin, 2026",
        columns=columns(),
        rows=[
            ["Iraq", "IRQ", 12345, 6000, Decimal("0.486"), Decimal("1500.5"), 250000,
             Decimal("4.25"), datetime.date(2026, 3, 1)],
            ["Afghanistan", "AFG", 40, None, None, Decimal("99.999"), Decimal("1000.4"),
             3.5, "2026-04"],
        ],
        total=[None, None, 12385, None, None, Decimal("1600.50"), 251000, None, None],
        notes=["Counts from 1 to 4 are not shown.", "Source: Retorno, 2026-05-01."],
        suppressed=True,
    )
    fields.update(overrides)
    return Table(**fields)


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def hxl_read(content: bytes):
    return hxl.data(io.BytesIO(content), hxl.InputOptions(allow_local=True))


# ---- hashtags and columns ------------------------------------------------------------

@pytest.mark.parametrize("spec", ["#affected", "#affected+returnees+f", "#adm1+code",
                                  "#value+usd", "#date+month", "#x_rate+i_en"])
def test_well_formed_hashtags_are_accepted(spec):
    validate_hashtag(spec)


@pytest.mark.parametrize("spec", ["", "affected", "#", "#Affected", "#1abc", "#_x",
                                  "#affected+", "#affected++f", "#affected+F",
                                  "#affected +f", "#affected+f+f", "#affected-f",
                                  "#affected+1f", "#affected\n", "#café"])
def test_malformed_hashtags_are_refused(spec):
    with pytest.raises(ValueError):
        validate_hashtag(spec)


def test_a_column_refuses_a_bad_hashtag():
    with pytest.raises(ValueError, match="HXL"):
        Column("n", "Returnees", "#Affected+returnees")


@pytest.mark.parametrize("kwargs", [
    dict(hxl="#affected+returnees", kind="share"),               # a share without +pct
    dict(hxl="#affected+returnees+pct", kind="count"),           # +pct on a count
    dict(hxl="#value+usd", kind="money"),                        # no currency
    dict(hxl="#value+xyz", kind="money", currency="XYZ"),        # not ISO 4217
    dict(hxl="#value", kind="money", currency="USD"),            # hashtag without +usd
    dict(hxl="#affected", kind="count", currency="USD"),         # currency on a count
    dict(hxl="#affected", kind="percent"),                       # unknown kind
])
def test_a_column_refuses_an_inconsistent_kind(kwargs):
    with pytest.raises(ValueError):
        Column("n", "Returnees", **kwargs)


def test_a_table_refuses_rows_of_the_wrong_shape():
    with pytest.raises(ValueError):
        sample(rows=[["Iraq", "IRQ"]])
    with pytest.raises(ValueError):
        sample(total=[1, 2])


def test_a_value_of_the_wrong_kind_is_refused():
    table = sample(rows=[["Iraq", "IRQ", "12", None, None, None, None, None, None]],
                   total=None)
    with pytest.raises(ValueError, match="returnees"):
        to_csv(table)
    table = sample(rows=[["Iraq", "IRQ", 1.5, None, None, None, None, None, None]],
                   total=None)
    with pytest.raises(ValueError, match="whole number"):
        to_csv(table)


# ---- CSV -----------------------------------------------------------------------------

def test_csv_has_labels_hashtags_rows_and_total():
    content = to_csv(sample())
    assert content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(content)
    assert rows[0] == ["Country of origin", "ISO code", TRICKY_LABEL, ARABIC,
                       "Share of women", "Cost (EUR)", "Grant (IQD)",
                       "Mean household size", "First return"]
    assert rows[1] == [c.hxl for c in columns()]
    assert rows[2] == ["Iraq", "IRQ", "12345", "6000", "0.486", "1500.50", "250000",
                       "4.25", "2026-03-01"]
    # Hidden values are empty; money has its currency's minor units (banker's rounding);
    # a float is written as its shortest decimal.
    assert rows[3] == ["Afghanistan", "AFG", "40", "", "", "100.00", "1000", "3.5",
                       "2026-04"]
    assert rows[4] == ["Total", "", "12385", "", "", "1600.50", "251000", "", ""]
    assert len(rows) == 5  # no notes, no title


def test_csv_reads_as_hxl():
    data = hxl_read(to_csv(sample()))
    tags = [(c.tag, c.attributes) for c in data.columns]
    assert tags == [
        ("#country", {"name", "origin"}), ("#country", {"code", "origin"}),
        ("#affected", {"returnees", "num"}), ("#affected", {"returnees", "f"}),
        ("#affected", {"returnees", "f", "pct"}), ("#value", {"eur"}),
        ("#value", {"grant", "iqd"}), ("#indicator", {"household", "size"}),
        ("#date", {"month"}),
    ]
    assert [c.header for c in data.columns][2:4] == [TRICKY_LABEL, ARABIC]
    records = list(data)  # read once: the source is a stream
    rows = [row.values for row in records]
    assert rows[0] == ["Iraq", "IRQ", "12345", "6000", "0.486", "1500.50", "250000",
                       "4.25", "2026-03-01"]
    assert rows[2][0] == "Total"
    assert len(rows) == 3
    # HXL's own selectors find the columns by hashtag and attribute.
    assert [row.get("#country+code") for row in records] == ["IRQ", "AFG", None]
    assert [row.get("#value+iqd") for row in records] == ["250000", "1000", "251000"]
    assert [row.get("#affected+f-pct") for row in records] == ["6000", None, None]


def test_csv_neutralises_formulas_with_an_apostrophe():
    rows = [[text, "XXX", 1, None, None, None, None, None, None] for text in FORMULAS]
    table = sample(rows=rows, total=None,
                   columns=[Column("country", "=SUM(A1:A9)", "#country+name"),
                            *columns()[1:]])
    parsed = csv_rows(to_csv(table))
    assert parsed[0][0] == "'=SUM(A1:A9)"
    assert [row[0] for row in parsed[2:]] == ["'" + text for text in FORMULAS]
    # A negative number in a number column is a number, not text to neutralise.
    negative = sample(rows=[["Iraq", "IRQ", 1, None, None, Decimal("-5"), None, -2, None]],
                      total=None)
    assert csv_rows(to_csv(negative))[2][5:8] == ["-5.00", "", "-2"]


def test_the_total_row_keeps_a_label_it_was_given():
    rows = csv_rows(to_csv(sample(total=["All countries", None, 12385, None, None, None,
                                         None, None, None])))
    assert rows[-1][0] == "All countries"


# ---- XLSX ----------------------------------------------------------------------------

def test_xlsx_reads_back_with_openpyxl():
    book = load_workbook(io.BytesIO(to_xlsx(sample())))
    assert book.sheetnames == ["Returns by country of origin, 2"]
    sheet = book.active
    assert sheet["A1"].value == "Returns by country of origin, 2026"
    assert sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == [c.label for c in columns()]
    assert [c.value for c in sheet[3]] == [c.hxl for c in columns()]
    assert sheet.freeze_panes == "A4"

    iraq = sheet[4]
    assert [c.value for c in iraq[:8]] == [
        "Iraq", "IRQ", 12345, 6000, pytest.approx(0.486), pytest.approx(1500.5), 250000,
        pytest.approx(4.25)]
    assert iraq[8].is_date and iraq[8].value.date() == datetime.date(2026, 3, 1)
    assert [c.number_format for c in iraq[2:]] == [
        "#,##0", "#,##0", "0.0%", "#,##0.00", "#,##0", "#,##0.00", "yyyy-mm-dd"]
    assert iraq[1].data_type == "s"

    afghanistan = sheet[5]
    assert afghanistan[3].value is None and afghanistan[4].value is None  # hidden
    assert afghanistan[5].value == pytest.approx(100)
    assert afghanistan[8].value == "2026-04"

    total = sheet[6]
    assert [c.value for c in total] == ["Total", None, 12385, None, None,
                                        pytest.approx(1600.5), 251000, None, None]
    assert all(c.font.b for c in total)
    assert not any(c.font.b for c in iraq)

    assert sheet["A7"].value is None
    assert [sheet["A8"].value, sheet["A9"].value] == [
        "Counts from 1 to 4 are not shown.", "Source: Retorno, 2026-05-01."]
    assert sheet.max_row == 9

    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHI"]
    assert all(8 <= width <= 50 for width in widths)


def test_xlsx_reads_as_hxl():
    data = hxl_read(to_xlsx(sample()))
    assert [c.display_tag for c in data.columns] == [c.hxl for c in columns()]
    assert [c.header for c in data.columns][2:4] == [TRICKY_LABEL, ARABIC]
    rows = [row.values for row in data]
    assert rows[0] == ["Iraq", "IRQ", 12345, 6000, 0.486, 1500.5, 250000, 4.25,
                       "2026-03-01"]
    assert rows[1][:3] == ["Afghanistan", "AFG", 40]
    assert rows[1][3] == ""
    assert rows[2][:3] == ["Total", "", 12385]
    # The notes below the table come after it as rows of their own, text in the first
    # column only: an HXL reader that wants data alone takes the CSV.
    assert [row[0] for row in rows[3:] if row[0]] == [
        "Counts from 1 to 4 are not shown.", "Source: Retorno, 2026-05-01."]


def test_xlsx_keeps_formula_like_text_as_text():
    rows = [[text, "XXX", 1, None, None, None, None, None, None] for text in FORMULAS]
    table = sample(title="=1+1", rows=rows, total=None, notes=["=cmd|' /C calc'!A0"],
                   columns=[Column("country", "@SUM(A1)", "#country+name"),
                            *columns()[1:]])
    content = to_xlsx(table)
    sheet = load_workbook(io.BytesIO(content)).active
    texts = [sheet["A1"], sheet["A2"], *(sheet.cell(row=4 + i, column=1)
                                         for i in range(len(FORMULAS))), sheet["A9"]]
    assert [c.value for c in texts] == ["=1+1", "@SUM(A1)", *FORMULAS,
                                        "=cmd|' /C calc'!A0"]
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_xlsx_is_the_same_file_whenever_it_is_made():
    with time_machine.travel(datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
                             tick=False):
        first = to_xlsx(sample())
    with time_machine.travel(datetime.datetime(2027, 6, 7, 8, 9, 10, tzinfo=datetime.UTC),
                             tick=False):
        second = to_xlsx(sample())
    assert first == second
    properties = load_workbook(io.BytesIO(first)).properties
    assert properties.created.isoformat() == "2000-01-01T00:00:00"
    assert properties.modified.isoformat() == "2000-01-01T00:00:00"
    assert properties.creator == "Retorno"


@pytest.mark.parametrize(("title", "expected"), [
    ("Returns by country of origin and sex, 2026", "Returns by country of origin an"),
    ("Returns [2026]: Iraq/Syria? *all*", "Returns 2026 Iraq Syria all"),
    ("'quoted'", "quoted"),
    ("", "Table"),
    ("???", "Table"),
    ("History", "History (2)"),
    (ARABIC, ARABIC),
])
def test_sheet_names_follow_excels_rules(title, expected):
    assert sheet_name(title) == expected


def test_several_tables_make_one_workbook_with_unique_sheet_names():
    long = "Returns by country of origin and sex, 2026"
    tables = [sample(title=long), sample(title=long.upper()), sample(title="Costs"),
              sample(title=long)]
    book = load_workbook(io.BytesIO(several_to_xlsx(tables)))
    assert book.sheetnames == ["Returns by country of origin an",
                               "RETURNS BY COUNTRY OF ORIGI (2)", "Costs",
                               "Returns by country of origi (3)"]
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert [book[name]["A1"].value for name in book.sheetnames] == [
        long, long.upper(), "Costs", long]
    assert book["Costs"]["A4"].value == "Iraq"


def test_an_empty_table_still_has_its_header():
    table = sample(rows=[], total=None, notes=[])
    assert csv_rows(to_csv(table)) == [[c.label for c in columns()], [c.hxl for c in columns()]]
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet.max_row == 3
    with pytest.raises(ValueError):
        several_to_xlsx([])


# ---- download ------------------------------------------------------------------------

@time_machine.travel(datetime.datetime(2026, 5, 1, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_download_headers():
    table = sample()
    response = download(table, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="returns-by-origin-country-2026-05-01.csv"')
    assert response.content == to_csv(table)

    response = download(table, "xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response["Content-Disposition"] == (
        'attachment; filename="returns-by-origin-country-2026-05-01.xlsx"')
    assert response.content == to_xlsx(table)


@time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(("slug", "name"), [
    ("Rückkehr nach Herkunft", "ruckkehr-nach-herkunft-2026-05-01.csv"),
    ('a"b;c\r\nd/../e', "abc-de-2026-05-01.csv"),
    (ARABIC, "table-2026-05-01.csv"),
])
def test_download_file_names_are_ascii(slug, name):
    response = download(sample(slug=slug), "csv")
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_download_refuses_an_unknown_format():
    with pytest.raises(ValueError):
        download(sample(), "pdf")
