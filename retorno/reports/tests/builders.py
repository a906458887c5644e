"""Data and clients for the statistics tests."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import Client

from retorno.cases.models import Case, CaseMember
from retorno.cases.services import register_and_add_member
from retorno.programmes.models import MigrantCategory
from retorno.testing.personas import (
    World,
    open_case,
    person_data,
    prepare_application,
    prepare_travel,
    via_istanbul,
    walk,
)
from retorno.travel.services import book_itinerary, record_itinerary


def generate(people: int) -> None:
    """Five demo cases through the services (with itineraries) and synthetic people up to
    `people`, over ten years (`seed_demo`; the demo's regions too)."""
    call_command("seed_demo", cases=5, people=people, stdout=StringIO())


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def departed_apart(world: World, principal_on: datetime.date, child_on: datetime.date
                   ) -> tuple[Case, CaseMember]:
    """A Berlin family whose principal and daughter (born 2016) travel on two booked
    itineraries, leaving on the days given, walked through the services to departed.
    Returns the case and the daughter's membership."""
    case = open_case(world)
    child = register_and_add_member(
        actor=world.carla, case=case,
        person=person_data(given_name="Noor", sex="F", date_of_birth=datetime.date(2016, 2, 3)),
        member={"relationship": "child", "category": MigrantCategory.ASYLUM_REJECTED})
    prepare_application(world, case)
    prepare_travel(world, case, plan=False)
    itineraries = [
        record_itinerary(actor=world.max, case=case, data={
            "people": [person], "legs": via_istanbul(day)})
        for person, day in ((case.principal.person_id, principal_on),
                            (child.person_id, child_on))]
    walk(world, case, ("counselling", world.carla), ("applied", world.carla),
         ("approved", world.sam), ("preparing_departure", world.carla))
    for itinerary in itineraries:
        itinerary.refresh_from_db()
        book_itinerary(actor=world.max, itinerary=itinerary, version=itinerary.version,
                       booking_reference=f"RT{itinerary.pk}")
    case.refresh_from_db()
    walk(world, case, ("ready_to_travel", world.max), ("departed", world.max))
    return case, child
