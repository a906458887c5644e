"""Statistics tables as files people and machines can read: CSV and XLSX, each column
tagged with an HXL hashtag (the Humanitarian Exchange Language, https://hxlstandard.org),
so the tools of the humanitarian data world (HDX, the HXL Proxy, libhxl) read them as
they are.

Both files have a row of labels for people, then a row of hashtags, then the data, then
the totals row if the table has one. The CSV is for machines: nothing else is in it (a
title or notes would be read as data). The XLSX is for people first: the title above the
table (HXL readers skip it), the notes below it (HXL readers see them as rows after the
totals, text in the first column only).

How values are written, by the column's `kind`:

| kind | CSV (UTF-8 with BOM) | XLSX |
| --- | --- | --- |
| text | the text | a text cell |
| count | an integer, "12345" | a number shown "12,345" |
| number | a plain decimal, "1234.5" | a number shown "1,234.50" |
| money | with the currency's minor units: "1500.00" (EUR), "1500" (IQD) | as many decimals |
| share | a fraction of one: "0.25" is 25 % | the same fraction, shown "25.0%" |
| date | ISO 8601, "2026-03-01", or a text given ("2026-03") | a date shown "2026-03-01" |

No thousands separator and a dot for the decimals in the CSV, whatever the language, so
a machine reads the numbers; the XLSX number formats let the spreadsheet show them in
the reader's own way. A share is a fraction in both files, so a reader of either gets
the same number, and its hashtag carries `+pct` (a share column without it, or a `+pct`
column of another kind, is refused); a money column names its currency as an attribute
(`#value+usd`), as HXL does. A hidden value (None: a suppressed count) is an empty cell.

Text a spreadsheet would run as a formula ("=HYPERLINK(…)", "+1", "-2", "@x": CSV
injection) is made inert: in the CSV with an apostrophe in front ("'=HYPERLINK(…)"), the
only defence a CSV has, as the finance exports do; in the XLSX it is stored unchanged as
a text cell marked "quote prefix" (Excel's own way of keeping a typed "=…" as text), so
the reader sees exactly the text and no formula is ever written.

The XLSX is deterministic: the same table gives the same bytes (fixed document times
and zip entry times; the date is in the file name).
"""

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from retorno.lib.money import currencies, minor_units, quantize

KINDS = ("text", "count", "number", "money", "share", "date")
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# HXL 1.1: a hashtag is "#" and a name, then any number of "+attribute"s; names are
# lowercase ASCII letters, digits and underscores, starting with a letter. The standard
# allows spaces between the parts; we write the compact form only, so every file looks
# the same.
_NAME = r"[a-z][a-z0-9_]*"
_HASHTAG = re.compile(rf"#{_NAME}(?:\+{_NAME})*")

# A cell a spreadsheet would read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Excel's limits on a sheet's name.
_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

# The document's created/modified time and every zip entry's time: fixed, so the same
# table gives the same file.
_FIXED_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)

_NUMBER_FORMATS = {
    "count": "#,##0",
    "number": "#,##0.00",
    "share": "0.0%",
    "date": "yyyy-mm-dd",
}


def validate_hashtag(spec: str) -> None:
    """Raise ValueError unless `spec` is a well-formed HXL hashtag with its attributes
    ("#affected+returnees+f"), each attribute named once."""
    if not isinstance(spec, str) or not _HASHTAG.fullmatch(spec):
        raise ValueError(f"not a well-formed HXL hashtag: {spec!r}")
    attributes = spec.split("+")[1:]
    if len(set(attributes)) != len(attributes):
        raise ValueError(f"an HXL attribute is repeated in {spec!r}")


def _attributes(spec: str) -> set[str]:
    return set(spec.split("+")[1:])


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # shown to people, already translated (lazy ok)
    hxl: str  # e.g. "#affected+returnees+num"
    kind: str = "text"  # one of KINDS
    currency: str = ""  # for money columns: ISO 4217 code

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: kind must be one of {KINDS}")
        validate_hashtag(self.hxl)
        attributes = _attributes(self.hxl)
        if (self.kind == "share") != ("pct" in attributes):
            raise ValueError(f"column {self.key!r}: a share, and only a share, has the "
                             "+pct attribute")
        if self.kind == "money":
            if self.currency not in currencies():
                raise ValueError(f"column {self.key!r}: {self.currency!r} is not an ISO 4217 "
                                 "currency code")
            if self.currency.lower() not in attributes:
                raise ValueError(f"column {self.key!r}: the hashtag names the currency "
                                 f"(+{self.currency.lower()})")
        elif self.currency:
            raise ValueError(f"column {self.key!r}: only a money column has a currency")


@dataclass
class Table:
    """A statistics table ready to be shown or downloaded. `suppressed` says that small
    counts (and those that would reveal them) were hidden for publication; the note
    saying so is one of `notes`, which the XLSX prints below the table."""

    slug: str  # used in file names: "returns-by-origin-country"
    title: str
    columns: list[Column]
    rows: list[list[object]]  # one value per column; None = not shown
    total: list[object] | None = None  # an optional totals row, same shape
    notes: list[str] = field(default_factory=list)
    suppressed: bool = False

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a table needs at least one column")
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError("column keys must be unique")
        for row in [*self.rows, *([self.total] if self.total is not None else [])]:
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.slug!r}: a row has {len(row)} values for "
                                 f"{len(self.columns)} columns")


# ---- values --------------------------------------------------------------------------

def _inert(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _formula_like(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def _number(value: object, column: Column) -> int | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"column {column.key!r}: {value!r} is not a number")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def _date(value: object, column: Column) -> datetime.date | str:
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, datetime.date | str):
        return value
    raise ValueError(f"column {column.key!r}: {value!r} is not a date")


def _value(value: object, column: Column) -> object:
    """The value as it goes into a file: an int, a Decimal, a date or a str."""
    match column.kind:
        case "text":
            return str(value)
        case "count":
            number = _number(value, column)
            if number != int(number):
                raise ValueError(f"column {column.key!r}: a count is a whole number, "
                                 f"not {value!r}")
            return int(number)
        case "money":
            return quantize(Decimal(_number(value, column)), column.currency)
        case "number" | "share":
            return _number(value, column)
        case _:
            return _date(value, column)


def _rows(table: Table) -> list[tuple[list[object], bool]]:
    """Every row to write as (values, is the totals row); None stays None. The totals
    row's first text cell reads "Total" unless the table labelled the row in one of its
    text cells."""
    def values(row: list[object]) -> list[object]:
        return [None if value is None else _value(value, column)
                for value, column in zip(row, table.columns, strict=True)]

    out = [(values(row), False) for row in table.rows]
    if table.total is not None:
        total = values(table.total)
        texts = [i for i, c in enumerate(table.columns) if c.kind == "text"]
        if texts and all(total[i] in (None, "") for i in texts):
            total[texts[0]] = _("Total")
        out.append((total, True))
    return out


# ---- CSV -----------------------------------------------------------------------------

def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _inert(str(value))


def to_csv(table: Table) -> bytes:
    """The table as CSV for machines: UTF-8 with a byte order mark (so Excel reads the
    accents and scripts right), the labels, the hashtags, the rows, the totals row. No
    title and no notes: an HXL reader would take them for data."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_inert(str(column.label)) for column in table.columns])
    writer.writerow([column.hxl for column in table.columns])
    for values, _total in _rows(table):
        writer.writerow([_csv_cell(value) for value in values])
    return out.getvalue().encode("utf-8-sig")


# ---- XLSX ----------------------------------------------------------------------------

def _number_format(column: Column) -> str | None:
    if column.kind == "money":
        digits = minor_units(column.currency)
        return "#,##0" + ("." + "0" * digits if digits else "")
    return _NUMBER_FORMATS.get(column.kind)


def _text_cell(sheet: Worksheet, row: int, column: int, text: str):
    """A cell holding `text` as text, whatever it looks like."""
    cell = sheet.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"  # openpyxl would take "=…" for a formula
    if _formula_like(text):
        cell.quotePrefix = True
    return cell


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int | Decimal):
        return len(f"{value:,}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0)


def sheet_name(title: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts, made from `title`: none of []:*?/\\ nor control
    characters, no apostrophe at either end, at most 31 characters, not "History"
    (reserved), and not one of `taken` (Excel compares names ignoring case): a repeated
    name gets " (2)", " (3)"…"""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", str(title))
    name = " ".join(name.split()).strip("'").strip() or _("Table")
    taken_folded = {t.casefold() for t in taken} | {"history"}
    candidate, number = name[:_SHEET_NAME_MAX].rstrip("' "), 1
    while candidate.casefold() in taken_folded:
        number += 1
        suffix = f" ({number})"
        candidate = name[:_SHEET_NAME_MAX - len(suffix)].rstrip("' ") + suffix
    return candidate


def _fill_sheet(sheet: Worksheet, table: Table) -> None:
    """Title in row 1, labels in row 2, hashtags in row 3 (the header, frozen), the
    data, the totals row in bold, then, after an empty row, the notes."""
    widths = [max(_width(str(c.label)), len(c.hxl)) for c in table.columns]
    _text_cell(sheet, 1, 1, str(table.title)).font = Font(bold=True, size=13)
    for number, column in enumerate(table.columns, start=1):
        label = _text_cell(sheet, 2, number, str(column.label))
        label.font = Font(bold=True)
        label.alignment = Alignment(wrap_text=True, vertical="top")
        _text_cell(sheet, 3, number, column.hxl).font = Font(italic=True, color="595959")
    row_number = 3
    for values, is_total in _rows(table):
        row_number += 1
        for number, (value, column) in enumerate(zip(values, table.columns, strict=True),
                                                 start=1):
            widths[number - 1] = max(widths[number - 1], _width(value))
            if value is None:
                cell = sheet.cell(row=row_number, column=number)
            elif isinstance(value, str):
                cell = _text_cell(sheet, row_number, number, value)
            else:
                cell = sheet.cell(row=row_number, column=number, value=value)
                cell.number_format = _number_format(column) or "General"
            if is_total:
                cell.font = Font(bold=True)
    if table.notes:
        row_number += 1
        for note in table.notes:
            row_number += 1
            _text_cell(sheet, row_number, 1, str(note)).font = Font(italic=True)
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = min(max(width + 2, 8), 50)
    sheet.freeze_panes = "A4"


def _workbook_bytes(book: Workbook, title: str) -> bytes:
    book.properties.creator = "Retorno"
    book.properties.title = title
    book.properties.created = book.properties.modified = _FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter rather than Workbook.save, which stamps "modified" with the time.
        ExcelWriter(book, archive).save()
    # The same files again, each dated _ZIP_TIME instead of the time of writing.
    out = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
          zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


def to_xlsx(table: Table) -> bytes:
    """The table as a workbook of one sheet named from its title."""
    return several_to_xlsx([table])


def several_to_xlsx(tables: Sequence[Table]) -> bytes:
    """Several tables in one workbook, one sheet each, in order, with unique names (a
    donor report)."""
    if not tables:
        raise ValueError("a workbook needs at least one table")
    book = Workbook()
    book.remove(book.active)
    names: list[str] = []
    for table in tables:
        names.append(sheet_name(table.title, names))
        _fill_sheet(book.create_sheet(names[-1]), table)
    return _workbook_bytes(book, str(tables[0].title) if len(tables) == 1 else "")


# ---- download ------------------------------------------------------------------------

def filename(table: Table, fmt: str) -> str:
    """"<slug>-<YYYY-MM-DD>.<fmt>" with an ASCII slug (today in the server's time zone)."""
    slug = slugify(table.slug) or "table"
    return f"{slug}-{timezone.localdate().isoformat()}.{fmt}"


def download(table: Table, fmt: str) -> HttpResponse:
    """The table as an attachment, "csv" or "xlsx"; any other format is a ValueError
    (the view checks the format it accepts first)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    content = to_csv(table) if fmt == "csv" else to_xlsx(table)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(table, fmt)}"'
    return response
