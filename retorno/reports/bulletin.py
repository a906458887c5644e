"""The quarterly bulletin: the published figures of one quarter — headline figures with
their comparison to the quarter before and to the same quarter a year earlier, a few
sentences written from them, the world maps, the charts and the top-10 tables — as a
page and as a PDF (docs/statistics.md; the figures are `dashboard.build(public=True)`).

`build` returns the snapshot (`reports.snapshot`) a kept `Report` stores; `render_html`
and `render_pdf` draw the document from a snapshot alone, so a kept bulletin is shown
again exactly as it was published.
"""

from collections.abc import Callable
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from retorno.reports import dashboard as boards
from retorno.reports import snapshot as snapshots
from retorno.reports.figures import Names, period_label, quarter_label
from retorno.reports.statistics import Period, Selection

Progress = Callable[[int, str], None]

# The sections the bulletin shows, in order (the dashboard has more).
SECTIONS = ("origin", "host", "corridors", "regions", "quarters", "months", "sex_age", "categories",
            "vulnerability", "time", "assistance", "sustainability")


def _n(value: int | float | None) -> str:
    return number_format(value, force_grouping=True)


def _change(now: int, then: int | None, label: str) -> str | None:
    """"12.5 % more than in Q2 2026 (1,099)", or None when there is nothing to compare."""
    if then is None or then == 0:
        return None
    share = abs(now - then) / then * 100
    values = {"share": number_format(share, 1), "label": label, "then": _n(then)}
    if now > then:
        return _("%(share)s %% more than in %(label)s (%(then)s)") % values
    if now < then:
        return _("%(share)s %% fewer than in %(label)s (%(then)s)") % values
    return _("as many as in %(label)s") % values


def _top(table: dict[str, Any], count: int = 3) -> list[tuple[str, int]]:
    keys = [c["key"] for c in table["columns"]]
    name, value = keys.index("country"), keys.index("individuals")
    code = keys.index("code")
    return [(row[name], row[value]) for row in table["rows"]
            if row[code] and row[value] is not None][:count]


def _listing(items: list[tuple[str, int]]) -> str:
    parts = [f"{name} ({_n(n)})" for name, n in items]
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def commentary(data: dict[str, Any], period: Period) -> list[str]:
    """Sentences about the quarter, from the published figures only: a hidden figure is
    never written out, nor worked out."""
    heads = {h["key"]: h for h in data["headlines"]}
    sections = data["sections"]
    label = quarter_label(period)
    people, cases = heads["individuals"]["value"], heads["cases"]["value"]
    said = []
    if people is None:
        said.append(_("Fewer than 5 migrants were assisted to return in %(period)s.")
                    % {"period": label})
        return said
    if people == 0:
        return [_("No migrant was assisted to return in %(period)s.") % {"period": label}]
    sentence = _("In %(period)s, %(people)s migrants were assisted to return home") % {
        "period": label, "people": _n(people)}
    if cases is not None:
        sentence += _(", in %(cases)s cases") % {"cases": _n(cases)}
    said.append(sentence + ".")
    comparisons = [c for c in (
        _change(people, heads["individuals"]["previous"], quarter_label(period.shifted(-3))),
        _change(people, heads["individuals"]["year_before"],
                quarter_label(period.shifted(-12)))) if c]
    if comparisons:
        said.append(_("That is %(comparisons)s.") % {
            "comparisons": _(" and ").join(comparisons)})
    origins = _top(sections["origin"]["table"])
    if origins:
        said.append(_("Most returned to %(countries)s.") % {"countries": _listing(origins)})
    hosts = _top(sections["host"]["table"], 2)
    if hosts:
        said.append(_("The largest numbers left %(countries)s.") % {
            "countries": _listing(hosts)})
    vulnerable, children = heads["vulnerable"]["value"], heads["children"]["value"]
    if vulnerable is not None and children is not None:
        said.append(_("%(vulnerable)s %% were in a vulnerable situation and %(children)s %% "
                      "were children.") % {
            "vulnerable": number_format(vulnerable / people * 100, 0),
            "children": number_format(children / people * 100, 0)})
    time_rows = sections["time"]["table"]["rows"]
    if time_rows and time_rows[0][1] is not None and time_rows[0][2] is not None:
        said.append(_("Half of the cases left within %(median)s days of applying, and nine "
                      "in ten within %(p90)s days.") % {
            "median": number_format(time_rows[0][1], 0),
            "p90": number_format(time_rows[0][2], 0)})
    return said


def build(period: Period, *, progress: Progress = lambda percent, step: None,
          names: Names) -> dict[str, Any]:
    """The snapshot of the bulletin of `period` (a quarter, usually)."""
    progress(5, _("Counting the returns"))
    board = boards.build(period, Selection(), public=True, names=names, with_charts=False)
    progress(45, _("Drawing the maps and charts"))
    boards.draw(board)
    progress(75, _("Writing the summary"))
    data = snapshots.document_data(
        board, SECTIONS, title=_("Assisted voluntary return and reintegration: %(period)s")
        % {"period": period_label(period)})
    data["text"] = commentary(data, period)
    return data


def render_html(data: dict[str, Any], *, for_pdf: bool = False) -> str:
    return snapshots.render_html(data, kicker=_("Retorno statistics bulletin"),
                                 for_pdf=for_pdf)


def render_pdf(data: dict[str, Any]) -> bytes:
    return snapshots.render_pdf(data, kicker=_("Retorno statistics bulletin"))
