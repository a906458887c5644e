import datetime

import pytest
from django.utils import timezone

from retorno.partners.models import Agreement, Partner, PartnerUser, Referral, ReferralStatus
from retorno.partners.tests.builders import berlin_case, referred, second_partner
from retorno.privacy.consent import record_consent
from retorno.privacy.models import AuditEvent, AuditType, ConsentPurpose
from retorno.testing.personas import PASSWORD, add_partner

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


# ---- the directory ------------------------------------------------------------------------


def test_it_shows_the_directory_to_staff_only(world, client):
    add_partner(world.rita, world.baghdad, name="Old Friends",
                valid=(datetime.date(2020, 1, 1), datetime.date(2021, 6, 30)))
    for persona in ("carla", "rita", "pia", "otto", "tariq", "emil", "mona"):
        body = _login(client, world.users[persona]).get("/partners/").content.decode()
        assert "Baghdad Business Hub" in body and "valid until 12/31/2099" in body
        assert "expired on 06/30/2021" in body
    for persona in ("paul", "stella"):
        assert _login(client, world.users[persona]).get("/partners/").status_code == 403
    client.logout()
    assert client.get("/partners/").status_code == 302


def test_it_filters_the_directory(world, client):
    add_partner(world.rita, world.baghdad, name="Basra Legal Aid", services=("legal",))
    services_ = __import__("retorno.partners.services", fromlist=["x"])
    services_.create_partner(actor=world.rita, office=world.baghdad, data={
        "name": "Najaf Clinic", "country": "IRQ", "areas": ["IQ-NA"], "services": ["medical"]})
    _login(client, world.carla)

    def names(query):
        body = client.get("/partners/?" + query).content.decode()
        return {n for n in ("Baghdad Business Hub", "Basra Legal Aid", "Najaf Clinic")
                if n in body}

    assert names("") == {"Baghdad Business Hub", "Basra Legal Aid", "Najaf Clinic"}
    assert names("service=legal") == {"Basra Legal Aid"}
    assert names("q=clinic") == {"Najaf Clinic"}
    assert names("area=IQ-BG") == {"Baghdad Business Hub", "Basra Legal Aid"}
    assert names("area=IQ-NA&service=medical") == {"Najaf Clinic"}
    assert names("country=DEU") == set()
    assert "No agreement" not in client.get("/partners/?q=najaf").content.decode()


def test_it_adds_a_partner_from_the_form(world, client):
    assert _login(client, world.carla).get("/partners/new/").status_code == 403
    assert _login(client, world.paul).get("/partners/new/").status_code == 403
    _login(client, world.rita)
    assert client.get("/partners/new/").status_code == 200
    form = {"name": "Erbil Jobs", "country": "IRQ", "areas": "IQ-AR", "services": [
        "job_placement"], "email": "jobs@example.org", "phone": "+964 750 111 2233",
        "office": world.baghdad.pk, "active": "on"}
    response = client.post("/partners/new/", {**form, "phone": "123", "areas": "DE-BE"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "international form" in body and "DE-BE" in body
    # rita keeps Baghdad's partners only.
    assert client.post("/partners/new/", {**form, "office": world.berlin.pk}
                       ).status_code == 422
    response = client.post("/partners/new/", form)
    assert response.status_code == 302
    partner = Partner.objects.get(name="Erbil Jobs")
    assert response["Location"] == f"/partners/{partner.pk}/"
    assert partner.areas == ["IQ-AR"] and partner.phone == "+9647501112233"


def test_it_shows_a_partner_with_its_agreements_users_and_counts(world, client):
    referred(world)
    partner = world.partner
    url = f"/partners/{partner.pk}/"
    body = _login(client, world.emil).get(url).content.decode()
    assert "DSA-2020-1" in body and "Paul" in body and "Layla Hassan" in body
    assert "valid until 12/31/2099" in body
    assert f"/partners/{partner.pk}/edit/" not in body
    body = _login(client, world.rita).get(url).content.decode()
    assert f"/partners/{partner.pk}/edit/" in body
    assert f"/partners/{partner.pk}/agreements/new/" in body
    assert f"/partners/{partner.pk}/users/new/" in body
    assert _login(client, world.paul).get(url).status_code == 404
    assert _login(client, world.stella).get(url).status_code == 404
    assert _login(client, world.carla).get("/partners/999999/").status_code == 404


def test_it_edits_a_partner_with_versions(world, client):
    partner = world.partner
    url = f"/partners/{partner.pk}/edit/"
    assert _login(client, world.paul).get(url).status_code == 404
    assert _login(client, world.carla).get(url).status_code == 403
    assert _login(client, world.sam).post(url, {}).status_code == 403
    _login(client, world.rita)
    assert client.get(url).status_code == 200
    form = {"name": partner.name, "country": "IRQ", "areas": "", "services": [
        "business"], "contact_name": "Omar", "version": 1, "active": "on"}
    assert client.post(url, form).status_code == 302
    stored = Partner.objects.get(pk=partner.pk)
    assert stored.contact_name == "Omar" and stored.services == ["business"]
    response = client.post(url, {**form, "contact_name": "Zaid"})
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    assert Partner.objects.get(pk=partner.pk).contact_name == "Omar"


def test_it_records_an_agreement_and_a_user_from_the_forms(world, client):
    partner = world.partner
    for url in (f"/partners/{partner.pk}/agreements/new/", f"/partners/{partner.pk}/users/new/"):
        assert _login(client, world.paul).get(url).status_code == 404
        assert _login(client, world.carla).get(url).status_code == 403
        assert _login(client, world.pia).get(url).status_code == 200
    _login(client, world.rita)
    url = f"/partners/{partner.pk}/agreements/new/"
    response = client.post(url, {"signed_on": "2026-01-01", "valid_until": "2025-01-01"})
    assert response.status_code == 422
    assert client.post(url, {"signed_on": "2026-01-01", "valid_until": "2030-01-01",
                             "reference": "DSA-9"}).status_code == 302
    assert Agreement.objects.filter(reference="DSA-9", partner=partner).exists()
    url = f"/partners/{partner.pk}/users/new/"
    response = client.post(url, {"username": "nadia", "password": PASSWORD,
                                 "first_name": "Nadia"})
    assert response.status_code == 302
    assert PartnerUser.objects.get(user__username="nadia").partner == partner


# ---- referrals on the case page ---------------------------------------------------------


def _consent(world, case, name="Baghdad Business Hub"):
    record_consent(actor=world.carla, case=case, person=case.principal.person,
                   purpose=ConsentPurpose.PARTNER, partner_name=name,
                   given_on=timezone.localdate(), form_version="C-1")


def test_it_refers_from_the_case_page(world, client):
    case = berlin_case(world)
    page = f"/cases/{case.reference}/"
    url = f"/cases/{case.reference}/referrals/"
    person = case.principal.person
    body = _login(client, world.carla).get(page).content.decode()
    assert "Referrals" in body and "Refer to a partner" not in body
    form = {"person": person.pk, "partner": world.partner.pk, "service": "business",
            "need": "Wants to open a bakery"}
    assert client.post(url, form).status_code == 403
    assert _login(client, world.otto).post(url, form).status_code == 404
    assert _login(client, world.paul).post(url, form).status_code == 404
    _login(client, world.sam)
    body = client.get(page).content.decode()
    assert "Refer to a partner" in body and "Baghdad Business Hub" in body
    response = client.post(url, form, follow=True)
    assert "record their consent first" in response.content.decode()
    assert not Referral.objects.exists()
    _consent(world, case)
    response = client.post(url, form)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#referrals"
    referral = Referral.objects.get()
    assert referral.shared["need"] == "Wants to open a bakery"
    body = client.get(page).content.decode()
    assert 'data-testid="referral"' in body and "Sent on" in body
    assert f"/cases/{case.reference}/referrals/{referral.pk}/withdraw/" in body
    # The host office's caseworker reads it, without the withdraw form.
    body = _login(client, world.carla).get(page).content.decode()
    assert 'data-testid="referral"' in body
    assert f"/referrals/{referral.pk}/withdraw/" not in body


def test_it_offers_only_partners_with_a_valid_agreement(world, client):
    add_partner(world.rita, world.baghdad, name="Old Friends",
                valid=(datetime.date(2020, 1, 1), datetime.date(2021, 6, 30)))
    case = berlin_case(world)
    body = _login(client, world.sam).get(f"/cases/{case.reference}/").content.decode()
    section = body[body.index('id="referrals"'):]
    assert "Baghdad Business Hub" in section and "Old Friends" not in section


def test_it_withdraws_a_referral_from_the_case_page(world, client):
    referral = referred(world)
    case = referral.case
    url = f"/cases/{case.reference}/referrals/{referral.pk}/withdraw/"
    assert _login(client, world.carla).post(url, {"reason": "x", "version": 1}
                                             ).status_code == 403
    assert _login(client, world.otto).post(url, {"reason": "x", "version": 1}
                                          ).status_code == 404
    assert _login(client, world.paul).post(url, {"reason": "x", "version": 1}
                                          ).status_code == 404
    _login(client, world.sam)
    other = berlin_case(world, given_name="Other")
    assert client.post(f"/cases/{other.reference}/referrals/{referral.pk}/withdraw/",
                       {"reason": "x", "version": 1}).status_code == 404
    response = client.post(url, {"reason": "Found work", "version": 1})
    assert response.status_code == 302
    assert Referral.objects.get().status == ReferralStatus.WITHDRAWN
    response = client.post(url, {"reason": "again", "version": 2}, follow=True)
    assert "only an open referral can be withdrawn" in response.content.decode()


# ---- the partner users' pages --------------------------------------------------------------


def test_it_sends_a_partner_user_home_to_their_referrals(world, client):
    referral = referred(world)
    _login(client, world.paul)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/partner/"
    body = client.get("/partner/").content.decode()
    assert "Referrals to Baghdad Business Hub" in body
    assert f"/partner/referrals/{referral.pk}/" in body and "Ahmed Al-Rashid" in body
    assert "My work" not in body and "Find a case" not in body and "Tasks" not in body
    assert "/partners/" not in body and referral.case.reference not in body
    assert "Business set-up" in body
    body = client.get("/partner/?status=closed").content.decode()
    assert f"/partner/referrals/{referral.pk}/" not in body
    # Staff have no partner home; their navigation has the directory.
    for persona in ("carla", "rita", "stella"):
        assert _login(client, world.users[persona]).get("/partner/").status_code == 403
    body = _login(client, world.carla).get("/").content.decode()
    assert 'href="/partners/"' in body


def test_it_lets_the_partner_work_a_referral_from_its_page(world, client):
    referral = referred(world)
    url = f"/partner/referrals/{referral.pk}/"
    _login(client, world.paul)
    body = client.get(url).content.decode()
    assert referral.shared["need"] in body and "Iraq" in body and "Arabic" in body
    assert "1990" not in body and referral.case.reference not in body
    assert "Accept the referral" in body and "Decline the referral" in body
    # Out of order: refused with the form's message.
    response = client.post(url + "close/", {"feedback": "x", "version": 1})
    assert response.status_code == 422
    assert "it is closed once the service given is recorded" in response.content.decode()
    assert client.post(url + "accept/", {"version": 1}).status_code == 302
    response = client.post(url + "decline/", {"decline-reason": "x", "decline-version": 1})
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode() or \
        "only a referral just sent" in response.content.decode()
    body = client.get(url).content.decode()
    assert "Record the service" in body
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(url + "service/", {"service_given": "Training", "version": 2,
                                              "service_on": future})
    assert response.status_code == 422 and "cannot be in the future" in \
        response.content.decode()
    assert client.post(url + "service/", {"service_given": "Training", "version": 2,
                                          "service_on": timezone.localdate().isoformat()}
                       ).status_code == 302
    assert client.post(url + "close/", {"feedback": "Doing well", "version": 3}
                       ).status_code == 302
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == ReferralStatus.CLOSED and stored.feedback == "Doing well"
    assert AuditEvent.objects.filter(event_type=AuditType.REFERRAL_CHANGED,
                                     actor=world.paul).count() == 3
    # The case team reads the partner's feedback on the case page.
    body = _login(client, world.carla).get(f"/cases/{stored.case.reference}/").content.decode()
    assert "Doing well" in body and "Closed" in body


def test_it_lets_a_partner_decline_from_its_page(world, client):
    referral = referred(world)
    url = f"/partner/referrals/{referral.pk}/decline/"
    _login(client, world.paul)
    response = client.post(url, {"decline-reason": "", "decline-version": 1})
    assert response.status_code == 422
    assert client.post(url, {"decline-reason": "No places left", "decline-version": 1}
                       ).status_code == 302
    assert Referral.objects.get().decline_reason == "No places left"
    for persona in ("sam", "carla", "rita"):
        assert _login(client, world.users[persona]).post(
            url, {"decline-reason": "x", "decline-version": 2}).status_code == 404


def test_it_offers_the_directory_names_in_the_consent_form(world, client):
    case = berlin_case(world)
    second_partner(world)
    body = _login(client, world.carla).get(
        f"/cases/{case.reference}/consent/record/").content.decode()
    assert 'list="partner-names"' in body
    assert '<option value="Baghdad Business Hub">' in body
    assert '<option value="Basra Legal Aid">' in body
