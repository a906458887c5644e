"""Deriving the `AssistedReturn` rows of a case: the one code path every return statistic
stands on (definitions in docs/statistics.md).

A case's departure is *confirmed* by the lifecycle step "Confirm departure" (the first
timeline entry into `departed`). From then on each member of the case has one row:

- `departed_on`: the local date at the place of departure of the first leg of the booked
  itinerary the member travels on (members of one case may leave on different days);
  without a booked itinerary with legs, the date of the confirmation;
- `first_of_case`: set on exactly one row per case, the member who left first (the
  principal, then the lowest person id, on a tie); the case is counted on that row, so
  "cases" are counted in the period in which their return began;
- age (and age group) in completed years on `departed_on`; sex, category and
  vulnerability flags as recorded; the host office's country, the case's destination
  country as the country of origin, its programme and offices; the day the application
  was recorded (for the time from application to departure).

A case withdrawn, rejected or cancelled before its departure was confirmed has no rows,
whatever was planned or booked. A case that departs keeps its rows if it ends later
(a withdrawal after arrival does not undo a return).

The services that change any of this call `refresh_case` or `refresh_person` inside
their own transaction (`cases.services`, `people.services`), so the rows are never
stale; `rebuild` recomputes them all, and `differences` names the rows that differ from
what the records say (`manage.py refresh_statistics --check`).
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from retorno.cases.models import Case, Relationship, Status, TimelineEntry, TimelineKind
from retorno.reports.models import AgeGroup, AssistedReturn

# (upper bound of the age in completed years, group), in order.
_AGE_BOUNDS = ((4, AgeGroup.A0_4), (11, AgeGroup.A5_11), (17, AgeGroup.A12_17),
               (24, AgeGroup.A18_24), (34, AgeGroup.A25_34), (49, AgeGroup.A35_49),
               (64, AgeGroup.A50_64))
# The fields a refresh compares (everything but the id).
FIELDS = ("case_id", "person_id", "departed_on", "first_of_case", "confirmed_at",
          "applied_on", "host_office_id", "origin_office_id", "host_country",
          "origin_country", "programme_id", "sex", "age", "age_group", "category",
          "vulnerabilities", "vulnerable", "principal")


def age_on(born: datetime.date | None, day: datetime.date) -> int | None:
    """Completed years on `day`; someone born on 29 February has their birthday on
    1 March in other years."""
    if born is None or born > day:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_group(age: int | None) -> AgeGroup:
    if age is None:
        return AgeGroup.UNKNOWN
    return next((group for bound, group in _AGE_BOUNDS if age <= bound), AgeGroup.A65)


def _first_entry(case_id: int, status: Status) -> TimelineEntry | None:
    return (TimelineEntry.objects
            .filter(case_id=case_id, kind=TimelineKind.TRANSITION, to_status=status)
            .order_by("at", "id").first())


def _leaving_days(case: Case) -> dict[int, datetime.date]:
    """Per person, the local date the first leg of their booked itinerary left (the
    earliest, should they be on two)."""
    from retorno.travel.models import Itinerary, ItineraryStatus

    days: dict[int, datetime.date] = {}
    itineraries = (Itinerary.objects.filter(case_id=case.pk, status=ItineraryStatus.BOOKED)
                   .prefetch_related("legs"))
    for itinerary in itineraries:
        legs = sorted(itinerary.legs.all(), key=lambda leg: leg.order)
        if not legs:
            continue
        day = legs[0].departs_at.astimezone(zoneinfo.ZoneInfo(legs[0].from_tz)).date()
        for person in itinerary.people:
            days[person] = min(day, days.get(person, day))
    return days


def derive(case: Case) -> list[AssistedReturn]:
    """The rows the records say `case` should have (unsaved); none before its departure
    is confirmed."""
    confirmed = _first_entry(case.pk, Status.DEPARTED)
    if confirmed is None:
        return []
    applied = _first_entry(case.pk, Status.APPLIED)
    members = list(case.members.select_related("person").order_by("id"))
    leaving = _leaving_days(case)
    confirmed_day = timezone.localtime(confirmed.at).date()
    host_country = case.host_office.country
    rows = []
    for member in members:
        person = member.person
        day = leaving.get(person.pk, confirmed_day)
        age = age_on(person.date_of_birth, day)
        rows.append(AssistedReturn(
            case_id=case.pk, person_id=person.pk, departed_on=day, first_of_case=False,
            confirmed_at=confirmed.at,
            applied_on=timezone.localtime(applied.at).date() if applied else None,
            host_office_id=case.host_office_id, origin_office_id=case.origin_office_id,
            host_country=host_country, origin_country=case.destination_country,
            programme_id=case.programme_id, sex=person.sex, age=age,
            age_group=age_group(age), category=member.category,
            vulnerabilities=sorted(member.vulnerabilities),
            vulnerable=bool(member.vulnerabilities),
            principal=member.relationship == Relationship.PRINCIPAL))
    if rows:
        first = min(rows, key=lambda r: (r.departed_on, not r.principal, r.person_id))
        first.first_of_case = True
    return rows


def _values(row: AssistedReturn) -> tuple:
    return tuple(getattr(row, name) for name in FIELDS)


def refresh_case(case: Case | int) -> None:
    """Make the case's rows what the records say. Called inside the caller's
    transaction; writes nothing when nothing changed."""
    if not isinstance(case, Case):
        case = Case.objects.select_related("host_office").get(pk=case)
    wanted = {r.person_id: r for r in derive(case)}
    with transaction.atomic():
        have = {r.person_id: r for r in AssistedReturn.objects.filter(case_id=case.pk)}
        stale = [r.pk for p, r in have.items()
                 if p not in wanted or _values(r) != _values(wanted[p])]
        if stale:
            AssistedReturn.objects.filter(pk__in=stale).delete()
        fresh = [r for p, r in wanted.items()
                 if p not in have or have[p].pk in stale]
        if fresh:
            AssistedReturn.objects.bulk_create(fresh)


def refresh_person(person_id: int) -> None:
    """Refresh the rows of every case on which the person returned (their sex or date of
    birth changed)."""
    cases = set(AssistedReturn.objects.filter(person_id=person_id)
                .values_list("case_id", flat=True))
    for case_id in sorted(cases):
        refresh_case(case_id)


def _departed_cases() -> Iterable[int]:
    return (TimelineEntry.objects
            .filter(kind=TimelineKind.TRANSITION, to_status=Status.DEPARTED)
            .values_list("case_id", flat=True).distinct().order_by("case_id"))


def differences(limit: int | None = None) -> list[str]:
    """What differs between the rows and the records, one line per case (at most
    `limit` lines): the check `refresh_statistics --check` prints."""
    found = []
    cases = set(_departed_cases()) | set(AssistedReturn.objects.values_list("case_id",
                                                                          flat=True))
    for case_id in sorted(cases):
        case = Case.objects.select_related("host_office").get(pk=case_id)
        wanted = sorted(_values(r) for r in derive(case))
        have = sorted(_values(r) for r in AssistedReturn.objects.filter(case_id=case_id))
        if wanted != have:
            found.append(f"{case.reference}: {len(have)} rows kept, {len(wanted)} derived")
            if limit is not None and len(found) >= limit:
                break
    return found


def rebuild() -> int:
    """Recompute every case's rows; returns how many cases were refreshed."""
    cases = sorted(set(_departed_cases())
                   | set(AssistedReturn.objects.values_list("case_id", flat=True)))
    for case_id in cases:
        with transaction.atomic():
            refresh_case(case_id)
    return len(cases)
