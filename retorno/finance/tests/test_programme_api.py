import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.finance.tests.programme_world import with_money
from retorno.programmes.tests.builders import packaged

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(code):
    return reverse("api:programme_finance", args=[code])


def test_it_gives_a_programmes_figures_in_its_currency(world):
    money = with_money(world)
    response = api(world.sam).get(_url(money.programme.code))
    assert response.status_code == 200, response.content
    body = response.json()
    assert {k: body[k] for k in ("code", "currency", "budget", "committed", "remaining",
                                 "over_budget", "spent", "awaiting", "approved_cases",
                                 "max_cases", "returnees_assisted", "cost_per_returnee")} == {
        "code": "fin", "currency": "EUR", "budget": "5000.00", "committed": "6000.00",
        "remaining": "-1000.00", "over_budget": True, "spent": "1700.00",
        "awaiting": "800.00", "approved_cases": 3, "max_cases": 10,
        "returnees_assisted": 1, "cost_per_returnee": "1700.00"}
    assert {"kind": "reinstallation", "amount": "700.00"} in body["spent_by_kind"]
    assert {"method": "voucher", "amount": "0.00"} in body["spent_by_method"]
    assert body["spent_by_month"][-1] == {"month": money.later.strftime("%Y-%m"),
                                          "amount": "300.00"}


def test_a_programme_without_a_budget_has_nulls(world):
    programme = packaged(world, budget=None)
    body = api(world.pia).get(_url(programme.code)).json()
    assert body["budget"] is None and body["remaining"] is None
    assert body["cost_per_returnee"] is None and body["spent"] == "0.00"


@pytest.mark.parametrize("who", ["carla", "rita", "paul", "stella", "otto"])
def test_only_finance_readers_read_the_figures(world, who):
    programme = packaged(world)
    assert api(getattr(world, who)).get(_url(programme.code)).status_code == 403


def test_an_unknown_programme_is_not_found(world):
    assert api(world.sam).get(_url("nope")).status_code == 404
