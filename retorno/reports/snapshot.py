"""A built report's figures as plain data (JSON), so a kept report shows exactly what was
published, whatever changes later in the records or in the code that draws charts.

A snapshot holds the headlines, every table (columns with their hashtags, rows, totals,
notes), every chart and map as the SVG that was drawn, and the sentences written about
them. `tables_of` turns the stored tables back into `tables.Table` for the downloads.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from retorno.lib.pdf import html_to_pdf
from retorno.reports.dashboard import Dashboard
from retorno.reports.tables import Column, Table


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _restore(value: Any) -> Any:
    if isinstance(value, dict) and "decimal" in value:
        return Decimal(value["decimal"])
    return value


def table_data(table: Table) -> dict[str, Any]:
    return {
        "slug": table.slug, "title": str(table.title),
        "columns": [{"key": c.key, "label": str(c.label), "hxl": c.hxl, "kind": c.kind,
                     "currency": c.currency} for c in table.columns],
        "rows": [[_value(v) for v in row] for row in table.rows],
        "total": [_value(v) for v in table.total] if table.total is not None else None,
        "notes": [str(n) for n in table.notes], "suppressed": table.suppressed,
    }


def table_from(data: dict[str, Any]) -> Table:
    return Table(slug=data["slug"], title=data["title"],
                 columns=[Column(**c) for c in data["columns"]],
                 rows=[[_restore(v) for v in row] for row in data["rows"]],
                 total=[_restore(v) for v in data["total"]] if data["total"] else None,
                 notes=list(data["notes"]), suppressed=data["suppressed"])


def document_data(board: Dashboard, sections: Sequence[str], *, title: str,
                  extra: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The snapshot of a document (bulletin, programme report) made of the dashboard's
    `sections`, in that order, and the `extra` ones (key → section data), with its title,
    the time of the data it counted and when and in which language it was built."""
    data = dashboard_data(board)
    every = {**data["sections"], **(extra or {})}
    data["sections"] = {key: every[key] for key in sections}
    data["title"] = title
    data["data_as_of"] = board.data_as_of.isoformat() if board.data_as_of else None
    data["built_at"] = timezone.now().isoformat()
    data["language"] = get_language()
    return data


def render_html(data: dict[str, Any], *, kicker: str, for_pdf: bool = False) -> str:
    """A document from its snapshot alone (`reports/document.html`)."""
    return render_to_string("reports/document.html", {
        "data": data, "for_pdf": for_pdf, "kicker": kicker,
        "sections": list(data["sections"].items()),
        "tables": {key: table_from(s["table"]) for key, s in data["sections"].items()},
    })


def render_pdf(data: dict[str, Any], *, kicker: str) -> bytes:
    return html_to_pdf(render_html(data, kicker=kicker, for_pdf=True))


def dashboard_data(board: Dashboard) -> dict[str, Any]:
    return {
        "period": {"start": board.period.start.isoformat(), "end": board.period.end.isoformat()},
        "public": board.public,
        "headlines": [{"key": h.key, "label": str(h.label), "value": h.value,
                       "previous": h.previous, "year_before": h.year_before}
                      for h in board.headlines],
        "sections": {key: {"table": table_data(s.table), "chart": s.chart, "map": s.map}
                     for key, s in board.sections.items()},
    }


def tables_of(snapshot: dict[str, Any]) -> list[Table]:
    return [table_from(s["table"]) for s in snapshot.get("sections", {}).values()]
