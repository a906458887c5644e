import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from retorno.cases.services import register_and_add_member, transition_case
from retorno.lib.errors import GuardsFailed, Invalid
from retorno.programmes.eligibility import explain, unmet_rules
from retorno.programmes.services import create_programme
from retorno.testing.personas import open_case, person_data, prepare_application

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


# ---- age, application window, quota ---------------------------------------------------

ON = datetime.date(2026, 3, 1)


def _running(**overrides):
    """A programme running today, whatever today is (for cases moved through the real
    lifecycle)."""
    return _programme(**{"start_date": datetime.date(2020, 1, 1), "end_date": None,
                         **overrides})


def _applied(world, case):
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    return case


def test_it_accepts_a_principal_within_the_age_limits(world):
    # Born 17 May 1990: 35 on 1 March 2026.
    case = open_case(world, programme=_programme(min_age=18, max_age=35))
    assert unmet_rules(case, ON) == []


def test_it_counts_age_on_the_day_from_the_date_of_birth(world):
    case = open_case(world, programme=_programme(max_age=35))
    assert unmet_rules(case, datetime.date(2026, 5, 16)) == []
    assert unmet_rules(case, datetime.date(2026, 5, 17)) == [
        "Ahmed Al-Rashid (أحمد الرشيد) is 36 on May 17, 2026; programme pilot takes "
        "principal applicants aged 35 or under."]


def test_it_says_when_the_principal_is_too_young(world):
    case = open_case(world, programme=_programme(min_age=40))
    assert unmet_rules(case, ON) == [
        "Ahmed Al-Rashid (أحمد الرشيد) is 35 on March 1, 2026; programme pilot takes "
        "principal applicants aged 40 or over."]


def test_an_approximate_date_of_birth_counts(world):
    case = open_case(world, programme=_programme(min_age=18),
                     person=person_data(date_of_birth=datetime.date(1990, 1, 1),
                                        date_of_birth_approximate=True))
    assert unmet_rules(case, ON) == []
    assert ("Age", True, "Ahmed Al-Rashid (أحمد الرشيد) is 36 on March 1, 2026 (approximate "
            "date of birth).") in explain(case, ON)


def test_it_asks_for_an_unknown_date_of_birth_when_there_is_an_age_limit(world):
    case = open_case(world, programme=_programme(max_age=60),
                     person=person_data(date_of_birth=None))
    assert unmet_rules(case, ON) == [
        "Record Ahmed Al-Rashid (أحمد الرشيد)'s date of birth: programme pilot has an age "
        "limit."]
    assert unmet_rules(open_case(world, programme=_programme(code="open"),
                                 person=person_data(date_of_birth=None)), ON) == []


def test_it_checks_the_day_of_an_unapplied_case_against_the_application_window(world):
    case = open_case(world, programme=_programme(applications_open=datetime.date(2026, 2, 1),
                                                 applications_close=datetime.date(2026, 4, 30)))
    assert unmet_rules(case, ON) == []
    assert unmet_rules(case, datetime.date(2026, 1, 31)) == [
        "Programme pilot takes applications from Feb. 1, 2026; this application is dated "
        "Jan. 31, 2026."]
    assert unmet_rules(case, datetime.date(2026, 5, 1)) == [
        "Programme pilot took applications until April 30, 2026; this application is dated "
        "May 1, 2026."]


def test_it_takes_the_application_date_from_the_timeline(world):
    today = timezone.localdate()
    programme = _running(applications_open=today, applications_close=today)
    case = _applied(world, open_case(world, programme=programme))
    later = today + datetime.timedelta(days=30)
    assert unmet_rules(case, later) == []  # applied today, approved a month later
    labels = {label: (met, text) for label, met, text in explain(case, later)}
    assert labels["Application window"] == (
        True, f"The application is dated {date_format(today)}, within programme pilot's "
        "application window.")


def test_it_refuses_approval_when_the_quota_is_used_up(world):
    programme = _running(max_cases=1)
    first = _applied(world, open_case(world, programme=programme))
    second = _applied(world, open_case(world, programme=programme,
                                       person=person_data(given_name="Omar")))
    assert unmet_rules(second, timezone.localdate()) == []
    assert ("Quota", True, "0 of the 1 cases programme pilot may approve have been approved."
            ) in explain(second, timezone.localdate())
    transition_case(first, "approved", actor=world.sam)
    transition_case(first, "preparing_departure", actor=world.max)  # still counts
    assert unmet_rules(first, timezone.localdate()) == []  # a case does not count itself
    with pytest.raises(GuardsFailed) as exc:
        transition_case(second, "approved", actor=world.sam)
    assert exc.value.messages == [
        "Programme pilot has already approved 1 cases, its quota of 1: no more can be "
        "approved."]


def test_explain_gives_every_rule_with_whether_it_is_met(world):
    case = open_case(world, programme=_programme(eligible_nationalities=["IRQ"],
                                                 min_age=40))
    assert explain(case, ON) == [
        ("Programme running", True, "Programme pilot is running on March 1, 2026."),
        ("Host country", True, "Programme pilot serves migrants in Germany."),
        ("Nationality", True, "Every member's nationality is eligible."),
        ("Category", True, "Any category is eligible."),
        ("Age", False, "Ahmed Al-Rashid (أحمد الرشيد) is 35 on March 1, 2026; programme "
                       "pilot takes principal applicants aged 40 or over."),
        ("Application window", True, "Programme pilot takes applications at any time."),
        ("Quota", True, "Programme pilot has no quota."),
        ("Budget", True, "Programme pilot has no budget limit."),
    ]
    assert explain(open_case(world, programme=None), ON) == [
        ("Programme", False, "Choose a programme for this case.")]


@pytest.mark.parametrize("fields", [
    {"min_age": 30, "max_age": 18},
    {"applications_open": datetime.date(2026, 5, 1),
     "applications_close": datetime.date(2026, 4, 1)},
])
def test_it_refuses_limits_the_wrong_way_round(world, fields):
    with pytest.raises(Invalid):
        _programme(**fields)


def test_it_accepts_equal_limits(world):
    programme = _programme(min_age=18, max_age=18, applications_open=ON,
                           applications_close=ON, max_cases=0)
    assert programme.max_cases == 0


def _budgeted(budget: str, cost: str, currency: str = "EUR"):
    return _running(currency=currency, budget=Decimal(budget), cost_per_returnee=Decimal(cost))


def _family(world, programme, given_name):
    """A principal and one child: two returnees."""
    case = open_case(world, programme=programme, person=person_data(given_name=given_name))
    register_and_add_member(actor=world.carla, case=case, person=person_data(
        given_name="Lina", date_of_birth=datetime.date(2019, 4, 2)),
        member={"relationship": "child", "category": "asylum_rejected"})
    return case


def test_it_refuses_approval_when_the_budget_cannot_cover_the_case(world):
    programme = _budgeted("5000", "2000")
    first = _applied(world, _family(world, programme, "Omar"))
    second = _applied(world, open_case(world, programme=programme))
    assert ("Budget", True, "This case needs €2,000.00 (1 returnee at €2,000.00); "
            "programme pilot has €5,000.00 left of its €5,000.00 budget.") in explain(
        second, timezone.localdate())
    assert ("Budget", True, "This case needs €4,000.00 (2 returnees at €2,000.00 each); "
            "programme pilot has €5,000.00 left of its €5,000.00 budget.") in explain(
        first, timezone.localdate())
    transition_case(first, "approved", actor=world.sam)  # commits 2 × 2,000
    with pytest.raises(GuardsFailed) as exc:
        transition_case(second, "approved", actor=world.sam)
    assert exc.value.messages == [
        "Programme pilot has €1,000.00 left of its €5,000.00 budget; this case needs "
        "€2,000.00 (1 returnee at €2,000.00)."]
    # A withdrawal before departure releases what the approval committed.
    transition_case(first, "withdrawn", actor=world.carla, reason="Changed their mind")
    transition_case(second, "approved", actor=world.sam)


def test_budget_figures_are_written_for_the_readers_locale(world):
    from django.utils.translation import override

    case = open_case(world, programme=_budgeted("1000", "2500.5"))
    with override("fr"):
        [message] = unmet_rules(case, timezone.localdate())
    # French groups thousands with a narrow no-break space and puts the sign after.
    assert message.count("1\u202f000,00\xa0€") == 2 and "2\u202f500,50\xa0€" in message


@pytest.mark.parametrize(("fields", "message"), [
    ({"budget": Decimal("100"), "cost_per_returnee": Decimal("10")},
     "Give the currency of the budget."),
    ({"currency": "EUR", "approval_threshold": Decimal("-5")},
     "An amount cannot be negative."),
    ({"currency": "JPY", "budget": Decimal("100.5"), "cost_per_returnee": Decimal("10")},
     "An amount in JPY has at most 0 digits after the decimal point."),
    ({"currency": "EUR", "budget": Decimal("-1"), "cost_per_returnee": Decimal("10")},
     "An amount cannot be negative."),
    ({"currency": "XXQ", "budget": Decimal("1"), "cost_per_returnee": Decimal("1")},
     "XXQ is not an ISO 4217 currency code."),
])
def test_it_refuses_an_incomplete_or_malformed_budget(world, fields, message):
    with pytest.raises(Invalid) as exc:
        _programme(**fields)
    assert message in str(exc.value.messages)
