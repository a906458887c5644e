import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.accounts.models import Role
from retorno.accounts.services import grant_role
from retorno.people.services import register_person
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case, person_data

pytestmark = pytest.mark.django_db

PEOPLE = reverse("api:people")


def person_url(person_id: int) -> str:
    return reverse("api:person", args=[person_id])


@pytest.fixture
def client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client
    return make


def register(world, actor=None, office=None, **overrides):
    return register_person(actor=actor or world.carla, office=office or world.berlin,
                           data=person_data(**overrides))


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


class TestPeopleApi:
    def test_it_lists_only_people_the_user_may_see(self, world, client_for):
        berlin = register(world)
        vienna = register(world, actor=world.otto, office=world.vienna, given_name="Omar")
        assert ids(client_for(world.carla).get(PEOPLE)) == {berlin.pk}
        assert ids(client_for(world.max).get(PEOPLE)) == {berlin.pk}
        assert ids(client_for(world.otto).get(PEOPLE)) == {vienna.pk}
        assert ids(client_for(world.paul).get(PEOPLE)) == set()
        assert ids(client_for(world.stella).get(PEOPLE)) == set()

    def test_it_finds_people_by_partial_name_ignoring_case_and_accents(self, world, client_for):
        jose = register(world, given_name="José", family_name="García",
                        given_name_original="", family_name_original="")
        register(world, given_name="Ahmed", family_name="Al-Rashid")
        client = client_for(world.carla)
        assert ids(client.get(PEOPLE, {"q": "Jose"})) == {jose.pk}
        assert ids(client.get(PEOPLE, {"q": "GARC"})) == {jose.pk}
        assert ids(client.get(PEOPLE, {"q": "jos garcía"})) == {jose.pk}
        assert ids(client.get(PEOPLE, {"q": "jose rashid"})) == set()

    def test_it_finds_people_by_name_in_arabic_script(self, world, client_for):
        ahmed = register(world)  # أحمد الرشيد
        register(world, given_name="Omar", given_name_original="عمر", family_name="Khalil",
                 family_name_original="خليل")
        client = client_for(world.carla)
        # Typed without the hamza: Arabic letter variants are folded together.
        assert ids(client.get(PEOPLE, {"q": "احمد"})) == {ahmed.pk}
        assert ids(client.get(PEOPLE, {"q": "الرش"})) == {ahmed.pk}

    def test_it_filters_people_by_date_of_birth_and_nationality(self, world, client_for):
        iraqi = register(world)
        syrian = register(world, given_name="Rami", nationality="SYR",
                          date_of_birth=datetime.date(1985, 1, 2))
        client = client_for(world.carla)
        assert ids(client.get(PEOPLE, {"date_of_birth": "1985-01-02"})) == {syrian.pk}
        assert ids(client.get(PEOPLE, {"nationality": "irq"})) == {iraqi.pk}
        assert ids(client.get(PEOPLE, {"nationality": "SYR", "date_of_birth": "1990-05-17"})) \
            == set()

    def test_it_refuses_a_malformed_date_of_birth_filter(self, world, client_for):
        response = client_for(world.carla).get(PEOPLE, {"date_of_birth": "17/05/1990"})
        assert response.status_code == 400
        assert "date_of_birth" in response.json()

    def test_it_paginates_by_fifty(self, world, client_for):
        for number in range(51):
            register(world, given_name=f"Person{number}")
        first = client_for(world.carla).get(PEOPLE).json()
        # Pages are not counted: `next` says whether more follow.
        assert (len(first["results"]), first["previous"]) == (50, None)
        assert first["results"][0]["given_name"] == "Person50"  # newest first
        second = client_for(world.carla).get(first["next"]).json()
        assert len(second["results"]) == 1
        assert (second["next"], second["previous"] is not None) == (None, True)
        assert client_for(world.carla).get(PEOPLE, {"page": "x"}).status_code == 404

    def test_it_registers_a_person_in_the_users_only_office_and_audits_it(self, world,
                                                                           client_for):
        body = {**person_data(), "date_of_birth": "1990-05-17"}
        response = client_for(world.carla).post(PEOPLE, body, format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["registered_office"], data["version"]) == ("deu-ber", 1)
        assert data["display_name"] == "Ahmed Al-Rashid (أحمد الرشيد)"
        event = AuditEvent.objects.get(event_type=AuditType.PERSON_CREATED,
                                       target_id=data["id"])
        assert (event.actor, event.office) == (world.carla, world.berlin)

    def test_it_asks_for_the_office_when_the_user_works_in_several(self, world, client_for):
        grant_role(user=world.carla, office=world.vienna, role=Role.CASEWORKER)
        client = client_for(world.carla)
        response = client.post(PEOPLE, {"given_name": "Amina"}, format="json")
        assert response.status_code == 400
        assert "office" in response.json()["fields"]
        response = client.post(PEOPLE, {"given_name": "Amina", "office": "aut-vie"},
                               format="json")
        assert response.status_code == 201
        assert response.json()["registered_office"] == "aut-vie"

    def test_it_refuses_registration_in_another_office(self, world, client_for):
        response = client_for(world.carla).post(
            PEOPLE, {"given_name": "Amina", "office": "aut-vie"}, format="json")
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(event_type=AuditType.PERSON_CREATED).exists()

    @pytest.mark.parametrize("persona", ["max", "paul", "stella"])
    def test_it_refuses_registration_to_roles_without_the_right(self, world, client_for,
                                                                persona):
        response = client_for(getattr(world, persona)).post(PEOPLE, {"given_name": "Amina"},
                                                            format="json")
        assert response.status_code == 403

    def test_it_rejects_unknown_and_invalid_fields(self, world, client_for):
        client = client_for(world.carla)
        response = client.post(PEOPLE, {"given_name": "Amina", "status": "x"}, format="json")
        assert response.status_code == 400
        assert "status" in response.json()
        response = client.post(PEOPLE, {"given_name": "Amina", "nationality": "XXX"},
                               format="json")
        assert response.status_code == 400
        assert "nationality" in response.json()
        response = client.post(PEOPLE, {"given_name": "Amina", "languages": ["zzz"]},
                               format="json")
        assert response.status_code == 400
        assert "languages" in response.json()["fields"]

    def test_it_shows_a_person_with_their_version_and_visible_cases(self, world, client_for):
        case = open_case(world)
        person = case.principal.person
        data = client_for(world.carla).get(person_url(person.pk)).json()
        assert (data["id"], data["version"], data["nationality"]) == (person.pk, 1, "IRQ")
        assert data["cases"] == [case.reference]
        assert data["documents"] == []

    def test_it_hides_another_offices_person(self, world, client_for):
        person = register(world)
        client = client_for(world.otto)
        assert client.get(person_url(person.pk)).status_code == 404
        response = client.patch(person_url(person.pk), {"phone": "1", "version": 1},
                                format="json")
        assert response.status_code == 404
        assert client.get(person_url(999_999)).status_code == 404
        person.refresh_from_db()
        assert person.phone == ""

    def test_it_changes_a_person_and_records_old_and_new_values(self, world, client_for):
        person = register(world)
        response = client_for(world.carla).patch(
            person_url(person.pk), {"family_name": "Rashid", "version": 1}, format="json")
        assert response.status_code == 200, response.content
        assert (response.json()["family_name"], response.json()["version"]) == ("Rashid", 2)
        event = AuditEvent.objects.get(event_type=AuditType.PERSON_CHANGED)
        assert event.extra == {"old": {"family_name": "Al-Rashid"},
                               "new": {"family_name": "Rashid"}}

    def test_it_refuses_a_stale_version_and_keeps_what_is_stored(self, world, client_for):
        person = register(world)
        sam, carla = client_for(world.sam), client_for(world.carla)
        assert sam.patch(person_url(person.pk), {"phone": "+4930123", "version": 1},
                         format="json").status_code == 200
        response = carla.patch(person_url(person.pk), {"phone": "+4930999", "version": 1},
                               format="json")
        assert response.status_code == 409
        assert "Someone else changed this record" in response.json()["detail"]
        person.refresh_from_db()
        assert (person.phone, person.version) == ("+4930123", 2)

    def test_it_requires_the_version_to_change_a_person(self, world, client_for):
        person = register(world)
        response = client_for(world.carla).patch(person_url(person.pk), {"phone": "1"},
                                                 format="json")
        assert response.status_code == 400
        assert "version" in response.json()

    def test_it_refuses_changes_by_a_role_that_may_only_read(self, world, client_for):
        person = register(world)
        response = client_for(world.max).patch(person_url(person.pk),
                                               {"phone": "1", "version": 1}, format="json")
        assert response.status_code == 403

    def test_it_adds_an_identity_document(self, world, client_for):
        person = register(world)
        response = client_for(world.carla).post(
            reverse("api:person_documents", args=[person.pk]),
            {"kind": "passport", "number": "A1234567", "issuing_country": "IRQ",
             "expiry_date": "2031-01-31"}, format="json")
        assert response.status_code == 201, response.content
        assert AuditEvent.objects.filter(event_type=AuditType.PERSON_DOCUMENT_ADDED,
                                         target_id=person.pk).exists()
        documents = client_for(world.carla).get(person_url(person.pk)).json()["documents"]
        assert [(d["kind"], d["number"]) for d in documents] == [("passport", "A1234567")]
