"""The AssistedReturn rows, built through the real services: what counts as a return,
on which day, and that every later change to the records reaches them."""

import datetime

from django.utils import timezone

from retorno.cases.models import Case, Status
from retorno.cases.services import (
    set_member_vulnerabilities,
    transition_case,
    update_case,
)
from retorno.finance.tests.builders import approved_case, departed
from retorno.people.services import update_person
from retorno.programmes.models import MigrantCategory
from retorno.reports import facts
from retorno.reports.models import AgeGroup, AssistedReturn
from retorno.reports.tests.builders import departed_apart
from retorno.testing.personas import (
    book_travel,
    walk,
)


def _rows(case: Case) -> list[AssistedReturn]:
    return list(AssistedReturn.objects.filter(case=case).order_by("person_id"))


def test_ages_are_completed_years_on_the_day():
    day = datetime.date(2026, 3, 1)
    assert facts.age_on(datetime.date(2000, 3, 1), day) == 26
    assert facts.age_on(datetime.date(2000, 3, 2), day) == 25
    assert facts.age_on(datetime.date(2008, 2, 29), datetime.date(2026, 2, 28)) == 17
    assert facts.age_on(datetime.date(2008, 2, 29), day) == 18
    assert facts.age_on(None, day) is None
    assert facts.age_on(datetime.date(2027, 1, 1), day) is None
    expected = {0: "0-4", 4: "0-4", 5: "5-11", 11: "5-11", 12: "12-17", 17: "12-17",
                18: "18-24", 24: "18-24", 25: "25-34", 34: "25-34", 35: "35-49",
                49: "35-49", 50: "50-64", 64: "50-64", 65: "65+", 101: "65+",
                None: "unknown"}
    assert {age: facts.age_group(age) for age in expected} == expected


def test_nothing_is_counted_before_departure_is_confirmed(world):
    case = approved_case(world, world.programme)
    book_travel(world, case)
    walk(world, case, ("ready_to_travel", world.max))
    assert _rows(case) == []


def test_a_withdrawal_after_departure_was_planned_and_booked_counts_nothing(world):
    case = approved_case(world, world.programme)
    book_travel(world, case)
    walk(world, case, ("ready_to_travel", world.max))
    transition_case(case, "withdrawn", actor=world.carla, reason="Changed their mind")
    assert _rows(case) == []
    assert facts.differences() == []


def test_confirming_departure_writes_one_row_per_member(world):
    case = departed(world, world.programme)
    [row] = _rows(case)
    principal = case.principal.person
    booked_day = case.itineraries.get(status="booked").legs.get(order=1).departs_local.date()
    assert row.person_id == principal.pk
    assert row.departed_on == booked_day
    assert row.first_of_case and row.principal
    assert (row.host_country, row.origin_country) == ("DEU", "IRQ")
    assert row.host_office_id == world.berlin.pk
    assert row.origin_office_id == world.offices["baghdad"].pk
    assert row.programme_id == world.programme.pk
    assert row.sex == "M" and row.category == MigrantCategory.ASYLUM_REJECTED
    assert row.age == facts.age_on(datetime.date(1990, 5, 17), booked_day)
    assert row.applied_on == timezone.localdate()
    assert row.vulnerabilities == [] and not row.vulnerable


def test_members_leaving_on_different_days_each_keep_their_day(world):
    day = timezone.localdate() + datetime.timedelta(days=30)
    case, child = departed_apart(world, day + datetime.timedelta(days=3), day)
    principal = case.principal.person
    rows = {r.person_id: r for r in _rows(case)}
    assert rows[child.person_id].departed_on == day
    assert rows[principal.pk].departed_on == day + datetime.timedelta(days=3)
    # The child left first: the case's return began with her.
    assert rows[child.person_id].first_of_case and not rows[principal.pk].first_of_case
    assert rows[child.person_id].age_group == AgeGroup.A5_11


def test_later_changes_to_the_records_reach_the_rows(world):
    case = departed(world, world.programme)
    person = case.principal.person
    update_person(actor=world.carla, person=person, version=person.version,
                  data={"sex": "F", "date_of_birth": datetime.date(1950, 1, 1)})
    [row] = _rows(case)
    assert row.sex == "F" and row.age_group == AgeGroup.A65
    case.refresh_from_db()
    set_member_vulnerabilities(actor=world.carla, case=case, member=case.principal,
                               vulnerabilities=["medical", "elderly"])
    [row] = _rows(case)
    assert row.vulnerabilities == ["elderly", "medical"] and row.vulnerable
    case.refresh_from_db()
    update_case(actor=world.carla, case=case, version=case.version,
                data={"destination_country": "SYR"})
    assert _rows(case)[0].origin_country == "SYR"
    assert facts.differences() == []


def test_a_return_stays_counted_when_the_case_ends_later(world):
    case = departed(world, world.programme)
    transition_case(case, "withdrawn", actor=world.max, reason="Stayed on in Istanbul")
    assert Case.objects.get(pk=case.pk).status == Status.WITHDRAWN
    assert len(_rows(case)) == 1


def test_rebuild_restores_what_was_lost_and_differences_name_it(world):
    case = departed(world, world.programme)
    AssistedReturn.objects.filter(case=case).update(sex="X")
    assert facts.differences() == [f"{case.reference}: 1 rows kept, 1 derived"]
    AssistedReturn.objects.all().delete()
    assert facts.differences() == [f"{case.reference}: 0 rows kept, 1 derived"]
    assert facts.rebuild() == 1
    assert facts.differences() == []
    assert _rows(case)[0].sex == "M"


def test_the_command_checks_and_rewrites(world):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    case = departed(world, world.programme)
    out = StringIO()
    call_command("refresh_statistics", "--check", stdout=out)
    assert "match" in out.getvalue()
    AssistedReturn.objects.filter(case=case).delete()
    with pytest.raises(CommandError):
        call_command("refresh_statistics", "--check", stdout=StringIO())
    call_command("refresh_statistics", stdout=StringIO())
    assert len(_rows(case)) == 1
