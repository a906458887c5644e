"""The tables of return statistics, as staff read them (exact) or as they are published
(`public`: disclosure control applied), from a `statistics.Summary`.

One function per table, each returning a `tables.Table` with HXL hashtags, so the
dashboard, the bulletin, the donor reports and the downloads show the same numbers.

Public tables follow `reports.disclosure` (docs/statistics.md):

- tables of categories that are always listed (sex by age group, migrant categories,
  programmes, months, quarters) hide every count from 1 to 4 and then whatever would let
  a reader recover one from the totals (secondary suppression);
- ranked lists (top countries, corridors) list only countries with 5 or more returnees
  and add the rest up under "other countries"; while that remainder is 1 to 4 the
  smallest listed country joins it — so no count of 1 to 4 appears and nothing is hidden
  that the total would give back;
- counts that do not add up to a total (a person may have several vulnerabilities; a
  case several kinds of assistance) hide 1 to 4 only; an amount of money or a median
  is shown only over 5 or more cases or responses.

A table whose total is 1 to 4 is hidden whole.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.cases.models import Vulnerability
from retorno.lib.codes import country_name
from retorno.people.models import Sex
from retorno.programmes.models import MigrantCategory
from retorno.reintegration.models import ItemKind
from retorno.reports import disclosure
from retorno.reports.models import AgeGroup
from retorno.reports.statistics import Period, Summary, percentile
from retorno.reports.tables import Column, Table

SMALL = disclosure.SMALL
TOP = 10

SUPPRESSION_NOTE = gettext_lazy(
    "Published figures: counts from 1 to 4 are not shown, nor any count that would let "
    "them be worked out from the totals; countries with fewer than 5 returnees are "
    "counted under “other countries”.")

INDIVIDUALS = Column("individuals", gettext_lazy("Individuals"), "#affected+returnees+ind",
                     "count")
CASES = Column("cases", gettext_lazy("Cases"), "#affected+returnees+hh", "count")


def _count(key: str, label, hxl: str) -> Column:
    return Column(key, label, hxl, "count")


# ---- disclosure helpers ------------------------------------------------------------------


def _shown_list(counts: Sequence[int], public: bool) -> tuple[list[int | None], int | None]:
    """The counts and their total as published."""
    if not public:
        return list(counts), sum(counts)
    if not counts:
        return [], 0
    row = disclosure.protect_list(counts).rows()[0]
    return row[:-1], row[-1]


def _primary(value: int, public: bool) -> int | None:
    return None if public and 1 <= value <= SMALL else value


def _ranked(counts: Counter, public: bool, top: int = TOP
            ) -> tuple[list[tuple[object, int]], int, int | None]:
    """The top entries (key, count), what the others add up to, and the total, as
    published (see the module's docstring)."""
    total = sum(counts.values())
    ordered = sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1],
                                                                               str(kv[0])))
    if public and 1 <= total <= SMALL:
        return [], 0, None
    kept = [kv for kv in ordered if not public or kv[1] > SMALL][:top]
    other = total - sum(v for _k, v in kept)
    while public and 1 <= other <= SMALL and kept:
        other += kept.pop()[1]
    return kept, other, total


@dataclass(frozen=True)
class Names:
    """How codes read in the reader's language."""

    programmes: dict[int, str]
    language: str | None = None

    def country(self, code: str) -> str:
        return country_name(code, self.language) if code else _("Not recorded")

    def programme(self, pk: int | None) -> str:
        return self.programmes.get(pk, str(pk)) if pk is not None else _("No programme")


def published(table: Table, public: bool) -> Table:
    """The table, marked and noted as published figures when `public` (its counts must
    already be protected)."""
    if public:
        table.suppressed = True
        table.notes.append(str(SUPPRESSION_NOTE))
    return table


def _month_label(month: datetime.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def quarter_label(period: Period) -> str:
    return _("Q%(number)s %(year)s") % {"number": period.quarter_number,
                                         "year": period.start.year}


def period_label(period: Period) -> str:
    """"Q3 2026" for a calendar quarter, else the first and last days."""
    if period.is_quarter:
        return quarter_label(period)
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


# ---- the tables ------------------------------------------------------------------------


def by_month(months: list[tuple[datetime.date, int, int]], public: bool) -> Table:
    people, people_total = _shown_list([p for _m, p, _c in months], public)
    cases, cases_total = _shown_list([c for _m, _p, c in months], public)
    rows = [[m.strftime("%Y-%m"), _month_label(m), p, c]
            for (m, _p, _c), p, c in zip(months, people, cases, strict=True)]
    return published(Table(
        slug="returns-by-month", title=_("Assisted returns by month"),
        columns=[Column("month", _("Month"), "#date+month", "date"),
                 Column("label", _("Month"), "#date+month+name"), INDIVIDUALS, CASES],
        rows=rows,
        notes=[_("Each month counts a person once; a person who returned twice in a "
                 "period counts in each month they left in.")]), public)


def by_quarter(quarters: list[tuple[Period, int, int]], public: bool) -> Table:
    people, _t = _shown_list([p for _q, p, _c in quarters], public)
    cases, _t = _shown_list([c for _q, _p, c in quarters], public)
    rows = [[q.start.isoformat(), quarter_label(q), p, c]
            for (q, _p, _c), p, c in zip(quarters, people, cases, strict=True)]
    return published(Table(
        slug="returns-by-quarter", title=_("Assisted returns by quarter"),
        columns=[Column("quarter", _("Quarter starts"), "#date+start", "date"),
                 Column("label", _("Quarter"), "#date+quarter"), INDIVIDUALS, CASES],
        rows=rows), public)


def _country_table(slug: str, title: str, counts: Counter, names: Names, public: bool,
                   role: str) -> Table:
    kept, other, total = _ranked(counts, public)
    rows: list[list[object]] = [[code, names.country(code), n] for code, n in kept]
    if other or not public:
        rows.append(["", _("Other countries"), other])
    return published(Table(
        slug=slug, title=title,
        columns=[Column("code", _("Code"), f"#country+code+{role}"),
                 Column("country", _("Country"), f"#country+name+{role}"), INDIVIDUALS],
        rows=rows, total=["", _("Total"), total]), public)


def host_countries(summary: Summary, names: Names, public: bool) -> Table:
    return _country_table("returns-by-host-country", _("Top host countries"),
                          summary.host_countries, names, public, "host")


def origin_countries(summary: Summary, names: Names, public: bool) -> Table:
    return _country_table("returns-by-origin-country", _("Top countries of origin"),
                          summary.origin_countries, names, public, "origin")


def corridors(summary: Summary, names: Names, public: bool) -> Table:
    kept, other, total = _ranked(summary.corridors, public)
    rows: list[list[object]] = [[host, names.country(host), origin, names.country(origin), n]
                                for (host, origin), n in kept]
    if other or not public:
        rows.append(["", _("Other corridors"), "", "", other])
    return published(Table(
        slug="returns-by-corridor", title=_("Top corridors (host country to country of origin)"),
        columns=[Column("host", _("Host country code"), "#country+code+host"),
                 Column("host_name", _("Host country"), "#country+name+host"),
                 Column("origin", _("Country of origin code"), "#country+code+origin"),
                 Column("origin_name", _("Country of origin"), "#country+name+origin"),
                 INDIVIDUALS],
        rows=rows, total=["", _("Total"), "", "", total]), public)


SEXES = [Sex.FEMALE, Sex.MALE, Sex.OTHER, Sex.UNKNOWN]
SEX_HXL = {Sex.FEMALE: "f", Sex.MALE: "m", Sex.OTHER: "x", Sex.UNKNOWN: "unknown_sex"}


def sex_age(summary: Summary, public: bool) -> Table:
    """Age groups (rows) by sex (columns), with both margins."""
    groups = list(AgeGroup)
    counts = [[summary.sex_age[(sex.value, group.value)] for sex in SEXES] for group in groups]
    if public:
        grid = disclosure.protect(counts).rows()
        if grid[-1][-1] is None:  # a total of 1 to 4: nothing is published
            grid = [[None] * len(row) for row in grid]
    else:
        grid = [[*row, sum(row)] for row in counts]
        grid.append([sum(row[j] for row in grid) for j in range(len(SEXES) + 1)])
    columns = [Column("age", _("Age group"), "#group+age"),
               *[Column(sex.value, sex.label, f"#affected+returnees+{SEX_HXL[sex]}", "count")
                 for sex in SEXES],
               Column("total", _("Total"), "#affected+returnees+ind+total", "count")]
    rows = [[str(group.label), *grid[i]] for i, group in enumerate(groups)]
    return published(Table(slug="returns-by-sex-and-age", title=_("Sex and age at departure"),
                         columns=columns, rows=rows, total=[_("Total"), *grid[-1]]), public)


def _listed(slug: str, title: str, key_column: Column, entries: list[tuple[object, str]],
            counts: Counter, public: bool) -> Table:
    """Every entry listed, additive (each individual in exactly one)."""
    shown, total = _shown_list([counts.get(key, 0) for key, _label in entries], public)
    rows = [[label, n] for (_key, label), n in zip(entries, shown, strict=True)]
    return published(Table(slug=slug, title=title, columns=[key_column, INDIVIDUALS], rows=rows,
                         total=[_("Total"), total]), public)


def origin_regions(summary: Summary, names: Names, public: bool,
                   organisation: dict[str, tuple[str, str]]) -> Table:
    """Individuals by region of origin: the organisation's regions (`organisation`:
    country → (code, name)) and, beside them, the UN M49 region of each country. Each
    person is in one row of each grouping; countries in no organisation region are
    counted apart."""
    from retorno.lib import m49

    by_org: Counter = Counter()
    by_m49: Counter = Counter()
    for country, n in summary.origin_countries.items():
        by_org[organisation.get(country, ("", _("In no organisation region")))] += n
        area = m49.region_of(country)
        by_m49[(area.code, area.name) if area else ("", _("Not in an M49 region"))] += n
    org_entries = sorted(by_org, key=lambda key: (key[0] == "", key[1]))
    m49_entries = sorted(by_m49, key=lambda key: (key[0] == "", key[1]))
    org_shown, org_total = _shown_list([by_org[k] for k in org_entries], public)
    m49_shown, _m49_total = _shown_list([by_m49[k] for k in m49_entries], public)
    rows = [[_("Organisation region"), code, label, n]
            for (code, label), n in zip(org_entries, org_shown, strict=True)]
    rows += [[_("UN M49 region"), code, label, n]
             for (code, label), n in zip(m49_entries, m49_shown, strict=True)]
    return published(Table(
        slug="returns-by-region-of-origin", title=_("Regions of origin"),
        columns=[Column("grouping", _("Grouping"), "#meta+grouping"),
                 Column("region_code", _("Region code"), "#region+code+origin"),
                 Column("region", _("Region"), "#region+name+origin"), INDIVIDUALS],
        rows=rows, total=[_("Total"), "", "", org_total],
        notes=[_("Each grouping adds up to the total on its own.")]), public)


def categories(summary: Summary, public: bool) -> Table:
    return _listed("returns-by-category", _("Migrant category"),
                   Column("category", _("Migrant category"), "#group+category"),
                   [(c.value, str(c.label)) for c in MigrantCategory], summary.categories,
                   public)


def programmes(summary: Summary, names: Names, public: bool) -> Table:
    keys = sorted(summary.programmes, key=lambda pk: (pk is None, names.programme(pk)))
    return _listed("returns-by-programme", _("Programme"),
                   Column("programme", _("Programme"), "#activity+programme+name"),
                   [(pk, names.programme(pk)) for pk in keys], summary.programmes, public)


def vulnerability(summary: Summary, public: bool) -> Table:
    """Individuals in a vulnerable situation, and per vulnerability (a person may have
    several: those rows do not add up)."""
    pair, _total = _shown_list([summary.vulnerable, summary.individuals - summary.vulnerable],
                               public)
    rows: list[list[object]] = [[_("In a vulnerable situation (any)"), pair[0]],
                                [_("No vulnerability recorded"), pair[1]]]
    rows += [[str(flag.label), _primary(summary.vulnerabilities.get(flag.value, 0), public)]
             for flag in Vulnerability]
    return published(Table(
        slug="returns-by-vulnerability", title=_("Vulnerable groups"),
        columns=[Column("group", _("Group"), "#group+vulnerability"), INDIVIDUALS],
        rows=rows,
        notes=[_("A person may be in more than one vulnerable group: the groups do not "
                 "add up to the total.")]), public)


def time_to_departure(summary: Summary, public: bool) -> Table:
    days = summary.days_to_departure
    n = len(days)
    hidden = public and n <= SMALL
    median = None if hidden else percentile(days, 0.5)
    p90 = None if hidden else percentile(days, 0.9)
    return published(Table(
        slug="time-from-application-to-departure",
        title=_("Days from application to departure"),
        columns=[_count("cases", _("Cases with an application date"), "#affected+hh+num"),
                 Column("median", _("Median (days)"), "#indicator+days+median", "number"),
                 Column("p90", _("90th percentile (days)"), "#indicator+days+p90", "number")],
        rows=[[_primary(n, public), median, p90]],
        notes=[_("From the day the application was recorded to the day the first member "
                 "of the case left; percentiles by linear interpolation.")]), public)


def assistance(summary: Summary, public: bool) -> Table:
    labels = dict(ItemKind.choices)
    rows = []
    for row in summary.assistance:
        cases = _primary(row.cases, public)
        rows.append([str(labels.get(row.kind, row.kind)), row.currency,
                     _primary(row.items, public), _primary(row.delivered, public), cases,
                     row.cost if cases is not None else None])
    return published(Table(
        slug="reintegration-assistance", title=_("Reintegration assistance by type"),
        columns=[Column("kind", _("Assistance"), "#activity+assistance"),
                 Column("currency", _("Currency"), "#currency"),
                 _count("items", _("Items planned or delivered"), "#output+items"),
                 _count("delivered", _("Delivered"), "#output+items+delivered"),
                 _count("cases", _("Cases"), "#reached+hh"),
                 Column("cost", _("Cost"), "#value+cost", "number")],
        rows=rows,
        notes=[_("Assistance of the cases whose return began in the period; cancelled "
                 "items left out; costs in each programme's currency.")]), public)


@dataclass
class Spending:
    programme_id: int
    currency: str
    budget: Decimal | None
    committed: Decimal
    spent: Decimal
    spent_in_period: Decimal
    returnees: int  # returnees assisted to date (finance.figures)


def spending(rows: list[Spending], summary: Summary, names: Names, public: bool) -> Table:
    out = []
    for row in rows:
        share = (row.spent / row.budget) if row.budget else None
        to_date = not public or row.returnees > SMALL
        in_period = not public or summary.programmes.get(row.programme_id, 0) > SMALL
        out.append([names.programme(row.programme_id), row.currency, row.budget,
                    row.committed if to_date else None, row.spent if to_date else None,
                    row.spent_in_period if in_period else None,
                    share if to_date else None])
    return published(Table(
        slug="grant-spending", title=_("Grant spending against budget"),
        columns=[Column("programme", _("Programme"), "#activity+programme+name"),
                 Column("currency", _("Currency"), "#currency"),
                 Column("budget", _("Budget"), "#value+budget", "number"),
                 Column("committed", _("Committed"), "#value+committed", "number"),
                 Column("spent", _("Spent to date"), "#value+spent", "number"),
                 Column("spent_period", _("Spent in the period"), "#value+spent+period",
                        "number"),
                 Column("share", _("Share of budget spent"), "#value+spent+pct", "share")],
        rows=out), public)


@dataclass
class Scores:
    responses: int
    composite: float | None
    dimensions: list[tuple[str, int, float | None]]  # (label, scored responses, median)


def sustainability(scores: Scores | None, public: bool) -> Table:
    rows: list[list[object]] = []
    if scores is not None:
        hidden = public and scores.responses <= SMALL
        rows.append([_("Composite score"), _primary(scores.responses, public),
                     None if hidden else scores.composite])
        rows += [[label, _primary(n, public), None if public and n <= SMALL else value]
                 for label, n, value in scores.dimensions]
    return published(Table(
        slug="sustainability-scores", title=_("Reintegration sustainability scores"),
        columns=[Column("score", _("Score"), "#indicator+name"),
                 _count("responses", _("Responses"), "#meta+count"),
                 Column("score_median", _("Median (0 to 1)"), "#indicator+value+median",
                        "number")],
        rows=rows,
        notes=[_("Sustainability surveys collected in the period from the returnees of "
                 "the selection, whenever they returned; medians of the scored ones.")]),
        public)

