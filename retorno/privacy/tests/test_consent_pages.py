import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from retorno.cases.models import TimelineKind
from retorno.privacy.consent import has_consent, record_consent, withdraw_consent
from retorno.privacy.models import AuditEvent, AuditType, Consent, ConsentPurpose
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

ORIGIN = ConsentPurpose.ORIGIN_OFFICE


def _form(person, **overrides):
    data = {"person": person.pk, "purpose": ORIGIN, "partner_name": "",
            "given_on": timezone.localdate().isoformat(), "form_version": "C-2026-1",
            "guardian_name": "", "guardian_relationship": ""}
    data.update(overrides)
    return data


def _consent(world, case):
    return record_consent(actor=world.carla, case=case, person=case.principal.person,
                          purpose=ORIGIN, given_on=timezone.localdate(),
                          form_version="C-2026-1")


class TestConsentPages:
    def test_it_shows_each_members_consents_on_the_case_page(self, world, client):
        case = open_case(world)
        _consent(world, case)
        client.force_login(world.max)  # sees the case, may not change it

        response = client.get(reverse("cases:detail", args=[case.reference]))

        body = response.content.decode()
        assert "Sharing with the office in the country of origin" in body
        assert "C-2026-1" in body and ">given<" in body and ">none<" in body
        assert "Monitoring surveys after return" in body
        assert reverse("privacy:consent_record", args=[case.reference]) not in body

    def test_it_shows_a_withdrawn_consent_with_its_reason(self, world, client):
        case = open_case(world)
        consent = _consent(world, case)
        withdraw_consent(actor=world.sam, consent=consent, reason="Moved to a partner")
        record_consent(actor=world.carla, case=case, person=case.principal.person,
                       purpose=ConsentPurpose.PARTNER, partner_name="Hope Baghdad",
                       given_on=timezone.localdate(), form_version="C-2026-1")
        client.force_login(world.dana)

        body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()

        assert ">withdrawn<" in body and "Moved to a partner" in body
        assert "Hope Baghdad" in body

    def test_it_offers_recording_and_withdrawal_to_the_caseworker(self, world, client):
        case = open_case(world)
        consent = _consent(world, case)
        client.force_login(world.carla)
        body = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert reverse("privacy:consent_record", args=[case.reference]) in body
        assert reverse("privacy:consent_withdraw", args=[case.reference, consent.pk]) in body

    def test_it_records_consent_from_the_form(self, world, client):
        case = open_case(world)
        client.force_login(world.carla)
        url = reverse("privacy:consent_record", args=[case.reference])
        person = case.principal.person
        assert client.get(url, {"person": person.pk, "purpose": ORIGIN}).status_code == 200

        response = client.post(url, _form(person))

        assert response.status_code == 302
        assert has_consent(person, ORIGIN)
        assert case.timeline.filter(kind=TimelineKind.CONSENT).exists()
        assert AuditEvent.objects.filter(event_type=AuditType.CONSENT_RECORDED,
                                         case=case).exists()

    def test_it_asks_for_a_guardian_for_a_child(self, world, client):
        case = open_case(world, person={
            "given_name": "Omar", "family_name": "Karim", "sex": "M",
            "date_of_birth": datetime.date(2012, 1, 1), "nationality": "IRQ"})
        client.force_login(world.carla)
        url = reverse("privacy:consent_record", args=[case.reference])

        response = client.post(url, _form(case.principal.person))

        assert response.status_code == 422
        assert "guardian" in response.content.decode()
        assert not Consent.objects.exists()

    def test_it_withdraws_with_a_reason(self, world, client):
        case = open_case(world)
        consent = _consent(world, case)
        client.force_login(world.sam)
        url = reverse("privacy:consent_withdraw", args=[case.reference, consent.pk])

        response = client.post(url, {"reason": "Does not want it shared"})

        assert response.status_code == 302
        assert not has_consent(case.principal.person, ORIGIN)
        assert AuditEvent.objects.filter(event_type=AuditType.CONSENT_WITHDRAWN).exists()

    def test_it_keeps_consent_when_the_reason_is_missing(self, world, client):
        case = open_case(world)
        consent = _consent(world, case)
        client.force_login(world.carla)
        url = reverse("privacy:consent_withdraw", args=[case.reference, consent.pk])
        response = client.post(url, {"reason": ""}, follow=True)
        assert "Say why consent is withdrawn." in response.content.decode()
        assert has_consent(case.principal.person, ORIGIN)

    def test_it_refuses_a_wrong_role(self, world, client):
        case = open_case(world)
        consent = _consent(world, case)
        client.force_login(world.mona)
        record = reverse("privacy:consent_record", args=[case.reference])
        withdraw = reverse("privacy:consent_withdraw", args=[case.reference, consent.pk])
        assert client.get(record).status_code == 403
        assert client.post(record, _form(case.principal.person,
                                         purpose=ConsentPurpose.OUTREACH)).status_code == 403
        assert client.post(withdraw, {"reason": "x"}).status_code == 403
        assert has_consent(case.principal.person, ORIGIN)
        assert Consent.objects.count() == 1

    def test_it_hides_the_case_from_an_outsider(self, world, client):
        case = open_case(world)
        consent = _consent(world, case)
        client.force_login(world.otto)
        record = reverse("privacy:consent_record", args=[case.reference])
        withdraw = reverse("privacy:consent_withdraw", args=[case.reference, consent.pk])
        assert client.get(record).status_code == 404
        assert client.post(withdraw, {"reason": "x"}).status_code == 404
        assert has_consent(case.principal.person, ORIGIN)

    def test_it_finds_no_consent_of_another_case(self, world, client):
        case = open_case(world)
        other = open_case(world, person={"given_name": "Sara", "nationality": "IRQ"})
        consent = _consent(world, other)
        client.force_login(world.carla)
        url = reverse("privacy:consent_withdraw", args=[case.reference, consent.pk])
        assert client.post(url, {"reason": "x"}).status_code == 404
