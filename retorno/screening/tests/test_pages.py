import pytest

from retorno.cases.models import CaseMember
from retorno.privacy.models import AuditEvent, AuditType
from retorno.screening.models import Screening
from retorno.screening.tests.builders import answers, screen
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _form(*yes, **overrides):
    return {"screened_on": "2026-03-02", "notes": "Spoke of a debt.",
            **{f"q_{k}": v for k, v in answers(*yes).items()}, **overrides}


def _url(case, member=None):
    member = member or case.principal
    return f"/cases/{case.reference}/members/{member.person_id}/screening/"


def test_it_shows_the_questions_grouped_by_factor(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    body = client.get(_url(case)).content.decode()
    for heading in ("Individual factors", "Household and family factors",
                    "Community factors", "Structural factors"):
        assert f"<legend>{heading}</legend>" in body
    assert body.index("Individual factors") < body.index("Is the person pregnant")
    assert body.index("Is the person pregnant") < body.index("Household and family factors")


def test_it_records_a_screening_from_the_form(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(_url(case), _form("migration_debt"))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#screening"
    screening = Screening.objects.get(case=case)
    assert screening.flags == ["trafficking"] and screening.notes == "Spoke of a debt."
    assert CaseMember.objects.get(pk=case.principal.pk).vulnerabilities == ["trafficking"]
    assert AuditEvent.objects.filter(event_type=AuditType.SCREENING_RECORDED).exists()


def test_it_asks_for_every_answer(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(_url(case), _form(q_pregnant="", q_disability="maybe"))
    assert response.status_code == 422
    assert response.content.decode().count('class="error"') == 2
    assert not Screening.objects.exists()


def test_it_shows_flags_and_proposals_to_protection_roles_only(world, client):
    case = open_case(world)
    screen(case, world.carla, None, "sexual_violence", notes="Secret observation")
    for persona in ("carla", "mona", "dana"):
        client.force_login(world.users[persona])
        body = client.get(f"/cases/{case.reference}/").content.decode()
        assert "Screened on" in body
        assert "Survivor of gender-based violence" in body, persona
        assert "gender-based violence case management service" in body
        assert "Secret observation" in body
    client.force_login(world.max)
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Screened on 2 March 2026" in body or "Screened on March 2, 2026" in body
    for secret in ("Survivor of gender-based violence", "case management service",
                   "Secret observation", "Is the person pregnant", "Proposed actions"):
        assert secret not in body, secret
    assert "/screening/" not in body


def test_it_hides_the_page_from_outsiders_and_refuses_read_only_roles(world, client):
    case = open_case(world)
    for persona, status in [("otto", 404), ("paul", 404), ("max", 403), ("mona", 403)]:
        client.force_login(world.users[persona])
        assert client.get(_url(case)).status_code == status, persona
        assert client.post(_url(case), _form("pregnant")).status_code == status, persona
    assert not Screening.objects.exists()
    assert CaseMember.objects.get(pk=case.principal.pk).vulnerabilities == []


def test_it_answers_404_for_a_person_outside_the_case(world, client):
    case, other = open_case(world), open_case(world)
    client.force_login(world.carla)
    assert client.get(_url(case, other.principal)).status_code == 404
