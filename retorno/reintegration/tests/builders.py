"""Arrived cases and their plans for the reintegration tests, through the real services."""

from decimal import Decimal
from typing import Any

from django.utils import timezone

from retorno.cases.models import Case
from retorno.reintegration.models import AssistanceItem, ReintegrationPlan
from retorno.reintegration.services import add_item, start_plan, update_plan
from retorno.testing.personas import (
    World,
    give_package,
    open_case,
    prepare_application,
    prepare_travel,
    receive,
    walk,
)

_TO_DEPARTED = (("counselling", "carla"), ("applied", "carla"), ("approved", "sam"),
                ("preparing_departure", "carla"), ("ready_to_travel", "max"),
                ("departed", "max"))


def arrived(world: World, *, package: bool = True, reintegration: bool = True) -> Case:
    """A Berlin case that has arrived in Baghdad (and started reintegration unless not);
    its programme has the persona package (2,000 EUR per person) unless not."""
    if package:
        give_package(world, world.programme)
    case = open_case(world)
    prepare_application(world, case)
    prepare_travel(world, case)
    walk(world, case, *[(step, world.users[who]) for step, who in _TO_DEPARTED])
    case.refresh_from_db()
    receive(world, case)
    walk(world, case, ("arrived", world.rita))
    if reintegration:
        walk(world, case, ("reintegration", world.rita))
    return case


def assessed(world: World, case: Case, **overrides: Any) -> ReintegrationPlan:
    """The case's plan started by rita with a complete needs assessment."""
    plan = start_plan(actor=world.rita, case=case)
    data = {"assessed_on": timezone.localdate(), "economic_needs": "high",
            "economic_notes": "Lost his job before leaving.", "social_needs": "low",
            "social_notes": "Family support.", "psychosocial_needs": "medium",
            "psychosocial_notes": "Trouble sleeping.",
            "returnee_view": "I want to open a phone repair shop."}
    data.update(overrides)
    return update_plan(actor=world.rita, plan=plan, version=plan.version, data=data)


def item(world: World, plan: ReintegrationPlan, cost: str | Decimal = "1500",
         **overrides: Any) -> AssistanceItem:
    data: dict[str, Any] = {"kind": "business", "description": "Phone repair shop: tools",
                            "provider_name": "Baghdad Tools Ltd", "cost": Decimal(cost)}
    data.update(overrides)
    return add_item(actor=world.rita, plan=plan, data=data)
