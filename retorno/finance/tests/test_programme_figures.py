"""retorno.finance.figures on a small world built through the real services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from retorno.finance.figures import Figures, figures_of, programme_figures
from retorno.finance.tests.programme_world import with_money
from retorno.programmes.eligibility import approved_count, committed_amount
from retorno.programmes.tests.builders import packaged, programme

pytestmark = pytest.mark.django_db


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def test_it_computes_every_figure_of_a_programme(world):
    money = with_money(world)
    figure = figures_of(money.programme)
    assert (figure.currency, figure.budget) == ("EUR", Decimal("5000"))
    assert figure.committed == Decimal("6000") == committed_amount(money.programme)
    assert figure.remaining == Decimal("-1000") and figure.over_budget
    assert figure.spent == Decimal("1700")
    assert figure.awaiting == Decimal("800")  # 200 approved, 600 awaiting approval
    assert figure.approved_cases == 3 == approved_count(money.programme)
    assert (figure.max_cases, figure.quota_left) == (10, 7)
    assert figure.returnees_assisted == 1
    assert figure.cost_per_returnee == Decimal("1700.00")
    assert figure.spent_by_kind == {"reinstallation": Decimal("700"),
                                    "reintegration": Decimal("1000")}
    assert figure.spent_by_method == {"cash": Decimal("400"), "mobile_money": Decimal("300"),
                                      "bank_transfer": Decimal("1000")}
    today = timezone.localdate()
    assert figure.by_month() == [(_month(today), Decimal("1400")),
                                 (_month(money.later), Decimal("300"))]
    assert dict(figure.by_method())["Voucher"] == 0  # every method listed


def test_a_programme_without_money_has_empty_figures(world):
    figure = figures_of(packaged(world, budget=None))
    assert (figure.committed, figure.spent, figure.awaiting) == (0, 0, 0)
    assert figure.remaining is None and not figure.over_budget
    assert figure.cost_per_returnee is None and figure.returnees_assisted == 0
    assert figure.by_month() == [] and figure.quota_left is None


def test_each_programme_counts_only_its_own_cases(world):
    money = with_money(world)
    other = packaged(world, "other", budget="1000")
    bare = programme(world, "bare")
    by_code = {f.programme.code: f for f in programme_figures(
        [other, money.programme, bare, world.programme])}
    assert by_code["fin"].spent == Decimal("1700")
    assert by_code["other"].committed == 0 and by_code["other"].spent == 0
    assert by_code["bare"].currency == "" and by_code["bare"].approved_cases == 0
    assert [f.programme.code for f in programme_figures([other, bare])] == ["other", "bare"]


def test_the_cost_per_returnee_has_the_currencys_minor_units(world):
    eur = packaged(world, "eur")
    iqd = packaged(world, "iqd", currency="IQD", components=[])
    assert Figures(eur, spent=Decimal("1000"), returnees_assisted=3).cost_per_returnee == \
        Decimal("333.33")
    assert Figures(iqd, spent=Decimal("1001"), returnees_assisted=2).cost_per_returnee == \
        Decimal("500")  # 500.5, rounded half to even
    assert Figures(eur, spent=Decimal("10")).cost_per_returnee is None


def test_it_makes_the_same_few_queries_for_many_programmes(world, django_assert_num_queries):
    money = with_money(world)
    many = [money.programme, world.programme,
            *(packaged(world, f"p{n}") for n in range(6))]
    with django_assert_num_queries(4):
        programme_figures(many)
