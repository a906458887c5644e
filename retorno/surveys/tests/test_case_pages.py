"""The survey pages of a case: the form built from the definition, recording (once), the
response page with its scores explained, who may open what."""

import datetime
import re

import pytest
from django.utils import timezone

from retorno.privacy.models import AuditEvent, AuditType
from retorno.surveys.models import Round, Source, SurveyResponse
from retorno.surveys.services import record_response, survey_key_for
from retorno.surveys.tests.builders import arrived_case, install_default_instruments, respond

pytestmark = pytest.mark.django_db

# E5 "don't know", S2 "not applicable", S3-S5 not asked: economic has 4 of 5 indicators
# (coverage 0.8), social 1 of 5 (0.2, below the 50 % rule), psychosocial all.
PARTIAL = {
    "e1_satisfaction": "very_satisfied", "e2_food": "sometimes", "e3_work": "none",
    "e4_borrow": "never", "e4_debt": "larger", "e5_assets": "dont_know",
    "s1_housing": "good", "s2_school": "not_applicable",
    "p1_community": "very_often", "p2_support": "yes", "p3_discrimination": "no",
    "p4_safety": "very_safe", "p5_distress": "never", "p5_migrate": "no",
}
# Every indicator answered: economic (1 + .5 + 0 + .5 + 1) / 5 = 0.6, social 1,
# psychosocial (.5 + 1 + 1 + 1 + 1) / 5 = 0.9.
COMPLETE = {
    **PARTIAL, "e5_assets": "yes", "s2_school": "all", "s3_documents": "yes",
    "s3_justice": "good", "s4_health": "good", "s5_water": "good",
    "p1_community": "sometimes",
}


@pytest.fixture
def versions(db):
    return install_default_instruments()


def _page(case) -> str:
    return f"/cases/{case.reference}/"


def _new(case, code: str = "sustainability") -> str:
    return f"/cases/{case.reference}/surveys/{code}/new/"


def _response(case, response_id: int) -> str:
    return f"/cases/{case.reference}/surveys/responses/{response_id}/"


def _client_key(body: str) -> str:
    found = re.search(r'name="client_key" value="([0-9a-f]{32})"', body)
    assert found, "the form carries a client key"
    return found.group(1)


def _form(body: str, answers: dict[str, str], **extra: str) -> dict[str, str]:
    data = {"collected_on": timezone.localdate().isoformat(), "respondent": "",
            "version_number": "1", "client_key": _client_key(body)}
    data.update({f"q_{name}": value for name, value in answers.items()})
    data.update(extra)
    return data


def test_an_me_officer_records_a_follow_up_in_the_browser_and_sees_the_scores(
        world, client, versions):
    case = arrived_case(world, arrived_on=timezone.localdate() - datetime.timedelta(days=70))
    respond(world, case, versions["sustainability"], "middle",
            collected_on=timezone.localdate() - datetime.timedelta(days=40))
    client.force_login(world.emil)
    body = client.get(_page(case)).content.decode()
    assert "Surveys and scores" in body and "Record a sustainability survey" in body
    assert "Record a satisfaction survey" in body and _new(case, "satisfaction") in body
    form = client.get(_new(case))
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="q_e1_satisfaction" value="dont_know"' in page  # don't know is offered
    answered = client.post(_new(case), _form(page, COMPLETE))
    assert answered.status_code == 302
    response = SurveyResponse.objects.get(case=case, round=Round.FOLLOW_UP)
    assert answered["Location"] == _response(case, response.pk)
    assert response.source == Source.WEB and response.recorded_by == world.emil
    assert response.composite == 0.8333
    detail = client.get(answered["Location"]).content.decode()
    assert "Follow-up" in detail and "0.83" in detail
    body = client.get(_page(case)).content.decode()
    assert 'data-testid="score-chart"' in body and "<svg" in body
    table = body[body.index('data-testid="score-table"'):]
    table = table[:table.index("</table>")]
    assert "Baseline" in table and "Follow-up" in table and "0.83" in table
    assert AuditEvent.objects.filter(event_type=AuditType.SURVEY_RESPONSE_RECORDED,
                                     case_id=case.pk).count() == 2


def test_the_response_page_shows_hand_computed_scores_and_the_missing_rule(
        world, client, versions):
    case = arrived_case(world)
    version = versions["sustainability"]
    partial = record_response(actor=world.emil, case=case, version=version, answers=PARTIAL,
                              collected_on=timezone.localdate(), submission_id="partial")
    client.force_login(world.emil)
    body = client.get(_response(case, partial.pk)).content.decode()
    economic = body[body.index('data-dimension="economic"'):]
    assert economic[:economic.index("</tr>")].count("0.5000") == 1  # (1+.5+0+.5)×.2/.8
    social = body[body.index('data-dimension="social"'):]
    assert ("not enough answers: 1 of 5 indicators answered, coverage 20 % below the 50 % "
            "rule") in social[:social.index("</tr>")]
    psycho = body[body.index('data-dimension="psychosocial"'):]
    assert "1.0000" in psycho[:psycho.index("</tr>")]
    composite = body[body.index('data-testid="composite"'):]
    assert "the composite needs a score in every dimension" in composite[:400]
    e1 = body[body.index('data-indicator="E1"'):]
    e1 = e1[:e1.index("</tr>")]
    assert "Very satisfied" in e1
    assert "0.0833" in e1  # 1.0 × (0.2 / 0.8) × 0.3333
    e2 = body[body.index('data-indicator="E2"'):]
    assert "0.0417" in e2[:e2.index("</tr>")]  # 0.5 × 0.25 × 0.3333
    e5 = body[body.index('data-indicator="E5"'):]
    e5 = e5[:e5.index("</tr>")]
    assert 'data-missing="yes"' in body[body.index('data-indicator="E5"') - 80:
                                        body.index('data-indicator="E5"') + 80]
    assert "missing" in e5 and "counts as missing" in e5
    assert "never scored as zero" in body
    assert "Provisional weights" in body

    complete = record_response(actor=world.emil, case=case, version=version,
                               answers=COMPLETE, collected_on=timezone.localdate(),
                               submission_id="complete")
    body = client.get(_response(case, complete.pk)).content.decode()
    composite = body[body.index('data-testid="composite"'):]
    assert "0.83" in composite[:300]  # .3333 × .6 + .3333 × 1 + .3334 × .9 = 0.83334
    economic = body[body.index('data-dimension="economic"'):]
    assert "0.6000" in economic[:economic.index("</tr>")]


def test_the_same_form_sent_twice_records_once(world, client, versions):
    case = arrived_case(world)
    client.force_login(world.emil)
    page = client.get(_new(case)).content.decode()
    data = _form(page, COMPLETE)
    first = client.post(_new(case), data)
    second = client.post(_new(case), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert SurveyResponse.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(
        event_type=AuditType.SURVEY_RESPONSE_RECORDED).count() == 1
    # A newly drawn form has a new key: a second survey is a second response.
    again = client.get(_new(case)).content.decode()
    assert _client_key(again) != data["client_key"]


def test_a_refused_form_keeps_what_was_typed_and_records_nothing(world, client, versions):
    case = arrived_case(world)
    client.force_login(world.emil)
    page = client.get(_new(case)).content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    refused = client.post(_new(case), _form(page, COMPLETE, collected_on=future))
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "cannot have been collected in the future" in body
    assert re.search(r'name="q_e1_satisfaction" value="very_satisfied"[^>]*checked', body)
    assert _client_key(body) == _client_key(page)
    bad_date = client.post(_new(case), _form(page, COMPLETE, collected_on="yesterday"))
    assert bad_date.status_code == 422
    assert "Enter a valid date" in bad_date.content.decode()
    assert not SurveyResponse.objects.filter(case=case).exists()


def test_readers_see_the_section_without_the_key_nor_the_buttons(world, client, versions):
    case = arrived_case(world)
    response = respond(world, case, versions["sustainability"], "best")
    key = survey_key_for(case).key
    client.force_login(world.carla)  # Berlin's caseworker reads the handed-over case
    body = client.get(_page(case)).content.decode()
    assert "Surveys and scores" in body and _response(case, response.pk) in body
    assert key not in body and "Record a sustainability survey" not in body
    assert client.get(_response(case, response.pk)).status_code == 200
    client.force_login(world.sam)  # survey.record, but in Berlin, not the origin office
    assert key not in client.get(_page(case)).content.decode()
    client.force_login(world.rita)  # survey.record in Baghdad
    body = client.get(_page(case)).content.decode()
    assert key in body and "Record a satisfaction survey" in body


def test_labels_follow_the_language_of_the_reader(world, client, versions):
    case = arrived_case(world)
    client.force_login(world.emil)
    page = client.get(_new(case), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Enquête sur la durabilité de la réintégration" in page


def test_outsiders_get_404_and_other_readers_403(world, client, versions):
    case = arrived_case(world)
    response = respond(world, case, versions["sustainability"], "best")
    client.force_login(world.otto)
    assert client.get(_new(case)).status_code == 404
    assert client.post(_new(case), {}).status_code == 404
    assert client.get(_response(case, response.pk)).status_code == 404
    client.force_login(world.carla)
    assert client.get(_new(case)).status_code == 403
    assert client.post(_new(case), {"collected_on": "2026-01-01"}).status_code == 403
    client.force_login(world.emil)
    assert client.get(_new(case, "no-such-survey")).status_code == 404
    assert client.get(_response(case, response.pk + 1000)).status_code == 404
    assert SurveyResponse.objects.count() == 1
