"""The programme finance figures as files: CSV (UTF-8) and XLSX (openpyxl).

Two tables: the overview (one row per programme, as on `/finance/`) and one programme's
detail (one row per figure, then the spending by grant kind, payment method and month).
Every amount is in the programme's currency, named in a column of its own; the CSV
writes amounts as plain numbers with the currency's decimals ("1500.00"), the XLSX as
numbers with the currency's decimals as their number format. A text cell a spreadsheet
would run as a formula (a programme named "=HYPERLINK(…)") is made inert with an
apostrophe, as the departure manifests do.

`export_overview` and `export_programme` check `finance.view` and record audit event 327
(no case, no office: the figures are organisation-wide).
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from retorno.accounts.models import User
from retorno.finance.figures import Figures, figures_of, programme_figures
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.money import minor_units, quantize
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.programmes import policy
from retorno.programmes.models import Programme

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell a spreadsheet would read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


Cell = str | int | Money | None


@dataclass
class Export:
    content: bytes
    filename: str
    content_type: str


def _inert(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _money(amount: Decimal | None, currency: str) -> Money | None:
    if amount is None or not currency:
        return None
    return Money(amount, currency)


# ---- the tables --------------------------------------------------------------------

def overview_headers() -> list[str]:
    return [_("Code"), _("Programme"), _("Donor"), _("Currency"), _("Budget"),
            _("Committed"), _("Remaining"), _("Over budget"), _("Spent"),
            _("Awaiting payment"), _("Approved cases"), _("Quota (cases)"),
            _("Returnees assisted"), _("Cost per returnee")]


def overview_row(figure: Figures) -> list[Cell]:
    programme, currency = figure.programme, figure.currency
    return [programme.code, programme.name, programme.donor, currency,
            _money(figure.budget, currency), _money(figure.committed, currency),
            _money(figure.remaining, currency),
            _("yes") if figure.over_budget else _("no"),
            _money(figure.spent, currency), _money(figure.awaiting, currency),
            figure.approved_cases, figure.max_cases, figure.returnees_assisted,
            _money(figure.cost_per_returnee, currency)]


def detail_headers() -> list[str]:
    return [_("Code"), _("Figure"), _("Detail"), _("Amount or number"), _("Currency")]


def detail_rows(figure: Figures) -> list[list[Cell]]:
    code, currency = figure.programme.code, figure.currency

    def money(label: str, amount: Decimal | None, detail: str = "") -> list[Cell]:
        return [code, label, detail, _money(amount, currency), currency]

    def count(label: str, number: int | None) -> list[Cell]:
        return [code, label, "", number, ""]

    rows = [money(_("Budget"), figure.budget),
            money(_("Committed"), figure.committed),
            money(_("Remaining"), figure.remaining,
                  _("over budget") if figure.over_budget else ""),
            money(_("Spent"), figure.spent),
            money(_("Awaiting payment"), figure.awaiting),
            count(_("Approved cases"), figure.approved_cases),
            count(_("Quota (cases)"), figure.max_cases),
            count(_("Returnees assisted"), figure.returnees_assisted),
            money(_("Cost per returnee"), figure.cost_per_returnee)]
    rows += [money(_("Spent by grant kind"), amount, label)
             for label, amount in figure.by_kind()]
    rows += [money(_("Spent by payment method"), amount, label)
             for label, amount in figure.by_method()]
    rows += [money(_("Spent by month"), amount, month.strftime("%Y-%m"))
             for month, amount in figure.by_month()]
    return rows


# ---- the files ---------------------------------------------------------------------

def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Money):
        return str(quantize(cell.amount, cell.currency))
    if isinstance(cell, int):
        return str(cell)
    return _inert(str(cell))


def to_csv(headers: list[str], rows: list[list[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_inert(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def number_format(currency: str) -> str:
    """The XLSX number format of an amount in `currency`: its decimals, thousands
    grouped ("#,##0.00" for EUR, "#,##0" for IQD)."""
    digits = minor_units(currency)
    return "#,##0" + ("." + "0" * digits if digits else "")


def to_xlsx(headers: list[str], rows: list[list[Cell]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, Money):
                cell.value = quantize(value.amount, value.currency)
                cell.number_format = number_format(value.currency)
            elif isinstance(value, int):
                cell.value = value
                cell.number_format = "0"
            elif value is not None:
                # Text is always text: openpyxl would take "=…" for a formula.
                cell.value = _inert(str(value))
                cell.data_type = "s"
    for column in sheet.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 50)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _render(fmt: str, headers: list[str], rows: list[list[Cell]], title: str) -> bytes:
    if fmt == "csv":
        return to_csv(headers, rows)
    return to_xlsx(headers, rows, title)


# ---- the exports (checked and audited) ---------------------------------------------

def _check(actor: User, fmt: str) -> None:
    if not policy.can_view_finance(actor):
        raise NotAllowed(_("Only supervisors and programme managers read and export the "
                           "programme finances."))
    if fmt not in FORMATS:
        raise Invalid(_("Choose the format: CSV or XLSX."),
                      field_errors={"format": [_("Choose the format: CSV or XLSX.")]})


def _today() -> datetime.date:
    return timezone.localdate()


def export_overview(*, actor: User, fmt: str) -> Export:
    """Every programme's figures as one table. Needs finance.view. Audit event 327 with
    the format, the number of rows and the programmes' codes."""
    _check(actor, fmt)
    figures = programme_figures(list(policy.programmes()))
    rows = [overview_row(figure) for figure in figures]
    content = _render(fmt, overview_headers(), rows, _("Programmes"))
    _record(actor, actor, fmt, rows=len(rows),
            programmes=[figure.programme.code for figure in figures])
    return Export(content, f"finance-programmes-{_today().isoformat()}.{fmt}",
                  CONTENT_TYPES[fmt])


def export_programme(*, actor: User, programme: Programme, fmt: str) -> Export:
    """One programme's figures, with the spending by grant kind, method and month.
    Needs finance.view. Audit event 327 with the format, the number of rows and the
    programme's code."""
    _check(actor, fmt)
    rows = detail_rows(figures_of(programme))
    content = _render(fmt, detail_headers(), rows, programme.code)
    _record(actor, programme, fmt, rows=len(rows), programmes=[programme.code])
    return Export(content, f"finance-{programme.code}-{_today().isoformat()}.{fmt}",
                  CONTENT_TYPES[fmt])


def _record(actor: User, target: Any, fmt: str, **extra: Any) -> None:
    with transaction.atomic():
        audit.record(AuditType.FINANCE_EXPORTED, target, actor=actor, office_id=None,
                     format=fmt, **extra)
