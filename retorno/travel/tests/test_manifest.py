"""Departure manifests: who leaves from an airport on a local day, with only what the
airport assistance staff need; every file exported is audited."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing import personas
from retorno.travel import manifests, services, validation
from retorno.travel.tests.builders import dt, flight
from retorno.travel.tests.transit_builders import (
    SECRET_DETAIL,
    STAIRS,
    approved_case,
    book,
    booked_case,
    day_of,
)

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 6, 1)  # summer: Berlin is UTC+2, Los Angeles UTC-7


def _exports():
    return AuditEvent.objects.filter(event_type=AuditType.MANIFEST_EXPORTED)


@pytest.fixture
def booked(world):
    return booked_case(world)


def test_rows_list_each_traveller_with_document_flights_needs_and_escorts(world, booked):
    case, itinerary, _request = booked
    day = day_of(itinerary)
    ahmed, noor = manifests.manifest_rows(world.max, day, "BER")
    assert ahmed.name.startswith("Ahmed Al-Rashid") and noor.name.startswith("Noor")
    passports = {d.person_id: d.number for d in case.travel_documents.all()}
    assert ahmed.document_number == passports[ahmed.person_id] != ""
    assert noor.document_number == passports[noor.person_id]
    assert ahmed.document_kind == "Passport"
    assert [(f.flight_number, f.from_code, f.to_code) for f in ahmed.flights] == [
        ("TK1724", "BER", "IST"), ("TK788", "IST", "BGW")]
    first_leg = itinerary.legs.get(order=1)
    assert ahmed.flights[0].departs == validation.show(first_leg.departs_at, "Europe/Berlin")
    assert ahmed.departs == ahmed.flights[0].departs
    assert "(UTC+03:00)" in ahmed.flights[1].departs
    assert ahmed.special_needs == ["Wheelchair", STAIRS] and ahmed.escort_required
    assert noor.special_needs == [] and not noor.escort_required
    assert ahmed.escorts == ["Medical escort: Medical escort (Retorno)"]
    assert ahmed.case_reference == case.reference
    # At the connection, only the onward flight.
    at_istanbul = manifests.manifest_rows(world.max, day, "ist")
    assert [[f.flight_number for f in r.flights] for r in at_istanbul] == [["TK788"]] * 2
    assert manifests.manifest_rows(world.max, day + datetime.timedelta(days=1), "BER") == []


def test_the_day_is_the_local_date_at_the_airport(world):
    case = approved_case(world, needs=False)
    ahmed, noor = case.principal.person_id, case.members.exclude(
        person_id=case.principal.person_id).get().person_id
    # 00:30 in Berlin on D is 22:30 UTC on D-1.
    early = book(world, case, people=[ahmed], reference="EARLY", legs=[
        flight("BER", "IST", dt(2026, 6, 1, 0, 30), dt(2026, 6, 1, 4, 30)),
        flight("IST", "BGW", dt(2026, 6, 1, 7, 0), dt(2026, 6, 1, 9, 0), number="TK788")])
    # 23:30 in Los Angeles on D is 06:30 UTC on D+1.
    late = book(world, case, people=[noor], reference="LATE", legs=[
        flight("LAX", "IST", dt(2026, 6, 1, 23, 30), dt(2026, 6, 2, 21, 30), number="TK10"),
        flight("IST", "BGW", dt(2026, 6, 2, 23, 30), dt(2026, 6, 3, 1, 30), number="TK788")])
    assert early.legs.get(order=1).departs_at.date() == D - datetime.timedelta(days=1)
    assert late.legs.get(order=1).departs_at.date() == D + datetime.timedelta(days=1)

    def names(day, airport):
        return [r.person_id for r in manifests.manifest_rows(world.max, day, airport)]

    assert names(D, "BER") == [ahmed]
    assert names(D - datetime.timedelta(days=1), "BER") == []
    assert names(D, "LAX") == [noor]
    assert names(D + datetime.timedelta(days=1), "LAX") == []
    assert names(D + datetime.timedelta(days=1), "IST") == [noor]


def test_only_booked_itineraries_of_cases_the_user_records_travel_for(world, booked):
    _case, itinerary, _request = booked
    day = day_of(itinerary)
    for user in (world.carla, world.vera, world.tariq, world.rita):
        assert manifests.manifest_rows(user, day, "BER") == [], user
    assert len(manifests.manifest_rows(world.sam, day, "BER")) == 2
    for user in (world.carla, world.tariq, world.rita):
        with pytest.raises(NotAllowed):
            manifests.export_manifest(actor=user, day=day, airport="BER", fmt="csv")
    services.cancel_itinerary(actor=world.max, itinerary=itinerary,
                              version=itinerary.version, reason="Changed plans")
    assert manifests.manifest_rows(world.max, day, "BER") == []


def test_the_document_is_the_held_one_expiring_last(world):
    case = approved_case(world, needs=False)
    principal = case.principal.person
    today = timezone.localdate()
    personas.record_passport(world, case, principal, number="NEWER123",
                             expires_on=today + datetime.timedelta(days=20 * 365))
    day = today + datetime.timedelta(days=40)

    def at(hour: int) -> datetime.datetime:
        return dt(day.year, day.month, day.day, hour)

    itinerary = book(world, case, legs=[flight("BER", "IST", at(10), at(14)),
                                        flight("IST", "BGW", at(16), at(18), number="TK788")])
    rows = manifests.manifest_rows(world.max, day_of(itinerary), "BER")
    assert {r.person_id: r.document_number for r in rows}[principal.pk] == "NEWER123"
    # Once it has expired on the day, the other one, valid then.
    later = today + datetime.timedelta(days=21 * 365)
    assert manifests._document(list(case.travel_documents.all()), principal.pk, later) is None
    older = manifests._document(list(case.travel_documents.all()), principal.pk,
                                today + datetime.timedelta(days=365))
    assert older.number == "NEWER123"


def test_the_csv_has_its_columns_and_the_export_is_audited(world, booked):
    case, itinerary, _request = booked
    day = day_of(itinerary)
    content = manifests.export_manifest(actor=world.max, day=day, airport="ber", fmt="csv")
    assert not content.startswith(b"\xef\xbb\xbf")  # plain UTF-8
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert header == ["Departure (local time)", "Name", "Document", "Document number",
                      "Flights", "Special needs", "Escort required", "Escorts"]
    assert len(rows) == 2
    assert rows[0][1] == "Ahmed Al-Rashid (أحمد الرشيد)"
    assert rows[0][3] == f"P{case.principal.person_id:08d}"
    assert "TK1724 BER→IST" in rows[0][4] and "TK788 IST→BGW" in rows[0][4]
    assert rows[0][5] == f"Wheelchair, {STAIRS}" and rows[0][6] == "yes"
    assert rows[0][7] == "Medical escort: Medical escort (Retorno)"
    assert SECRET_DETAIL not in content.decode() and case.reference not in content.decode()
    event = _exports().get()
    assert event.actor == world.max and event.office == world.berlin
    assert event.extra == {"day": day.isoformat(), "airport": "BER", "format": "csv",
                           "rows": 2, "cases": [case.reference]}


def test_the_pdf_is_a_real_pdf_with_the_names(world, booked):
    _case, itinerary, _request = booked
    content = manifests.export_manifest(actor=world.max, day=day_of(itinerary),
                                        airport="BER", fmt="pdf")
    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Al-Rashid" in text and "TK788" in text and "Wheelchair" in text
    assert _exports().get().extra["format"] == "pdf"


def test_bad_input_is_refused_and_nothing_audited(world):
    for kwargs, message in (({"airport": "XXX"}, "not a known IATA airport"),
                            ({"airport": ""}, "IATA code"),
                            ({"day": "1 June"}, "YYYY-MM-DD"),
                            ({"fmt": "xlsx"}, "format")):
        args = {"day": "2026-06-01", "airport": "BER", "fmt": "csv", **kwargs}
        with pytest.raises(Invalid, match=message):
            manifests.export_manifest(actor=world.max, **args)
    assert not _exports().exists()


# ---- pages ------------------------------------------------------------------------------


def test_the_page_shows_the_rows_without_auditing_and_exports_with(world, booked, client):
    case, itinerary, _request = booked
    day = day_of(itinerary)
    client.force_login(world.max)
    assert client.get(reverse("transit:manifests")).status_code == 200
    page = client.get(reverse("transit:manifests"), {"day": day.isoformat(),
                                                     "airport": "ber"})
    body = page.content.decode()
    assert page.status_code == 200 and "Al-Rashid" in body and "Download PDF" in body
    assert f"P{case.principal.person_id:08d}" in body
    assert not _exports().exists()
    bad = client.get(reverse("transit:manifests"), {"day": day.isoformat(), "airport": "QQQ"})
    assert bad.status_code == 422 and "is not a known IATA airport code" in bad.content.decode()
    export = client.post(reverse("transit:manifest_export"),
                         {"day": day.isoformat(), "airport": "BER", "format": "csv"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert export["Content-Disposition"] == (
        f'attachment; filename="manifest-BER-{day.isoformat()}.csv"')
    assert "Al-Rashid" in export.content.decode()
    pdf = client.post(reverse("transit:manifest_export"),
                      {"day": day.isoformat(), "airport": "BER", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert _exports().count() == 2
    assert client.get(reverse("transit:manifest_export")).status_code == 405


def test_the_pages_are_for_host_office_movement_staff(world, client):
    for user in (world.carla, world.tariq, world.rita, world.dana):
        client.force_login(user)
        assert client.get(reverse("transit:manifests")).status_code == 403, user
        assert client.post(reverse("transit:manifest_export"), {
            "day": "2026-06-01", "airport": "BER", "format": "csv"}).status_code == 403
    assert not _exports().exists()


# ---- the API ------------------------------------------------------------------------------


def test_the_api_exports_every_format_and_audits_each(world, booked, client):
    case, itinerary, _request = booked
    day = day_of(itinerary).isoformat()
    client.force_login(world.max)
    rows = client.get("/api/v1/manifests/", {"day": day, "airport": "BER"})
    assert rows.status_code == 200
    first = rows.json()[0]
    assert first["name"].startswith("Ahmed") and first["escort_required"] is True
    assert [f["from"] for f in first["flights"]] == ["BER", "IST"]
    assert "case_reference" not in first and SECRET_DETAIL not in rows.content.decode()
    as_csv = client.get("/api/v1/manifests/", {"day": day, "airport": "BER", "format": "csv"})
    assert as_csv.status_code == 200 and as_csv["Content-Type"].startswith("text/csv")
    assert "Al-Rashid" in as_csv.content.decode()
    as_pdf = client.get("/api/v1/manifests/", {"day": day, "airport": "BER", "format": "pdf"})
    assert as_pdf["Content-Type"] == "application/pdf"
    assert [e.extra["format"] for e in _exports().order_by("id")] == ["json", "csv", "pdf"]
    bad = client.get("/api/v1/manifests/", {"day": "June", "airport": "QQQ",
                                            "format": "csv"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"day", "airport"}
    assert client.get("/api/v1/manifests/", {"day": day, "airport": "BER",
                                             "format": "xlsx"}).status_code == 404
    client.force_login(world.carla)
    assert client.get("/api/v1/manifests/", {"day": day, "airport": "BER"}).status_code == 403
    client.logout()
    assert client.get("/api/v1/manifests/", {"day": day, "airport": "BER"}).status_code == 401
    assert _exports().count() == 3


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_made_inert():
    assert manifests._inert('=HYPERLINK("http://x","y")') == "'=HYPERLINK(\"http://x\",\"y\")"
    assert manifests._inert("-2+3") == "'-2+3" and manifests._inert("@SUM(A1)") == "'@SUM(A1)"
    assert manifests._inert("Ahmed Al-Rashid") == "Ahmed Al-Rashid"
