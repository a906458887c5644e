import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.cases.models import TimelineEntry
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.reintegration import services
from retorno.reintegration.models import CommunityProject
from retorno.reintegration.tests.builders import arrived
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _data(world, **overrides):
    data = {"programme": world.programme, "name": "Market stalls in Basra",
            "country": "IRQ", "subdivision": "IQ-BA", "place": "Basra",
            "budget": Decimal("25000"), "currency": "EUR", "partner": world.partner,
            "starts_on": datetime.date(2026, 3, 1), "ends_on": datetime.date(2026, 12, 31),
            "returnees_taking_part": 12, "community_members_taking_part": 30}
    data.update(overrides)
    return data


def _project(world, **overrides) -> CommunityProject:
    return services.create_project(actor=world.rita, data=_data(world, **overrides))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_creates_a_project_in_the_actors_office(world):
    project = _project(world)
    assert project.office == world.baghdad and project.created_by == world.rita
    event = AuditEvent.objects.get(event_type=AuditType.COMMUNITY_PROJECT_CHANGED)
    assert event.extra["part"] == "created" and event.extra["new"]["budget"] == "25000.000"
    assert event.office_id == world.baghdad.pk


def test_it_validates_a_project_with_every_problem_at_once(world):
    with pytest.raises(Invalid) as exc:
        _project(world, name="", budget=Decimal("-5"), subdivision="DE-BE",
                 ends_on=datetime.date(2026, 1, 1))
    assert set(exc.value.field_errors) == {"name", "budget", "subdivision", "ends_on"}
    assert exc.value.field_errors["ends_on"] == ["The project cannot end before it starts."]
    with pytest.raises(Invalid) as exc:
        _project(world, currency="IQD", budget=Decimal("10.5"))
    assert exc.value.field_errors["budget"] == [
        "An amount in IQD has at most 0 digits after the decimal point."]
    with pytest.raises(Invalid, match="currency"):
        _project(world, currency="")  # the world programme has none
    assert not CommunityProject.objects.exists()


def test_it_lets_only_reintegration_staff_keep_projects(world):
    for user in (world.carla, world.emil, world.pia):
        with pytest.raises(NotAllowed):
            services.create_project(actor=user, data=_data(world))
    project = _project(world)
    with pytest.raises(NotAllowed):
        services.update_project(actor=world.sam, project=project, version=1,
                                data={"name": "x"})


def test_it_updates_with_the_version(world):
    project = _project(world)
    services.update_project(actor=world.rita, project=project, version=1,
                            data={"status": "ongoing"})
    with pytest.raises(StaleVersion):
        services.update_project(actor=world.rita, project=project, version=1,
                                data={"status": "completed"})
    project.refresh_from_db()
    assert project.status == "ongoing" and project.version == 2


def test_it_links_only_cases_the_actor_sees(world):
    project = _project(world)
    case = arrived(world)
    hidden = open_case(world)  # not handed over: Baghdad does not see it
    services.link_case(actor=world.rita, project=project, case=case)
    assert list(project.cases.all()) == [case]
    assert TimelineEntry.objects.filter(
        case=case, summary="Linked to the community project Market stalls in Basra").exists()
    with pytest.raises(Invalid, match="already"):
        services.link_case(actor=world.rita, project=project, case=case)
    with pytest.raises(Invalid, match="that you may see"):
        services.link_case(actor=world.rita, project=project, case=hidden)
    services.unlink_case(actor=world.rita, project=project, case=case)
    assert not project.cases.exists()
    assert AuditEvent.objects.filter(event_type=AuditType.COMMUNITY_PROJECT_CHANGED,
                                     case_id=case.pk).count() == 2


def test_it_lists_and_filters_projects_for_staff(world, client):
    _project(world)
    _project(world, name="Bakery in Erbil", country="IRQ", subdivision="",
             place="Erbil", status="completed")
    client.force_login(world.carla)
    body = client.get("/reintegration/projects/").content.decode()
    assert "Market stalls in Basra" in body and "Bakery in Erbil" in body
    assert "€25,000.00" in body and "/reintegration/projects/new/" not in body
    body = client.get("/reintegration/projects/?status=completed").content.decode()
    assert "Bakery in Erbil" in body and "Market stalls" not in body
    for who in ("paul", "stella"):
        client.force_login(world.users[who])
        assert client.get("/reintegration/projects/").status_code == 403


def test_it_lists_projects_in_a_bounded_number_of_queries(world, client,
                                                          django_assert_max_num_queries):
    for n in range(5):
        _project(world, name=f"Project {n}")
    client.force_login(world.carla)
    client.get("/reintegration/projects/")
    with django_assert_max_num_queries(12):
        assert client.get("/reintegration/projects/").status_code == 200


def test_it_creates_edits_and_links_from_the_pages(world, client):
    case = arrived(world)
    client.force_login(world.rita)
    assert client.get("/reintegration/projects/new/").status_code == 200
    response = client.post("/reintegration/projects/new/", {
        "office": world.baghdad.pk, "programme": world.programme.pk, "name": "Bakery",
        "country": "IRQ", "subdivision": "", "place": "Erbil", "budget": "1000",
        "currency": "EUR", "partner": "", "status": "planned", "starts_on": "",
        "ends_on": "", "returnees_taking_part": "3", "community_members_taking_part": "5"})
    assert response.status_code == 302, response.content.decode()
    project = CommunityProject.objects.get()
    detail = f"/reintegration/projects/{project.pk}/"
    assert response["Location"] == detail
    response = client.post(f"{detail}link/", {"reference": case.reference.lower()},
                           follow=True)
    assert f"Case {case.reference} linked." in response.content.decode()
    response = client.post(f"{detail}link/", {"reference": "DEU-1999-999999"}, follow=True)
    assert "no case DEU-1999-999999 that you may see" in response.content.decode()
    assert client.get(f"{detail}edit/").status_code == 200
    response = client.post(f"{detail}edit/", {
        "office": world.baghdad.pk, "programme": world.programme.pk, "name": "Bakery",
        "country": "IRQ", "subdivision": "", "place": "Erbil", "budget": "1000",
        "currency": "EUR", "partner": "", "status": "planned", "starts_on": "2026-05-01",
        "ends_on": "2026-04-01", "returnees_taking_part": "3",
        "community_members_taking_part": "5", "version": project.version})
    assert response.status_code == 422
    assert "The project cannot end before it starts." in response.content.decode()
    # Carla (Berlin) sees the linked case; Otto (Vienna) reads the project, not the case.
    client.force_login(world.carla)
    body = client.get(detail).content.decode()
    assert case.reference in body and f"{detail}edit/" not in body
    assert client.get(f"{detail}edit/").status_code == 403
    assert client.post(f"{detail}link/", {"reference": case.reference}).status_code == 403
    client.force_login(world.otto)
    body = client.get(detail).content.decode()
    assert "1 case is linked to this project." in body and case.reference not in body
    client.force_login(world.stella)
    assert client.get(detail).status_code == 404
    assert client.get(f"{detail}edit/").status_code == 404
    assert client.get("/reintegration/projects/999999/").status_code == 404
    for who in ("carla", "pia"):
        client.force_login(world.users[who])
        assert client.get("/reintegration/projects/new/").status_code == 403


def test_it_serves_projects_through_the_api(world):
    case = arrived(world)
    rita = api(world.rita)
    response = rita.post(reverse("api:community_projects"), {
        "programme": world.programme.code, "name": "Bakery", "country": "IRQ",
        "place": "Erbil", "budget": "1000.00", "currency": "EUR",
        "partner": world.partner.pk}, format="json")
    assert response.status_code == 201, response.content
    project_id = response.json()["id"]
    assert response.json()["office"] == world.baghdad.code
    project = CommunityProject.objects.get(pk=project_id)
    services.link_case(actor=world.rita, project=project, case=case)
    one = reverse("api:community_project", args=[project_id])
    assert api(world.carla).get(one).json()["linked_cases"] == [case.reference]
    data = api(world.otto).get(one).json()
    assert data["linked_cases"] == [] and data["linked_count"] == 1
    listed = api(world.carla).get(reverse("api:community_projects") + "?country=IRQ").json()
    assert [p["id"] for p in listed["results"]] == [project_id]
    response = rita.patch(one, {"status": "ongoing", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "ongoing"
    assert rita.patch(one, {"status": "completed", "version": 1},
                      format="json").status_code == 409
    assert api(world.carla).patch(one, {"status": "completed", "version": 2},
                                  format="json").status_code == 403
    assert api(world.carla).post(reverse("api:community_projects"), {},
                                 format="json").status_code == 403
    assert api(world.stella).get(one).status_code == 404
    assert api(world.stella).get(reverse("api:community_projects")).status_code == 403
    response = rita.post(reverse("api:community_projects"), {
        "programme": "nope", "name": "X", "country": "IRQ", "place": "Y",
        "budget": "1"}, format="json")
    assert response.status_code == 400 and "programme" in response.json()["fields"]
