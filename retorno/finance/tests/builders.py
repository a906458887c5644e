"""Programmes with an assistance package and cases walked along the lifecycle, for the
finance tests, through the real services."""

import datetime
from decimal import Decimal
from typing import Any

from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.finance import services
from retorno.finance.models import Disbursement, Grant
from retorno.programmes.models import Basis, ComponentKind, Modality, Programme
from retorno.programmes.services import create_programme, set_package
from retorno.testing.personas import (
    World,
    book_travel,
    open_case,
    prepare_application,
    prepare_travel,
    receive,
    walk,
)

_TO_PREPARING = ("counselling", "carla"), ("applied", "carla"), ("approved", "sam"), \
    ("preparing_departure", "carla")


def packaged_programme(world: World, *, currency: str = "EUR",
                       threshold: Decimal | None = Decimal("500"),
                       before_percent: int = 50, months: int = 6,
                       code: str = "erin-pkg", reintegration_in_kind: bool = False
                       ) -> Programme:
    """A programme like the world's, in `currency`, whose package (set by the programme
    manager `pia`) is a reinstallation grant of 1000 per adult (`before_percent` % before
    departure, the rest `months` after arrival) and a reintegration budget of 2000 per
    family (cash unless `reintegration_in_kind`), with disbursements above `threshold`
    waiting for a second approval (every one when None)."""
    programme = create_programme(
        code=code, name=f"Packaged programme {code}", donor="EU",
        host_countries=["DEU", "AUT"], eligible_nationalities=["IRQ", "SYR", "AFG"],
        eligible_categories=list(world.programme.eligible_categories),
        start_date=datetime.date(2020, 1, 1), end_date=None)
    return set_package(
        actor=world.pia, programme=programme, version=programme.version,
        fields={"currency": currency, "approval_threshold": threshold},
        components=[
            {"kind": ComponentKind.REINSTALLATION, "basis": Basis.PER_ADULT,
             "amount": Decimal("1000"), "modality": Modality.CASH,
             "before_departure_percent": before_percent, "after_arrival_months": months},
            {"kind": ComponentKind.REINTEGRATION, "basis": Basis.PER_FAMILY,
             "amount": Decimal("2000"),
             "modality": Modality.IN_KIND if reintegration_in_kind else Modality.CASH,
             "before_departure_percent": 0, "after_arrival_months": 0},
        ])


def approved_case(world: World, programme: Programme) -> Case:
    """A Berlin case of `programme`, approved and preparing departure (not handed over)."""
    case = open_case(world, programme=programme)
    prepare_application(world, case)
    prepare_travel(world, case)
    walk(world, case, *[(step, world.users[who]) for step, who in _TO_PREPARING])
    case.refresh_from_db()
    return case


def handed_over(world: World, programme: Programme) -> Case:
    case = approved_case(world, programme)
    book_travel(world, case)
    case.refresh_from_db()
    return case


def departed(world: World, programme: Programme) -> Case:
    case = handed_over(world, programme)
    walk(world, case, ("ready_to_travel", world.max), ("departed", world.max))
    case.refresh_from_db()
    return case


def arrived(world: World, programme: Programme,
            arrived_on: datetime.date | None = None) -> Case:
    """A case that departed and whose arrival Baghdad recorded (today unless given),
    moved to arrived."""
    case = departed(world, programme)
    receive(world, case, arrived_on=arrived_on)
    walk(world, case, ("arrived", world.rita))
    case.refresh_from_db()
    return case


def awarded(world: World, case: Case, kind: str = ComponentKind.REINSTALLATION,
            actor: User | None = None, **kwargs: Any) -> Grant:
    if actor is None:
        actor = world.rita if case.handed_over_at else world.max
    return services.award_grant(actor=actor, case=case, kind=kind, **kwargs)


_keys = iter(range(1, 10**9))


def request(grant: Grant, actor: User, amount: str | Decimal, **kwargs: Any) -> Disbursement:
    kwargs.setdefault("method", "cash")
    kwargs.setdefault("client_key", f"key-{next(_keys)}")
    return services.request_disbursement(actor=actor, grant=grant, amount=Decimal(amount),
                                         **kwargs)
