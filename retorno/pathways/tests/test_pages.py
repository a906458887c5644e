import pytest

from retorno.pathways.models import Pathway, PathwayChange
from retorno.pathways.tests.builders import pathway_data, propose
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = pathway_data(**overrides)
    data["referred_on"] = str(data["referred_on"])
    return data


def test_it_proposes_a_pathway_from_the_form(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    assert client.get(f"/cases/{case.reference}/pathways/new/").status_code == 200
    response = client.post(f"/cases/{case.reference}/pathways/new/", _form())
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#pathways"
    assert Pathway.objects.get(case=case).third_country == "SWE"
    assert AuditEvent.objects.filter(event_type=AuditType.PATHWAY_PROPOSED).exists()


def test_it_shows_errors_next_to_the_fields(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/pathways/new/",
                           _form(kind="local_integration", third_country="SWE"))
    assert response.status_code == 422
    assert "leave the third country empty" in response.content.decode()
    assert not Pathway.objects.exists()


def test_the_case_page_shows_pathways_and_their_history(world, client):
    case = open_case(world)
    propose(case, world.carla)
    client.force_login(world.max)  # sees the case, is not on the case team
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Alternative pathways" in body and "Swedish Migration Agency" in body
    assert "Family reunification" in body and "Change the status" not in body
    client.force_login(world.carla)
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Change the status" in body and "Propose an alternative pathway" in body


def test_it_changes_the_status_from_the_case_page(world, client):
    case = open_case(world)
    pathway = propose(case, world.carla)
    client.force_login(world.carla)
    url = f"/cases/{case.reference}/pathways/{pathway.pk}/status/"
    prefix = f"p{pathway.pk}"
    response = client.post(url, {f"{prefix}-status": "submitted",
                                 f"{prefix}-comment": "Filed", f"{prefix}-version": "1"})
    assert response.status_code == 302
    assert Pathway.objects.get(pk=pathway.pk).status == "submitted"
    assert PathwayChange.objects.filter(pathway=pathway, comment="Filed").exists()
    # A stale version is refused with a message, and nothing changes.
    response = client.post(url, {f"{prefix}-status": "withdrawn", f"{prefix}-version": "1"},
                           follow=True)
    assert "Someone else changed this record" in response.content.decode()
    assert Pathway.objects.get(pk=pathway.pk).status == "submitted"


def test_it_refuses_outsiders_and_other_roles(world, client):
    case = open_case(world)
    pathway = propose(case, world.carla)
    client.force_login(world.otto)
    assert client.get(f"/cases/{case.reference}/pathways/new/").status_code == 404
    client.force_login(world.max)
    assert client.get(f"/cases/{case.reference}/pathways/new/").status_code == 403
    response = client.post(f"/cases/{case.reference}/pathways/{pathway.pk}/status/",
                           {f"p{pathway.pk}-status": "withdrawn",
                            f"p{pathway.pk}-version": "1"})
    assert response.status_code == 403
    assert Pathway.objects.get(pk=pathway.pk).status == "proposed"
