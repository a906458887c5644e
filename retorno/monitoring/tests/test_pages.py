import datetime

import pytest
import time_machine
from django.utils import timezone

from retorno.monitoring import services
from retorno.monitoring.models import MonitoringVisit, Schedule, ScheduleStep
from retorno.monitoring.tests.builders import arrived, schedule
from retorno.surveys.services import install_shipped
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _page(case) -> str:
    return f"/cases/{case.reference}/"


def _visits(case, rest: str = "new/") -> str:
    return f"/cases/{case.reference}/monitoring/visits/{rest}"


def _schedule_url(world) -> str:
    return f"/programmes/{world.programme.code}/monitoring-schedule/"


def _at(days: int):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False)


def test_it_records_a_visit_from_the_case_page(world, client):
    schedule(world)
    case = arrived(world)
    step = ScheduleStep.objects.get(months_after_arrival=3)
    client.force_login(world.emil)
    body = client.get(_page(case)).content.decode()
    assert 'id="monitoring"' in body and _visits(case) in body
    assert body.count('data-testid="monitoring-step"') == 3
    assert client.get(_visits(case)).status_code == 200
    response = client.post(_visits(case), {
        "step": step.pk, "contact_on": timezone.localdate().isoformat(),
        "mode": "phone_call", "outcome": "not_reached", "notes": "No answer twice."})
    assert response.status_code == 302, response.content.decode()
    body = client.get(_page(case)).content.decode()
    assert "1 attempt without a conclusive outcome" in body
    assert "No answer twice." not in body  # emil does not read protection detail
    client.force_login(world.rita)
    body = client.get(_page(case)).content.decode()
    assert "No answer twice." in body
    visit = MonitoringVisit.objects.get()
    response = client.post(_visits(case, f"{visit.pk}/edit/"), {
        "step": step.pk, "contact_on": timezone.localdate().isoformat(),
        "mode": "home_visit", "outcome": "reached", "notes": "Found at home.",
        "version": visit.version})
    assert response.status_code == 302, response.content.decode()
    body = client.get(_page(case)).content.decode()
    assert 'data-status="done"' in body and "Found at home." in body
    assert Task.objects.get(case=case, subject_id=step.pk).status == TaskStatus.DONE


def test_the_form_shows_the_services_refusal(world, client):
    case = arrived(world)
    client.force_login(world.emil)
    response = client.post(_visits(case), {
        "contact_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "mode": "phone_call", "outcome": "reached"})
    assert response.status_code == 422
    assert "cannot be in the future" in response.content.decode()
    assert not MonitoringVisit.objects.exists()


def test_a_stale_edit_is_refused_inline(world, client):
    case = arrived(world)
    visit = services.record_visit(actor=world.emil, case=case, data={
        "contact_on": timezone.localdate(), "mode": "phone_call", "outcome": "declined"})
    services.update_visit(actor=world.rita, visit=visit, version=1, data={"mode": "other"})
    client.force_login(world.emil)
    response = client.post(_visits(case, f"{visit.pk}/edit/"), {
        "contact_on": timezone.localdate().isoformat(), "mode": "home_visit",
        "outcome": "reached", "version": 1})
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()


def test_the_section_shows_statuses_over_time(world, client):
    schedule(world)
    case = arrived(world)
    client.force_login(world.rita)
    body = client.get(_page(case)).content.decode()
    assert body.count('data-status="upcoming"') == 3
    with _at(92):  # 3 months on, within the 14-day window
        client.force_login(world.rita)
        body = client.get(_page(case)).content.decode()
        assert body.count('data-status="due"') == 1
    with _at(140):  # past the 3-month window, before the 6-month one opens
        client.force_login(world.rita)
        body = client.get(_page(case)).content.decode()
        assert body.count('data-status="overdue"') == 1
        assert body.count('data-status="upcoming"') == 2


def test_visit_pages_are_hidden_from_outsiders_and_refused_to_other_roles(world, client):
    case = arrived(world)
    visit = services.record_visit(actor=world.emil, case=case, data={
        "contact_on": timezone.localdate(), "mode": "phone_call", "outcome": "declined"})
    for url in (_visits(case), _visits(case, f"{visit.pk}/edit/")):
        client.force_login(world.otto)
        assert client.get(url).status_code == 404
        client.force_login(world.carla)  # sees the case, host office
        assert client.get(url).status_code == 403
        client.force_login(world.emil)
        assert client.get(url).status_code == 200
    client.force_login(world.emil)
    assert client.get(_visits(case, "999999/edit/")).status_code == 404
    early = open_case(world)
    client.force_login(world.carla)
    assert client.get(_visits(early)).status_code == 403


def test_the_section_is_absent_before_arrival(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    assert 'id="monitoring"' not in client.get(_page(case)).content.decode()


def test_the_case_page_reads_the_section_in_a_bounded_number_of_queries(
        world, client, django_assert_max_num_queries):
    schedule(world)
    case = arrived(world)
    client.force_login(world.rita)
    client.get(_page(case))
    for _n in range(6):
        services.record_visit(actor=world.emil, case=case, data={
            "step": ScheduleStep.objects.first(), "contact_on": timezone.localdate(),
            "mode": "phone_call", "outcome": "not_reached"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(_page(case))
    services.record_visit(actor=world.emil, case=case, data={
        "contact_on": timezone.localdate(), "mode": "phone_call", "outcome": "declined"})
    with django_assert_max_num_queries(len(few)):
        client.get(_page(case))


def test_the_schedule_page_saves_steps(world, client):
    install_shipped()
    client.force_login(world.emil)
    assert client.get(_schedule_url(world)).status_code == 200
    data = {"steps-TOTAL_FORMS": "3", "steps-INITIAL_FORMS": "0", "version": "",
            "steps-0-months_after_arrival": "3", "steps-0-mode": "either",
            "steps-0-instrument": "satisfaction", "steps-0-window_days": "14",
            "steps-1-months_after_arrival": "12", "steps-1-mode": "visit",
            "steps-1-window_days": "",
            "steps-2-months_after_arrival": "", "steps-2-mode": "either"}
    response = client.post(_schedule_url(world), data)
    assert response.status_code == 302, response.content.decode()
    assert list(ScheduleStep.objects.values_list("months_after_arrival", "window_days",
                                                 "instrument")) == [
        (3, 14, "satisfaction"), (12, 30, "")]
    # the same form again, on a version that is no longer current
    response = client.post(_schedule_url(world), {**data, "version": "0",
                                                  "steps-1-months_after_arrival": "6"})
    assert response.status_code == 422
    assert "Someone else changed" in response.content.decode()
    version = Schedule.objects.get().version
    response = client.post(_schedule_url(world), {**data, "version": str(version),
                                                  "steps-1-months_after_arrival": "3"})
    assert response.status_code == 422
    assert "already a step 3 months" in response.content.decode()


def test_the_schedule_page_is_for_survey_managers(world, client):
    for who, code in [("pia", 200), ("emil", 200), ("rita", 403), ("carla", 403),
                      ("paul", 403), ("stella", 403)]:
        client.force_login(world.users[who])
        assert client.get(_schedule_url(world)).status_code == code, who
    client.force_login(world.emil)
    assert client.get("/programmes/nope/monitoring-schedule/").status_code == 404


def test_the_office_list_shows_due_contacts_of_visible_cases(world, client,
                                                             django_assert_max_num_queries):
    schedule(world)
    case = arrived(world)
    client.force_login(world.emil)
    body = client.get("/monitoring/").content.decode()
    assert case.reference not in body  # nothing due yet
    body = client.get("/monitoring/?status=upcoming").content.decode()
    assert body.count('data-testid="contact"') == 3
    with _at(92):
        client.force_login(world.emil)
        body = client.get("/monitoring/").content.decode()
        assert body.count('data-testid="contact"') == 1 and case.reference in body
        body = client.get("/monitoring/?status=overdue").content.decode()
        assert 'data-testid="contact"' not in body
        body = client.get(f"/monitoring/?status=all&programme={world.programme.code}"
                          ).content.decode()
        assert body.count('data-testid="contact"') == 3
        body = client.get("/monitoring/?status=all&programme=other").content.decode()
        assert 'data-testid="contact"' not in body
        arrived(world)
        with django_assert_max_num_queries(12):
            body = client.get("/monitoring/?status=all").content.decode()
        assert body.count('data-testid="contact"') == 6
    client.force_login(world.otto)
    assert client.get("/monitoring/").status_code == 403
    client.force_login(world.vera)  # may list, but sees no case of Berlin or Baghdad
    body = client.get("/monitoring/?status=all").content.decode()
    assert "No monitoring contacts match." in body
    client.force_login(world.sam)  # host office supervisor: sees the case, not the queue
    body = client.get("/monitoring/?status=all").content.decode()
    assert body.count('data-testid="contact"') == 6
    assert Task.objects.filter(kind=TaskKind.MONITORING_CONTACT).count() == 6
