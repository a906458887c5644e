"""Return statistics for a period and a selection: the one code path behind the
dashboard, the bulletin, the donor reports and the exports (definitions:
docs/statistics.md).

Everything is counted from `reports.AssistedReturn` (`reports.facts`):

- **individuals**: the people with at least one departure in the period, each counted
  once; a person who returned twice in the period is described by their latest return
  in it (its host country, age, category…), so every breakdown of individuals adds up
  to the total;
- **cases**: the cases whose return began in the period (`first_of_case`);
- months and quarters are periods of their own: a person who returned in January and
  again in March counts once in the first quarter and once in each of the two months.

The selection (`Selection`) keeps the rows of a programme, of an office (host or
origin), of a set of host countries and of a set of countries of origin (a region is
its countries). `compute` has the database group the period's rows by every breakdown
at once and adds the groups up; the trends are grouped by the database too.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter

from retorno.reintegration.models import AssistanceItem, Delivery
from retorno.reports.models import AssistedReturn


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    @classmethod
    def quarter(cls, year: int, number: int) -> "Period":
        start = datetime.date(year, 3 * (number - 1) + 1, 1)
        return cls(start, start + relativedelta(months=3, days=-1))

    @classmethod
    def quarter_of(cls, day: datetime.date) -> "Period":
        """The calendar quarter holding `day`."""
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @property
    def quarter_number(self) -> int:
        """1 to 4: the quarter the period starts in."""
        return (self.start.month - 1) // 3 + 1

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = datetime.date(year, month, 1)
        return cls(start, start + relativedelta(months=1, days=-1))

    def shifted(self, months: int) -> "Period":
        """The same span `months` months earlier (negative) or later; a period of
        whole months stays whole months."""
        start = self.start + relativedelta(months=months)
        whole = self.start.day == 1 and (self.end + datetime.timedelta(days=1)).day == 1
        if whole:
            length = ((self.end.year - self.start.year) * 12
                      + self.end.month - self.start.month + 1)
            return Period(start, start + relativedelta(months=length, days=-1))
        return Period(start, self.end + relativedelta(months=months))

    def months(self) -> list[datetime.date]:
        """The first day of each month the period touches."""
        first, found = self.start.replace(day=1), []
        while first <= self.end:
            found.append(first)
            first += relativedelta(months=1)
        return found

    @property
    def is_quarter(self) -> bool:
        return self == Period.quarter_of(self.start)


# Where a selection's conditions are read: on the AssistedReturn rows themselves, or on a
# case (the fields those rows copy from it) for records reached through their case.
RETURN_FIELDS = {"programme": "programme_id", "host_office": "host_office_id",
                 "origin_office": "origin_office_id", "host_country": "host_country",
                 "origin_country": "origin_country"}
CASE_FIELDS = {"programme": "programme_id", "host_office": "host_office_id",
               "origin_office": "origin_office_id", "host_country": "host_office__country",
               "origin_country": "destination_country"}


@dataclass(frozen=True)
class Selection:
    """Which returns to count, besides the period. None: no restriction."""

    programme_id: int | None = None
    office_id: int | None = None
    host_countries: frozenset[str] | None = None
    origin_countries: frozenset[str] | None = None

    def condition(self, fields: dict[str, str] = RETURN_FIELDS, prefix: str = "") -> Q:
        """The selection as a condition on `fields` (RETURN_FIELDS or CASE_FIELDS), each
        preceded by `prefix` (e.g. "case__")."""
        def name(key: str) -> str:
            return prefix + fields[key]

        found = Q()
        if self.programme_id is not None:
            found &= Q(**{name("programme"): self.programme_id})
        if self.office_id is not None:
            found &= (Q(**{name("host_office"): self.office_id})
                      | Q(**{name("origin_office"): self.office_id}))
        if self.host_countries is not None:
            found &= Q(**{f"{name('host_country')}__in": sorted(self.host_countries)})
        if self.origin_countries is not None:
            found &= Q(**{f"{name('origin_country')}__in": sorted(self.origin_countries)})
        return found

    def apply(self, rows: QuerySet) -> QuerySet:
        """AssistedReturn rows kept to the selection."""
        return rows.filter(self.condition())


def returns(period: Period, selection: Selection) -> QuerySet:
    """The AssistedReturn rows of the period and selection."""
    return selection.apply(AssistedReturn.objects.filter(
        departed_on__gte=period.start, departed_on__lte=period.end))


def latest_confirmation() -> datetime.datetime | None:
    """When the latest departure statistics count was confirmed: the time of the data."""
    return AssistedReturn.objects.order_by("-confirmed_at").values_list(
        "confirmed_at", flat=True).first()


def not_latest(found: QuerySet) -> list[int]:
    """The ids of the rows among `found` that are not their person's latest return (by
    day of departure, then confirmation, then case): only people who returned more than
    once in the period have any, so only their rows are read."""
    twice = (found.values("person_id").annotate(n=Count("id")).filter(n__gt=1)
             .values("person_id"))
    latest: dict[int, tuple] = {}
    others: list[int] = []
    for pk, person, day, confirmed, case in (found.filter(person_id__in=twice)
                                             .values_list("pk", "person_id", "departed_on",
                                                          "confirmed_at", "case_id")):
        key = (day, confirmed, case, pk)
        kept = latest.get(person)
        if kept is None or key > kept:
            if kept is not None:
                others.append(kept[3])
            latest[person] = key
        else:
            others.append(pk)
    return sorted(others)


def percentile(values: list[int], share: float) -> float | None:
    """The `share` quantile (0.5: the median) by linear interpolation between the
    closest ranks (numpy's default, "inclusive" in Python's `statistics`); None for no
    values."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Assistance:
    """Reintegration assistance of the cases whose return began in the period: per kind
    of assistance and currency, the items planned or delivered (cancelled ones left out),
    the cases they serve, what they cost and how many were delivered."""

    kind: str
    currency: str
    items: int
    cases: int
    delivered: int
    cost: Decimal


@dataclass
class Summary:
    period: Period
    selection: Selection
    individuals: int = 0
    cases: int = 0
    by_month: list[tuple[datetime.date, int, int]] = field(default_factory=list)
    host_countries: Counter = field(default_factory=Counter)
    origin_countries: Counter = field(default_factory=Counter)
    corridors: Counter = field(default_factory=Counter)  # (host, origin) → individuals
    sex: Counter = field(default_factory=Counter)
    age_groups: Counter = field(default_factory=Counter)
    sex_age: Counter = field(default_factory=Counter)  # (sex, age group) → individuals
    categories: Counter = field(default_factory=Counter)
    programmes: Counter = field(default_factory=Counter)  # programme id or None
    vulnerable: int = 0
    vulnerabilities: Counter = field(default_factory=Counter)  # flag → individuals
    # Days from the application to the departure, per case with an application date.
    days_to_departure: list[int] = field(default_factory=list)
    assistance: list[Assistance] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        return percentile(self.days_to_departure, 0.5)

    @property
    def p90_days(self) -> float | None:
        return percentile(self.days_to_departure, 0.9)


def compute(period: Period, selection: Selection = Selection()) -> Summary:
    """Every figure of the period and selection. The database groups the rows (each
    person's latest return in the period) by every breakdown at once; Python adds the
    groups up."""
    found = returns(period, selection)
    excluded = not_latest(found)
    people = found.exclude(pk__in=excluded) if excluded else found
    summary = Summary(period, selection)
    for row in (people.values("host_country", "origin_country", "programme_id", "sex",
                              "age_group", "category")
                .annotate(n=Count("id")).order_by()):
        n = row["n"]
        summary.individuals += n
        summary.host_countries[row["host_country"]] += n
        summary.origin_countries[row["origin_country"]] += n
        summary.corridors[(row["host_country"], row["origin_country"])] += n
        summary.sex[row["sex"]] += n
        summary.age_groups[row["age_group"]] += n
        summary.sex_age[(row["sex"], row["age_group"])] += n
        summary.categories[row["category"]] += n
        summary.programmes[row["programme_id"]] += n
    flagged = list(people.filter(vulnerable=True).values_list("vulnerabilities", flat=True))
    summary.vulnerable = len(flagged)
    summary.vulnerabilities = Counter(flag for flags in flagged for flag in flags)
    cases = found.filter(first_of_case=True)
    summary.cases = cases.count()
    waits = (cases.filter(applied_on__isnull=False)
             .annotate(wait=ExpressionWrapper(F("departed_on") - F("applied_on"),
                                              output_field=DurationField()))
             .values("wait").annotate(n=Count("id")).order_by())
    summary.days_to_departure = sorted(
        day for row in waits for day in [_days(row["wait"])] * row["n"])
    summary.by_month = trend(period.end, len(period.months()), selection,
                             within=period)
    summary.assistance = assistance(period, selection)
    return summary


def _days(wait: datetime.timedelta | int) -> int:
    return wait.days if isinstance(wait, datetime.timedelta) else int(wait)


def trend(end: datetime.date, months: int, selection: Selection = Selection(), *,
          within: Period | None = None) -> list[tuple[datetime.date, int, int]]:
    """Individuals and cases per month for the `months` months up to the one holding
    `end`, every month listed: (first day, individuals, cases). `within`: count only the
    days of that period (its first and last months may be partial)."""
    last = end.replace(day=1)
    first = last - relativedelta(months=months - 1)
    period = within or Period(first, last + relativedelta(months=1, days=-1))
    counted = {
        _day(row["month"]): (row["people"], row["cases"])
        for row in returns(period, selection).annotate(month=TruncMonth("departed_on"))
        .values("month").annotate(people=Count("person_id", distinct=True),
                                  cases=Count("id", filter=Q(first_of_case=True)))
        .order_by()
    }
    return [(month, *counted.get(month, (0, 0))) for month in period.months()]


def quarterly(period_end: datetime.date, quarters: int, selection: Selection = Selection()
              ) -> list[tuple[Period, int, int]]:
    """Individuals and cases per calendar quarter, the `quarters` quarters up to the one
    holding `period_end`, every quarter listed. Counted per quarter (a person who
    returned twice in one counts once), not added up from months."""
    last = Period.quarter_of(period_end)
    first = last.shifted(-3 * (quarters - 1))
    counted = {
        _day(row["quarter"]): (row["people"], row["cases"])
        for row in returns(Period(first.start, last.end), selection)
        .annotate(quarter=TruncQuarter("departed_on")).values("quarter")
        .annotate(people=Count("person_id", distinct=True),
                  cases=Count("id", filter=Q(first_of_case=True)))
        .order_by()
    }
    found = [first.shifted(3 * k) for k in range(quarters)]
    return [(quarter, *counted.get(quarter.start, (0, 0))) for quarter in found]


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def assistance(period: Period, selection: Selection) -> list[Assistance]:
    cases = returns(period, selection).filter(first_of_case=True).values("case_id")
    found = (AssistanceItem.objects.filter(plan__case_id__in=cases)
             .exclude(delivery=Delivery.CANCELLED)
             .values("kind", "plan__case__programme__currency")
             .annotate(items=Count("id"), cases=Count("plan__case_id", distinct=True),
                       delivered=Count("id", filter=Q(delivery=Delivery.DELIVERED)),
                       cost=Sum("cost"))
             .order_by("kind", "plan__case__programme__currency"))
    return [Assistance(kind=row["kind"], currency=row["plan__case__programme__currency"] or "",
                       items=row["items"], cases=row["cases"], delivered=row["delivered"],
                       cost=row["cost"] or Decimal(0))
            for row in found]
