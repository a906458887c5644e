"""Everything the statistics dashboard and the bulletin show for one period and selection:
headline figures with their comparisons, and each table with its chart or map.

`build` computes the figures once (`statistics.compute`), makes the tables
(`figures`, exact for staff, with disclosure control when `public`), and draws the
charts and maps from the *published* numbers, so a picture never shows what its table
hides.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from retorno.finance.figures import programme_figures
from retorno.finance.models import Disbursement, DisbursementStatus
from retorno.lib import charts, maps
from retorno.programmes.models import Programme
from retorno.regions import lookup
from retorno.reports import figures
from retorno.reports.figures import SMALL, Names, Scores, Spending
from retorno.reports.statistics import (
    CASE_FIELDS,
    Period,
    Selection,
    Summary,
    compute,
    latest_confirmation,
    quarterly,
    returns,
    trend,
)
from retorno.reports.tables import Table
from retorno.surveys.definition import text
from retorno.surveys.models import DimensionScore, InstrumentVersion, Purpose, SurveyResponse

TREND_MONTHS = 24
TREND_QUARTERS = 8


@dataclass
class Headline:
    key: str
    label: str
    value: int | float | None
    previous: int | float | None = None  # the period just before, as long
    year_before: int | float | None = None  # the same period a year earlier

    @staticmethod
    def _change(now, then) -> float | None:
        if now is None or then is None or then == 0:
            return None
        return (now - then) / then

    @property
    def change_previous(self) -> float | None:
        return self._change(self.value, self.previous)

    @property
    def change_year(self) -> float | None:
        return self._change(self.value, self.year_before)


@dataclass
class Section:
    table: Table
    chart: str = ""
    map: str = ""


@dataclass
class Dashboard:
    period: Period
    selection: Selection
    public: bool
    headlines: list[Headline]
    sections: dict[str, Section] = field(default_factory=dict)
    data_as_of: datetime.datetime | None = None

    def tables(self) -> list[Table]:
        return [section.table for section in self.sections.values()]


def counts(period: Period, selection: Selection) -> tuple[int, int]:
    """Individuals and cases of a period, counted by the database."""
    found = returns(period, selection).aggregate(people=Count("person_id", distinct=True),
                           cases=Count("id", filter=Q(first_of_case=True)))
    return found["people"], found["cases"]


def _published(value: int | None, public: bool) -> int | None:
    return None if value is None or (public and 1 <= value <= SMALL) else value


def headlines(summary: Summary, public: bool) -> list[Headline]:
    period, selection = summary.period, summary.selection
    before = counts(period.shifted(-_months(period)), selection)
    year = counts(period.shifted(-12), selection)
    children = sum(n for (sex, group), n in summary.sex_age.items()
                   if group in ("0-4", "5-11", "12-17"))
    return [
        Headline("individuals", _("Individuals assisted to return"),
                 _published(summary.individuals, public), _published(before[0], public),
                 _published(year[0], public)),
        Headline("cases", _("Cases"), _published(summary.cases, public),
                 _published(before[1], public), _published(year[1], public)),
        Headline("vulnerable", _("In a vulnerable situation"),
                 _published(summary.vulnerable, public)),
        Headline("children", _("Children (under 18)"), _published(children, public)),
        Headline("median_days", _("Median days from application to departure"),
                 None if public and len(summary.days_to_departure) <= SMALL
                 else summary.median_days),
    ]


def _months(period: Period) -> int:
    return len(period.months())


def spending_rows(summary: Summary) -> list[Spending]:
    """Budget and spending of the programmes of the selection (every programme that had
    a return in the period when none is chosen)."""
    period, selection = summary.period, summary.selection
    if selection.programme_id is not None:
        chosen = list(Programme.objects.filter(pk=selection.programme_id))
    else:
        chosen = list(Programme.objects.filter(
            pk__in=sorted(pk for pk in summary.programmes if pk is not None)).order_by("name"))
    in_period = {
        row["grant__case__programme_id"]: row["total"]
        for row in Disbursement.objects.filter(
            grant__case__programme__in=chosen, status=DisbursementStatus.PAID,
            paid_on__gte=period.start, paid_on__lte=period.end)
        .values("grant__case__programme_id").annotate(total=Sum("amount")).order_by()
    }
    return [Spending(programme_id=f.programme.pk, currency=f.currency, budget=f.budget,
                     committed=f.committed, spent=f.spent,
                     spent_in_period=in_period.get(f.programme.pk) or Decimal(0),
                     returnees=f.returnees_assisted)
            for f in programme_figures(chosen, approvals=False)]


def median_of_counts(counts: list[tuple[float, int]]) -> float | None:
    """The median of values given as (value, how many times): what `statistics.median`
    gives on the values written out, from a frequency table the database grouped."""
    total = sum(n for _v, n in counts)
    if not total:
        return None
    ordered = sorted(counts)
    wanted = [(total - 1) // 2, total // 2]  # the middle one, or the middle two
    found, seen = [], 0
    for value, n in ordered:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return (found[0] + found[1]) / 2


def sustainability(period: Period, selection: Selection) -> Scores | None:
    """Medians of the sustainability surveys collected in the period from the selection's
    returnees (whenever they returned). Scores take few distinct values (means of coded
    answers), so the database counts each value and the medians come from those counts:
    exact, without reading every score."""
    versions = dict(InstrumentVersion.objects.filter(
        instrument__purpose=Purpose.SUSTAINABILITY).values_list("pk", "definition"))
    responses = SurveyResponse.objects.filter(
        selection.condition(CASE_FIELDS, "case__"), version_id__in=sorted(versions),
        collected_on__gte=period.start, collected_on__lte=period.end)
    # One pass: how many responses of each version had each composite score (None: not
    # scored).
    counted = [(row["version_id"], row["composite"], row["n"]) for row in responses
               .values("version_id", "composite").annotate(n=Count("id")).order_by()]
    if not counted:
        return None
    composites = [(value, n) for _v, value, n in counted if value is not None]
    used = {version for version, _c, _n in counted}
    labels: dict[str, str] = {}
    for definition in (versions[pk] for pk in sorted(used)):
        for dimension in definition.get("dimensions", []):
            labels.setdefault(dimension["code"], text(dimension["label"]) or dimension["code"])
    by_dimension: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for row in (DimensionScore.objects.filter(response__in=responses.values("pk"),
                                              score__isnull=False)
                .values("dimension", "score").annotate(n=Count("id")).order_by()):
        by_dimension[row["dimension"]].append((row["score"], row["n"]))
    return Scores(
        responses=sum(n for _v, _c, n in counted),
        composite=median_of_counts(composites),
        dimensions=[(label, sum(n for _v, n in by_dimension[code]),
                     median_of_counts(by_dimension[code]))
                    for code, label in labels.items()])


def _column(table: Table, key: str) -> int:
    return next(i for i, column in enumerate(table.columns) if column.key == key)


def _chart_of(table: Table, label_key: str, value_key: str, title: str) -> str:
    li, vi = _column(table, label_key), _column(table, value_key)
    rows = table.rows
    return charts.bar_chart([str(row[li]) for row in rows], [row[vi] for row in rows],
                            title=title, counts=True)


def _map_of(table: Table, title: str) -> str:
    ci, vi = _column(table, "code"), _column(table, "individuals")
    values = {row[ci]: row[vi] for row in table.rows if row[ci] and row[vi] is not None}
    return maps.world_map(values, title=title, legend=_("Individuals"))


def build(period: Period, selection: Selection, *, public: bool, names: Names,
          with_charts: bool = True) -> Dashboard:
    summary = compute(period, selection)
    months = trend(period.end, TREND_MONTHS, selection)
    quarters = quarterly(period.end, TREND_QUARTERS, selection)
    board = Dashboard(period=period, selection=selection, public=public,
                      headlines=headlines(summary, public))
    board.data_as_of = latest_confirmation()
    add = board.sections.__setitem__
    add("months", Section(figures.by_month(months, public)))
    add("quarters", Section(figures.by_quarter(quarters, public)))
    add("origin", Section(figures.origin_countries(summary, names, public)))
    add("host", Section(figures.host_countries(summary, names, public)))
    add("corridors", Section(figures.corridors(summary, names, public)))
    add("regions", Section(figures.origin_regions(summary, names, public, {
        country: (region.code, region.name)
        for country, region in lookup.organisation_region_of().items()})))
    add("sex_age", Section(figures.sex_age(summary, public)))
    add("categories", Section(figures.categories(summary, public)))
    add("vulnerability", Section(figures.vulnerability(summary, public)))
    add("programmes", Section(figures.programmes(summary, names, public)))
    add("time", Section(figures.time_to_departure(summary, public)))
    add("assistance", Section(figures.assistance(summary, public)))
    add("spending", Section(figures.spending(spending_rows(summary), summary, names,
                                             public)))
    add("sustainability", Section(figures.sustainability(sustainability(period, selection),
                                                         public)))
    if with_charts:
        draw(board)
    return board


def draw(board: Dashboard) -> None:
    """The charts and maps, from the tables as shown."""
    s = board.sections
    months = s["months"].table
    s["months"].chart = charts.line_chart(
        {_("Individuals"): [(str(r[1]), r[2]) for r in months.rows],
         _("Cases"): [(str(r[1]), r[3]) for r in months.rows]},
        y_max=max([1, *(v for r in months.rows for v in r[2:] if v is not None)]) * 1.1,
        title=_("Assisted returns by month"))
    quarters = s["quarters"].table
    s["quarters"].chart = _chart_of(quarters, "label", "individuals",
                                    _("Individuals assisted to return by quarter"))
    s["origin"].map = _map_of(s["origin"].table, _("Countries of origin"))
    s["host"].map = _map_of(s["host"].table, _("Host countries"))
    s["origin"].chart = _chart_of(_without_other(s["origin"].table), "country", "individuals",
                                  _("Top countries of origin"))
    s["host"].chart = _chart_of(_without_other(s["host"].table), "country", "individuals",
                                _("Top host countries"))
    ages = s["sex_age"].table
    s["sex_age"].chart = charts.bar_chart([str(r[0]) for r in ages.rows],
                                          [r[-1] for r in ages.rows],
                                          title=_("Age at departure"), counts=True)
    categories = s["categories"].table
    s["categories"].chart = _chart_of(categories, "category", "individuals",
                                      _("Migrant category"))


def _without_other(table: Table) -> Table:
    ci = _column(table, "code")
    return Table(slug=table.slug, title=table.title, columns=table.columns,
                 rows=[row for row in table.rows if row[ci]])
