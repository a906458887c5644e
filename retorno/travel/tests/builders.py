"""Itinerary input and recorded itineraries, through the real services."""

import datetime
from typing import Any

from retorno.travel import services


def flight(frm: str, to: str, departs: datetime.datetime, arrives: datetime.datetime,
           carrier: str = "Turkish Airlines", number: str = "TK1724",
           **extra: Any) -> dict[str, Any]:
    """An air leg; `departs` and `arrives` are naive local times at each airport."""
    return {"mode": "air", "from_code": frm, "to_code": to, "carrier": carrier,
            "flight_number": number, "departs": departs, "arrives": arrives, **extra}


def dt(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts)  # noqa: DTZ001 - a local time at the place, on purpose


def berlin_baghdad(connection_departs: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """BER → IST → BGW: lands in Istanbul at 14:00 (UTC+3), leaves by default at 15:30,
    90 minutes later (IST's minimum connection time is 75)."""
    return [
        flight("BER", "IST", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 14, 0), number="TK1724",
               cost="245.50", currency="EUR"),
        flight("IST", "BGW", connection_departs or dt(2026, 6, 1, 15, 30),
               dt(2026, 6, 1, 17, 45), number="TK788"),
    ]


def record(world, case, actor=None, **data: Any):
    data.setdefault("legs", berlin_baghdad())
    return services.record_itinerary(actor=actor or world.max, case=case, data=data)
