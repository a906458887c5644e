"""Monitoring schedules and arrived cases for the monitoring tests, through the real
services."""

from typing import Any

from retorno.cases.models import Case
from retorno.monitoring.models import Schedule
from retorno.monitoring.services import set_schedule
from retorno.programmes.models import Programme
from retorno.reintegration.tests.builders import arrived as _arrived
from retorno.surveys.services import install_shipped
from retorno.testing.personas import World

STEPS: list[dict[str, Any]] = [
    {"months_after_arrival": 3, "label": "First follow-up", "mode": "either",
     "instrument": "sustainability", "window_days": 14},
    {"months_after_arrival": 6, "mode": "call", "instrument": "sustainability",
     "window_days": 30},
    {"months_after_arrival": 12, "mode": "visit", "instrument": "sustainability",
     "window_days": 30},
]


def schedule(world: World, programme: Programme | None = None,
             steps: list[dict[str, Any]] | None = None) -> Schedule:
    """Give the programme (the world's by default) a schedule, as emil (M&E officer),
    after installing the shipped survey instruments its steps name."""
    install_shipped()
    programme = programme or world.programme
    current = Schedule.objects.filter(programme=programme).first()
    return set_schedule(actor=world.emil, programme=programme,
                        version=current.version if current else None,
                        steps=[dict(s) for s in (STEPS if steps is None else steps)])


def arrived(world: World, *, reintegration: bool = True) -> Case:
    """A Berlin case arrived in Baghdad today (in reintegration unless not)."""
    return _arrived(world, reintegration=reintegration)
