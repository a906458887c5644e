"""The programme pages: list, detail with the package (and the figures for finance.view),
and the package form (finance.manage)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from retorno.finance.tests.builders import approved_case
from retorno.privacy.models import AuditEvent, AuditType
from retorno.programmes.tests.builders import packaged

pytestmark = pytest.mark.django_db

LIST = reverse("programmes:list")


def _detail(programme):
    return reverse("programmes:detail", args=[programme.code])


def _package(programme):
    return reverse("programmes:package", args=[programme.code])


def _row(n, **values):
    fields = {"kind": "", "basis": "", "vulnerability": "", "amount": "",
              "modality": "cash", "before_departure_percent": "0",
              "after_arrival_months": "0"}
    fields.update(values)
    return {f"components-{n}-{k}": v for k, v in fields.items()}


def _form(programme, rows, total=None, initial=0, **fields):
    data = {"currency": "EUR", "budget": "", "max_cases": "", "approval_threshold": "",
            "version": programme.version, "components-TOTAL_FORMS": total or len(rows),
            "components-INITIAL_FORMS": initial, "components-MIN_NUM_FORMS": 0,
            "components-MAX_NUM_FORMS": 1000}
    data.update(fields)
    for n, row in enumerate(rows):
        data.update(_row(n, **row))
    return data


@pytest.mark.parametrize("who", ["carla", "sam", "pia", "rita", "mona", "dana", "otto"])
def test_it_lists_programmes_to_every_member_of_staff(world, client, who):
    packaged(world)
    client.force_login(getattr(world, who))
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "erin-deu" in body and "pilot" in body and "€100,000.00" in body
    assert f'href="{LIST}"' in body  # the navigation link


@pytest.mark.parametrize("who", ["paul", "stella"])
def test_partners_and_statistics_viewers_get_no_programme_page(world, client, who):
    programme = packaged(world)
    client.force_login(getattr(world, who))
    assert client.get(LIST).status_code == 403
    assert client.get(_detail(programme)).status_code == 403
    assert client.get(_package(programme)).status_code == 403
    body = client.get(reverse("cases:my_work")).content.decode()
    assert LIST not in body and reverse("programme_finance:overview") not in body


def test_an_unknown_programme_is_not_found(world, client):
    client.force_login(world.pia)
    assert client.get(reverse("programmes:detail", args=["nope"])).status_code == 404
    assert client.get(reverse("programmes:package", args=["nope"])).status_code == 404


def test_the_detail_shows_rules_and_package_in_the_readers_locale(world, client):
    programme = packaged(world, max_cases=12)
    client.force_login(world.carla)
    body = client.get(_detail(programme)).content.decode()
    assert "Germany, Austria" in body and "12 approved cases" in body
    assert "Reinstallation grant" in body and "per adult" in body and "€1,000.00" in body
    assert "Serious medical condition" in body and "€750.50" in body and "In kind" in body
    assert "50% before departure, 50% 6 months after arrival" in body
    assert "All on arrival" in body
    assert "Cases already approved keep what their approval committed" in body
    # carla reads the programme, not its finances, and may not change the package
    assert 'data-testid="finance-figures"' not in body
    assert _package(programme) not in body
    client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
    body = client.get(_detail(programme)).content.decode()
    assert "1\u202f000,00\u00a0€" in body


def test_the_detail_shows_the_figures_to_finance_readers(world, client):
    programme = packaged(world, max_cases=12)
    approved_case(world, programme)
    client.force_login(world.sam)
    body = client.get(_detail(programme)).content.decode()
    assert 'data-testid="finance-figures"' in body
    assert "€3,000.00" in body and "€97,000.00" in body and "1 of 12 cases approved" in body
    assert _package(programme) not in body  # sam reads, pia manages
    client.force_login(world.pia)
    assert _package(programme) in client.get(_detail(programme)).content.decode()


@pytest.mark.parametrize("who", ["sam", "carla", "rita"])
def test_only_programme_managers_open_the_package_form(world, client, who):
    programme = packaged(world)
    client.force_login(getattr(world, who))
    assert client.get(_package(programme)).status_code == 403
    response = client.post(_package(programme), _form(programme, []))
    assert response.status_code == 403
    assert programme.package.count() == 4


def test_a_programme_manager_replaces_the_package_spare_rows_ignored(world, client):
    programme = packaged(world)
    client.force_login(world.pia)
    response = client.get(_package(programme))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="component-row"') == 4 + 3
    rows = [{"kind": "reinstallation", "basis": "per_adult", "amount": "1500",
             "before_departure_percent": "50", "after_arrival_months": "6"},
            {},  # a spare row left empty
            {"kind": "top_up", "basis": "per_person", "vulnerability": "elderly",
             "amount": "300", "modality": "in_kind"},
            {}]
    response = client.post(_package(programme), _form(
        programme, rows, budget="80000", max_cases="40", approval_threshold="250.50"))
    assert response.status_code == 302, response.content.decode()
    programme.refresh_from_db()
    assert (programme.budget, programme.max_cases, programme.approval_threshold) == (
        Decimal("80000"), 40, Decimal("250.50"))
    assert [(c.kind, c.basis, c.vulnerability, c.amount, c.modality)
            for c in programme.package.all()] == [
        ("reinstallation", "per_adult", "", Decimal("1500"), "cash"),
        ("top_up", "per_person", "elderly", Decimal("300"), "in_kind")]
    assert AuditEvent.objects.filter(event_type=AuditType.PACKAGE_CHANGED).count() == 2


def test_a_recorded_component_can_be_removed(world, client):
    programme = packaged(world)
    client.force_login(world.pia)
    lines = list(programme.package.all())
    rows = [{"kind": c.kind, "basis": c.basis, "vulnerability": c.vulnerability,
             "amount": str(c.amount), "modality": c.modality,
             "before_departure_percent": c.before_departure_percent,
             "after_arrival_months": c.after_arrival_months} for c in lines]
    data = _form(programme, rows, initial=len(rows), budget="100000")
    data["components-0-DELETE"] = "on"
    assert client.post(_package(programme), data).status_code == 302
    assert programme.package.count() == 3


def test_the_form_names_every_problem_with_its_row_and_saves_nothing(world, client):
    programme = packaged(world)
    client.force_login(world.pia)
    rows = [{"kind": "reinstallation", "basis": "per_adult", "amount": "-1"},
            {"kind": "top_up", "basis": "per_person", "amount": "5"},
            {"kind": "reintegration", "basis": "per_family", "amount": "1.234"}]
    response = client.post(_package(programme), _form(programme, rows, budget="100000"))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert "Component 1 (Reinstallation grant, per adult): the amount cannot be negative." in body
    assert ("Component 2 (Vulnerability top-up, per person): a vulnerability top-up names "
            "the vulnerability it is paid for.") in body
    assert ("Component 3 (Reintegration budget, per family (case)): an amount in EUR has at "
            "most 2 digits after the decimal point.") in body
    assert programme.package.count() == 4


def test_a_stale_form_says_so_and_saves_nothing(world, client):
    programme = packaged(world)
    client.force_login(world.pia)
    data = _form(programme, [{"kind": "reinstallation", "basis": "per_adult",
                              "amount": "1"}], version=1)
    response = client.post(_package(programme), data)
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    assert programme.package.count() == 4


def test_the_navigation_offers_programmes_to_staff_and_finance_to_finance_readers(world,
                                                                                 client):
    finance = reverse("programme_finance:overview")
    client.force_login(world.carla)
    body = client.get(reverse("cases:my_work")).content.decode()
    assert f'href="{LIST}"' in body and f'href="{finance}"' not in body
    for who in ("sam", "pia"):
        client.force_login(getattr(world, who))
        body = client.get(reverse("cases:my_work")).content.decode()
        assert f'href="{LIST}"' in body and f'href="{finance}"' in body
