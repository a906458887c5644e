"""programmes.services.set_package: every rule, the replacement, the audit, versions."""

from decimal import Decimal

import pytest

from retorno.finance.tests.builders import approved_case
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.programmes.models import PackageComponent
from retorno.programmes.package import commitment
from retorno.programmes.services import set_package
from retorno.programmes.tests.builders import STANDARD, component, packaged, programme

pytestmark = pytest.mark.django_db


def _refused(world, components, fields=None, target=None):
    target = target or programme(world)
    with pytest.raises(Invalid) as refused:
        set_package(actor=world.pia, programme=target, version=target.version,
                    fields={"currency": "EUR"} if fields is None else fields,
                    components=components)
    assert not PackageComponent.objects.filter(programme=target).exists()
    return refused.value


def test_it_sets_the_package_budget_currency_quota_and_threshold(world):
    target = programme(world)
    set_package(actor=world.pia, programme=target, version=1,
                fields={"currency": "eur", "budget": Decimal("50000.00"), "max_cases": 20,
                        "approval_threshold": Decimal("500")},
                components=STANDARD)
    target.refresh_from_db()
    assert (target.currency, target.budget, target.max_cases, target.approval_threshold,
            target.version) == ("EUR", Decimal("50000"), 20, Decimal("500"), 2)
    lines = list(target.package.order_by("kind", "basis"))
    assert [(c.kind, c.basis, c.vulnerability, c.amount, c.modality) for c in lines] == [
        ("reinstallation", "per_adult", "", Decimal("1000"), "cash"),
        ("reinstallation", "per_child", "", Decimal("500"), "cash"),
        ("reintegration", "per_family", "", Decimal("2000"), "cash"),
        ("top_up", "per_person", "medical", Decimal("750.50"), "in_kind")]


def test_it_replaces_the_components_and_audits_old_and_new(world):
    target = packaged(world)
    set_package(actor=world.pia, programme=target, version=target.version,
                fields={"budget": Decimal("90000")},
                components=[component(amount=Decimal("1200"))])
    assert [(c.kind, c.basis, c.amount) for c in target.package.all()] == [
        ("reinstallation", "per_adult", Decimal("1200"))]
    event = AuditEvent.objects.filter(event_type=AuditType.PACKAGE_CHANGED).latest("id")
    assert (event.actor, event.case_id, event.office_id, event.target_id) == (
        world.pia, None, None, target.pk)
    old, new = event.extra["old"], event.extra["new"]
    assert (old["budget"], new["budget"]) == ("100000", "90000")
    assert old["currency"] == new["currency"] == "EUR"
    assert len(old["components"]) == 4 and new["components"] == [{
        "kind": "reinstallation", "basis": "per_adult", "vulnerability": "",
        "amount": "1200", "modality": "cash", "before_departure_percent": 50,
        "after_arrival_months": 6}]


def test_it_leaves_out_fields_not_given_and_empties_the_package(world):
    target = packaged(world, max_cases=5)
    set_package(actor=world.pia, programme=target, version=target.version, fields={},
                components=[])
    target.refresh_from_db()
    assert (target.currency, target.budget, target.max_cases) == ("EUR", Decimal("100000"), 5)
    assert not target.package.exists()


def test_it_refuses_a_stale_version_and_keeps_the_package(world):
    target = packaged(world)
    with pytest.raises(StaleVersion):
        set_package(actor=world.pia, programme=target, version=1, fields={},
                    components=[component(amount=Decimal("1"))])
    assert target.package.count() == 4
    target.refresh_from_db()
    assert target.version == 2


@pytest.mark.parametrize("who", ["sam", "carla", "rita", "paul", "stella"])
def test_it_lets_only_programme_managers_change_a_package(world, who):
    target = programme(world)
    with pytest.raises(NotAllowed):
        set_package(actor=getattr(world, who), programme=target, version=1,
                    fields={"currency": "EUR"}, components=STANDARD)
    assert not target.package.exists()
    assert not AuditEvent.objects.filter(event_type=AuditType.PACKAGE_CHANGED).exists()


def test_it_refuses_a_negative_amount(world):
    error = _refused(world, [component(amount=Decimal("-1"))])
    assert error.messages == [
        "Component 1 (Reinstallation grant, per adult): the amount cannot be negative."]
    assert "components.0.amount" in error.field_errors


def test_it_checks_the_currencys_minor_units(world):
    error = _refused(world, [component(amount=Decimal("10.5"))],
                     fields={"currency": "IQD"})
    assert error.messages == [
        "Component 1 (Reinstallation grant, per adult): an amount in IQD has at most 0 "
        "digits after the decimal point."]
    error = _refused(world, [component(amount=Decimal("10.555"))],
                     target=programme(world, "other"))
    assert "an amount in EUR has at most 2 digits" in error.messages[0]


def test_it_accepts_a_zero_amount(world):
    target = programme(world)
    set_package(actor=world.pia, programme=target, version=1, fields={"currency": "EUR"},
                components=[component(amount=Decimal("0"))])
    assert target.package.get().amount == 0


def test_it_wants_a_currency_for_a_package(world):
    error = _refused(world, [component()], fields={})
    assert error.messages == [
        "Give the programme's currency: the assistance package is paid in it."]
    assert "currency" in error.field_errors


def test_it_wants_a_percentage_from_0_to_100_and_whole_months(world):
    error = _refused(world, [component(before_departure_percent=101),
                             component(basis="per_child", before_departure_percent=-1,
                                       after_arrival_months=121)])
    assert error.messages == [
        "Component 1 (Reinstallation grant, per adult): the share paid before departure is "
        "a whole percentage from 0 to 100.",
        "Component 2 (Reinstallation grant, per child): the share paid before departure is "
        "a whole percentage from 0 to 100.",
        "Component 2 (Reinstallation grant, per child): the rest is paid a whole number of "
        "months after arrival, from 0 to 120."]


def test_a_top_up_needs_a_coded_vulnerability(world):
    error = _refused(world, [component(kind="top_up", basis="per_person"),
                             component(kind="top_up", basis="per_family",
                                       vulnerability="left-handed")])
    assert error.messages == [
        "Component 1 (Vulnerability top-up, per person): a vulnerability top-up names the "
        "vulnerability it is paid for.",
        "Component 2 (Vulnerability top-up, per family (case)): choose the vulnerability "
        "from the coded list."]
    assert set(error.field_errors) == {"components.0.vulnerability",
                                       "components.1.vulnerability"}


def test_only_a_top_up_names_a_vulnerability(world):
    error = _refused(world, [component(vulnerability="medical")])
    assert error.messages == [
        "Component 1 (Reinstallation grant, per adult): only a vulnerability top-up names a "
        "vulnerability."]


def test_it_refuses_the_same_kind_basis_and_vulnerability_twice(world):
    error = _refused(world, [
        component(), component(kind="top_up", basis="per_person", vulnerability="medical"),
        component(kind="top_up", basis="per_person", vulnerability="elderly"),
        component(amount=Decimal("5"))])
    assert error.messages == [
        "Component 4 (Reinstallation grant, per adult) repeats component 1: each "
        "component, basis and vulnerability may appear only once."]


def test_it_names_unknown_choices_and_a_missing_amount(world):
    error = _refused(world, [{"kind": "bonus", "basis": "per_pet", "amount": None,
                              "modality": "gold"}])
    assert error.messages == [
        "Component 1: choose the component: reinstallation grant, reintegration budget or "
        "vulnerability top-up.",
        "Component 1: choose what it is paid per: adult, child, person or family.",
        "Component 1: choose whether it is paid in cash or in kind.",
        "Component 1: give the amount."]


def test_it_reports_every_problem_at_once_with_the_programmes_own(world):
    error = _refused(world, [component(amount=Decimal("-5")),
                             component(kind="top_up", basis="per_child")],
                     fields={"currency": "EUR", "budget": Decimal("-1"),
                             "approval_threshold": Decimal("0.001")})
    assert len(error.messages) == 4
    assert set(error.field_errors) == {"budget", "approval_threshold", "components.0.amount",
                                       "components.1.vulnerability"}


def test_it_refuses_unknown_fields(world):
    with pytest.raises(Invalid, match="Unknown fields: name"):
        set_package(actor=world.pia, programme=programme(world), version=1,
                    fields={"name": "x"}, components=[])


def test_it_keeps_the_currency_once_approvals_committed_in_it(world):
    target = packaged(world)
    approved_case(world, target)
    with pytest.raises(Invalid, match="The currency cannot change from EUR"):
        set_package(actor=world.pia, programme=target, version=target.version,
                    fields={"currency": "USD"}, components=STANDARD)
    target.refresh_from_db()
    assert target.currency == "EUR"


def test_a_new_package_does_not_change_what_approvals_committed(world):
    target = packaged(world)
    case = approved_case(world, target)
    assert case.commitment == Decimal("3000")  # one adult: 1000 + 2000 per family
    set_package(actor=world.pia, programme=target, version=target.version, fields={},
                components=[component(amount=Decimal("4000"))])
    case.refresh_from_db()
    assert case.commitment == Decimal("3000")
    assert commitment(case) == Decimal("4000")
