import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.documents.models import TravelDocument
from retorno.documents.tests.builders import (
    NUMBER,
    TD2,
    TD3,
    corrupt,
    in_days,
    record,
    requested,
)
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def body(case, **overrides):
    return {"person_id": case.principal.person_id, "kind": "passport", "status": "collected",
            "number": "N1234567", "issuing_country": "IRQ",
            "issued_on": str(in_days(-100)), "expires_on": str(in_days(3000)), **overrides}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def list_url(case) -> str:
    return reverse("api:case_travel_documents", args=[case.reference])


def detail_url(case, document_id) -> str:
    return reverse("api:case_travel_document", args=[case.reference, document_id])


def status_url(case, document_id) -> str:
    return reverse("api:case_travel_document_status", args=[case.reference, document_id])


PARSE = "/api/v1/mrz/parse/"


def test_it_records_a_document(world):
    case = open_case(world)
    response = api(world.max).post(list_url(case), body(case), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["number"], data["status"], data["created_by"]) == ("N1234567", "collected",
                                                                    "max")
    assert data["next_statuses"] == [] and data["version"] == 1
    assert data["display_name"] == "Ahmed Al-Rashid (أحمد الرشيد)"
    assert TravelDocument.objects.get(pk=data["id"]).case == case
    assert AuditEvent.objects.filter(event_type=AuditType.TRAVEL_DOCUMENT_RECORDED).exists()


def test_it_refuses_bad_input_unknown_fields_and_strangers(world):
    case = open_case(world)
    client = api(world.carla)
    response = client.post(list_url(case), body(case, kind="visa", expires_on="soon"),
                           format="json")
    assert response.status_code == 400 and set(response.json()) == {"kind", "expires_on"}
    response = client.post(list_url(case), body(case, version=4), format="json")
    assert response.status_code == 400 and set(response.json()) == {"version"}
    stranger = open_case(world).principal.person_id
    response = client.post(list_url(case), body(case, person_id=stranger), format="json")
    assert response.status_code == 400 and set(response.json()) == {"person_id"}
    # The service's own validation: per field, with the messages.
    response = client.post(list_url(case), body(case, number="", issuing_country="UTO",
                                                status="refused"), format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"status"}
    response = client.post(list_url(case), body(case, number="", issuing_country="UTO"),
                           format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "number": ["An issued document needs its number."],
        "issuing_country": ["UTO is not an ISO 3166 country code."]}
    assert not TravelDocument.objects.exists()


def test_it_lists_and_shows_documents_to_the_roles_that_work_with_them(world):
    case = open_case(world)
    document = record(case, world.carla)
    for persona in ("carla", "sam", "max", "dana"):
        client = api(world.users[persona])
        rows = client.get(list_url(case)).json()
        assert [(r["id"], r["number"]) for r in rows] == [(document.pk, NUMBER)], persona
        assert client.get(detail_url(case, document.pk)).json()["number"] == NUMBER
    for persona in ("mona", "pia"):
        client = api(world.users[persona])
        assert client.get(list_url(case)).status_code == 403, persona
        response = client.get(detail_url(case, document.pk))
        assert response.status_code == 403 and NUMBER not in response.content.decode()


def test_it_patches_with_the_version_and_answers_409_when_stale(world):
    case = open_case(world)
    document = record(case, world.carla)
    client = api(world.max)
    url = detail_url(case, document.pk)
    response = client.patch(url, {"number": "B7654321", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["updated_by"] == "max"
    response = client.patch(url, {"number": "C1", "version": 1}, format="json")
    assert response.status_code == 409
    assert TravelDocument.objects.get().number == "B7654321"
    response = client.patch(url, {"number": "C1"}, format="json")
    assert response.status_code == 400 and "version" in response.json()
    response = client.patch(url, {"status": "refused", "version": 2}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"status"}


def test_it_changes_the_status(world):
    case = open_case(world)
    document = requested(case, world.carla)
    client = api(world.max)
    url = status_url(case, document.pk)
    response = client.post(url, {"to": "issued", "version": 2, "number": "E77",
                                 "expires_on": str(in_days(60))}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["number"], data["next_statuses"]) == (
        "issued", "E77", ["collected"])
    response = client.post(url, {"to": "refused", "version": 3, "refusal_reason": "Late"},
                           format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == ("A travel document that is “Issued” cannot become "
                                         "“Refused”.")
    response = client.post(url, {"to": "collected", "version": 2}, format="json")
    assert response.status_code == 409
    response = client.post(url, {"to": "collected", "version": 3}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "collected"


def test_it_refuses_other_roles_and_hides_the_case_from_outsiders(world):
    case = open_case(world)
    document = record(case, world.carla)
    patch = {"notes": "x", "version": 1}
    for persona in ("mona", "pia", "dana"):
        client = api(world.users[persona])
        assert client.post(list_url(case), body(case), format="json").status_code == 403
        assert client.patch(detail_url(case, document.pk), patch,
                            format="json").status_code == 403
        assert client.post(status_url(case, document.pk), {"to": "requested", "version": 1},
                           format="json").status_code == 403
    for persona in ("otto", "paul", "stella"):
        client = api(world.users[persona])
        assert client.get(list_url(case)).status_code == 404
        assert client.get(detail_url(case, document.pk)).status_code == 404
        assert client.post(list_url(case), body(case), format="json").status_code == 404
        assert client.patch(detail_url(case, document.pk), patch,
                            format="json").status_code == 404
    assert TravelDocument.objects.get().notes == "Kept by the person"


def test_it_reads_a_zone_and_names_the_failing_check_digits(world):
    client = api(world.carla)
    response = client.post(PARSE, {"mrz": TD3}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["format"] == "TD3" and data["kind"] == "passport" and data["valid"] is True
    assert (data["number"], data["issuing_state"], data["issuing_country"]) == (
        "L898902C3", "UTO", None)
    assert (data["surname"], data["given_names"], data["birth_date"], data["expiry_date"]) == (
        "ERIKSSON", "ANNA MARIA", "1974-08-12", "2012-04-15")
    assert data["errors"] == [] and len(data["notes"]) == 2
    data = client.post(PARSE, {"mrz": corrupt(TD2, 2, 27, "6")}, format="json").json()
    assert data["valid"] is False
    assert data["errors"] == [
        {"code": "expiry_date_check",
         "message": "The check digit of the date of expiry does not match."},
        {"code": "composite_check",
         "message": "The composite check digit (the last one, over the number, the dates "
                    "and the optional data) does not match."}]
    response = client.post(PARSE, {"mrz": "P<UTO"}, format="json")
    assert response.status_code == 400 and "this text has 1 line" in response.json()["mrz"][0]
    response = client.post(PARSE, {"text": TD3}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"text"}
    assert not TravelDocument.objects.exists()


def test_it_reads_zones_only_for_the_roles_that_record_documents(world):
    for persona in ("mona", "pia", "dana", "rita", "paul", "stella"):
        assert api(world.users[persona]).post(PARSE, {"mrz": TD3},
                                              format="json").status_code == 403, persona
    assert APIClient().post(PARSE, {"mrz": TD3}, format="json").status_code == 401
