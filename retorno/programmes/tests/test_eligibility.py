import datetime

import pytest

from retorno.programmes.eligibility import unmet_rules
from retorno.programmes.services import create_programme
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _programme(**overrides):
    fields = {"code": "pilot", "name": "Pilot", "donor": "", "host_countries": ["DEU"],
              "eligible_nationalities": [], "eligible_categories": [],
              "start_date": datetime.date(2026, 1, 1), "end_date": datetime.date(2026, 6, 30)}
    return create_programme(**{**fields, **overrides})


def test_it_accepts_a_case_the_programme_serves(world):
    case = open_case(world, programme=_programme())
    assert unmet_rules(case, datetime.date(2026, 3, 1)) == []


def test_it_says_when_the_programme_is_not_running(world):
    case = open_case(world, programme=_programme())
    assert unmet_rules(case, datetime.date(2026, 7, 1)) == [
        "Programme pilot is not running on July 1, 2026."]


def test_it_says_when_the_programme_does_not_serve_the_host_country(world):
    case = open_case(world, actor=world.otto, office=world.vienna, programme=_programme())
    assert unmet_rules(case, datetime.date(2026, 3, 1)) == [
        "Programme pilot does not serve migrants in Austria."]


def test_it_checks_each_members_category(world):
    case = open_case(world, programme=_programme(eligible_categories=["stranded"]))
    assert unmet_rules(case, datetime.date(2026, 3, 1)) == [
        "Ahmed Al-Rashid (أحمد الرشيد)'s category (Asylum seeker — claim rejected) is not "
        "eligible for pilot."]


def test_it_asks_for_a_programme(world):
    case = open_case(world, programme=None)
    assert unmet_rules(case, datetime.date(2026, 3, 1)) == ["Choose a programme for this case."]
