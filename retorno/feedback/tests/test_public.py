import pytest
from django.core.cache import cache
from django.test import Client

from retorno.feedback import services, throttle
from retorno.feedback.models import Feedback
from retorno.feedback.tests.builders import public, recorded
from retorno.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _form(world, **overrides):
    data = {"office": world.berlin.pk, "kind": "complaint", "category": "fraud",
            "description": "They asked me for 200 euros to speed up my file.",
            "name": "Ali Example", "contact": "+4915112345678"}
    data.update(overrides)
    return data


def test_the_form_needs_no_sign_in_and_lists_the_offices(world, client):
    response = client.get("/feedback/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone asked for money or a bribe" in body
    assert "Someone asked for sex or favours in exchange for help" in body
    assert "Germany — Berlin" in body and "Iraq — Baghdad" in body
    assert "Istanbul" not in body  # a transit office assists no one directly
    assert 'name="csrfmiddlewaretoken"' in body


def test_sending_answers_with_the_reference_itself(world, client):
    response = client.post("/feedback/", _form(world))
    assert response.status_code == 200  # no redirect to a page that shows it again
    item = Feedback.objects.get()
    assert item.reference in response.content.decode()
    assert "Keep this number" in response.content.decode()
    assert item.channel == "web" and item.sensitive and item.office == world.berlin
    assert item.name == "Ali Example" and item.language == "en"
    assert AuditEvent.objects.get(target_type="feedback").actor is None


def test_anonymous_drops_the_name_and_contact(world, client):
    client.post("/feedback/", _form(world, anonymous="on"))
    item = Feedback.objects.get()
    assert item.anonymous and item.name == "" and item.contact == ""


def test_missing_fields_are_named(world, client):
    response = client.post("/feedback/", _form(world, category="", description=""))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Choose what it is about." in body and "Tell us what happened." in body
    assert not Feedback.objects.exists()


def test_the_form_is_in_the_visitors_language(world, client):
    response = client.get("/feedback/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr"' in response.content.decode()
    client.post("/feedback/", _form(world), HTTP_ACCEPT_LANGUAGE="fr")
    assert Feedback.objects.get().language == "fr"


def test_csrf_is_checked(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/feedback/", _form(world)).status_code == 403
    assert not Feedback.objects.exists()


def test_a_filled_honeypot_saves_nothing(world, client):
    response = client.post("/feedback/", _form(world, homepage="http://spam.example"))
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_floods_are_throttled_per_address(world, client):
    for _i in range(throttle.SUBMISSIONS_PER_HOUR):
        assert client.post("/feedback/", _form(world)).status_code == 200
    response = client.post("/feedback/", _form(world))
    assert response.status_code == 429
    assert "Too many messages" in response.content.decode()
    assert Feedback.objects.count() == throttle.SUBMISSIONS_PER_HOUR
    other = client.post("/feedback/", _form(world), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_the_status_page_shows_the_status_only(world, client):
    item = recorded(world, description="Very private words", name="Amina Example")
    services.answer(actor=world.sam, item=item, version=item.version,
                    response="Our private answer")
    response = client.post("/feedback/status/", {"reference": item.reference.lower()})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Answered" in body
    for secret in ("Very private", "Amina", "Our private answer", "Berlin"):
        assert secret not in body


def test_the_status_page_says_when_a_reference_is_unknown(world, client):
    public(world)
    response = client.post("/feedback/status/", {"reference": "FB-AAAAAAAA"})
    assert response.status_code == 422
    assert "No feedback has this reference" in response.content.decode()
    assert client.get("/feedback/status/").status_code == 200


def test_status_lookups_are_throttled(world, client):
    for _i in range(throttle.LOOKUPS_PER_HOUR):
        client.post("/feedback/status/", {"reference": "FB-AAAAAAAA"})
    response = client.post("/feedback/status/", {"reference": "FB-AAAAAAAA"})
    assert response.status_code == 429


def test_the_language_switcher_works_without_signing_in(world, client):
    response = client.post("/accounts/language/", {"language": "ar", "next": "/feedback/"})
    assert response["Location"] == "/feedback/"
    body = client.get("/feedback/").content.decode()
    assert '<html lang="ar" dir="rtl"' in body
