import pytest

from retorno.counselling.models import CounsellingSession
from retorno.counselling.tests.builders import record, session_data
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = session_data(**overrides)
    data["date"] = str(data["date"])
    return data


def test_it_records_a_session_from_the_form(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/counselling/new/", _form())
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#counselling"
    session = CounsellingSession.objects.get(case=case)
    assert session.topics == ["return_process", "origin_housing"]
    assert AuditEvent.objects.filter(event_type=AuditType.COUNSELLING_RECORDED).exists()


def test_it_shows_errors_next_to_the_fields(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/counselling/new/",
                           _form(language="zzz", position=""))
    assert response.status_code == 422
    body = response.content.decode()
    assert "zzz is not an ISO 639-3 language code." in body
    assert body.count('class="error"') == 2
    assert not CounsellingSession.objects.exists()


def test_it_lists_sessions_newest_first_with_notes_for_the_team_only(world, client):
    case = open_case(world)
    record(case, world.carla, date="2026-01-05", notes="Older note")
    record(case, world.carla, date="2026-02-05", notes="Newer note",
           position="wishes_to_return")
    client.force_login(world.carla)
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert body.index("Newer note") < body.index("Older note")
    assert "Wishes to return" in body and "The return process" in body
    assert f"/cases/{case.reference}/counselling/new/" in body
    client.force_login(world.max)
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Wishes to return" in body
    assert "Newer note" not in body and "Older note" not in body
    assert "/counselling/new/" not in body


def test_it_edits_a_session_and_refuses_a_stale_version(world, client):
    case = open_case(world)
    session = record(case, world.carla)
    url = f"/cases/{case.reference}/counselling/{session.pk}/edit/"
    client.force_login(world.carla)
    assert client.get(url).status_code == 200
    assert client.post(url, _form(materials="Booklet", version=1)).status_code == 302
    response = client.post(url, _form(materials="Leaflet again", version=1))
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    assert CounsellingSession.objects.get(pk=session.pk).materials == "Booklet"


def test_it_hides_the_pages_from_outsiders_and_refuses_read_only_roles(world, client):
    case = open_case(world)
    session = record(case, world.carla)
    urls = [f"/cases/{case.reference}/counselling/new/",
            f"/cases/{case.reference}/counselling/{session.pk}/edit/"]
    for persona, status in [("otto", 404), ("paul", 404), ("max", 403), ("mona", 403)]:
        client.force_login(world.users[persona])
        for url in urls:
            assert client.get(url).status_code == status, (persona, url)
            assert client.post(url, _form(notes="X", version=1)).status_code == status
    assert CounsellingSession.objects.get().notes == session.notes


def test_it_answers_404_for_a_session_of_another_case(world, client):
    case, other = open_case(world), open_case(world)
    session = record(other, world.carla)
    client.force_login(world.carla)
    url = f"/cases/{case.reference}/counselling/{session.pk}/edit/"
    assert client.get(url).status_code == 404
