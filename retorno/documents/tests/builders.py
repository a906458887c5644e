"""Travel documents and machine-readable zones for tests, recorded through the real
services."""

import datetime
from typing import Any

from django.utils import timezone

from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.documents.models import TravelDocument
from retorno.documents.services import change_status, record_document
from retorno.people.models import Person

# The specimens of ICAO Doc 9303 (Utopia, Anna Maria Eriksson).
TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<\n"
       "7408122F1204159UTO<<<<<<<<<<<6\n"
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
       "D231458907UTO7408122F1204159<<<<<<<6")

NUMBER = "A12345678"


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def held(**overrides: Any) -> dict[str, Any]:
    """A passport the person holds, valid for years."""
    data: dict[str, Any] = {
        "kind": "passport", "status": "collected", "number": NUMBER, "issuing_country": "IRQ",
        "issued_on": in_days(-400), "expires_on": in_days(3000),
        "authority": "Passport Directorate, Baghdad", "notes": "Kept by the person"}
    data.update(overrides)
    return data


def to_request(**overrides: Any) -> dict[str, Any]:
    """An emergency travel document still to ask the consulate for."""
    data: dict[str, Any] = {"kind": "emergency_travel_document", "issuing_country": "IRQ",
                            "authority": "Consulate of Iraq, Berlin"}
    data.update(overrides)
    return data


def record(case: Case, actor: User, person: Person | None = None,
           **data: Any) -> TravelDocument:
    return record_document(actor=actor, case=case, person=person or case.principal.person,
                           data=data or held())


def requested(case: Case, actor: User, person: Person | None = None,
              requested_on: datetime.date | None = None) -> TravelDocument:
    """An emergency travel document requested from the consulate."""
    document = record(case, actor, person, **to_request())
    return change_status(actor=actor, document=document, to="requested",
                         version=document.version,
                         data={"requested_on": requested_on or timezone.localdate()})


def corrupt(zone: str, line: int, position: int, char: str) -> str:
    """The zone with one character replaced (line and position counted from 1)."""
    lines = zone.split("\n")
    text = lines[line - 1]
    lines[line - 1] = text[:position - 1] + char + text[position:]
    return "\n".join(lines)
