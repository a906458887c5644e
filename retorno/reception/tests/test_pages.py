import pytest
from django.utils import timezone

from retorno.privacy.models import AuditEvent, AuditType
from retorno.reception import services
from retorno.reception.models import Reception
from retorno.reception.tests.builders import accepted, departed, handed_over
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _page(case) -> str:
    return f"/cases/{case.reference}/"


def test_it_lets_the_origin_office_accept_from_the_case_page(world, client):
    case = handed_over(world)
    accept = f"/cases/{case.reference}/reception/accept/"
    client.force_login(world.sam)
    body = client.get(_page(case)).content.decode()
    assert "Handover and reception" in body and "Not yet accepted" in body
    assert accept not in body
    assert client.post(accept).status_code == 403
    client.force_login(world.rita)
    body = client.get(_page(case)).content.decode()
    assert accept in body and "Accept the handover" in body
    response = client.post(accept)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#reception"
    assert Reception.objects.get(case=case).accepted_by == world.rita
    body = client.get(_page(case)).content.decode()
    assert "Accepted by Rita" in body and accept not in body
    assert f"/cases/{case.reference}/reception/plan/" in body
    # Again: refused with a message on the case page.
    response = client.post(accept, follow=True)
    assert "already accepted" in response.content.decode()
    assert Reception.objects.count() == 1


def test_it_hides_a_case_not_handed_over_from_the_origin_office(world, client):
    case = open_case(world)
    client.force_login(world.rita)
    assert client.post(f"/cases/{case.reference}/reception/accept/").status_code == 404
    assert client.get(f"/cases/{case.reference}/reception/plan/").status_code == 404
    client.force_login(world.carla)
    body = client.get(_page(case)).content.decode()
    assert "Not yet handed over to Baghdad" in body


def test_it_plans_the_reception_from_the_form(world, client):
    reception = accepted(world)
    url = f"/cases/{reception.case.reference}/reception/plan/"
    client.force_login(world.rita)
    assert client.get(url).status_code == 200
    form = {"meet_at_airport": "on", "met_by": "Layla Hassan", "accommodation": "Hotel",
            "inland_transport": "Bus", "final_destination": "Basra", "pocket_money": "150000",
            "pocket_money_currency": "iqd", "version": 1}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()
    stored = Reception.objects.get(pk=reception.pk)
    assert stored.pocket_money_currency == "IQD" and stored.final_destination == "Basra"
    body = client.get(f"/cases/{reception.case.reference}/").content.decode()
    assert "Basra" in body and "150,000" in body
    # The same form again, based on the old version: someone else's change is kept.
    response = client.post(url, {**form, "final_destination": "Mosul"})
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    response = client.post(url, {**form, "pocket_money": "10.5", "version": 2})
    assert response.status_code == 422
    assert "at most 0 digits" in response.content.decode()
    assert Reception.objects.get(pk=reception.pk).final_destination == "Basra"


def test_it_records_the_arrival_from_the_form(world, client):
    case = departed(world)
    url = f"/cases/{case.reference}/reception/arrival/"
    client.force_login(world.max)
    assert client.get(url).status_code == 403
    client.force_login(world.rita)
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(url, {"arrived_on": today, "met_on_arrival": "no",
                                 "arrival_notes": "Nobody at the gate", "version": 1})
    assert response.status_code == 302, response.content.decode()
    stored = Reception.objects.get(case=case)
    assert stored.met_on_arrival is False and stored.arrived_on.isoformat() == today
    assert AuditEvent.objects.filter(event_type=AuditType.RECEPTION_CHANGED).count() == 1
    body = client.get(_page(case)).content.decode()
    assert "Nobody at the gate" in body


def test_it_lists_incoming_cases_for_the_origin_office(world, client):
    waiting = handed_over(world)
    taken = accepted(world).case
    gone = departed(world)
    reception = Reception.objects.select_related("case").get(case=gone)
    services.record_arrival(actor=world.rita, reception=reception,
                            data={"arrived_on": timezone.localdate()}, version=1)
    not_handed = open_case(world)
    client.force_login(world.rita)
    response = client.get("/reception/")
    assert response.status_code == 200
    body = response.content.decode()
    for case in (waiting, taken, gone):
        assert case.reference in body
    assert not_handed.reference not in body
    assert body.count('data-testid="incoming"') == 3
    assert "Not yet accepted" in body and "BGW" not in body
    assert "(UTC+03:00)" in body  # the booked itinerary's times, in local time
    assert 'href="/reception/"' in body  # the navigation link
    # Berlin's supervisor receives cases handed over to Berlin: none.
    client.force_login(world.sam)
    body = client.get("/reception/").content.decode()
    assert "No case has been handed over to your office" in body
    assert waiting.reference not in body
    for persona in ("carla", "emil"):
        client.force_login(world.users[persona])
        assert client.get("/reception/").status_code == 403
        assert 'href="/reception/"' not in client.get("/").content.decode()
