"""Survey instruments, arrived cases and answers for the surveys tests (both halves),
through the real services."""

import datetime
from typing import Any

import time_machine
from django.utils import timezone

from retorno.cases.models import Case
from retorno.privacy.models import ConsentPurpose
from retorno.surveys.definition import Definition
from retorno.surveys.models import Instrument, InstrumentVersion
from retorno.surveys.services import install_shipped, record_response
from retorno.testing.personas import (
    World,
    give_package,
    open_case,
    prepare_application,
    prepare_travel,
    receive,
    record_consents,
    walk,
)

_TO_DEPARTED = (("counselling", "carla"), ("applied", "carla"), ("approved", "sam"),
                ("preparing_departure", "carla"), ("ready_to_travel", "max"),
                ("departed", "max"))

# The answer chosen at each level: the option with the highest value ("best"), the
# lowest ("worst"), or the one nearest 0.5 ("middle"); "unknown" picks the option with no
# value (don't know) where there is one.
LEVELS = ("best", "worst", "middle", "unknown")


def install_default_instruments() -> dict[str, InstrumentVersion]:
    """The shipped instruments, by code ("sustainability", "satisfaction")."""
    return {v.instrument.code: v for v in install_shipped()}


def sustainability() -> InstrumentVersion:
    return install_default_instruments()["sustainability"]


def satisfaction() -> InstrumentVersion:
    return install_default_instruments()["satisfaction"]


def arrived_case(world: World, *, arrived_on: datetime.date | None = None,
                 reintegration: bool = True, package: bool = True,
                 consent: bool = True) -> Case:
    """A Berlin case handed over to Baghdad and arrived there, in reintegration unless
    not; its members consented to monitoring surveys before departure unless `consent`
    is False. With `arrived_on` in the past, the whole journey is walked on that day (the
    clock set back with time_machine), as it would have happened."""
    if arrived_on is not None and arrived_on != timezone.localdate():
        noon = datetime.datetime.combine(arrived_on, datetime.time(12),
                                         tzinfo=timezone.get_current_timezone())
        with time_machine.travel(noon, tick=False):
            return arrived_case(world, reintegration=reintegration, package=package,
                                consent=consent)
    if package:
        give_package(world, world.programme)
    case = open_case(world)
    prepare_application(world, case)
    if consent:
        record_consents(world, case, ConsentPurpose.MONITORING)
    prepare_travel(world, case)
    walk(world, case, *[(step, world.users[who]) for step, who in _TO_DEPARTED])
    case.refresh_from_db()
    receive(world, case)
    walk(world, case, ("arrived", world.rita))
    if reintegration:
        walk(world, case, ("reintegration", world.rita))
    case.refresh_from_db()
    return case


def _pick(options: list[dict], level: str) -> str | None:
    valued = [o for o in options if o.get("value") is not None]
    if level == "unknown":
        empty = [o for o in options if o.get("value") is None]
        return empty[0]["name"] if empty else None
    if level == "best":
        return max(valued, key=lambda o: o["value"])["name"]
    if level == "worst":
        return min(valued, key=lambda o: o["value"])["name"]
    return min(valued, key=lambda o: abs(o["value"] - 0.5))["name"]


def answers_for(version: InstrumentVersion | dict, level: str = "best") -> dict[str, str]:
    """An answer to every select_one question of `version` at `level` (see LEVELS), and
    plausible answers to the unscored ones (a household of 4, a short text, a date)."""
    definition = version.definition if isinstance(version, InstrumentVersion) else version
    answers: dict[str, str] = {}
    for question in Definition(definition).questions:
        kind = question["type"]
        if kind == "select_one":
            choice = _pick(question["options"], level)
            if choice is not None:
                answers[question["name"]] = choice
        elif kind == "integer":
            answers[question["name"]] = "4"
        elif kind == "date":
            answers[question["name"]] = timezone.localdate().isoformat()
        else:
            answers[question["name"]] = "Fine."
    return answers


def respond(world: World, case: Case, version: InstrumentVersion, level: str = "best",
            actor: Any = None, collected_on: datetime.date | None = None,
            submission_id: str | None = None, **answers: str) -> Any:
    """A response recorded by `emil` (unless `actor`), with `answers_for(level)` updated
    by `answers`."""
    data = answers_for(version, level)
    data.update(answers)
    return record_response(actor=actor or world.emil, case=case, version=version,
                           answers=data, collected_on=collected_on or timezone.localdate(),
                           submission_id=submission_id or f"test-{Instrument.objects.count()}"
                           f"-{version.responses.count()}-{level}")
