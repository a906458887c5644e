import pytest

from retorno.medical.models import FitnessAssessment
from retorno.medical.tests.builders import DETAIL, assessment_data, record
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = assessment_data(**overrides)
    data["assessed_on"] = str(data["assessed_on"])
    return data


def _new_url(case):
    return f"/cases/{case.reference}/fitness/members/{case.principal.pk}/new/"


def test_it_records_an_assessment_from_the_form(world, client):
    case = open_case(world)
    client.force_login(world.mona)
    assert client.get(_new_url(case)).status_code == 200
    response = client.post(_new_url(case), _form())
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#fitness"
    assessment = FitnessAssessment.objects.get(case=case)
    assert assessment.special_needs == ["wheelchair", "other"]
    assert assessment.escort_required and assessment.assessed_by == world.mona
    assert AuditEvent.objects.filter(event_type=AuditType.FITNESS_RECORDED).exists()


def test_it_shows_errors_next_to_the_fields(world, client):
    case = open_case(world)
    client.force_login(world.mona)
    response = client.post(_new_url(case), _form(outcome="", special_needs_other=""))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Describe the other special needs." in body
    assert body.count('class="error"') == 2
    assert not FitnessAssessment.objects.exists()


def test_it_shows_the_outcome_to_everyone_and_the_detail_to_the_medical_officer(world,
                                                                                client):
    case = open_case(world)
    page = f"/cases/{case.reference}/"
    client.force_login(world.carla)
    body = client.get(page).content.decode()
    assert "Not assessed yet" in body and "/fitness/members/" not in body
    record(case, world.mona)
    client.force_login(world.mona)
    body = client.get(page).content.decode()
    assert "Fit to travel with a medical escort" in body and "metformin" in body
    assert _new_url(case) in body
    for persona in ("carla", "max", "sam", "dana"):
        client.force_login(world.users[persona])
        body = client.get(page).content.decode()
        assert "Fit to travel with a medical escort" in body, persona
        assert "Wheelchair, Aisle seat near the toilets" in body, persona
        assert DETAIL not in body and "metformin" not in body, persona
        assert "/fitness/members/" not in body and "/edit/" not in body.split(
            'id="fitness"')[1].split("</section>")[0], persona
    # Nor on the audit page, which supervisors and the DP focal point read.
    client.force_login(world.sam)
    body = client.get(f"/cases/{case.reference}/audit/").content.decode()
    assert "Fitness to travel recorded" in body and "metformin" not in body


def test_it_edits_an_assessment_and_refuses_a_stale_version(world, client):
    case = open_case(world)
    assessment = record(case, world.mona)
    url = f"/cases/{case.reference}/fitness/{assessment.pk}/edit/"
    client.force_login(world.mona)
    response = client.get(url)
    assert response.status_code == 200 and "metformin" in response.content.decode()
    assert client.post(url, _form(outcome="fit", version=1)).status_code == 302
    response = client.post(url, _form(outcome="unfit", version=1))
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    assert FitnessAssessment.objects.get(pk=assessment.pk).outcome == "fit"


def test_it_hides_the_pages_from_outsiders_and_refuses_other_roles(world, client):
    case = open_case(world)
    assessment = record(case, world.mona)
    urls = [_new_url(case), f"/cases/{case.reference}/fitness/{assessment.pk}/edit/"]
    for persona, status in [("otto", 404), ("paul", 404), ("carla", 403), ("sam", 403),
                            ("max", 403)]:
        client.force_login(world.users[persona])
        for url in urls:
            assert client.get(url).status_code == status, (persona, url)
            assert client.post(url, _form(detail="X", version=1)).status_code == status
    assert FitnessAssessment.objects.get().detail == DETAIL


def test_it_answers_404_for_an_assessment_or_member_of_another_case(world, client):
    case, other = open_case(world), open_case(world)
    assessment = record(other, world.mona)
    client.force_login(world.mona)
    assert client.get(f"/cases/{case.reference}/fitness/{assessment.pk}/edit/"
                      ).status_code == 404
    assert client.get(f"/cases/{case.reference}/fitness/members/{other.principal.pk}/new/"
                      ).status_code == 404
