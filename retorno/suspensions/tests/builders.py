"""Suspensions for tests, set through the real service."""

import datetime
from typing import Any

from django.utils import timezone

from retorno.cases.services import transition_case
from retorno.suspensions.models import ReturnSuspension
from retorno.suspensions.services import set_suspension
from retorno.testing.personas import (
    World,
    book_travel,
    open_case,
    prepare_application,
    prepare_travel,
)


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def suspension_data(**overrides: Any) -> dict[str, Any]:
    return {"country": "IRQ", "subdivision": "", "reason": "Fighting near the airport",
            "starts_on": timezone.localdate(), "ends_on": None, **overrides}


def suspend(world: World, **overrides: Any) -> ReturnSuspension:
    """Suspend returns (to Iraq, from today, until lifted) as Berlin's supervisor."""
    return set_suspension(actor=world.sam, data=suspension_data(**overrides))


def preparing_departure(world: World, book: bool = True, **case: Any):
    """A case to Iraq with everything ready_to_travel needs but no suspension: its
    itinerary booked, unless `book` is false (planned only)."""
    opened = open_case(world, **case)
    prepare_application(world, opened)
    for name, actor in [("counselling", world.carla), ("applied", world.carla),
                        ("approved", world.sam), ("preparing_departure", world.max)]:
        transition_case(opened, name, actor=actor)
    prepare_travel(world, opened)
    if book:
        book_travel(world, opened)
    return opened
