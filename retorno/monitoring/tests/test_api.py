import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.monitoring.models import MonitoringVisit, ScheduleStep
from retorno.monitoring.tests.builders import STEPS, arrived, schedule
from retorno.surveys.services import install_shipped
from retorno.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def visits(case, rest: str = "") -> str:
    return f"/api/v1/cases/{case.reference}/monitoring-visits/{rest}"


def schedule_url(code: str = "erin-deu") -> str:
    return f"/api/v1/programmes/{code}/monitoring-schedule/"


def test_it_records_lists_and_changes_visits(world):
    schedule(world)
    case = arrived(world)
    step = ScheduleStep.objects.get(months_after_arrival=3)
    response = api(world.emil).post(visits(case), {
        "step": step.pk, "contact_on": timezone.localdate().isoformat(),
        "mode": "phone_call", "outcome": "not_reached", "notes": "Phone off."},
        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["conclusive"] is False and body["notes"] is None  # emil: no protection
    assert body["case"] == case.reference and body["recorded_by"] == "emil"
    listed = api(world.rita).get(visits(case)).json()
    assert [v["notes"] for v in listed] == ["Phone off."]
    assert api(world.carla).get(visits(case)).json()[0]["notes"] == "Phone off."
    response = api(world.rita).patch(visits(case, f"{body['id']}/"), {
        "outcome": "migrated_again", "migrated_to_country": "DEU", "version": 1},
        format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["conclusive"] is True and response.json()["version"] == 2
    assert Task.objects.get(case=case, subject_id=step.pk).status == TaskStatus.DONE
    response = api(world.rita).patch(visits(case, f"{body['id']}/"), {
        "mode": "video_call", "version": 1}, format="json")
    assert response.status_code == 409


def test_bad_visits_are_refused_with_their_field(world):
    case = arrived(world)
    response = api(world.emil).post(visits(case), {
        "contact_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "mode": "phone_call", "outcome": "reached"}, format="json")
    assert response.status_code == 400
    assert "before the arrival" in response.json()["fields"]["contact_on"][0]
    response = api(world.emil).post(visits(case), {
        "contact_on": timezone.localdate().isoformat(), "mode": "phone_call",
        "outcome": "reached", "colour": "red"}, format="json")
    assert response.status_code == 400 and "colour" in response.json()
    response = api(world.emil).patch(visits(case, "1/"), {"mode": "other"}, format="json")
    assert response.status_code in (400, 404)
    assert not MonitoringVisit.objects.exists()


def test_visits_are_hidden_from_outsiders_and_refused_to_other_roles(world):
    case = arrived(world)
    visit = api(world.emil).post(visits(case), {
        "contact_on": timezone.localdate().isoformat(), "mode": "home_visit",
        "outcome": "reached"}, format="json").json()
    for who in ("otto", "vera", "paul", "stella", "tariq"):
        client = api(world.users[who])
        assert client.get(visits(case)).status_code == 404, who
        assert client.post(visits(case), {}, format="json").status_code == 404, who
        assert client.patch(visits(case, f"{visit['id']}/"), {},
                            format="json").status_code == 404, who
    for who in ("carla", "sam", "pia", "dana"):
        client = api(world.users[who])
        assert client.get(visits(case)).status_code == 200, who
        assert client.post(visits(case), {}, format="json").status_code == 403, who
        assert client.patch(visits(case, f"{visit['id']}/"), {"version": 1},
                            format="json").status_code == 403, who
    assert api(world.emil).patch(visits(case, "999999/"), {"version": 1},
                                 format="json").status_code == 404


def test_it_reads_and_replaces_the_schedule(world):
    install_shipped()
    empty = api(world.rita).get(schedule_url()).json()
    assert empty == {"programme": "erin-deu", "version": None, "steps": []}
    response = api(world.pia).put(schedule_url(), {"version": None, "steps": STEPS},
                                  format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [s["months_after_arrival"] for s in body["steps"]] == [3, 6, 12]
    assert body["version"] == 1
    response = api(world.emil).put(schedule_url(), {"version": None, "steps": []},
                                   format="json")
    assert response.status_code == 409  # it has one now
    response = api(world.emil).put(schedule_url(), {
        "version": 1, "steps": [{"months_after_arrival": 200}]}, format="json")
    assert response.status_code == 400 and "from 1 to 120" in response.json()["detail"]
    response = api(world.emil).put(schedule_url(), {"version": 1, "steps": []},
                                   format="json")
    assert response.status_code == 200 and response.json()["steps"] == []


def test_the_schedule_is_read_by_staff_and_kept_by_survey_managers(world):
    for who in ("rita", "carla", "otto"):
        assert api(world.users[who]).get(schedule_url()).status_code == 200, who
        assert api(world.users[who]).put(schedule_url(), {"version": None, "steps": []},
                                         format="json").status_code == 403, who
    for who in ("paul", "stella"):
        assert api(world.users[who]).get(schedule_url()).status_code == 403, who
        assert api(world.users[who]).put(schedule_url(), {}, format="json"
                                         ).status_code == 403, who
    assert api(world.emil).get(schedule_url("nope")).status_code == 404
    assert api(world.emil).put(schedule_url("nope"), {"version": None, "steps": []},
                               format="json").status_code == 404
    anonymous = APIClient()
    assert anonymous.get(schedule_url()).status_code == 401
