"""Handed-over and departed cases for the reception tests, through the real services
(booking the itinerary hands the case over: `travel.services.book_itinerary`)."""

import datetime
from typing import Any

from retorno.accounts.models import OfficeKind, Role, User
from retorno.accounts.services import create_office, create_user, grant_role
from retorno.cases.models import Case
from retorno.reception.models import Reception
from retorno.reception.services import accept_handover
from retorno.testing.personas import (
    World,
    book_travel,
    open_case,
    prepare_application,
    prepare_travel,
    walk,
)

_TO_PREPARING = ("counselling", "carla"), ("applied", "carla"), ("approved", "sam"), \
    ("preparing_departure", "carla")


def handed_over(world: World) -> Case:
    """A Berlin case preparing departure whose itinerary is booked: handed over to
    Baghdad, not yet accepted."""
    case = open_case(world)
    prepare_application(world, case)
    prepare_travel(world, case)
    walk(world, case, *[(step, world.users[who]) for step, who in _TO_PREPARING])
    book_travel(world, case)
    case.refresh_from_db()  # booking handed over the itinerary's copy of the case
    assert case.handed_over_at is not None
    return case


def departed(world: World, *, accepted: bool = True) -> Case:
    """A Berlin case that has departed, its handover accepted by rita unless not."""
    case = handed_over(world)
    if accepted:
        accept_handover(actor=world.rita, case=case)
    walk(world, case, ("ready_to_travel", world.max), ("departed", world.max))
    return case


def accepted(world: World, case: Case | None = None) -> Reception:
    case = case or handed_over(world)
    return accept_handover(actor=world.rita, case=case)


def plan_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "meet_at_airport": True, "met_by": "Layla Hassan, IOM Baghdad",
        "accommodation": "Transit centre, Karrada, three nights",
        "inland_transport": "Bus to Basra on the fourth day",
        "final_destination": "Basra", "pocket_money": "150000",
        "pocket_money_currency": "IQD"}
    data.update(overrides)
    return data


def arrival_data(**overrides: Any) -> dict[str, Any]:
    from django.utils import timezone

    data: dict[str, Any] = {"arrived_on": timezone.localdate(), "met_on_arrival": True,
                            "pocket_money_paid_on": timezone.localdate(),
                            "arrival_notes": "Tired but well."}
    data.update(overrides)
    return data


def other_origin_officer() -> User:
    """A reintegration officer of another office of origin (Erbil)."""
    erbil = create_office(code="irq-ebl", name="Erbil", country="IRQ", kind=OfficeKind.ORIGIN)
    user = create_user(username="rami", password="x", check_password=False)
    grant_role(user=user, office=erbil, role=Role.REINTEGRATION_OFFICER)
    return user


def yesterday() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=1)
