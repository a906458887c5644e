import pytest

from retorno.people.models import Person
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(world):
    return open_case(world).members.get().person


def _form(person, version, **changes):
    data = {"given_name": person.given_name, "family_name": person.family_name,
            "given_name_original": person.given_name_original,
            "family_name_original": person.family_name_original, "aliases": "",
            "sex": person.sex, "date_of_birth": "1990-05-17", "nationality": "IRQ",
            "languages": "arb", "phone": "", "version": version}
    data.update(changes)
    return data


def test_it_shows_a_person_to_their_office_only(world, client, person):
    client.force_login(world.carla)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "أحمد الرشيد" in page and "Arabic" in page
    client.force_login(world.otto)
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_it_saves_changes_with_an_audit_of_old_and_new_values(world, client, person):
    client.force_login(world.carla)
    response = client.post(f"/people/{person.pk}/edit/",
                           _form(person, person.version, aliases="Ahmad Alrasheed"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(event_type=AuditType.PERSON_CHANGED)
    assert event.extra == {"old": {"aliases": ""}, "new": {"aliases": "Ahmad Alrasheed"}}
    # The new spelling is searchable at once.
    assert "alrasheed" in Person.objects.get(pk=person.pk).search_text


def test_it_refuses_a_stale_save_and_overwrites_nothing(world, client, person):
    client.force_login(world.carla)
    version = person.version
    client.post(f"/people/{person.pk}/edit/", _form(person, version, phone="+4915112345678"))
    response = client.post(f"/people/{person.pk}/edit/", _form(person, version, phone="+49"))
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    assert Person.objects.get(pk=person.pk).phone == "+4915112345678"


def test_it_explains_bad_input_in_place(world, client, person):
    client.force_login(world.carla)
    response = client.post(f"/people/{person.pk}/edit/", _form(
        person, person.version, date_of_birth="", date_of_birth_approximate="on",
        nationality="XXX"))
    page = response.content.decode()
    assert response.status_code == 422
    assert "Give an estimated date of birth" in page
    assert "Select a valid choice." in page


def test_it_adds_an_identity_document(world, client, person):
    client.force_login(world.carla)
    response = client.post(f"/people/{person.pk}/documents/add/", {
        "kind": "passport", "number": " a1234567 ", "issuing_country": "IRQ",
        "expiry_date": "2030-01-01"})
    assert response.status_code == 302
    assert person.documents.get().number == "A1234567"
    assert AuditEvent.objects.filter(event_type=AuditType.PERSON_DOCUMENT_ADDED).exists()


def test_it_lets_read_only_roles_see_but_not_edit(world, client, person):
    client.force_login(world.max)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.get(f"/people/{person.pk}/edit/").status_code == 403
