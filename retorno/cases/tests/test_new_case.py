import re

import pytest

from retorno.cases.models import Case, Status
from retorno.people.models import Person
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _form(world, **overrides):
    data = {
        "office": world.berlin.pk,
        "person-given_name": "Olena", "person-family_name": "Kovalenko",
        "person-given_name_original": "Олена", "person-family_name_original": "Коваленко",
        "person-sex": "F", "person-date_of_birth": "1985-03-02",
        "person-nationality": "UKR", "person-languages": "ukr, rus",
        "member-category": "irregular",
        "case-destination_country": "UKR",
    }
    data.update(overrides)
    return data


def test_it_registers_a_person_and_opens_a_case(world, client):
    client.force_login(world.carla)
    response = client.post("/cases/new/", _form(world))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    assert re.fullmatch(r"DEU-\d{4}-000001", case.reference)
    assert case.status == Status.REGISTERED
    assert case.assignee == world.carla
    person = case.members.get().person
    assert (person.given_name_original, person.languages) == ("Олена", ["ukr", "rus"])
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {AuditType.PERSON_CREATED, AuditType.CASE_CREATED,
            AuditType.CASE_MEMBER_ADDED} <= types


def test_it_numbers_cases_per_host_country(world, client):
    first = open_case(world)
    second = open_case(world)
    vienna = open_case(world, actor=world.otto, office=world.vienna)
    assert first.reference[-6:] == "000001" and second.reference[-6:] == "000002"
    assert vienna.reference.startswith("AUT-") and vienna.reference.endswith("-000001")


def test_it_shows_inline_errors_and_saves_nothing_on_bad_input(world, client):
    client.force_login(world.carla)
    response = client.post("/cases/new/", _form(world, **{
        "person-given_name": "", "person-languages": "xx1",
        "case-destination_country": "UKR", "case-origin_office": world.baghdad.pk}))
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page
    assert "xx1 is not an ISO 639-3 language code." in page
    assert "This office is not in the destination country." in page
    assert 'value="Kovalenko"' in page  # what was typed is kept
    assert not Person.objects.exists() and not Case.objects.exists()


def test_it_offers_a_registered_person_with_the_same_birth_date_and_a_similar_name(
        world, client):
    existing = open_case(world).members.get().person  # Ahmed Al-Rashid, 1990-05-17
    client.force_login(world.carla)
    data = _form(world, **{"person-given_name": "Ahmad", "person-family_name": "Al Rashid",
                           "person-given_name_original": "", "person-family_name_original": "",
                           "person-date_of_birth": "1990-05-17", "person-nationality": "IRQ"})
    response = client.post("/cases/new/", data)
    assert response.status_code == 200
    assert "This person may already be registered" in response.content.decode()
    assert f"?person={existing.pk}" in response.content.decode()
    assert Person.objects.count() == 1

    # Use the existing record: the case opens for them, no new person.
    response = client.post(f"/cases/new/?person={existing.pk}", data)
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert Case.objects.filter(members__person=existing).count() == 2

    # Or say it is somebody else.
    response = client.post("/cases/new/", {**data, "confirmed_new": "1"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_it_does_not_offer_people_from_another_office(world, client):
    open_case(world, actor=world.otto, office=world.vienna)
    client.force_login(world.carla)
    data = _form(world, **{"person-given_name": "Ahmed", "person-family_name": "Al-Rashid",
                           "person-date_of_birth": "1990-05-17"})
    response = client.post("/cases/new/", data)
    assert response.status_code == 302  # no duplicate shown: Vienna's person is not visible


def test_it_refuses_roles_that_may_not_open_cases(world, client):
    for persona in ("max", "rita", "paul", "stella"):
        client.force_login(world.users[persona])
        assert client.get("/cases/new/").status_code == 403


def test_it_refuses_an_office_the_user_does_not_work_in(world, client):
    client.force_login(world.carla)
    response = client.post("/cases/new/", _form(world, office=world.vienna.pk))
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_it_cannot_open_a_case_for_a_person_the_user_cannot_see(world, client):
    other = open_case(world, actor=world.otto, office=world.vienna).members.get().person
    client.force_login(world.carla)
    assert client.get(f"/cases/new/?person={other.pk}").status_code == 404
