import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.cases.models import TimelineKind
from retorno.privacy.consent import has_consent, record_consent
from retorno.privacy.models import AuditEvent, AuditType, Consent, ConsentPurpose
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

ORIGIN = ConsentPurpose.ORIGIN_OFFICE


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(person, **overrides):
    body = {"person_id": person.pk, "purpose": ORIGIN,
            "given_on": timezone.localdate().isoformat(), "form_version": "C-2026-1"}
    body.update(overrides)
    return body


def _consent(world, case):
    return record_consent(actor=world.carla, case=case, person=case.principal.person,
                          purpose=ORIGIN, given_on=timezone.localdate(),
                          form_version="C-2026-1")


class TestConsentApi:
    def test_it_lists_the_consents_of_the_case(self, world):
        case = open_case(world)
        consent = _consent(world, case)

        response = _api(world.max).get(reverse("api:case_consents", args=[case.reference]))

        assert response.status_code == 200
        assert [(c["id"], c["purpose"], c["active"], c["recorded_by"])
                for c in response.json()] == [(consent.pk, ORIGIN, True, "carla")]

    def test_it_records_consent(self, world):
        case = open_case(world)
        url = reverse("api:case_consents", args=[case.reference])

        response = _api(world.carla).post(url, _body(case.principal.person), format="json")

        assert response.status_code == 201, response.json()
        assert response.json()["active"] is True
        assert has_consent(case.principal.person, ORIGIN)
        assert case.timeline.filter(kind=TimelineKind.CONSENT).exists()
        assert AuditEvent.objects.filter(event_type=AuditType.CONSENT_RECORDED).exists()

    def test_it_refuses_a_childs_consent_without_a_guardian(self, world):
        case = open_case(world, person={"given_name": "Omar", "nationality": "IRQ",
                                        "date_of_birth": datetime.date(2015, 6, 1)})
        url = reverse("api:case_consents", args=[case.reference])

        response = _api(world.carla).post(url, _body(case.principal.person), format="json")

        assert response.status_code == 400
        assert set(response.json()["fields"]) == {"guardian_name", "guardian_relationship"}
        response = _api(world.carla).post(url, _body(
            case.principal.person, guardian_name="Leila Karim",
            guardian_relationship="mother"), format="json")
        assert response.status_code == 201
        assert response.json()["guardian_name"] == "Leila Karim"

    def test_it_refuses_someone_outside_the_case(self, world):
        case = open_case(world)
        other = open_case(world, person={"given_name": "Sara", "nationality": "IRQ"})
        url = reverse("api:case_consents", args=[case.reference])
        response = _api(world.carla).post(url, _body(other.principal.person), format="json")
        assert response.status_code == 400
        assert "person_id" in response.json()

    def test_it_refuses_unknown_fields(self, world):
        case = open_case(world)
        url = reverse("api:case_consents", args=[case.reference])
        response = _api(world.carla).post(
            url, _body(case.principal.person, withdrawn_at="2026-01-01"), format="json")
        assert response.status_code == 400
        assert not Consent.objects.exists()

    def test_it_withdraws_at_once(self, world):
        case = open_case(world)
        consent = _consent(world, case)
        url = reverse("api:case_consent_withdraw", args=[case.reference, consent.pk])

        response = _api(world.sam).post(url, {"reason": "Asked by phone"}, format="json")

        assert response.status_code == 200
        assert response.json()["active"] is False
        assert response.json()["withdrawn_by"] == "sam"
        assert not has_consent(case.principal.person, ORIGIN)
        assert AuditEvent.objects.filter(event_type=AuditType.CONSENT_WITHDRAWN).exists()

    def test_it_refuses_a_wrong_role(self, world):
        case = open_case(world)
        consent = _consent(world, case)
        client = _api(world.dana)
        create = reverse("api:case_consents", args=[case.reference])
        withdraw = reverse("api:case_consent_withdraw", args=[case.reference, consent.pk])
        assert client.post(create, _body(case.principal.person,
                                         purpose=ConsentPurpose.OUTREACH),
                           format="json").status_code == 403
        assert client.post(withdraw, {"reason": "x"}, format="json").status_code == 403
        assert Consent.objects.count() == 1 and consent.is_active
        assert has_consent(case.principal.person, ORIGIN)

    def test_it_hides_the_case_from_an_outsider(self, world):
        case = open_case(world)
        consent = _consent(world, case)
        client = _api(world.otto)
        assert client.get(reverse("api:case_consents",
                                  args=[case.reference])).status_code == 404
        withdraw = reverse("api:case_consent_withdraw", args=[case.reference, consent.pk])
        assert client.post(withdraw, {"reason": "x"}, format="json").status_code == 404
        assert has_consent(case.principal.person, ORIGIN)
