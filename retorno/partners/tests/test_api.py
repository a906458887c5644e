import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.partners.models import Partner, Referral, ReferralStatus
from retorno.partners.tests.builders import berlin_case, referred, second_partner
from retorno.privacy.consent import record_consent
from retorno.privacy.models import AuditEvent, AuditType, ConsentPurpose
from retorno.testing.personas import add_partner

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_it_lists_and_filters_the_directory(world):
    add_partner(world.rita, world.baghdad, name="Old Friends", services=("legal",),
                valid=(datetime.date(2020, 1, 1), datetime.date(2021, 6, 30)))
    response = api(world.carla).get("/api/v1/partners/")
    assert response.status_code == 200
    rows = {r["name"]: r for r in response.json()["results"]}
    assert rows["Baghdad Business Hub"]["agreement"] == {"state": "valid",
                                                         "date": "2099-12-31"}
    assert rows["Old Friends"]["agreement"] == {"state": "expired", "date": "2021-06-30"}
    assert rows["Baghdad Business Hub"]["office"] == "irq-bgw"
    names = [r["name"] for r in api(world.carla).get(
        "/api/v1/partners/?service=legal").json()["results"]]
    assert names == ["Old Friends"]
    names = [r["name"] for r in api(world.carla).get(
        "/api/v1/partners/?area=IQ-BG&q=hub").json()["results"]]
    assert names == ["Baghdad Business Hub"]
    for persona in ("paul", "stella"):
        assert api(world.users[persona]).get("/api/v1/partners/").status_code == 403
    assert api().get("/api/v1/partners/").status_code == 401


def test_it_creates_and_patches_a_partner_with_versions(world):
    body = {"name": "Erbil Jobs", "country": "IRQ", "areas": ["IQ-AR"],
            "services": ["job_placement"], "office": "irq-bgw"}
    assert api(world.carla).post("/api/v1/partners/", body, format="json").status_code == 403
    assert api(world.paul).post("/api/v1/partners/", body, format="json").status_code == 403
    response = api(world.rita).post("/api/v1/partners/", {**body, "areas": ["DE-BE"]},
                                    format="json")
    assert response.status_code == 400 and "areas" in response.json()["fields"]
    response = api(world.rita).post("/api/v1/partners/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    url = f"/api/v1/partners/{data['id']}/"
    assert api(world.carla).get(url).json()["name"] == "Erbil Jobs"
    assert api(world.paul).get(url).status_code == 404
    assert api(world.carla).patch(url, {"phone": "+9647501112233", "version": 1},
                                  format="json").status_code == 403
    response = api(world.rita).patch(url, {"phone": "+9647501112233", "version": 1},
                                     format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    response = api(world.rita).patch(url, {"phone": "+9647501112234", "version": 1},
                                     format="json")
    assert response.status_code == 409
    response = api(world.rita).patch(url, {"status": "x", "version": 2}, format="json")
    assert response.status_code == 400
    assert Partner.objects.get(pk=data["id"]).phone == "+9647501112233"


def test_it_records_and_lists_agreements(world):
    url = f"/api/v1/partners/{world.partner.pk}/agreements/"
    rows = api(world.emil).get(url).json()
    assert [r["reference"] for r in rows] == ["DSA-2020-1"]
    assert api(world.paul).get(url).status_code == 404
    body = {"signed_on": "2026-01-01", "valid_until": "2025-01-01"}
    assert api(world.carla).post(url, body, format="json").status_code == 403
    assert api(world.rita).post(url, body, format="json").status_code == 400
    response = api(world.pia).post(url, {**body, "valid_until": "2030-01-01"},
                                   format="json")
    assert response.status_code == 201 and response.json()["recorded_by"] == "pia"


def test_it_refers_and_withdraws_through_the_case_api(world):
    case = berlin_case(world)
    url = f"/api/v1/cases/{case.reference}/referrals/"
    person = case.principal.person
    body = {"person": person.pk, "partner": world.partner.pk, "service": "business",
            "need": "A bakery"}
    assert api(world.carla).post(url, body, format="json").status_code == 403
    for persona in ("otto", "paul", "stella"):
        assert api(world.users[persona]).post(url, body, format="json").status_code == 404
        assert api(world.users[persona]).get(url).status_code == 404
    response = api(world.sam).post(url, body, format="json")
    assert response.status_code == 400
    assert "record their consent first" in response.json()["detail"]
    response = api(world.sam).post(url, {**body, "partner": 99999, "item": 5},
                                   format="json")
    assert set(response.json()["fields"]) == {"partner", "item"}
    record_consent(actor=world.carla, case=case, person=person,
                   purpose=ConsentPurpose.PARTNER, partner_name=world.partner.name,
                   given_on=timezone.localdate(), form_version="C-1")
    response = api(world.sam).post(url, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "sent" and data["partner_name"] == "Baghdad Business Hub"
    assert data["shared_fields"] == ["name", "sex", "age", "language", "phone", "lives_in",
                                     "need"]
    assert [r["id"] for r in api(world.carla).get(url).json()] == [data["id"]]
    withdraw = f"{url}{data['id']}/withdraw/"
    assert api(world.carla).post(withdraw, {"version": 1, "reason": "x"},
                                 format="json").status_code == 403
    assert api(world.paul).post(withdraw, {"version": 1, "reason": "x"},
                                format="json").status_code == 404
    response = api(world.sam).post(withdraw, {"version": 1, "reason": "Found a job"},
                                   format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert api(world.sam).post(withdraw, {"version": 1, "reason": "x"},
                               format="json").status_code in (400, 409)


def test_it_lets_the_partner_answer_through_its_api(world):
    referral = referred(world)
    base = f"/api/v1/partner/referrals/{referral.pk}/"
    paul = api(world.paul)
    rows = paul.get("/api/v1/partner/referrals/").json()["results"]
    assert [r["id"] for r in rows] == [referral.pk]
    assert set(rows[0]) == {"id", "service", "status", "shared", "sent_at", "responded_at",
                            "decline_reason", "service_given", "service_on", "feedback",
                            "closed_at", "version"}
    assert "case" not in str(rows[0]) and referral.case.reference not in str(rows[0])
    assert paul.get("/api/v1/partner/referrals/?status=closed").json()["results"] == []
    assert paul.post(base + "close/", {"version": 1, "feedback": "x"},
                     format="json").status_code == 400
    assert paul.post(base + "accept/", {"version": 1}, format="json").status_code == 200
    assert paul.post(base + "decline/", {"version": 1, "reason": "x"},
                     format="json").status_code == 409
    today = timezone.localdate().isoformat()
    response = paul.post(base + "service/", {"version": 2, "service_given": "Training",
                                             "service_on": today}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "service_given"
    response = paul.post(base + "close/", {"version": 3, "feedback": "Good"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Referral.objects.get().status == ReferralStatus.CLOSED
    assert AuditEvent.objects.filter(event_type=AuditType.REFERRAL_CHANGED).count() == 3
    for persona in ("carla", "sam", "rita", "stella"):
        assert api(world.users[persona]).get("/api/v1/partner/referrals/").status_code == 403
        assert api(world.users[persona]).get(base).status_code == 404


def test_it_lists_partner_referrals_in_pages_newest_first(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}
    other, _pete = second_partner(world)
    first = referred(world)
    second = referred(world, service="vocational_training")
    referred(world, partner=other, service="legal")
    third = referred(world, berlin_case(world, given_name="Zaid"))
    page = api(world.paul).get("/api/v1/partner/referrals/").json()
    assert [r["id"] for r in page["results"]] == [third.pk, second.pk]
    page = api(world.paul).get(page["next"]).json()
    assert [r["id"] for r in page["results"]] == [first.pk] and page["next"] is None
