import pytest

from retorno.cases.models import Case
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _post(client, case, version, **changes):
    data = {"destination_country": "IRQ", "destination_area": "",
            "programme": case.programme_id, "origin_office": case.origin_office_id,
            "version": version, **changes}
    return client.post(f"/cases/{case.reference}/edit/", data)


def test_it_saves_and_audits_old_and_new_values(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = _post(client, case, case.version, destination_area="Basra")
    assert response.status_code == 302
    event = AuditEvent.objects.get(case=case, event_type=AuditType.CASE_CHANGED)
    assert event.extra == {"old": {"destination_area": ""},
                           "new": {"destination_area": "Basra"}}
    assert case.timeline.first().summary == "destination area"


def test_it_refuses_a_save_based_on_a_stale_version_and_keeps_the_other_edit(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    version = case.version
    assert _post(client, case, version, destination_area="Basra").status_code == 302
    response = _post(client, case, version, destination_area="Mosul")
    assert response.status_code == 422
    assert "Someone else changed this record after you opened it" in response.content.decode()
    assert Case.objects.get(pk=case.pk).destination_area == "Basra"


def test_it_records_nothing_when_nothing_changed(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    assert _post(client, case, case.version).status_code == 302
    assert not AuditEvent.objects.filter(event_type=AuditType.CASE_CHANGED).exists()


def test_it_is_not_offered_to_read_only_roles_or_outsiders(world, client):
    case = open_case(world)
    for persona, status in [("max", 403), ("mona", 403), ("otto", 404), ("paul", 404)]:
        client.force_login(world.users[persona])
        assert client.get(f"/cases/{case.reference}/edit/").status_code == status
        assert _post(client, case, case.version, destination_area="X").status_code == status
    assert Case.objects.get(pk=case.pk).destination_area == ""


def test_it_lets_a_supervisor_assign_to_a_caseworker_of_the_office_only(world, client):
    case = open_case(world)
    client.force_login(world.sam)
    response = client.post(f"/cases/{case.reference}/assign/",
                           {"assignee": world.otto.pk, "version": case.version})
    assert response.status_code == 422
    response = client.post(f"/cases/{case.reference}/assign/",
                           {"assignee": world.sam.pk, "version": case.version})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == world.sam
    client.force_login(world.carla)
    assert client.get(f"/cases/{case.reference}/assign/").status_code == 403


def test_the_planned_departure_date_is_kept_and_audited_as_an_iso_date(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    assert _post(client, case, case.version,
                 planned_departure_on="2026-12-20").status_code == 302
    event = AuditEvent.objects.get(case=case, event_type=AuditType.CASE_CHANGED)
    assert event.extra["new"] == {"planned_departure_on": "2026-12-20"}
    assert "20" in client.get(f"/cases/{case.reference}/").content.decode()
