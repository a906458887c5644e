import pytest

from retorno.cases.services import update_case
from retorno.documents.models import TravelDocument
from retorno.documents.tests.builders import (
    NUMBER,
    TD1,
    TD3,
    corrupt,
    held,
    in_days,
    record,
    requested,
    to_request,
)
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = held(**overrides)
    return {k: "" if v is None else str(v) for k, v in data.items()}


def _new_url(case, member=None):
    return (f"/cases/{case.reference}/travel-documents/members/"
            f"{(member or case.principal).pk}/new/")


def _edit_url(case, document):
    return f"/cases/{case.reference}/travel-documents/{document.pk}/edit/"


def _status_url(case, document):
    return f"/cases/{case.reference}/travel-documents/{document.pk}/status/"


def test_it_records_a_document_from_the_form(world, client):
    case = open_case(world)
    client.force_login(world.max)
    body = client.get(_new_url(case)).content.decode()
    assert 'name="mrz"' in body and "Read the MRZ" in body
    # The person's nationality is the likely issuing country.
    assert '<option value="IRQ" selected>' in body
    response = client.post(_new_url(case), _form())
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#travel-documents"
    document = TravelDocument.objects.get(case=case)
    assert (document.number, document.status, document.created_by) == (
        NUMBER, "collected", world.max)
    assert AuditEvent.objects.filter(event_type=AuditType.TRAVEL_DOCUMENT_RECORDED).exists()
    # Supervisors read the audit log, number included.
    client.force_login(world.sam)
    body = client.get(f"/cases/{case.reference}/audit/").content.decode()
    assert "Travel document recorded" in body and NUMBER in body


def test_it_shows_errors_next_to_the_fields_and_saves_nothing(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(_new_url(case), _form(number="A-1", expires_on=None))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Use capital letters A–Z and digits only" in body
    assert "An issued document needs its expiry date." in body
    assert body.count('class="error"') == 2
    response = client.post(_new_url(case), _form(kind=""))
    assert response.status_code == 422
    assert not TravelDocument.objects.exists()


def test_it_fills_the_form_from_the_mrz_without_javascript(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(_new_url(case), {**_form(kind="", number="", expires_on=None,
                                                    status="to_request", notes="Typed first"),
                                            "mrz": TD3.lower(), "read_mrz": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body  # the whole page
    assert 'value="passport" required id="id_kind_0" checked' in body
    assert 'value="L898902C3"' in body and 'value="2012-04-15"' in body
    assert "Typed first" in body  # what the user typed stays
    # A zone is read off a document in hand; Utopia is no country to record.
    assert 'value="collected" required id="id_status_2" checked' in body
    assert '<option value="IRQ" selected>' not in body
    assert "Read as TD3: ERIKSSON, ANNA MARIA." in body and "Every check digit matches." in body
    assert "The issuing state UTO (Utopia) is not an ISO 3166 country" in body
    # The zone's holder is not the registered person.
    assert ("The name in the zone, ERIKSSON, ANNA MARIA, differs from the registered name, "
            "Ahmed Al-Rashid. Check which one is right.") in body
    assert "The date of birth in the zone, 08/12/1974, differs from the registered one" in body
    assert not TravelDocument.objects.exists()


def test_it_fills_the_form_through_htmx_and_names_a_wrong_check_digit(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    page = client.get(_new_url(case)).content.decode()
    parse_url = _new_url(case) + "mrz/"
    assert f'hx-post="{parse_url}"' in page and 'hx-target="#document-form"' in page
    response = client.post(parse_url, {**_form(number=""), "mrz": corrupt(TD1, 2, 6, "3")},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<form id="document-form"') and "<html" not in body
    assert 'value="D23145890"' in body and "Read as TD1" in body
    assert '<li data-code="birth_date_check">The check digit of the date of birth does not ' \
           'match.</li>' in body
    assert 'data-code="composite_check"' in body
    assert not TravelDocument.objects.exists()
    # The parse endpoint only answers POST.
    assert client.get(parse_url).status_code == 405


def test_it_says_why_a_pasted_text_cannot_be_read(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(_new_url(case) + "mrz/", {**_form(), "mrz": TD3[:-1]})
    body = response.content.decode()
    assert ("Two lines are read as TD2 (36 characters each) or TD3 (passports, 44 characters "
            "each); the lines here have 44 and 43 characters.") in body
    assert f'value="{NUMBER}"' in body  # the form keeps what was typed


def test_it_corrects_a_document_and_refuses_a_stale_version(world, client):
    case = open_case(world)
    document = record(case, world.carla)
    url = _edit_url(case, document)
    client.force_login(world.carla)
    body = client.get(url).content.decode()
    assert f'value="{NUMBER}"' in body and 'name="status"' not in body
    assert client.post(url, _form(number="B7654321", version=1)).status_code == 302
    response = client.post(url, _form(number="C1", version=1))
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    assert TravelDocument.objects.get().number == "B7654321"
    # The MRZ fills the edit form too.
    response = client.post(url + "mrz/", {**_form(version=2), "mrz": TD3})
    assert 'value="L898902C3"' in response.content.decode()


def test_it_moves_a_document_through_its_statuses(world, client):
    case = open_case(world)
    document = record(case, world.max, **to_request())
    url = _status_url(case, document)
    client.force_login(world.max)
    body = client.get(url + "?to=requested").content.decode()
    assert "Record the request to the consulate" in body
    assert f'value="{in_days(0).isoformat()}"' in body  # requested today, by default
    assert 'name="number"' not in body
    response = client.post(url, {"to": "requested", "version": 1,
                                 "requested_on": in_days(-2).isoformat()})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.follow_up_on) == ("requested", in_days(12))
    response = client.post(url, {"to": "issued", "version": 2, "number": ""})
    assert response.status_code == 422
    assert TravelDocument.objects.get().status == "requested"
    response = client.post(url, {"to": "issued", "version": 2, "number": "e99",
                                 "expires_on": in_days(90).isoformat()})
    assert response.status_code == 302
    # Collecting takes no field: the case page posts it straight away.
    assert client.post(url, {"to": "collected", "version": 3}).status_code == 302
    stored = TravelDocument.objects.get()
    assert (stored.status, stored.number, stored.version) == ("collected", "E99", 4)


def test_it_offers_the_moves_there_are_when_the_status_has_changed(world, client):
    case = open_case(world)
    document = requested(case, world.max)
    client.force_login(world.max)
    response = client.post(_status_url(case, document), {"to": "collected", "version": 2})
    assert response.status_code == 422
    body = response.content.decode()
    assert "This travel document is now “Requested from the consulate”" in body
    assert "?to=issued" in body and "Record a refusal" in body
    assert client.get(_status_url(case, document)).status_code == 200


def test_it_shows_the_documents_and_what_needs_attention_on_the_case_page(world, client):
    case = open_case(world)
    page = f"/cases/{case.reference}/"
    client.force_login(world.carla)
    body = client.get(page).content.decode()
    assert "No travel document recorded" in body and _new_url(case) in body
    assert "No planned departure date yet" in body
    update_case(actor=world.carla, case=case, version=case.version,
                data={"planned_departure_on": in_days(30)})
    record(case, world.carla, **held(expires_on=in_days(20)))
    record(case, world.carla, **held(number="OLD1", issued_on=in_days(-4000),
                                     expires_on=in_days(-1)))
    requested(case, world.carla, requested_on=in_days(-15))
    for persona in ("carla", "sam", "max", "dana"):
        client.force_login(world.users[persona])
        body = client.get(page).content.decode()
        section = body.split('id="travel-documents"')[1].split("</section>")[0]
        assert NUMBER in section and "Collected" in section, persona
        assert "Expires before the planned departure" in section
        assert "Expired" in section and "Overdue" in section
        can_record = persona != "dana"
        assert ("/travel-documents/members/" in section) is can_record, persona
        assert ("Record the issued document" in section) is can_record, persona
    # Roles that do not work with travel documents see none of them.
    for persona in ("mona", "pia"):
        client.force_login(world.users[persona])
        body = client.get(page).content.decode()
        assert 'id="travel-documents"' not in body and NUMBER not in body, persona


def test_it_hides_the_pages_from_outsiders_and_refuses_other_roles(world, client):
    case = open_case(world)
    document = record(case, world.carla)
    urls = [_new_url(case), _edit_url(case, document), _status_url(case, document)]
    posts = [_new_url(case) + "mrz/", _edit_url(case, document) + "mrz/"]
    for persona, status in [("otto", 404), ("paul", 404), ("stella", 404), ("mona", 403),
                            ("pia", 403), ("dana", 403)]:
        client.force_login(world.users[persona])
        for url in urls:
            assert client.get(url).status_code == status, (persona, url)
            assert client.post(url, _form(number="X1", version=1)).status_code == status
        for url in posts:
            assert client.post(url, {"mrz": TD3}).status_code == status, (persona, url)
    assert TravelDocument.objects.get().number == NUMBER


def test_it_answers_404_for_a_document_or_member_of_another_case(world, client):
    case, other = open_case(world), open_case(world)
    document = record(other, world.carla)
    client.force_login(world.carla)
    assert client.get(_edit_url(case, document)).status_code == 404
    assert client.get(_status_url(case, document)).status_code == 404
    assert client.get(_new_url(case, other.principal)).status_code == 404
