"""Which flags a screening derives: from the answers, and from age and who returns."""

import pytest

from retorno.cases.models import CaseMember
from retorno.screening.tests.builders import add, born, case_of, screen

pytestmark = pytest.mark.django_db


def _flags(world, member, *yes):
    return screen(member.case, world.carla, member, *yes).flags


def test_it_derives_flags_from_yes_answers_only(world):
    case = case_of(world, born(30))
    screening = screen(case, world.carla, None, "forced_work", "documents_withheld",
                       "violence_survivor")
    assert screening.flags == ["mental_health", "trafficking", "torture"]
    assert screen(case, world.carla).flags == []


def test_it_flags_a_child_alone_as_unaccompanied(world):
    case = case_of(world, born(16))
    assert _flags(world, case.principal) == ["unaccompanied_child"]


def test_it_does_not_flag_a_child_with_a_parent(world):
    case = case_of(world, born(16))
    add(case, world.carla, "parent", born(45))
    assert _flags(world, case.principal) == []
    child = add(case_of(world, born(40)), world.carla, "child", born(8))
    assert _flags(world, child) == []


def test_it_flags_a_child_with_an_adult_relative_as_separated(world):
    case = case_of(world, born(16))
    add(case, world.carla, "sibling", born(22))
    assert _flags(world, case.principal) == ["separated_child"]
    nephew = add(case_of(world, born(35)), world.carla, "other_relative", born(12))
    assert _flags(world, nephew) == ["separated_child"]


def test_it_flags_a_child_with_a_younger_sibling_only_as_unaccompanied(world):
    case = case_of(world, born(16))
    add(case, world.carla, "sibling", born(12))
    assert _flags(world, case.principal) == ["unaccompanied_child"]


def test_it_flags_a_child_with_unrelated_adults_as_unaccompanied(world):
    child = add(case_of(world, born(35)), world.carla, "other", born(15))
    assert _flags(world, child) == ["unaccompanied_child"]


def test_it_counts_age_on_the_screening_day(world):
    eighteen_today = case_of(world, born(18))
    assert _flags(world, eighteen_today.principal) == []
    eighteen_tomorrow = case_of(world, born(18, days=1))
    assert _flags(world, eighteen_tomorrow.principal) == ["unaccompanied_child"]
    assert _flags(world, case_of(world, born(60)).principal) == ["elderly"]
    assert _flags(world, case_of(world, born(60, days=1)).principal) == []


def test_it_derives_nothing_from_age_without_a_date_of_birth(world):
    case = case_of(world, None)
    assert _flags(world, case.principal, "pregnant") == ["pregnant"]


def test_it_merges_age_and_answer_flags_in_the_coded_order(world):
    case = case_of(world, born(70))
    screening = screen(case, world.carla, None, "serious_illness", "treatment_unavailable")
    assert screening.flags == ["elderly", "medical"]
    assert [p["flag"] for p in screening.proposals] == ["elderly", "medical"]
    assert CaseMember.objects.get(pk=case.principal.pk).vulnerabilities == ["elderly",
                                                                           "medical"]
