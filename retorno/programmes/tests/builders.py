"""Programmes with an assistance package, through the real services."""

import datetime
from decimal import Decimal
from typing import Any

from retorno.programmes.models import Programme
from retorno.programmes.services import create_programme, set_package
from retorno.testing.personas import World


def component(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": "reinstallation", "basis": "per_adult",
                            "vulnerability": "", "amount": Decimal("1000"),
                            "modality": "cash", "before_departure_percent": 50,
                            "after_arrival_months": 6}
    data.update(overrides)
    return data


STANDARD = [
    component(),
    component(kind="reinstallation", basis="per_child", amount=Decimal("500")),
    component(kind="reintegration", basis="per_family", amount=Decimal("2000"),
              before_departure_percent=0, after_arrival_months=0),
    component(kind="top_up", basis="per_person", vulnerability="medical",
              amount=Decimal("750.50"), modality="in_kind", before_departure_percent=0,
              after_arrival_months=3),
]


def programme(world: World, code: str = "pilot", **overrides: Any) -> Programme:
    """A programme like the world's (serving Germany and Austria, running since 2020),
    without a package."""
    fields: dict[str, Any] = {
        "code": code, "name": f"Pilot {code}", "donor": "EU",
        "host_countries": ["DEU", "AUT"], "eligible_nationalities": ["IRQ", "SYR", "AFG"],
        "eligible_categories": list(world.programme.eligible_categories),
        "start_date": datetime.date(2020, 1, 1), "end_date": None}
    fields.update(overrides)
    return create_programme(**fields)


def packaged(world: World, code: str = "pilot", *, currency: str = "EUR",
             budget: str | None = "100000", components: list[dict[str, Any]] | None = None,
             **fields: Any) -> Programme:
    """`programme` given its package (the STANDARD one unless `components`), budget and
    currency by pia through `set_package`."""
    created = programme(world, code)
    return set_package(actor=world.pia, programme=created, version=created.version,
                       fields={"currency": currency,
                               "budget": Decimal(budget) if budget is not None else None,
                               **fields},
                       components=STANDARD if components is None else components)
