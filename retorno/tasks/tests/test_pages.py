import datetime
import re

import pytest
import time_machine

from retorno.accounts.models import Role
from retorno.cases.services import transition_case
from retorno.privacy.models import AuditEvent, AuditType
from retorno.screening.tests.builders import screen
from retorno.tasks import services, views
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.tasks.tests.builders import applied_case, approved_case, the_task
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


def _at(days: int):
    return time_machine.travel(MONDAY + datetime.timedelta(days=days), tick=False)


def _section(body: str, heading_id: str) -> str:
    """The part of My work's task block under one heading."""
    start = body.index(f'id="{heading_id}"')
    rest = body[start:]
    end = min([i for i in (rest.find("<h3", 1), rest.find("</section>")) if i > 0])
    return rest[:end]


def _done(client, task, htmx=False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/tasks/{task.pk}/complete/",
                       {"version": task.version, **data}, headers=headers)


# ---- My work ---------------------------------------------------------------------------


def test_my_work_shows_what_is_due_this_week_today_and_overdue(world, client):
    with _at(0):
        case = open_case(world)  # counselling due in 7 days
    client.force_login(world.carla)
    with _at(0):
        body = client.get("/").content.decode()
        week = _section(body, "tasks-week")
        assert "Due in the next 7 days (1)" in week
        assert case.reference in week and "Start counselling" in week
        assert "<bdi>Ahmed Al-Rashid</bdi>" in week and "03/09/2026" in week
        assert "<td>You</td>" in week
        assert 'id="tasks-overdue"' not in body
    with _at(7):
        body = client.get("/").content.decode()
        assert "Due today (1)" in _section(body, "tasks-today")
        assert 'id="tasks-week"' not in body
    with _at(10):
        body = client.get("/").content.decode()
        overdue = _section(body, "tasks-overdue")
        assert 'class="error"' in overdue and "Overdue (1)" in overdue
        assert "3 days overdue" in overdue and case.reference in overdue


def test_my_work_sorts_by_due_date_and_counts_what_is_due_later(world, client):
    with _at(0):
        later = open_case(world)
        sooner = applied_case(world)
        services.open_task(case=later, kind=TaskKind.DOCUMENT_COLLECT, assignee=world.carla,
                           due_on=datetime.date(2026, 4, 30))
        services.open_task(case=sooner, kind=TaskKind.DOCUMENT_FOLLOW_UP,
                           assignee=world.carla, due_on=datetime.date(2026, 3, 4))
    client.force_login(world.carla)
    with _at(0):
        body = client.get("/").content.decode()
    week = _section(body, "tasks-week")
    assert week.index(sooner.reference) < week.index(later.reference)
    assert "Collect the issued document" not in body
    assert "1 more task is due later." in body and "/tasks/?due=later" in body


def test_my_work_says_when_nothing_is_due(world, client):
    client.force_login(world.max)
    body = client.get("/").content.decode()
    assert "Nothing is overdue or due in the next 7 days." in body


def test_my_work_shows_a_supervisor_the_applications_on_their_queue(world, client):
    case = applied_case(world)
    client.force_login(world.sam)
    body = client.get("/").content.decode()
    assert "Decide on the application" in body and case.reference in body
    assert "1 case is waiting for approval" in body and "/tasks/?kind=approve" in body
    assert "Take it" in body  # nobody has taken it from the queue
    # It closes when the application is decided: the row leads to the case's steps.
    assert f'<a class="button" href="/cases/{case.reference}/#lifecycle"' in body
    client.force_login(world.carla)
    assert "Decide on the application" not in client.get("/").content.decode()


def test_my_work_shows_the_medical_officer_fitness_to_assess(world, client):
    case = approved_case(world)
    client.force_login(world.mona)
    body = client.get("/").content.decode()
    assert "Assess fitness to travel" in body and case.reference in body
    assert f"/cases/{case.reference}/#fitness" in body and "Take it" in body
    # The supervisor manages the task from the case page but is not on its queue.
    client.force_login(world.sam)
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Assess fitness to travel" in body and ">Done</button>" in body
    assert "Take it" not in body


def test_my_work_stays_within_a_fixed_number_of_queries(world, client,
                                                        django_assert_max_num_queries):
    for _ in range(6):
        screen(open_case(world), world.carla, None, "forced_work")
    client.force_login(world.carla)
    with django_assert_max_num_queries(9):
        body = client.get("/").content.decode()
    assert body.count('data-testid="task"') == 12


def test_my_work_counts_a_long_queue_without_listing_it_all(world, client, monkeypatch):
    monkeypatch.setattr("retorno.tasks.rows.MY_WORK_LIMIT", 2)
    for _ in range(3):
        open_case(world)
    client.force_login(world.carla)
    body = client.get("/").content.decode()
    assert "Due in the next 7 days (3)" in body
    assert body.count('data-testid="task"') == 2
    assert "Showing the 2 tasks due soonest." in body


# ---- Done ------------------------------------------------------------------------------


def test_done_with_htmx_answers_with_the_row_marked_done(world, client):
    case = open_case(world)
    task = services.open_task(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP,
                              assignee=world.carla, due_on=datetime.date(2026, 3, 2))
    client.force_login(world.carla)
    response = _done(client, task, htmx=True, next="/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<tr id="task-{task.pk}"') and "Done</span>" in body
    assert "closed by Carla" in body and 'name="version"' not in body
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE
    assert AuditEvent.objects.filter(event_type=AuditType.TASK_COMPLETED).count() == 1


def test_done_without_javascript_goes_back_with_a_message(world, client):
    case = open_case(world)
    task = services.open_task(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP,
                              role=Role.CASEWORKER, due_on=datetime.date(2026, 3, 2))
    client.force_login(world.carla)
    response = _done(client, task, next="/", note="Called the consulate")
    assert response.status_code == 302 and response["Location"] == "/"
    assert Task.objects.get(pk=task.pk).note == "Called the consulate"
    assert "Task done." in client.get("/").content.decode()
    # Somewhere else than our own pages is never a place to go back to.
    other = services.open_task(case=case, kind=TaskKind.DOCUMENT_COLLECT,
                               role=Role.CASEWORKER, due_on=datetime.date(2026, 3, 2))
    response = _done(client, other, next="https://example.org/")
    assert response["Location"] == f"/cases/{case.reference}/#tasks"


def test_done_on_a_step_still_to_be_taken_says_where_to_take_it(world, client):
    case = applied_case(world)
    task = the_task(case, TaskKind.APPROVE)
    client.force_login(world.sam)
    response = _done(client, task, htmx=True)
    assert response.status_code == 422
    assert "Approve or reject the application on the case page" in response.content.decode()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_done_on_a_stale_row_changes_nothing_and_says_so(world, client):
    case = open_case(world)
    task = services.open_task(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP,
                              role=Role.CASEWORKER, due_on=datetime.date(2026, 3, 2))
    services.reassign_task(actor=world.sam, task=task, assignee=world.carla, version=1)
    client.force_login(world.carla)
    response = client.post(f"/tasks/{task.pk}/complete/", {"version": 1},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_done_is_refused_to_other_roles_and_hidden_from_other_offices(world, client):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)
    client.force_login(world.max)
    assert _done(client, task).status_code == 403
    client.force_login(world.otto)
    assert _done(client, task).status_code == 404
    assert client.get(f"/tasks/{task.pk}/reassign/").status_code == 404
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


# ---- giving a task to someone else -------------------------------------------------------


def test_a_supervisor_gives_a_task_to_someone_of_the_office(world, client):
    case = applied_case(world)
    task = the_task(case, TaskKind.APPROVE)
    client.force_login(world.sam)
    page = client.get(f"/tasks/{task.pk}/reassign/?next=/")
    assert page.status_code == 200
    options = page.content.decode()
    assert "Nobody: back to the queue" in options and ">Carla</option>" in options
    assert ">Otto</option>" not in options and ">Rita</option>" not in options
    response = client.post(f"/tasks/{task.pk}/reassign/",
                           {"assignee": world.carla.pk, "version": task.version, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Task.objects.get(pk=task.pk).assignee == world.carla


def test_someone_on_the_queue_takes_a_task_in_one_click(world, client):
    case = applied_case(world)
    task = the_task(case, TaskKind.APPROVE)
    client.force_login(world.sam)
    response = client.post(f"/tasks/{task.pk}/reassign/",
                           {"assignee": world.sam.pk, "version": task.version})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#tasks"
    assert Task.objects.get(pk=task.pk).assignee == world.sam
    assert "The task is yours." in client.get("/").content.decode()


def test_giving_a_task_to_an_outsider_is_refused_on_the_form(world, client):
    case = open_case(world)
    task = the_task(case, TaskKind.COUNSEL)
    client.force_login(world.sam)
    response = client.post(f"/tasks/{task.pk}/reassign/",
                           {"assignee": world.otto.pk, "version": task.version})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    response = client.post(f"/tasks/{task.pk}/reassign/", {"assignee": "",
                                                            "version": task.version})
    assert response.status_code == 422  # made for Carla: no queue to go back to
    assert Task.objects.get(pk=task.pk).assignee == world.carla


# ---- the task list -----------------------------------------------------------------------


def test_the_task_list_filters_by_whose_status_and_kind(world, client):
    registered = open_case(world)
    applied = applied_case(world)
    task = the_task(applied, TaskKind.APPROVE)
    services.reassign_task(actor=world.sam, task=task, assignee=world.sam, version=1)
    client.force_login(world.sam)
    body = client.get("/tasks/").content.decode()
    assert applied.reference in body and registered.reference not in body
    assert applied.reference not in client.get("/tasks/?scope=queues").content.decode()
    done = client.get("/tasks/?status=done&kind=counsel").content.decode()
    assert "No task matches." in done  # Sam's own are open; counsel tasks are Carla's
    client.force_login(world.carla)
    done = client.get("/tasks/?status=done").content.decode()
    assert applied.reference in done and "Start counselling" in done
    assert registered.reference not in done


def test_the_task_list_pages_without_counting(world, client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    cases = [open_case(world) for _ in range(3)]
    client.force_login(world.carla)
    first = client.get("/tasks/?kind=counsel").content.decode()
    assert "Tasks 1–2" in first and "kind=counsel&amp;page=2" in first
    second = client.get("/tasks/?kind=counsel&page=2").content.decode()
    assert "Tasks 3–3" in second and 'rel="next"' not in second
    assert cases[2].reference in second
    assert "No more tasks." in client.get("/tasks/?page=3").content.decode()


def test_the_task_list_filters_by_due_date(world, client):
    with _at(0):
        open_case(world)
    client.force_login(world.carla)
    with _at(10):
        assert "3 days overdue" in client.get("/tasks/?due=overdue").content.decode()
        assert "No task matches." in client.get("/tasks/?due=week").content.decode()


# ---- the case page ----------------------------------------------------------------------


def test_the_case_page_lists_its_open_tasks_with_actions_for_their_holders(world, client):
    case = open_case(world)
    screen(case, world.carla, None, "forced_work")
    page = f"/cases/{case.reference}/"
    client.force_login(world.carla)
    body = client.get(page).content.decode()
    section = body[body.index('id="tasks"'):]
    section = section[:section.index("</section>")]
    assert "Start counselling" in section
    assert "Act on the screening: Victim of trafficking" in section
    assert section.count(">Done</button>") == 2 and 'name="layout" value="case"' in section
    client.force_login(world.max)
    body = client.get(page).content.decode()
    assert "Act on a vulnerability screening proposal" in body
    assert "trafficking" not in body.lower() and ">Done</button>" not in body


def test_done_on_the_case_page_keeps_its_columns(world, client):
    case = open_case(world)
    task = services.open_task(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP,
                              assignee=world.carla, due_on=datetime.date(2026, 3, 2))
    client.force_login(world.carla)
    row = _done(client, task, htmx=True, layout="case").content.decode()
    assert case.reference not in re.sub(r'href="[^"]*"', "", row)
    row = _done(client, the_task(case, TaskKind.COUNSEL), htmx=True).content.decode()
    assert case.reference in row


def test_the_task_list_shows_open_tasks_first_with_every_status(world, client):
    done = open_case(world)
    transition_case(done, "counselling", actor=world.carla)
    waiting = open_case(world)
    client.force_login(world.carla)
    body = client.get("/tasks/?status=all").content.decode()
    assert body.index(waiting.reference) < body.index(done.reference)
    assert "Tasks 1–2" in body


def test_the_task_list_keeps_closed_tasks_for_ninety_days(world, client):
    with _at(0):
        case = open_case(world)
        transition_case(case, "counselling", actor=world.carla)  # counselling done
    client.force_login(world.carla)
    with _at(90):
        assert case.reference in client.get("/tasks/?status=done").content.decode()
    with _at(100):  # due on day 7: more than 90 days ago
        assert "No task matches." in client.get("/tasks/?status=done").content.decode()
        assert "No task matches." in client.get("/tasks/?status=all").content.decode()
