"""Transit assistance: the transit office reads the movement of a case, and nothing
else, and confirms the assistance given."""

import pytest
from django.http import Http404
from django.urls import reverse

from retorno.cases.models import TimelineEntry
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.travel import services, transit
from retorno.travel.models import TransitRequest, TransitStatus
from retorno.travel.tests.transit_builders import (
    SECRET_DETAIL,
    STAIRS,
    booked_case,
    other_transit_officer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world):
    return booked_case(world)


# ---- who reads what ----------------------------------------------------------------------


def test_booking_sends_istanbul_a_request_that_only_its_movement_staff_see(world, booked):
    case, itinerary, request = booked
    assert request.office == world.istanbul and request.status == TransitStatus.REQUESTED
    assert list(transit.visible_transit_requests(world.tariq)) == [request]
    assert transit.access_transit_request(world.tariq, request.pk) == request
    # Berlin's supervisor holds transit.assist, but in a host office: no request reaches him.
    _office, dina = other_transit_officer()
    for user in (world.sam, world.max, world.carla, world.rita, world.otto, dina):
        assert not transit.visible_transit_requests(user).exists(), user
        with pytest.raises(Http404):
            transit.access_transit_request(user, request.pk)


def test_the_movement_shows_names_legs_escorts_and_journey_needs_only(world, booked):
    case, itinerary, request = booked
    movement = transit.movement(transit.access_transit_request(world.tariq, request.pk))
    ahmed, noor = movement.travellers
    assert ahmed.name == "Ahmed Al-Rashid (أحمد الرشيد)" and not ahmed.child
    assert noor.given_name == "Noor" and noor.child
    assert ahmed.special_needs == ["wheelchair", "other"] and ahmed.escort_required
    assert ahmed.special_need_labels == ["Wheelchair", STAIRS]
    assert noor.special_needs == [] and not noor.escort_required
    assert [lv.leg.to_code for lv in movement.legs] == ["IST", "BGW"]
    assert [lv.connection for lv in movement.legs] == [True, False]
    assert [e.name for e in movement.legs[0].escorts] == ["Medical escort"]
    assert movement.booking_reference == itinerary.booking_reference
    assert movement.case_reference == case.reference and movement.place == "IST"


def test_the_transit_page_holds_the_movement_and_not_the_case(world, booked, client):
    case, itinerary, request = booked
    client.force_login(world.tariq)
    listing = client.get(reverse("transit:list"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Ahmed Al-Rashid" in body and case.reference in body and "IST" in body
    assert f'href="/cases/{case.reference}/' not in body  # the reference, not a link
    page = client.get(reverse("transit:detail", args=[request.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    for shown in ("Ahmed Al-Rashid", "Noor", "Wheelchair", STAIRS, "Medical escort",
                  "TK1724", "TK788", itinerary.booking_reference, "(UTC+03:00)",
                  "Confirm assistance given"):
        assert shown in body, shown
    passport = case.travel_documents.first().number
    for hidden in (SECRET_DETAIL, passport, "Iraqi", "1990", "asylum", f"/cases/{case.reference}/"):
        assert hidden not in body, hidden


def test_a_transit_officer_reaches_no_case_page_document_or_consent(world, booked, client):
    case, _itinerary, _request = booked
    client.force_login(world.tariq)
    for url in (f"/cases/{case.reference}/", f"/cases/{case.reference}/audit/",
                f"/people/{case.principal.person_id}/"):
        assert client.get(url).status_code == 404, url
    for url in (f"/api/v1/cases/{case.reference}/",
                f"/api/v1/cases/{case.reference}/travel-documents/",
                f"/api/v1/cases/{case.reference}/consents/",
                f"/api/v1/cases/{case.reference}/fitness/",
                f"/api/v1/people/{case.principal.person_id}/"):
        assert client.get(url).status_code == 404, url
    search = client.get("/cases/", {"q": "Al-Rashid"})
    assert case.reference not in search.content.decode()


def test_another_office_and_other_roles_get_nothing(world, booked, client):
    _case, _itinerary, request = booked
    _office, dina = other_transit_officer()
    client.force_login(dina)
    assert client.get(reverse("transit:list")).status_code == 200
    assert "Al-Rashid" not in client.get(reverse("transit:list")).content.decode()
    assert client.get(reverse("transit:detail", args=[request.pk])).status_code == 404
    assert client.post(reverse("transit:confirm", args=[request.pk]),
                       {"version": 1}).status_code == 404
    for user in (world.max, world.sam, world.carla):
        client.force_login(user)
        assert client.get(reverse("transit:list")).status_code == 403
        assert client.get(reverse("transit:detail", args=[request.pk])).status_code == 404


def test_the_nav_offers_transit_to_transit_staff_and_manifests_to_host_movement(world, client):
    client.force_login(world.tariq)
    body = client.get("/").content.decode()
    assert 'href="/transit/"' in body and 'href="/travel/manifests/"' not in body
    client.force_login(world.max)
    body = client.get("/").content.decode()
    assert 'href="/transit/"' not in body and 'href="/travel/manifests/"' in body
    client.force_login(world.carla)
    body = client.get("/").content.decode()
    assert 'href="/transit/"' not in body and 'href="/travel/manifests/"' not in body


# ---- confirming ------------------------------------------------------------------------


def test_confirming_records_who_when_audit_and_timeline(world, booked):
    case, _itinerary, request = booked
    done = transit.confirm_transit(actor=world.tariq, request=request,
                                   note="Wheelchair at the gate", version=request.version)
    stored = TransitRequest.objects.get(pk=request.pk)
    assert stored.status == TransitStatus.ASSISTED and stored.version == 2 == done.version
    assert stored.assisted_by == world.tariq and stored.assisted_at is not None
    assert stored.note == "Wheelchair at the gate"
    event = AuditEvent.objects.get(event_type=AuditType.TRANSIT_ASSISTED)
    assert event.office == world.istanbul and event.case_id == case.pk
    assert event.actor == world.tariq and event.target_id == request.pk
    assert event.extra["new"] == {"status": "assisted", "note": "Wheelchair at the gate"}
    entry = TimelineEntry.objects.filter(case=case).order_by("-id").first()
    assert entry.summary == "Transit assistance confirmed at IST by Istanbul"
    assert entry.actor == world.tariq


def test_it_refuses_another_office_a_stale_version_and_a_second_confirmation(world, booked):
    _case, _itinerary, request = booked
    _office, dina = other_transit_officer()
    for user in (dina, world.sam, world.max):
        with pytest.raises(NotAllowed):
            transit.confirm_transit(actor=user, request=request, version=request.version)
    with pytest.raises(StaleVersion):
        transit.confirm_transit(actor=world.tariq, request=request, version=7)
    assert TransitRequest.objects.get(pk=request.pk).status == TransitStatus.REQUESTED
    assert not AuditEvent.objects.filter(event_type=AuditType.TRANSIT_ASSISTED).exists()
    transit.confirm_transit(actor=world.tariq, request=request, version=1)
    again = TransitRequest.objects.get(pk=request.pk)
    with pytest.raises(Invalid, match="already confirmed"):
        transit.confirm_transit(actor=world.tariq, request=again, version=again.version)
    # The one loaded before the first confirmation is stale now.
    stale = TransitRequest.objects.get(pk=request.pk)
    stale.status = TransitStatus.REQUESTED
    with pytest.raises(StaleVersion):
        transit.confirm_transit(actor=world.tariq, request=stale, version=1)
    assert AuditEvent.objects.filter(event_type=AuditType.TRANSIT_ASSISTED).count() == 1


def test_a_cancelled_itinerary_cancels_the_request_shown_with_names_and_legs_only(
        world, booked, client):
    case, itinerary, request = booked
    services.cancel_itinerary(actor=world.max, itinerary=itinerary,
                              version=itinerary.version, reason="Flight cancelled")
    request.refresh_from_db()
    assert request.status == TransitStatus.CANCELLED
    with pytest.raises(Invalid, match="cancelled"):
        transit.confirm_transit(actor=world.tariq, request=request, version=request.version)
    movement = transit.movement(transit.access_transit_request(world.tariq, request.pk))
    assert not movement.full and movement.booking_reference == ""
    assert all(t.special_needs == [] for t in movement.travellers)
    assert all(lv.escorts == [] for lv in movement.legs)
    client.force_login(world.tariq)
    body = client.get(reverse("transit:detail", args=[request.pk])).content.decode()
    assert "Ahmed Al-Rashid" in body and "TK788" in body
    for hidden in ("Wheelchair", "Medical escort", itinerary.booking_reference,
                   "Confirm assistance given"):
        assert hidden not in body, hidden


def test_the_page_confirms_and_shows_a_stale_version(world, booked, client):
    _case, _itinerary, request = booked
    client.force_login(world.tariq)
    url = reverse("transit:confirm", args=[request.pk])
    stale = client.post(url, {"version": 9, "note": "x"})
    assert stale.status_code == 422 and "Someone else changed" in stale.content.decode()
    response = client.post(url, {"version": 1, "note": "Met at the gate"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Assistance given" in page and "Met at the gate" in page
    assert "Confirm assistance given" not in page
    assert client.get(url).status_code == 405


# ---- the API -----------------------------------------------------------------------------


def test_the_api_lists_reads_and_confirms(world, booked, client):
    case, itinerary, request = booked
    client.force_login(world.tariq)
    listing = client.get("/api/v1/transit/")
    assert listing.status_code == 200
    (row,) = listing.json()
    assert row["id"] == request.pk and row["status"] == "requested" and row["place"] == "IST"
    assert row["case_reference"] == case.reference and row["office"] == "tur-ist"
    assert row["travellers"][0].startswith("Ahmed Al-Rashid")
    detail = client.get(f"/api/v1/transit/{request.pk}/").json()
    assert detail["booking_reference"] == itinerary.booking_reference
    ahmed = detail["travellers"][0]
    assert ahmed["special_needs"] == ["wheelchair", "other"]
    assert ahmed["special_needs_other"] == STAIRS and ahmed["escort_required"] is True
    assert [leg["to_code"] for leg in detail["legs"]] == ["IST", "BGW"]
    assert detail["legs"][1]["departs_local"].endswith("+03:00")
    assert detail["legs"][0]["escorts"][0]["kind"] == "medical"
    text = str(detail)
    assert SECRET_DETAIL not in text and "cost" not in text and "nationality" not in text
    url = f"/api/v1/transit/{request.pk}/confirm/"
    assert client.post(url, {"version": 5}, content_type="application/json"
                       ).status_code == 409
    assert client.post(url, {"version": 1, "colour": "red"},
                       content_type="application/json").status_code == 400
    done = client.post(url, {"version": 1, "note": "OK"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == "assisted" and done.json()["assisted_by"] == "tariq"
    again = client.post(url, {"version": 2}, content_type="application/json")
    assert again.status_code == 400 and "already confirmed" in again.json()["detail"]


def test_the_api_refuses_everyone_else(world, booked, client):
    case, _itinerary, request = booked
    _office, dina = other_transit_officer()
    client.force_login(dina)
    assert client.get("/api/v1/transit/").json() == []
    assert client.get(f"/api/v1/transit/{request.pk}/").status_code == 404
    assert client.post(f"/api/v1/transit/{request.pk}/confirm/", {"version": 1},
                       content_type="application/json").status_code == 404
    client.force_login(world.max)
    assert client.get("/api/v1/transit/").status_code == 403
    assert client.get(f"/api/v1/transit/{request.pk}/").status_code == 404
    client.force_login(world.tariq)
    assert client.get(f"/api/v1/cases/{case.reference}/").status_code == 404
    client.logout()
    assert client.get("/api/v1/transit/").status_code == 401
    assert TransitRequest.objects.get(pk=request.pk).status == TransitStatus.REQUESTED
