import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from retorno.accounts.models import Role
from retorno.privacy.models import AuditEvent, AuditType
from retorno.screening.tests.builders import screen
from retorno.tasks import services
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.tasks.tests.builders import applied_case, the_task
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
LIST = "/api/v1/tasks/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def complete_url(task) -> str:
    return reverse("api:task_complete", args=[task.pk])


def reassign_url(task) -> str:
    return reverse("api:task_reassign", args=[task.pk])


def _follow_up(case, **queue):
    return services.open_task(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP,
                              due_on=datetime.date(2026, 3, 2), **(queue or {
                                  "role": Role.CASEWORKER}))


def test_it_lists_my_tasks_soonest_due_first(world):
    with time_machine.travel(MONDAY, tick=False):
        case = open_case(world)
        follow = _follow_up(case, assignee=world.carla)
        response = api(world.carla).get(LIST)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["next"] is None and data["previous"] is None
    assert [t["kind"] for t in data["results"]] == ["document_follow_up", "counsel"]
    first = data["results"][0]
    assert first == {
        "id": follow.pk, "case": case.reference, "kind": "document_follow_up",
        "label": "Follow up the travel document request with the consulate", "hint": "",
        "person_id": case.principal.person_id, "person_name": "Ahmed Al-Rashid (أحمد الرشيد)",
        "due_on": "2026-03-02", "days_overdue": 0, "status": "open", "office": "deu-ber",
        "queue": None, "assignee": "carla", "note": "", "created_at": first["created_at"],
        "completed_at": None, "completed_by": None, "can_act": True, "version": 1}


def test_it_filters_by_due_kind_case_scope_and_status(world):
    with time_machine.travel(MONDAY, tick=False):
        first, second = open_case(world), open_case(world)
        _follow_up(first)  # on the caseworkers' queue, due today
    client = api(world.carla)
    with time_machine.travel(MONDAY + datetime.timedelta(days=8), tick=False):
        overdue = client.get(LIST, {"due": "overdue"}).json()["results"]
        assert {(t["case"], t["kind"]) for t in overdue} == {
            (first.reference, "document_follow_up"), (first.reference, "counsel"),
            (second.reference, "counsel")}
        assert {t["days_overdue"] for t in overdue} == {1, 8}
        assert client.get(LIST, {"due": "today"}).json()["results"] == []
    kinds = client.get(LIST, {"kind": "counsel", "case": second.reference.lower()}).json()
    assert [(t["case"], t["kind"]) for t in kinds["results"]] == [(second.reference, "counsel")]
    queues = client.get(LIST, {"scope": "queues"}).json()["results"]
    assert [t["kind"] for t in queues] == ["document_follow_up"]
    assert client.get(LIST, {"status": "done"}).json()["results"] == []


def test_it_refuses_a_wrong_filter(world):
    response = api(world.carla).get(LIST, {"due": "yesterday", "kind": "coffee"})
    assert response.status_code == 400
    assert set(response.json()) == {"due", "kind"}


def test_it_pages_without_counting(world, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}
    for _ in range(3):
        open_case(world)
    client = api(world.carla)
    first = client.get(LIST).json()
    assert len(first["results"]) == 2 and first["next"].endswith("?page=2")
    second = client.get(LIST, {"page": 2}).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_it_hides_a_screening_flag_from_roles_without_protection_detail(world):
    case = open_case(world)
    screen(case, world.carla, None, "forced_work")
    task = the_task(case, TaskKind.SCREENING_ACTION)
    # Given to the movement officer (a supervisor may): he holds it, but reads no flag.
    services.reassign_task(actor=world.sam, task=task, assignee=world.max, version=1)
    mine = api(world.max).get(LIST).json()["results"]
    assert [t["label"] for t in mine] == ["Act on a vulnerability screening proposal"]
    assert mine[0]["hint"] == "" and "trafficking" not in str(mine).lower()


def test_it_completes_a_task_with_audit(world):
    task = _follow_up(open_case(world))
    response = api(world.carla).post(complete_url(task), {"note": "Called", "version": 1},
                                     format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "done" and data["completed_by"] == "carla"
    assert data["note"] == "Called" and data["version"] == 2 and data["can_act"] is False
    assert AuditEvent.objects.filter(event_type=AuditType.TASK_COMPLETED).count() == 1


def test_it_answers_409_to_a_stale_version_and_400_to_a_step_still_to_take(world):
    task = _follow_up(open_case(world))
    client = api(world.carla)
    client.post(reassign_url(task), {"assignee": "carla", "version": 1}, format="json")
    response = client.post(complete_url(task), {"version": 1}, format="json")
    assert response.status_code == 409
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN
    approve = the_task(applied_case(world), TaskKind.APPROVE)
    response = api(world.sam).post(complete_url(approve), {"version": 1}, format="json")
    assert response.status_code == 400
    assert "Approve or reject" in response.json()["detail"]


def test_it_refuses_other_roles_403_and_other_offices_404_before_reading_the_body(world):
    task = the_task(open_case(world), TaskKind.COUNSEL)
    assert api(world.max).post(complete_url(task), {}, format="json").status_code == 403
    assert api(world.otto).post(complete_url(task), {}, format="json").status_code == 404
    assert api(world.otto).post(reassign_url(task), {}, format="json").status_code == 404
    assert APIClient().get(LIST).status_code == 401


def test_it_reassigns_by_username_or_back_to_the_queue(world):
    task = _follow_up(open_case(world))
    client = api(world.sam)
    response = client.post(reassign_url(task), {"assignee": "mona", "version": 1},
                           format="json")
    assert response.status_code == 200, response.content
    assert response.json()["assignee"] == "mona" and response.json()["queue"] == "caseworker"
    response = client.post(reassign_url(task), {"assignee": None, "version": 2},
                           format="json")
    assert response.status_code == 200 and response.json()["assignee"] is None
    response = client.post(reassign_url(task), {"assignee": "otto", "version": 3},
                           format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"assignee": ["Choose someone of this office."]}
    response = client.post(reassign_url(task), {"assignee": "nobody", "version": 3},
                           format="json")
    assert response.status_code == 400 and "assignee" in response.json()


def test_it_is_in_the_schema(world, client):
    client.force_login(world.carla)
    schema = client.get("/api/schema/?format=json").json()
    assert {"/api/v1/tasks/", "/api/v1/tasks/{task_id}/complete/",
            "/api/v1/tasks/{task_id}/reassign/"} <= set(schema["paths"])
    assert schema["paths"]["/api/v1/tasks/"]["get"]["operationId"] == "tasks_list"
