import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.cases.models import Case, Relationship, TimelineKind
from retorno.cases.services import add_member, transition_case
from retorno.people.services import register_person
from retorno.privacy.models import AuditEvent, AuditType
from retorno.programmes.models import MigrantCategory
from retorno.testing.personas import PASSWORD, WORLD_EVENTS, open_case, person_data

pytestmark = pytest.mark.django_db

CASES = reverse("api:cases")


def case_url(case: Case | str) -> str:
    return reverse("api:case", args=[getattr(case, "reference", case)])


def members_url(case: Case) -> str:
    return reverse("api:case_members", args=[case.reference])


@pytest.fixture(autouse=True)
def _clear_throttles():
    # The token endpoint is rate-limited per address: every test starts afresh.
    cache.clear()


@pytest.fixture
def client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client
    return make


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def new_case_body(**overrides) -> dict:
    body = {
        "principal": {**person_data(), "date_of_birth": "1990-05-17"},
        "category": MigrantCategory.ASYLUM_REJECTED,
        "vulnerabilities": ["medical"],
        "destination_country": "IRQ",
        "destination_area": "Erbil",
        "programme": "erin-deu",
        "origin_office": "irq-bgw",
    }
    body.update(overrides)
    return body


def with_child(world, case: Case) -> None:
    child = register_person(actor=world.carla, office=world.berlin, data=person_data(
        given_name="Lina", given_name_original="لينا", sex="F",
        date_of_birth=datetime.date(2015, 3, 1)))
    add_member(actor=world.carla, case=case, person=child, member={
        "relationship": Relationship.CHILD, "category": MigrantCategory.ASYLUM_REJECTED,
        "vulnerabilities": ["separated_child"]})


class TestCasesApi:
    # ---- the list ---------------------------------------------------------------------

    def test_it_lists_only_the_cases_the_user_may_see(self, world, client_for):
        berlin = open_case(world)
        vienna = open_case(world, actor=world.otto, office=world.vienna)
        assert references(client_for(world.carla).get(CASES)) == [berlin.reference]
        assert references(client_for(world.max).get(CASES)) == [berlin.reference]
        assert references(client_for(world.otto).get(CASES)) == [vienna.reference]
        # The origin office sees nothing before handover; partners and statistics
        # viewers never see a case.
        for persona in ("rita", "paul", "stella"):
            assert references(client_for(getattr(world, persona)).get(CASES)) == []

    def test_it_lists_cases_newest_first_with_their_summary(self, world, client_for):
        older = open_case(world)
        newer = open_case(world, person=person_data(given_name="Omar", given_name_original=""))
        response = client_for(world.carla).get(CASES)
        assert references(response) == [newer.reference, older.reference]
        item = response.json()["results"][0]
        assert item == {
            "reference": newer.reference, "status": "registered", "status_label": "Registered",
            "host_office": "deu-ber", "destination_country": "IRQ",
            "principal": "Omar Al-Rashid (الرشيد)", "assignee": "carla",
            "updated_at": item["updated_at"], "version": 1,
        }

    def test_it_lists_cases_in_a_constant_number_of_queries(self, world, client_for,
                                                            django_assert_max_num_queries):
        for number in range(8):
            case = open_case(world, person=person_data(given_name=f"P{number}"))
            with_child(world, case)
        client = client_for(world.carla)
        # memberships, the page's ids, the page, members with their people (no count)
        with django_assert_max_num_queries(5):
            assert len(references(client.get(CASES))) == 8
        with django_assert_max_num_queries(5):
            assert len(references(client.get(CASES, {"q": "lina", "status": "registered"}))) \
                == 8

    def test_it_pages_newest_first_without_counting(self, world, client_for, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}
        cases = [open_case(world) for _ in range(3)]
        client = client_for(world.carla)
        first = client.get(CASES, {"q": "ahmed"}).json()
        assert [c["reference"] for c in first["results"]] == [cases[2].reference,
                                                               cases[1].reference]
        assert "count" not in first and first["previous"] is None
        second = client.get(first["next"]).json()
        assert [c["reference"] for c in second["results"]] == [cases[0].reference]
        assert second["next"] is None

    def test_it_filters_cases_by_reference_and_status(self, world, client_for):
        first, second = open_case(world), open_case(world)
        transition_case(second, "counselling", actor=world.carla)
        client = client_for(world.carla)
        assert references(client.get(CASES, {"reference": first.reference})) \
            == [first.reference]
        assert references(client.get(CASES, {"reference": first.reference.lower()})) \
            == [first.reference]
        assert references(client.get(CASES, {"status": "counselling"})) == [second.reference]
        assert client.get(CASES, {"status": "flying"}).status_code == 400

    def test_it_finds_cases_by_any_members_name_in_either_script(self, world, client_for):
        jose = open_case(world, person=person_data(
            given_name="José", family_name="García", given_name_original="",
            family_name_original="", nationality="SYR"))
        ahmed = open_case(world)
        with_child(world, ahmed)
        client = client_for(world.carla)
        assert references(client.get(CASES, {"q": "Jose"})) == [jose.reference]
        assert references(client.get(CASES, {"q": "garc"})) == [jose.reference]
        assert references(client.get(CASES, {"q": "لينا"})) == [ahmed.reference]
        assert references(client.get(CASES, {"q": "احمد"})) == [ahmed.reference]
        # A case with two matching members is listed once.
        assert references(client.get(CASES, {"q": "rashid"})) == [ahmed.reference]

    def test_it_filters_cases_by_a_members_date_of_birth_and_nationality(self, world,
                                                                          client_for):
        syrian = open_case(world, person=person_data(nationality="SYR",
                                                     date_of_birth=datetime.date(1980, 1, 1)))
        iraqi = open_case(world)
        with_child(world, iraqi)
        client = client_for(world.carla)
        assert references(client.get(CASES, {"date_of_birth": "2015-03-01"})) \
            == [iraqi.reference]
        assert references(client.get(CASES, {"nationality": "syr"})) == [syrian.reference]
        # Both must hold for the same member.
        assert references(client.get(CASES, {"nationality": "SYR",
                                             "date_of_birth": "2015-03-01"})) == []

    # ---- the detail -------------------------------------------------------------------

    def test_it_shows_a_case_with_members_and_timeline(self, world, client_for):
        case = open_case(world)
        with_child(world, case)
        transition_case(case, "counselling", actor=world.carla)
        data = client_for(world.carla).get(case_url(case)).json()
        assert (data["status"], data["host_office"], data["origin_office"],
                data["programme"], data["assignee"], data["version"]) == (
            "counselling", "deu-ber", "irq-bgw", "erin-deu", "carla", case.version)
        assert [(m["display_name"], m["relationship"]) for m in data["members"]] == [
            ("Ahmed Al-Rashid (أحمد الرشيد)", "principal"),
            ("Lina Al-Rashid (لينا الرشيد)", "child")]
        assert [e["kind"] for e in data["timeline"]] == [
            TimelineKind.TRANSITION, TimelineKind.MEMBER_ADDED, TimelineKind.OPENED]
        assert (data["timeline"][0]["from_status"], data["timeline"][0]["to_status"]) \
            == ("registered", "counselling")
        assert data["timeline"][1]["from_status"] is None

    def test_it_shows_vulnerabilities_only_to_roles_that_may_read_them(self, world,
                                                                       client_for):
        case = open_case(world)
        with_child(world, case)
        members = client_for(world.carla).get(case_url(case)).json()["members"]
        assert [m["vulnerabilities"] for m in members] == [[], ["separated_child"]]
        for persona in ("max", "pia"):
            members = client_for(getattr(world, persona)).get(case_url(case)).json()["members"]
            assert all("vulnerabilities" not in m for m in members)

    def test_it_shows_at_most_fifty_timeline_entries(self, world, client_for):
        case = open_case(world)
        for number in range(30):
            transition_case(case, "on_hold", actor=world.carla, reason=f"Hold {number}")
            transition_case(case, "resume", actor=world.carla)
        timeline = client_for(world.carla).get(case_url(case)).json()["timeline"]
        assert len(timeline) == 50
        assert timeline[1]["reason"] == "Hold 29"

    def test_it_hides_another_offices_case(self, world, client_for):
        case = open_case(world)
        otto = client_for(world.otto)
        missing = otto.get(case_url("DEU-2000-999999"))
        assert missing.status_code == 404
        forbidden = otto.get(case_url(case))
        assert (forbidden.status_code, forbidden.json()) == (404, missing.json())
        response = otto.patch(case_url(case), {"destination_area": "Mosul", "version": 1},
                              format="json")
        assert response.status_code == 404
        response = otto.post(members_url(case), {
            "person": {"given_name": "Amina"}, "relationship": "spouse",
            "category": "irregular"}, format="json")
        assert response.status_code == 404
        assert client_for(world.paul).get(case_url(case)).status_code == 404
        case.refresh_from_db()
        assert (case.destination_area, case.version, case.members.count()) == ("", 1, 1)

    # ---- opening a case ---------------------------------------------------------------

    def test_it_opens_a_case_for_a_new_person_with_audit_and_timeline(self, world,
                                                                      client_for):
        response = client_for(world.carla).post(CASES, new_case_body(), format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        case = Case.objects.get(reference=data["reference"])
        assert (case.host_office, case.programme, case.assignee) == (
            world.berlin, world.programme, world.carla)
        assert data["reference"].startswith("DEU-")
        assert data["members"][0]["vulnerabilities"] == ["medical"]
        person_id = data["members"][0]["person_id"]
        events = set(AuditEvent.objects.filter(actor=world.carla)
                     .values_list("event_type", "target_type", "target_id"))
        assert events == {(AuditType.PERSON_CREATED, "person", person_id),
                          (AuditType.CASE_CREATED, "case", case.pk),
                          (AuditType.CASE_MEMBER_ADDED, "case", case.pk)}
        assert [e["kind"] for e in data["timeline"]] == [TimelineKind.OPENED]

    def test_it_opens_a_case_for_a_registered_person(self, world, client_for):
        person = register_person(actor=world.carla, office=world.berlin, data=person_data())
        body = new_case_body(principal_id=person.pk)
        del body["principal"]
        response = client_for(world.sam).post(CASES, body, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["members"][0]["person_id"] == person.pk
        assert response.json()["assignee"] is None  # a supervisor is not assigned by default

    def test_it_wants_exactly_one_principal(self, world, client_for):
        person = register_person(actor=world.carla, office=world.berlin, data=person_data())
        client = client_for(world.carla)
        response = client.post(CASES, new_case_body(principal_id=person.pk), format="json")
        assert response.status_code == 400
        assert "principal" in response.json()
        body = new_case_body()
        del body["principal"]
        assert client.post(CASES, body, format="json").status_code == 400
        assert not Case.objects.exists()

    def test_it_refuses_a_principal_the_user_may_not_see(self, world, client_for):
        person = register_person(actor=world.otto, office=world.vienna, data=person_data())
        body = new_case_body(principal_id=person.pk)
        del body["principal"]
        response = client_for(world.carla).post(CASES, body, format="json")
        assert response.status_code == 400
        assert "principal_id" in response.json()

    @pytest.mark.parametrize("persona", ["max", "rita", "paul", "stella"])
    def test_it_refuses_to_open_cases_for_roles_without_the_right(self, world, client_for,
                                                                  persona):
        response = client_for(getattr(world, persona)).post(CASES, new_case_body(),
                                                            format="json")
        assert response.status_code == 403
        assert not Case.objects.exists()
        assert not AuditEvent.objects.exclude(event_type__in=WORLD_EVENTS).exists()

    def test_it_refuses_to_open_a_case_in_another_office(self, world, client_for):
        response = client_for(world.otto).post(CASES, new_case_body(office="deu-ber"),
                                               format="json")
        assert response.status_code == 403
        assert not AuditEvent.objects.exclude(event_type__in=WORLD_EVENTS).exists()

    def test_it_rejects_bad_codes_without_saving_anything(self, world, client_for):
        client = client_for(world.carla)
        for bad in ({"destination_country": "ZZZ"}, {"programme": "nope"},
                    {"origin_office": "nope"}, {"vulnerabilities": ["dragons"]},
                    {"principal": {"given_name": "A", "nationality": "ZZZ"}}):
            response = client.post(CASES, new_case_body(**bad), format="json")
            assert response.status_code == 400, bad
            assert set(bad) <= set(response.json()), response.json()
        assert not AuditEvent.objects.exclude(event_type__in=WORLD_EVENTS).exists()

    # ---- changing a case --------------------------------------------------------------

    def test_it_changes_a_case_with_the_current_version(self, world, client_for):
        case = open_case(world)
        response = client_for(world.carla).patch(
            case_url(case), {"destination_area": "Mosul", "version": 1}, format="json")
        assert response.status_code == 200, response.content
        data = response.json()
        assert (data["destination_area"], data["version"]) == ("Mosul", 2)
        assert data["timeline"][0]["kind"] == TimelineKind.CHANGED
        event = AuditEvent.objects.get(event_type=AuditType.CASE_CHANGED)
        assert event.extra == {"old": {"destination_area": ""},
                               "new": {"destination_area": "Mosul"}}

    def test_it_refuses_a_stale_version_and_overwrites_nothing(self, world, client_for):
        case = open_case(world)
        carla, sam = client_for(world.carla), client_for(world.sam)
        assert sam.patch(case_url(case), {"destination_area": "Erbil", "version": 1},
                         format="json").status_code == 200
        response = carla.patch(case_url(case), {"destination_area": "Mosul",
                                                "destination_country": "SYR", "version": 1},
                               format="json")
        assert response.status_code == 409
        assert "Someone else changed this record" in response.json()["detail"]
        case.refresh_from_db()
        assert (case.destination_area, case.destination_country, case.version) == (
            "Erbil", "IRQ", 2)
        assert AuditEvent.objects.filter(event_type=AuditType.CASE_CHANGED).count() == 1

    def test_it_requires_the_version_to_change_a_case(self, world, client_for):
        case = open_case(world)
        response = client_for(world.carla).patch(case_url(case), {"destination_area": "Mosul"},
                                                 format="json")
        assert response.status_code == 400
        assert "version" in response.json()

    def test_it_does_not_change_the_status_by_patch(self, world, client_for):
        case = open_case(world)
        response = client_for(world.carla).patch(case_url(case),
                                                 {"status": "closed", "version": 1},
                                                 format="json")
        assert response.status_code == 400
        assert "status" in response.json()

    def test_it_lets_a_supervisor_reassign_a_case(self, world, client_for):
        case = open_case(world)
        response = client_for(world.sam).patch(
            case_url(case), {"assignee": "sam", "programme": None, "version": 1},
            format="json")
        assert response.status_code == 200, response.content
        data = response.json()
        assert (data["assignee"], data["programme"], data["version"]) == ("sam", None, 3)
        assert AuditEvent.objects.filter(event_type=AuditType.CASE_ASSIGNED).exists()

    def test_it_refuses_reassignment_by_a_caseworker_and_keeps_the_other_changes_out(
            self, world, client_for):
        case = open_case(world)
        response = client_for(world.carla).patch(
            case_url(case), {"assignee": "sam", "destination_area": "Mosul", "version": 1},
            format="json")
        assert response.status_code == 403
        case.refresh_from_db()
        assert (case.assignee, case.destination_area, case.version) == (world.carla, "", 1)

    def test_it_refuses_an_assignee_from_another_office(self, world, client_for):
        case = open_case(world)
        response = client_for(world.sam).patch(case_url(case),
                                               {"assignee": "otto", "version": 1},
                                               format="json")
        assert response.status_code == 400
        assert "assignee" in response.json()
        response = client_for(world.sam).patch(case_url(case),
                                               {"assignee": "max", "version": 1},
                                               format="json")
        assert response.status_code == 400
        assert "assignee" in response.json()["fields"]

    def test_it_refuses_changes_by_a_role_that_may_only_read(self, world, client_for):
        case = open_case(world)
        response = client_for(world.max).patch(case_url(case),
                                               {"destination_area": "Mosul", "version": 1},
                                               format="json")
        assert response.status_code == 403

    # ---- members ----------------------------------------------------------------------

    def test_it_adds_a_new_person_as_a_member(self, world, client_for):
        case = open_case(world)
        response = client_for(world.carla).post(members_url(case), {
            "person": {"given_name": "Amina", "family_name": "Al-Rashid", "sex": "F"},
            "relationship": "spouse", "category": "irregular"}, format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert [m["relationship"] for m in data["members"]] == ["principal", "spouse"]
        assert data["version"] == 2
        assert data["timeline"][0]["kind"] == TimelineKind.MEMBER_ADDED
        assert AuditEvent.objects.filter(event_type=AuditType.CASE_MEMBER_ADDED,
                                         case=case).count() == 2

    def test_it_adds_a_registered_person_and_refuses_them_twice(self, world, client_for):
        case = open_case(world)
        person = register_person(actor=world.carla, office=world.berlin,
                                 data=person_data(given_name="Amina"))
        body = {"person_id": person.pk, "relationship": "spouse", "category": "irregular"}
        client = client_for(world.carla)
        assert client.post(members_url(case), body, format="json").status_code == 201
        response = client.post(members_url(case), body, format="json")
        assert response.status_code == 400
        assert "already a member" in response.json()["detail"]

    def test_it_refuses_a_second_principal(self, world, client_for):
        case = open_case(world)
        response = client_for(world.carla).post(members_url(case), {
            "person": {"given_name": "Amina"}, "relationship": "principal",
            "category": "irregular"}, format="json")
        assert response.status_code == 400
        assert "relationship" in response.json()

    def test_it_removes_a_member_but_not_the_principal(self, world, client_for):
        case = open_case(world)
        with_child(world, case)
        child_id = case.members.get(relationship=Relationship.CHILD).person_id
        principal_id = case.members.get(relationship=Relationship.PRINCIPAL).person_id
        client = client_for(world.carla)
        assert client.delete(reverse("api:case_member", args=[case.reference, principal_id])) \
            .status_code == 400
        assert client.delete(reverse("api:case_member", args=[case.reference, child_id])) \
            .status_code == 204
        assert client.delete(reverse("api:case_member", args=[case.reference, child_id])) \
            .status_code == 404
        assert AuditEvent.objects.filter(event_type=AuditType.CASE_MEMBER_REMOVED).count() == 1
        assert client_for(world.otto).delete(
            reverse("api:case_member", args=[case.reference, principal_id])).status_code == 404

    # ---- authentication ---------------------------------------------------------------

    def test_it_authenticates_scripts_with_a_token(self, world):
        case = open_case(world)
        client = APIClient()
        assert client.get(CASES).status_code in (401, 403)
        response = client.post(reverse("api:token"),
                               {"username": "carla", "password": PASSWORD}, format="json")
        assert response.status_code == 200, response.content
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        assert references(client.get(CASES)) == [case.reference]

    def test_it_refuses_a_token_for_a_wrong_password(self, world):
        response = APIClient().post(reverse("api:token"),
                                    {"username": "carla", "password": "guess"}, format="json")
        assert response.status_code == 400
        assert "token" not in response.json()

    def test_it_slows_down_password_guessing(self, world):
        client = APIClient()
        for _attempt in range(10):
            client.post(reverse("api:token"), {"username": "carla", "password": "guess"})
        response = client.post(reverse("api:token"),
                                {"username": "carla", "password": PASSWORD})
        assert response.status_code == 429

    def test_it_works_with_a_session_login(self, world):
        case = open_case(world)
        client = APIClient()
        assert client.login(username="carla", password=PASSWORD)
        assert client.get(case_url(case)).json()["reference"] == case.reference
