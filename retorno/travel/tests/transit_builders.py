"""A booked return through Istanbul, for the transit and manifest tests, through the real
services: Ahmed Al-Rashid (fit with a medical escort, in a wheelchair, with a medical
detail only the medical officer reads) and his daughter Noor."""

import datetime
from typing import Any

from django.utils import timezone

from retorno.accounts.models import Office, OfficeKind, Role, User
from retorno.accounts.services import create_office, create_user, grant_role
from retorno.cases.models import Case
from retorno.medical.services import record_assessment
from retorno.testing import personas
from retorno.travel import services
from retorno.travel.models import Itinerary, TransitRequest

SECRET_DETAIL = "Insulin-dependent diabetes, metformin 500 mg"
STAIRS = "Cannot climb aircraft stairs"


def approved_case(world: Any, *, needs: bool = True) -> Case:
    case, _child = personas.open_case_with_child(world)
    if needs:
        record_assessment(actor=world.mona, case=case, person=case.principal.person, data={
            "outcome": "fit_with_escort", "special_needs": ["wheelchair", "other"],
            "special_needs_other": STAIRS, "escort_required": True,
            "assessed_on": timezone.localdate(), "detail": SECRET_DETAIL})
    personas.prepare_application(world, case)
    personas.prepare_travel(world, case)
    personas.walk(world, case, ("counselling", world.carla), ("applied", world.carla),
                  ("approved", world.sam))
    return case


def booked_case(world: Any, *, needs: bool = True) -> tuple[Case, Itinerary, TransitRequest]:
    """An approved case whose planned itinerary (BER → IST → BGW, in four weeks) is booked:
    Istanbul has a transit request."""
    case = approved_case(world, needs=needs)
    itinerary = personas.book_travel(world, case)
    return case, itinerary, TransitRequest.objects.get(itinerary=itinerary)


def book(world: Any, case: Case, legs: list[dict[str, Any]], people: list[int] | None = None,
         reference: str = "MANIFEST1") -> Itinerary:
    """Record and book an itinerary of `case` (approved) with these legs."""
    data: dict[str, Any] = {"legs": legs}
    if people is not None:
        data["people"] = people
    itinerary = services.record_itinerary(actor=world.max, case=case, data=data)
    return services.book_itinerary(actor=world.max, itinerary=itinerary,
                                   version=itinerary.version, booking_reference=reference)


def other_transit_officer() -> tuple[Office, User]:
    """A movement officer of another transit office (Dubai)."""
    office = create_office(code="are-dxb", name="Dubai", country="ARE",
                           kind=OfficeKind.TRANSIT)
    user = create_user(username="dina", password="x" * 20, first_name="Dina",
                       check_password=False)
    grant_role(user=user, office=office, role=Role.MOVEMENT_OFFICER)
    return office, user


def day_of(itinerary: Itinerary) -> datetime.date:
    return itinerary.legs.order_by("order").first().departs_local.date()
