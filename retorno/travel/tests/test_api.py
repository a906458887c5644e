import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.cases import services as case_services
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import (
    open_case,
    open_case_with_child,
    prepare_application,
    prepare_travel,
)
from retorno.travel.models import Itinerary, ItineraryStatus
from retorno.travel.tests.builders import record

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def list_url(case) -> str:
    return reverse("api:case_itineraries", args=[case.reference])


def url(case, itinerary, name="case_itinerary") -> str:
    return reverse(f"api:{name}", args=[case.reference, itinerary.pk])


def flight(frm="BER", to="IST", departs="2027-06-01T10:00", arrives="2027-06-01T14:00",
           number="TK1724", **extra):
    return {"mode": "air", "from_code": frm, "to_code": to, "carrier": "Turkish Airlines",
            "flight_number": number, "departs_local": departs, "arrives_local": arrives,
            **extra}


def convoy(**extra):
    return {"mode": "road", "from_place": "Istanbul Airport", "from_country": "TUR",
            "from_tz": "Europe/Istanbul", "to_place": "Zakho", "to_country": "IRQ",
            "to_tz": "Asia/Baghdad", "carrier": "IOM convoy",
            "departs_local": "2027-06-01T18:00", "arrives_local": "2027-06-02T14:30",
            "escorts": [{"kind": "social", "name": "Aya Nouri", "organisation": "IOM"}],
            **extra}


def test_it_records_legs_in_local_time_and_returns_them_with_their_zone(world):
    case, child = open_case_with_child(world)
    response = api(world.max).post(list_url(case), {
        "people": [child.person_id], "booking_reference": "PNR42",
        "legs": [flight(cost="245.50", currency="EUR"), convoy()]}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "planned" and data["people"] == [child.person_id]
    assert data["version"] == 1 and data["created_by"] == "max"
    first, second = data["legs"]
    assert first["from_code"] == "BER" and first["from_place"] == "Berlin Brandenburg Airport"
    assert first["from_tz"] == "Europe/Berlin" and first["to_country"] == "TUR"
    assert first["departs_local"] == "2027-06-01T10:00:00+02:00"
    assert first["departs_at"] == "2027-06-01T08:00:00Z"
    assert first["cost"] == "245.500" and first["currency"] == "EUR"
    assert second["mode"] == "road" and second["to_tz"] == "Asia/Baghdad"
    assert second["arrives_local"] == "2027-06-02T14:30:00+03:00"
    assert second["escorts"] == [{"kind": "social", "kind_label": "Social escort",
                                  "name": "Aya Nouri", "organisation": "IOM"}]
    # An offset given is taken as that instant.
    response = api(world.max).post(list_url(case), {"legs": [
        flight(departs="2027-06-01T08:00:00+00:00", arrives="2027-06-01T14:00"),
        convoy(escorts=[])]}, format="json")
    assert response.json()["legs"][0]["departs_local"] == "2027-06-01T10:00:00+02:00"
    listed = api(world.carla).get(list_url(case)).json()
    assert [i["booking_reference"] for i in listed] == ["PNR42", ""]


def test_it_refuses_bad_legs_with_every_message_and_writes_nothing(world):
    case = open_case(world)
    response = api(world.max).post(list_url(case), {"legs": [
        flight(to="XQZ"), flight(frm="IST", to="BGW", departs="2027-06-01T14:10",
                                 arrives="2027-06-01T17:00", number="")]}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == ["Leg 1: “XQZ” is not a known IATA airport code."]
    response = api(world.max).post(list_url(case), {"legs": [
        flight(), flight(frm="IST", to="BGW", departs="2027-06-01T14:10",
                         arrives="2027-06-01T17:00", number="")]}, format="json")
    errors = response.json()["errors"]
    assert any(e.startswith("Leg 2 (IST → BGW) is a flight") for e in errors)
    assert any("75 minutes" in e for e in errors)
    # A flight takes no places; an unknown field is refused by the serializer.
    response = api(world.max).post(list_url(case), {"legs": [
        flight(from_place="Berlin"), convoy()]}, format="json")
    assert response.status_code == 400
    response = api(world.max).post(list_url(case), {"legs": [flight(gate="B12")]},
                                   format="json")
    assert response.status_code == 400 and "gate" in str(response.json()["legs"]), response.json()
    assert not Itinerary.objects.exists()


def test_it_changes_a_planned_itinerary_with_its_version(world):
    case = open_case(world)
    itinerary = record(world, case)
    response = api(world.sam).patch(url(case, itinerary), {
        "booking_reference": "NEW1", "legs": [flight(), convoy()], "version": 1},
        format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["version"] == 2 and data["booking_reference"] == "NEW1"
    assert [leg["mode"] for leg in data["legs"]] == ["air", "road"]
    response = api(world.sam).patch(url(case, itinerary), {"booking_reference": "OLD",
                                                           "version": 1}, format="json")
    assert response.status_code == 409
    assert api(world.sam).patch(url(case, itinerary), {"booking_reference": "X"},
                                format="json").status_code == 400  # no version
    assert Itinerary.objects.get(pk=itinerary.pk).booking_reference == "NEW1"


def test_who_reads_and_who_records(world):
    case = open_case(world)
    itinerary = record(world, case)
    for persona in ("carla", "sam", "max"):
        assert api(world.users[persona]).get(list_url(case)).status_code == 200, persona
    assert api(world.mona).get(list_url(case)).status_code == 403
    assert api(world.mona).get(url(case, itinerary)).status_code == 403
    assert api(world.otto).get(list_url(case)).status_code == 404
    body = {"legs": [flight(), convoy()]}
    for persona, status in (("carla", 403), ("mona", 403), ("otto", 404)):
        client = api(world.users[persona])
        assert client.post(list_url(case), body, format="json").status_code == status
        assert client.post(url(case, itinerary, "case_itinerary_cancel"), {"version": 1},
                           format="json").status_code == status
    assert Itinerary.objects.count() == 1
    assert APIClient().get(list_url(case)).status_code == 401


def test_booking_is_refused_with_every_reason(world):
    case = open_case(world)
    itinerary = record(world, case)
    response = api(world.max).post(url(case, itinerary, "case_itinerary_book"),
                                   {"version": 1}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "Give the booking reference." in errors
    assert any("booked once approved" in e for e in errors)
    assert Itinerary.objects.get(pk=itinerary.pk).status == ItineraryStatus.PLANNED


def _approved_case(world):
    case = open_case(world)
    prepare_application(world, case)
    prepare_travel(world, case)  # plans an itinerary via Istanbul
    for step, actor in [("counselling", "carla"), ("applied", "carla"), ("approved", "sam")]:
        case_services.transition_case(case, step, actor=world.users[actor])
    return case


def test_a_no_show_keeps_the_booking_and_a_rebooking_is_booked(world):
    case = _approved_case(world)
    planned = Itinerary.objects.get(case=case)
    client = api(world.max)
    response = client.post(url(case, planned, "case_itinerary_book"),
                           {"version": planned.version, "booking_reference": "FIRST1"},
                           format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "booked" and data["booked_by"] == "max"
    assert [(t["office"], t["at"], t["status"]) for t in data["transit_requests"]] == [
        ("tur-ist", "IST", "requested")]
    # Booked: not changed any more.
    response = client.patch(url(case, planned), {"booking_reference": "X",
                                                 "version": data["version"]}, format="json")
    assert response.status_code == 400
    response = client.post(url(case, planned, "case_itinerary_no_show"),
                           {"version": data["version"], "reason": ""}, format="json")
    assert response.status_code == 400
    response = client.post(url(case, planned, "case_itinerary_no_show"),
                           {"version": data["version"], "reason": "Missed the bus"},
                           format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "no_show"
    assert response.json()["transit_requests"][0]["status"] == "cancelled"
    day = case.planned_departure_on + datetime.timedelta(days=2)
    legs = [flight(departs=f"{day}T10:00", arrives=f"{day}T14:00"),
            flight(frm="IST", to="BGW", departs=f"{day}T17:00", arrives=f"{day}T19:30",
                   number="TK788")]
    response = client.post(list_url(case), {"legs": legs}, format="json")
    assert response.status_code == 201
    rebooking = response.json()
    response = client.post(reverse("api:case_itinerary_book",
                                   args=[case.reference, rebooking["id"]]),
                           {"version": 1, "booking_reference": "SECOND2"}, format="json")
    assert response.status_code == 200, response.content
    listed = client.get(list_url(case)).json()
    assert [(i["booking_reference"], i["status"]) for i in listed] == [
        ("FIRST1", "no_show"), ("SECOND2", "booked")]


def test_it_cancels_with_a_reason(world):
    case = open_case(world)
    itinerary = record(world, case)
    response = api(world.max).post(url(case, itinerary, "case_itinerary_cancel"),
                                   {"version": 1, "reason": "Flight withdrawn"},
                                   format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    event = AuditEvent.objects.get(event_type=AuditType.ITINERARY_CHANGED)
    assert event.extra["new"] == {"status": "cancelled"}
    response = api(world.max).post(url(case, itinerary, "case_itinerary_cancel"),
                                   {"version": 2}, format="json")
    assert response.status_code == 400


def test_it_records_the_departure_details_with_their_version(world):
    case = _approved_case(world)
    itinerary = Itinerary.objects.get(case=case)
    client = api(world.max)
    client.post(url(case, itinerary, "case_itinerary_book"),
                {"version": 1, "booking_reference": "DEP1"}, format="json")
    departure_url = url(case, itinerary, "case_itinerary_departure")
    data = api(world.carla).get(departure_url).json()
    assert data["version"] is None and data["pre_embarkation_checked"] is False
    assert data["checked_bags"] == 0
    response = client.put(departure_url, {"checked_bags": 2, "pre_embarkation_checked": True,
                                          "notes": "Wheelchair", "allowance": "150.00",
                                          "allowance_currency": "eur",
                                          "allowance_paid_on": str(timezone.localdate()),
                                          "allowance_signed": True}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["allowance"] == "150.000" and data["allowance_currency"] == "EUR"
    assert data["allowance_signed"] is True
    assert data["version"] == 1 and data["pre_embarkation_checked_by"] == "max"
    assert data["pre_embarkation_checked"] is True and data["checked_bags"] == 2
    # Once recorded, the version is needed, and must be the current one.
    assert client.put(departure_url, {"checked_bags": 3}, format="json").status_code == 400
    assert client.put(departure_url, {"checked_bags": 3, "version": 1},
                      format="json").status_code == 200
    assert client.put(departure_url, {"checked_bags": 4, "version": 1},
                      format="json").status_code == 409
    assert api(world.carla).get(departure_url).json()["checked_bags"] == 3
    assert api(world.carla).put(departure_url, {"checked_bags": 5, "version": 2},
                                format="json").status_code == 403
    # Not for a planned itinerary.
    planned = record(world, case)
    response = client.put(url(case, planned, "case_itinerary_departure"),
                          {"checked_bags": 1}, format="json")
    assert response.status_code == 400


def test_the_schema_describes_the_itinerary_endpoints(world):
    response = api(world.max).get(reverse("api:schema"), {"format": "json"})
    paths = response.json()["paths"]
    for path in ("/api/v1/cases/{reference}/itineraries/",
                 "/api/v1/cases/{reference}/itineraries/{itinerary_id}/book/",
                 "/api/v1/cases/{reference}/itineraries/{itinerary_id}/departure/"):
        assert path in paths, path
    leg = response.json()["components"]["schemas"]["Leg"]["properties"]
    assert leg["departs_local"]["format"] == "date-time" and "from_tz" in leg
