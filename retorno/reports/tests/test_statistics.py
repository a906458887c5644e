"""Return statistics checked against an independent computation: the figures of
`reports.statistics.compute` against a plain re-count from the records (timeline,
members, people, itineraries), over generated data and over the edge cases the
definitions settle (docs/statistics.md)."""

import datetime
import zoneinfo
from collections import Counter, defaultdict
from io import StringIO

import numpy
import pytest
from django.core.management import call_command
from django.utils import timezone

from retorno.cases.models import CaseMember, Status, TimelineEntry, TimelineKind
from retorno.cases.services import open_case as open_case_service
from retorno.cases.services import transition_case, update_case
from retorno.finance.tests.builders import approved_case, departed
from retorno.programmes.models import MigrantCategory
from retorno.reports import facts
from retorno.reports.statistics import Period, Selection, compute, percentile, quarterly, trend
from retorno.reports.tests.builders import departed_apart
from retorno.testing.personas import (
    book_travel,
    open_case,
    prepare_application,
    prepare_travel,
    walk,
)
from retorno.travel.models import Itinerary, ItineraryStatus

TO_DEPARTED = (("counselling", "carla"), ("applied", "carla"), ("approved", "sam"),
               ("preparing_departure", "carla"), ("ready_to_travel", "max"),
               ("departed", "max"))


# ---- the independent computation ---------------------------------------------------


def _first(status: Status) -> dict[int, datetime.datetime]:
    found: dict[int, datetime.datetime] = {}
    for case_id, at in (TimelineEntry.objects.filter(kind=TimelineKind.TRANSITION,
                                                     to_status=status)
                        .order_by("at", "id").values_list("case_id", "at")):
        found.setdefault(case_id, at)
    return found


def recount(period: Period, keep=lambda case: True) -> dict:
    """Every figure, from the records, in the most direct way: who left when, then sets
    and counters."""
    departures, applications = _first(Status.DEPARTED), _first(Status.APPLIED)
    leg_day: dict[tuple[int, int], datetime.date] = {}
    for itinerary in Itinerary.objects.filter(status=ItineraryStatus.BOOKED):
        legs = list(itinerary.legs.order_by("order"))
        if legs:
            local = legs[0].departs_at.astimezone(zoneinfo.ZoneInfo(legs[0].from_tz))
            for person in itinerary.people:
                key = (itinerary.case_id, person)
                leg_day[key] = min(local.date(), leg_day.get(key, local.date()))
    returns = []  # one dict per person and case
    for member in CaseMember.objects.filter(case_id__in=departures).select_related(
            "case__host_office", "person"):
        case = member.case
        if not keep(case):
            continue
        day = leg_day.get((case.pk, member.person_id),
                          timezone.localtime(departures[case.pk]).date())
        born = member.person.date_of_birth
        age = None
        if born is not None and born <= day:
            age = day.year - born.year
            if (day.month, day.day) < (born.month, born.day):
                age -= 1
        returns.append({"person": member.person_id, "case": case.pk, "day": day,
                        "at": departures[case.pk], "host": case.host_office.country,
                        "origin": case.destination_country, "sex": member.person.sex,
                        "age": age, "category": member.category,
                        "flags": set(member.vulnerabilities),
                        "principal": member.relationship == "principal",
                        "applied": applications.get(case.pk)})
    by_case = defaultdict(list)
    for r in returns:
        by_case[r["case"]].append(r)
    starts = {case: min(rows, key=lambda r: (r["day"], not r["principal"], r["person"]))
              for case, rows in by_case.items()}
    inside = [r for r in returns if period.start <= r["day"] <= period.end]
    latest = {}
    for r in sorted(inside, key=lambda r: (r["day"], r["at"], r["case"])):
        latest[r["person"]] = r
    people = list(latest.values())
    cases = [r for r in starts.values() if period.start <= r["day"] <= period.end]

    def group(age):
        if age is None:
            return "unknown"
        for bound, name in ((4, "0-4"), (11, "5-11"), (17, "12-17"), (24, "18-24"),
                            (34, "25-34"), (49, "35-49"), (64, "50-64")):
            if age <= bound:
                return name
        return "65+"

    days = [(r["day"] - timezone.localtime(r["applied"]).date()).days
            for r in cases if r["applied"] is not None]
    return {
        "individuals": len(people), "cases": len(cases),
        "host": Counter(r["host"] for r in people),
        "origin": Counter(r["origin"] for r in people),
        "corridors": Counter((r["host"], r["origin"]) for r in people),
        "sex_age": Counter((r["sex"], group(r["age"])) for r in people),
        "categories": Counter(r["category"] for r in people),
        "vulnerable": sum(1 for r in people if r["flags"]),
        "flags": Counter(f for r in people for f in r["flags"]),
        "median": float(numpy.median(days)) if days else None,
        "p90": float(numpy.percentile(days, 90)) if days else None,
        "month_people": {m: len({r["person"] for r in inside if r["day"].replace(day=1) == m})
                         for m in {r["day"].replace(day=1) for r in inside}},
        "month_cases": Counter(r["day"].replace(day=1) for r in cases),
    }


def assert_matches(summary, expected) -> None:
    assert summary.individuals == expected["individuals"]
    assert summary.cases == expected["cases"]
    assert +summary.host_countries == expected["host"]
    assert +summary.origin_countries == expected["origin"]
    assert +summary.corridors == expected["corridors"]
    assert +summary.sex_age == expected["sex_age"]
    assert +summary.categories == expected["categories"]
    assert summary.vulnerable == expected["vulnerable"]
    assert +summary.vulnerabilities == expected["flags"]
    assert summary.median_days == pytest.approx(expected["median"])
    assert summary.p90_days == pytest.approx(expected["p90"])
    for month, people, cases in summary.by_month:
        assert people == expected["month_people"].get(month, 0)
        assert cases == expected["month_cases"].get(month, 0)
    # Every breakdown of individuals adds up to the total.
    for counter in (summary.host_countries, summary.sex_age, summary.categories,
                    summary.programmes, summary.sex, summary.age_groups):
        assert sum(counter.values()) == summary.individuals


# ---- small pieces --------------------------------------------------------------------


def test_periods():
    assert Period.quarter(2026, 1) == Period(datetime.date(2026, 1, 1),
                                             datetime.date(2026, 3, 31))
    assert Period.quarter(2026, 4).end == datetime.date(2026, 12, 31)
    assert Period.quarter(2026, 1).shifted(-3) == Period.quarter(2025, 4)
    assert Period.quarter(2026, 1).shifted(-12) == Period.quarter(2025, 1)
    assert Period.month(2024, 2).end == datetime.date(2024, 2, 29)
    assert Period.month(2024, 3).shifted(-1) == Period.month(2024, 2)
    assert Period.quarter(2026, 2).is_quarter and not Period.month(2026, 4).is_quarter
    assert Period.year(2026).months()[-1] == datetime.date(2026, 12, 1)
    with pytest.raises(ValueError):
        Period(datetime.date(2026, 2, 1), datetime.date(2026, 1, 1))


@pytest.mark.parametrize("values", [[5], [1, 2], [3, 1, 2], [10, 0, 7, 7, 3, 100, 41],
                                    list(range(1, 101)), [4] * 9 + [1000]])
def test_percentiles_follow_numpy(values):
    for share in (0.5, 0.9, 0.1, 1.0, 0.0):
        assert percentile(values, share) == pytest.approx(
            float(numpy.percentile(values, share * 100)))
    assert percentile([], 0.5) is None


# ---- generated data ---------------------------------------------------------------


@pytest.fixture
def generated(db):
    # Ten demo cases through the services (itineraries, members leaving together) and a
    # few thousand synthetic people over ten years (bulk: no itineraries).
    call_command("seed_demo", cases=10, people=3000, stdout=StringIO())


def test_every_figure_matches_a_recount_of_the_records(generated):
    assert facts.differences() == []
    today = timezone.localdate()
    periods = [Period.year(today.year - 1), Period.year(today.year - 4),
               Period.quarter(today.year - 1, 3), Period.month(today.year - 2, 5),
               Period(today - datetime.timedelta(days=400), today + datetime.timedelta(days=60))]
    checked = 0
    for period in periods:
        summary = compute(period)
        expected = recount(period)
        assert_matches(summary, expected)
        checked += summary.individuals
    assert checked > 300  # the data reach these periods
    # Selections: a programme, an office (host or origin), countries.
    period = Period(today - datetime.timedelta(days=3 * 365), today)
    any_case = TimelineEntry.objects.filter(to_status=Status.DEPARTED).select_related(
        "case__host_office").first().case
    selections = [
        (Selection(programme_id=any_case.programme_id),
         lambda c: c.programme_id == any_case.programme_id),
        (Selection(office_id=any_case.host_office_id),
         lambda c: any_case.host_office_id in (c.host_office_id, c.origin_office_id)),
        (Selection(office_id=any_case.origin_office_id),
         lambda c: any_case.origin_office_id in (c.host_office_id, c.origin_office_id)),
        (Selection(origin_countries=frozenset({"IRQ", "AFG"})),
         lambda c: c.destination_country in {"IRQ", "AFG"}),
        (Selection(host_countries=frozenset({"DEU"}), origin_countries=frozenset({"IRQ"})),
         lambda c: c.host_office.country == "DEU" and c.destination_country == "IRQ"),
    ]
    for selection, keep in selections:
        summary = compute(period, selection)
        assert summary.individuals > 0
        assert_matches(summary, recount(period, keep))


def test_trends_count_each_month_and_quarter_on_its_own(generated):
    today = timezone.localdate()
    months = trend(today, 24)
    assert len(months) == 24 and months[-1][0] == today.replace(day=1)
    for month, people, cases in months:
        period = Period.month(month.year, month.month)
        expected = recount(period)
        assert (people, cases) == (expected["individuals"], expected["cases"])
    quarters = quarterly(today, 6)
    assert len(quarters) == 6
    for quarter, people, cases in quarters:
        expected = recount(quarter)
        assert (people, cases) == (expected["individuals"], expected["cases"])


# ---- edge cases, through the services ---------------------------------------------


def _depart_on(world, case, day: datetime.date):
    """Walk an opened case to departed with its itinerary leaving on `day`."""
    update_case(actor=world.carla, case=case, version=case.version,
                data={"planned_departure_on": day})
    prepare_application(world, case)
    prepare_travel(world, case)
    for name, who in TO_DEPARTED:
        walk(world, case, (name, world.users[who]))
    case.refresh_from_db()
    return case


def test_a_person_who_returned_twice(world):
    today = timezone.localdate()
    first = open_case(world)
    person = first.principal.person
    _depart_on(world, first, today + datetime.timedelta(days=10))
    second = open_case_service(
        actor=world.carla, office=world.berlin, principal=person,
        member={"category": MigrantCategory.IRREGULAR, "vulnerabilities": []},
        case={"destination_country": "IRQ", "programme": world.programme,
              "origin_office": world.offices["baghdad"]})
    _depart_on(world, second, today + datetime.timedelta(days=40))
    both = Period(today, today + datetime.timedelta(days=60))
    summary = compute(both)
    assert (summary.individuals, summary.cases) == (1, 2)
    # Described by the latest return: the second case's category.
    assert summary.categories == Counter({MigrantCategory.IRREGULAR: 1})
    assert_matches(summary, recount(both))
    only_first = Period(today, today + datetime.timedelta(days=20))
    assert (compute(only_first).individuals, compute(only_first).cases) == (1, 1)
    assert compute(only_first).categories == Counter({MigrantCategory.ASYLUM_REJECTED: 1})
    # Each month counts the person once; the two months together count them once.
    days = {(today + datetime.timedelta(days=n)).replace(day=1) for n in (10, 40)}
    counted = {m: p for m, p, _c in summary.by_month if p}
    assert counted == dict.fromkeys(days, 1) if len(days) == 2 else {days.pop(): 1}


def test_members_who_left_on_either_side_of_a_month_end(world):
    month_end = (timezone.localdate().replace(day=1) + datetime.timedelta(days=95)
                 ).replace(day=1) - datetime.timedelta(days=1)
    next_day = month_end + datetime.timedelta(days=1)
    departed_apart(world, month_end, next_day)
    before = Period.month(month_end.year, month_end.month)
    after = Period.month(next_day.year, next_day.month)
    assert (compute(before).individuals, compute(before).cases) == (1, 1)
    assert (compute(after).individuals, compute(after).cases) == (1, 0)
    both = Period(before.start, after.end)
    summary = compute(both)
    assert (summary.individuals, summary.cases) == (2, 1)
    assert summary.sex_age[("F", "5-11")] == 1
    assert_matches(summary, recount(both))


def test_a_withdrawal_after_departure_was_planned_is_not_a_return(world):
    booked = approved_case(world, world.programme)
    book_travel(world, booked)
    walk(world, booked, ("ready_to_travel", world.max))
    transition_case(booked, "withdrawn", actor=world.carla, reason="Decided to stay")
    gone = departed(world, world.programme)
    day = gone.itineraries.get(status="booked").legs.get(order=1).departs_local.date()
    period = Period(day - datetime.timedelta(days=90), day + datetime.timedelta(days=90))
    summary = compute(period)
    assert (summary.individuals, summary.cases) == (1, 1)
    assert_matches(summary, recount(period))


@pytest.mark.parametrize("seed", range(30))
def test_medians_from_counted_values_are_the_medians_of_the_values(seed):
    import random
    import statistics

    from retorno.reports.dashboard import median_of_counts

    rng = random.Random(seed)
    values = [rng.choice([0.1, 0.25, 0.5, 0.5, 0.75, 0.9, 1.0]) for _k in range(rng.randint(1, 40))]
    counts = Counter(values)
    assert median_of_counts(list(counts.items())) == pytest.approx(statistics.median(values))
    assert median_of_counts([]) is None


def test_sustainability_scores_match_the_responses(generated):
    import statistics

    from retorno.reports.dashboard import sustainability
    from retorno.surveys.models import DimensionScore, Purpose, SurveyResponse

    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=365), today)
    responses = list(SurveyResponse.objects.filter(
        version__instrument__purpose=Purpose.SUSTAINABILITY,
        collected_on__gte=period.start, collected_on__lte=period.end))
    assert len(responses) > 20
    scores = sustainability(period, Selection())
    assert scores.responses == len(responses)
    assert scores.composite == pytest.approx(statistics.median(
        r.composite for r in responses if r.composite is not None))
    economic = [d.score for d in DimensionScore.objects.filter(
        response__in=responses, dimension="economic", score__isnull=False)]
    label, count, median = scores.dimensions[0]
    assert label == "Economic" and count == len(economic)
    assert median == pytest.approx(statistics.median(economic))
    # A selection keeps its returnees' surveys only.
    iraq = sustainability(period, Selection(origin_countries=frozenset({"IRQ"})))
    assert iraq.responses == sum(1 for r in responses if r.case.destination_country == "IRQ")


def test_a_person_who_left_twice_on_one_day_is_described_by_the_later_confirmation(world):
    day = timezone.localdate() + datetime.timedelta(days=12)
    second = open_case(world)
    person = second.principal.person
    first = open_case_service(
        actor=world.carla, office=world.berlin, principal=person,
        member={"category": MigrantCategory.IRREGULAR, "vulnerabilities": []},
        case={"destination_country": "IRQ", "programme": world.programme,
              "origin_office": world.offices["baghdad"]})
    _depart_on(world, first, day)  # the case opened second is confirmed first
    _depart_on(world, second, day)
    summary = compute(Period(day, day))
    assert (summary.individuals, summary.cases) == (1, 2)
    assert summary.categories == Counter({MigrantCategory.ASYLUM_REJECTED: 1})
    assert_matches(summary, recount(Period(day, day)))
