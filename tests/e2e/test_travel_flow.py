"""From approval to reintegration, in a real browser, by the people it takes: Berlin's
movement officer records an itinerary through Istanbul, books it (which hands the case over
to Baghdad and asks Istanbul for transit assistance) and marks the case ready to travel;
Istanbul's movement officer sees the movement of that case and nothing else, and confirms
the assistance; Baghdad's reintegration officer accepts the handover and plans the
reception; the movement officer records the departure; Baghdad records the arrival,
confirms it and starts reintegration."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from retorno.cases.models import Case, Status
from retorno.reception.models import Reception
from retorno.testing.personas import (
    World,
    open_case,
    prepare_application,
    prepare_travel,
    walk,
)
from retorno.travel.models import Itinerary, TransitRequest
from tests.e2e.pages import field, sign_in, status, timeline

pytestmark = pytest.mark.e2e


def lifecycle(page: Page):
    return page.locator("#lifecycle")


def fill_flight(leg, frm: str, to: str, number: str, day: datetime.date, departs: str,
                arrives: str) -> None:
    leg.get_by_label("Carrier").fill("Turkish Airlines")
    leg.get_by_label("Flight number").fill(number)
    leg.get_by_label("From (IATA)").fill(frm)
    leg.get_by_label("To (IATA)").fill(to)
    leg.get_by_label("Departure date").fill(day.isoformat())
    leg.get_by_label("Departure time").fill(departs)
    leg.get_by_label("Arrival date").fill(day.isoformat())
    leg.get_by_label("Arrival time").fill(arrives)


def test_a_return_through_istanbul_from_booking_to_reintegration(page: Page, world: World):
    today = timezone.localdate()
    case = open_case(world)
    prepare_application(world, case)
    walk(world, case, ("counselling", world.carla), ("applied", world.carla),
         ("approved", world.sam), ("preparing_departure", world.max))
    prepare_travel(world, case, plan=False)  # consent, fitness, passport; no itinerary
    day = case.planned_departure_on
    reference = case.reference

    # ---- Berlin's movement officer: itinerary, booking, ready to travel -------------------
    sign_in(page, world.max)
    page.goto(f"/cases/{reference}/")
    booked_item = page.get_by_test_id("readiness-item").filter(has_text="Itinerary booked")
    expect(booked_item).to_have_attribute("data-met", "no")
    page.locator("#itineraries").get_by_role("link", name="Record an itinerary").click()
    legs = page.get_by_test_id("leg-form")
    fill_flight(legs.nth(0), "BER", "IST", "TK1724", day, "10:00", "14:30")
    legs.nth(0).get_by_label("Ticket cost").fill("245.50")
    legs.nth(0).get_by_label("Currency").fill("EUR")
    # A connection too short for Istanbul is refused, every field kept.
    fill_flight(legs.nth(1), "IST", "BGW", "TK788", day, "15:00", "17:30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").first).to_contain_text("minimum connection time at IST")
    expect(legs.nth(0).get_by_label("Flight number")).to_have_value("TK1724")
    legs.nth(1).get_by_label("Departure time").fill("17:00")
    legs.nth(1).get_by_label("Arrival time").fill("19:30")
    page.get_by_role("button", name="Save").click()
    itineraries = page.locator("#itineraries")
    expect(itineraries).to_contain_text("Istanbul Airport")
    expect(itineraries).to_contain_text("Baghdad International Airport")
    expect(itineraries).to_contain_text("Planned")

    itineraries.get_by_label("Booking reference").fill("TK77QX")
    itineraries.get_by_role("button", name="Book").click()
    itineraries = page.locator("#itineraries")
    expect(itineraries).to_contain_text("Booked")
    expect(itineraries).to_contain_text("Istanbul")  # the transit request
    expect(page.get_by_test_id("readiness-ready")).to_be_visible()
    expect(timeline(page)).to_contain_text("Handed over to Baghdad")
    lifecycle(page).get_by_role("button", name="Mark ready to travel").click()
    expect(status(page)).to_have_text("Ready to travel")

    # ---- Istanbul: the movement of this case, and nothing else ---------------------------
    sign_in(page, world.tariq)
    page.get_by_role("navigation").get_by_role("link", name="Transit").click()
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("Ahmed Al-Rashid")
    row.get_by_role("link", name="Open").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("TK788")
    expect(main).to_contain_text("Ahmed Al-Rashid")
    passport = case.travel_documents.get().number
    expect(main).not_to_contain_text(passport)
    expect(main).not_to_contain_text("Asylum seeker")
    field(page, "Note").fill("Met at the gate, escorted to the connecting flight.")
    page.get_by_role("button", name="Confirm assistance given").click()
    expect(page.get_by_role("main")).to_contain_text("Assistance given")
    assert page.goto(f"/cases/{reference}/").status == 404
    assert page.goto(f"/api/v1/cases/{reference}/").status == 404

    # ---- Baghdad: accept the handover and plan the reception -----------------------------
    sign_in(page, world.rita)
    page.get_by_role("navigation").get_by_role("link", name="Incoming").click()
    page.get_by_role("link", name=reference).click()
    reception = page.locator("#reception")
    reception.get_by_role("button", name="Accept the handover").click()
    expect(page.locator("#reception")).to_contain_text("Accepted by")
    page.locator("#reception").get_by_role("link", name="Plan the reception").click()
    field(page, "Who meets them").fill("Rita, Baghdad office")
    field(page, "Temporary accommodation").fill("Two nights at the reception centre.")
    field(page, "Inland transport").fill("Bus to Mosul, ticket bought by the office.")
    field(page, "Final destination").fill("Mosul")
    field(page, "Reception pocket money").fill("150000")
    field(page, "Currency").fill("IQD")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#reception")).to_contain_text("Mosul")

    # ---- Berlin: departure --------------------------------------------------------------
    sign_in(page, world.max)
    page.goto(f"/cases/{reference}/")
    page.locator("#itineraries").get_by_role("link", name="Departure details").click()
    field(page, "Departure and travel allowance").fill("100")
    field(page, "Currency").fill("EUR")
    field(page, "Allowance paid on").fill(today.isoformat())
    field(page, "Receipt signed").check()
    field(page, "Checked bags").fill("2")
    field(page, "Pre-embarkation check done").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#itineraries")).to_contain_text("€100.00")
    lifecycle(page).get_by_role("button", name="Confirm departure").click()
    expect(status(page)).to_have_text("Departed")

    # ---- Baghdad: arrival, then reintegration ---------------------------------------------
    sign_in(page, world.rita)
    page.goto(f"/cases/{reference}/")
    page.locator("#reception").get_by_role("link", name="Record the arrival").click()
    field(page, "Arrived on").fill(today.isoformat())
    field(page, "Met at the airport").select_option(label="Yes")
    field(page, "Pocket money paid on").fill(today.isoformat())
    page.get_by_role("button", name="Save").click()
    lifecycle(page).get_by_role("button", name="Confirm arrival").click()
    expect(status(page)).to_have_text("Arrived")
    lifecycle(page).get_by_role("button", name="Start reintegration").click()
    expect(status(page)).to_have_text("Reintegration")

    case = Case.objects.get(reference=reference)
    assert case.status == Status.REINTEGRATION and case.handed_over_at is not None
    itinerary = Itinerary.objects.get(case=case)
    assert itinerary.status == "booked" and itinerary.booking_reference == "TK77QX"
    assert TransitRequest.objects.get(itinerary=itinerary).assisted_by == world.tariq
    received = Reception.objects.get(case=case)
    assert received.accepted_by == world.rita and received.arrived_on == today
