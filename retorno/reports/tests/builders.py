"""Data and clients for the statistics tests."""

from io import StringIO

from django.core.management import call_command
from django.test import Client

from retorno.testing.personas import World


def generate(people: int) -> None:
    """Five demo cases through the services (with itineraries) and synthetic people up to
    `people`, over ten years (`seed_demo`; the demo's regions too)."""
    call_command("seed_demo", cases=5, people=people, stdout=StringIO())


def client_for(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client
