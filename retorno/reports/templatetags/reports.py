"""Showing a statistics table's values in the reader's language."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from retorno.reports.tables import Column

register = template.Library()


@register.simple_tag
def cell(value: object, column: Column) -> str:
    """A value as the page shows it: a hidden count as a dash explained on hover."""
    if value is None:
        return format_html('<span class="muted" title="{}">–</span>',
                           _("Not shown: a small count, or one that would reveal one"))
    if column.kind == "count" and isinstance(value, int):
        return number_format(value, force_grouping=True)
    if column.kind == "share" and isinstance(value, int | float | Decimal):
        return number_format(float(value) * 100, 1) + "\u00a0%"
    if column.kind in ("number", "money") and isinstance(value, int | float | Decimal):
        places = 1 if column.key in ("median", "p90") else 2
        return number_format(value, places, force_grouping=True)
    return str(value)


@register.filter
def change(value: float | None) -> str:
    """A relative change as "+12.5 %" (or "" when there is none)."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number_format(abs(value) * 100, 1)}\u00a0%"


# Columns for machines (codes, ISO dates) that the page leaves out: the next column
# names the same thing for people.
MACHINE_KEYS = frozenset({"code", "month", "quarter", "host", "origin", "region_code"})


@register.filter
def shown_columns(table) -> list[Column]:
    return [c for c in table.columns if c.key not in MACHINE_KEYS]


@register.filter
def shown_cells(row: list, table) -> list[tuple[Column, object]]:
    return [(c, v) for c, v in zip(table.columns, row, strict=True)
            if c.key not in MACHINE_KEYS]


@register.filter
def count(value: int | None) -> str:
    return "–" if value is None else number_format(value, force_grouping=True)


@register.filter
def get(mapping: dict, key: str) -> object:
    return mapping.get(key)


@register.filter
def is_suppression_note(note: str) -> bool:
    """A document says once, at its end, what every table's suppression note says."""
    from retorno.reports.figures import SUPPRESSION_NOTE

    return note == str(SUPPRESSION_NOTE)
