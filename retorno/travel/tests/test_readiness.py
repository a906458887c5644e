"""The readiness checklist: each ready_to_travel guard, met or not, with a link."""

import pytest

from retorno.testing.personas import (
    book_travel,
    open_case,
    prepare_application,
    prepare_travel,
    walk,
)
from retorno.travel.readiness import checklist

pytestmark = pytest.mark.django_db


def test_it_lists_every_guard_and_turns_green_as_the_case_is_prepared(world, client):
    case = open_case(world)
    prepare_application(world, case)
    walk(world, case, ("counselling", world.carla), ("applied", world.carla),
         ("approved", world.sam))
    rows = checklist(case, world.max)
    assert [r["label"] for r in rows] == [
        "Office of origin chosen", "Consent to share with the office of origin",
        "Fit to travel",
        "Best-interest determination for unaccompanied or separated children",
        "Travel documents valid through the travel date", "Itinerary booked",
        "Escorts assigned where needed", "No suspension of returns to the destination"]
    assert [r["met"] for r in rows] == [True, False, False, True, False, False, True, True]
    assert rows[1]["link"] == "#consent" and rows[0]["link"] == f"/cases/{case.reference}/edit/"
    assert "Record consent to sharing" in rows[1]["missing"]
    client.force_login(world.max)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="readiness"' in page and page.count('data-testid="readiness-item"') == 8
    assert 'data-met="no"' in page and 'href="#travel-documents"' in page
    prepare_travel(world, case)
    book_travel(world, case)
    assert all(r["met"] for r in checklist(case, world.max))
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="readiness-ready"' in page
    # Not shown to roles that do not plan travel, nor once the case is ready.
    client.force_login(world.mona)
    assert 'id="readiness"' not in client.get(f"/cases/{case.reference}/").content.decode()
    walk(world, case, ("preparing_departure", world.max), ("ready_to_travel", world.max))
    client.force_login(world.max)
    assert 'id="readiness"' not in client.get(f"/cases/{case.reference}/").content.decode()
