import datetime

import pytest
from django.utils import timezone

from retorno.cases import services as case_services
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import (
    open_case,
    open_case_with_child,
    prepare_application,
    prepare_travel,
)
from retorno.travel.models import Departure, Itinerary, ItineraryStatus, Leg
from retorno.travel.tests.builders import berlin_baghdad, record

pytestmark = pytest.mark.django_db

EMPTY_LEG = {"mode": "air", "from_code": "", "to_code": "", "from_place": "",
             "from_country": "", "from_tz": "", "to_place": "", "to_country": "",
             "to_tz": "", "carrier": "", "flight_number": "", "departs_on": "",
             "departs_time": "", "arrives_on": "", "arrives_time": "", "cost": "",
             "currency": "", "escort1_kind": "", "escort1_name": "",
             "escort1_organisation": "", "escort2_kind": "", "escort2_name": "",
             "escort2_organisation": ""}


def _flight(**overrides):
    return {**EMPTY_LEG, "from_code": "BER", "to_code": "IST", "carrier": "Turkish Airlines",
            "flight_number": "TK1724", "departs_on": "2027-06-01", "departs_time": "10:00",
            "arrives_on": "2027-06-01", "arrives_time": "14:00", "cost": "245.50",
            "currency": "EUR", **overrides}


def _convoy(**overrides):
    # From the airport the flight lands at, by road to Zakho, with a social escort.
    return {**EMPTY_LEG, "mode": "road", "from_place": "Istanbul Airport",
            "from_country": "TUR", "from_tz": "Europe/Istanbul", "to_place": "Zakho",
            "to_country": "IRQ", "to_tz": "Asia/Baghdad", "carrier": "IOM convoy",
            "departs_on": "2027-06-01", "departs_time": "18:00", "arrives_on": "2027-06-02",
            "arrives_time": "14:30", "escort1_kind": "social", "escort1_name": "Aya Nouri",
            "escort1_organisation": "IOM Türkiye", **overrides}


def _form(case, legs, *, people=None, **fields):
    data = {"people": people if people is not None
            else [m.person_id for m in case.members.order_by("id")],
            "booking_reference": "", "legs-TOTAL_FORMS": str(len(legs)),
            "legs-INITIAL_FORMS": "0", "legs-MIN_NUM_FORMS": "0",
            "legs-MAX_NUM_FORMS": "1000", **fields}
    for i, leg in enumerate(legs):
        data.update({f"legs-{i}-{k}": v for k, v in leg.items()})
    return data


def _new(case):
    return f"/cases/{case.reference}/itineraries/new/"


def _url(case, itinerary, step):
    return f"/cases/{case.reference}/itineraries/{itinerary.pk}/{step}/"


def _section(client, case):
    body = client.get(f"/cases/{case.reference}/").content.decode()
    return body.split('id="itineraries"')[1].split("</section>")[0]


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_it_records_a_flight_and_a_road_leg_with_an_escort_from_the_form(world, client):
    case, child = open_case_with_child(world)
    client.force_login(world.max)
    response = client.get(_new(case))
    assert response.status_code == 200
    body = response.content.decode()
    # Every member is ticked; times are local at each place, and the form says so.
    assert body.count('name="people"') == 2 and body.count("checked") >= 2
    assert "Local date and time at the place of departure" in body
    assert 'type="time"' in body and 'type="date"' in body
    # A spare row left empty is ignored.
    response = client.post(_new(case), _form(case, [_flight(), _convoy(), EMPTY_LEG],
                                             booking_reference="PNR42"))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#itineraries"
    itinerary = Itinerary.objects.get(case=case)
    assert itinerary.status == ItineraryStatus.PLANNED
    assert itinerary.people == [case.principal.person_id, child.person_id]
    flight, convoy = itinerary.legs.order_by("order")
    assert flight.from_place == "Berlin Brandenburg Airport" and flight.to_tz == "Europe/Istanbul"
    # 18:00 in Istanbul (UTC+3) is 15:00 UTC.
    assert convoy.mode == "road" and convoy.departs_at == datetime.datetime(
        2027, 6, 1, 15, 0, tzinfo=datetime.UTC)
    [escort] = convoy.escorts.all()
    assert (escort.kind, escort.name, escort.organisation) == ("social", "Aya Nouri",
                                                               "IOM Türkiye")
    assert AuditEvent.objects.filter(event_type=AuditType.ITINERARY_RECORDED,
                                     target_id=itinerary.pk).exists()
    section = _section(client, case)
    assert "Berlin Brandenburg Airport" in section and "Zakho" in section
    assert "Social escort: Aya Nouri (IOM Türkiye)" in section
    assert "06/01/2027 6 p.m. +03 (UTC+03:00)" in section and "PNR42" in section
    # The edit form shows what was saved, in local time; saved unchanged, nothing changes.
    response = client.get(_url(case, itinerary, "edit"))
    body = response.content.decode()
    assert 'value="Istanbul Airport"' in body and 'value="Aya Nouri"' in body
    assert 'value="18:00"' in body and 'value="2027-06-02"' in body


def _edit_form(case, itinerary, legs, **fields):
    data = _form(case, legs, booking_reference=itinerary.booking_reference,
                 version=itinerary.version, **fields)
    data["legs-INITIAL_FORMS"] = str(itinerary.legs.count())
    return data


def test_it_changes_a_planned_itinerary_and_refuses_a_stale_version(world, client):
    case = open_case(world)
    client.force_login(world.max)
    client.post(_new(case), _form(case, [_flight(), _convoy()]))
    itinerary = Itinerary.objects.get(case=case)
    url = _url(case, itinerary, "edit")
    # The escort moves to the flight; the convoy leaves later.
    legs = [_flight(escort1_kind="medical", escort1_name="Dr Lena Vogt"),
            _convoy(departs_time="19:00", escort1_kind="", escort1_name="",
                    escort1_organisation="")]
    assert client.post(url, _edit_form(case, itinerary, legs)).status_code == 302
    itinerary.refresh_from_db()
    assert itinerary.version == 2
    flight, convoy = itinerary.legs.order_by("order")
    assert [e.name for e in flight.escorts.all()] == ["Dr Lena Vogt"]
    assert not convoy.escorts.exists()
    assert AuditEvent.objects.filter(event_type=AuditType.ITINERARY_CHANGED).count() == 1
    # Someone else's change came first: nothing saved, the input kept.
    stale = {**_edit_form(case, itinerary, legs), "version": 1, "booking_reference": "LATE1"}
    response = client.post(url, stale)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Someone else changed this record" in body and 'value="LATE1"' in body
    itinerary.refresh_from_db()
    assert itinerary.booking_reference == "" and itinerary.version == 2
    # Removing a leg (the convoy) leaves the flight, which does not reach Iraq.
    removing = _edit_form(case, itinerary, legs, **{"legs-1-DELETE": "on"})
    response = client.post(url, removing)
    assert response.status_code == 422
    assert "not in the case&#x27;s destination country" in response.content.decode()


def test_it_shows_every_problem_of_every_leg_on_top_and_keeps_the_input(world, client):
    case = open_case(world)
    client.force_login(world.max)
    legs = [_flight(to_code="XQZ"),
            _convoy(from_tz="Mars/Olympus", escort1_kind="", escort1_name="",
                    escort1_organisation="IOM")]
    response = client.post(_new(case), _form(case, legs))
    assert response.status_code == 422
    body = response.content.decode()
    top = body.split('class="errors" role="alert"')[1].split("</div>")[0]
    assert "Leg 1: “XQZ” is not a known IATA airport code." in top
    assert "Leg 2 (Istanbul Airport → Zakho), time zone of departure" in top
    assert 'value="XQZ"' in body and 'value="Mars/Olympus"' in body
    assert 'value="IOM"' in body
    assert not Itinerary.objects.exists() and not Leg.objects.exists()
    # An escort row without its kind.
    response = client.post(_new(case), _form(case, [_flight(), legs[1] | {
        "from_tz": "Europe/Istanbul"}]))
    assert "Leg 2 (Istanbul Airport → Zakho): choose a medical, social or security" in (
        response.content.decode())
    # A leg without times: the service names it too.
    response = client.post(_new(case), _form(case, [_flight(departs_time="")]))
    assert "Leg 1 (BER → IST), departure: give the local date and time." in (
        response.content.decode())


def test_only_the_host_office_movement_officer_and_supervisor_record(world, client):
    case = open_case(world)
    itinerary = record(world, case)
    # The refused first: the last one (max) cancels it.
    for persona, status in (("carla", 403), ("mona", 403), ("rita", 404), ("otto", 404),
                            ("sam", 200), ("max", 200)):
        client.force_login(world.users[persona])
        assert client.get(_new(case)).status_code == status, persona
        assert client.get(_url(case, itinerary, "edit")).status_code == status, persona
        assert client.get(_url(case, itinerary, "departure")).status_code == status, persona
        if status != 200:
            for step in ("book", "cancel", "no-show"):
                response = client.post(_url(case, itinerary, step), {"version": 1})
                assert response.status_code == status, (persona, step)
    assert Itinerary.objects.get(pk=itinerary.pk).status == ItineraryStatus.PLANNED
    response = client.post(_url(case, itinerary, "cancel"), {"version": 1}, follow=True)
    assert "Itinerary cancelled." in _messages(response)
    assert Itinerary.objects.get(pk=itinerary.pk).status == ItineraryStatus.CANCELLED
    client.force_login(world.carla)
    section = _section(client, case)
    assert "BER" in section and "Record an itinerary" not in section
    assert "/itineraries/" not in section


def test_booking_is_refused_with_the_service_messages(world, client):
    case = open_case(world)
    itinerary = record(world, case)
    client.force_login(world.max)
    response = client.post(_url(case, itinerary, "book"),
                           {"version": itinerary.version, "booking_reference": ""},
                           follow=True)
    messages = _messages(response)
    assert "Give the booking reference." in messages
    assert any("booked once approved" in m for m in messages)
    itinerary.refresh_from_db()
    assert itinerary.status == ItineraryStatus.PLANNED
    assert "booked once approved" in response.content.decode()


def _approved_case(world):
    case = open_case(world)
    prepare_application(world, case)
    prepare_travel(world, case)  # plans an itinerary via Istanbul
    for step, actor in [("counselling", "carla"), ("applied", "carla"), ("approved", "sam")]:
        case_services.transition_case(case, step, actor=world.users[actor])
    return case


def test_a_no_show_keeps_the_booked_itinerary_and_a_rebooking_is_recorded_and_booked(
        world, client):
    case = _approved_case(world)
    planned = Itinerary.objects.get(case=case)
    client.force_login(world.max)
    assert f'action="{_url(case, planned, "book")}"' in _section(client, case)
    response = client.post(_url(case, planned, "book"),
                           {"version": planned.version, "booking_reference": "FIRST1"},
                           follow=True)
    assert "Itinerary booked." in _messages(response)
    planned.refresh_from_db()
    assert planned.status == ItineraryStatus.BOOKED
    section = _section(client, case)
    # Booked: no edit, no booking; a no-show, the departure details, a cancellation.
    assert _url(case, planned, "edit") not in section
    assert _url(case, planned, "no-show") in section and _url(case, planned, "departure") \
        in section
    assert "Istanbul" in section and "Transit assistance" in section
    # A no-show needs a reason.
    response = client.post(_url(case, planned, "no-show"),
                           {"version": planned.version, "reason": " "}, follow=True)
    assert "Say what happened (why the travellers did not board)." in _messages(response)
    response = client.post(_url(case, planned, "no-show"),
                           {"version": planned.version, "reason": "Missed the bus"},
                           follow=True)
    assert response.status_code == 200
    planned.refresh_from_db()
    assert planned.status == ItineraryStatus.NO_SHOW
    # The rebooking: a new itinerary, recorded and booked; the no-show stays listed after it.
    day = (case.planned_departure_on + datetime.timedelta(days=2)).isoformat()
    legs = [_flight(departs_on=day, arrives_on=day),
            _flight(from_code="IST", to_code="BGW", flight_number="TK788",
                    departs_on=day, departs_time="17:00", arrives_on=day,
                    arrives_time="19:30", cost="", currency="")]
    assert client.post(_new(case), _form(case, legs)).status_code == 302
    rebooking = Itinerary.objects.filter(case=case).latest("id")
    response = client.post(_url(case, rebooking, "book"),
                           {"version": rebooking.version, "booking_reference": "SECOND2"},
                           follow=True)
    assert "Itinerary booked." in _messages(response), _messages(response)
    section = _section(client, case)
    assert section.index("SECOND2") < section.index("FIRST1")
    assert 'data-status="no_show" class="muted"' in section and "No-show" in section
    assert Itinerary.objects.filter(case=case, status=ItineraryStatus.BOOKED).count() == 1


def _booked(world, client, reference="DEP123"):
    case = _approved_case(world)
    itinerary = Itinerary.objects.get(case=case)
    client.force_login(world.max)
    client.post(_url(case, itinerary, "book"),
                {"version": itinerary.version, "booking_reference": reference})
    return case, itinerary


DEPARTURE_FORM = {"allowance": "", "allowance_currency": "", "allowance_paid_on": "",
                  "checked_bags": "2", "checked_kg": "", "unaccompanied_bags": "",
                  "unaccompanied_kg": "", "notes": "Wheelchair at the gate",
                  "pre_embarkation_checked": "on"}


def test_it_records_the_departure_details_and_shows_them(world, client):
    case, itinerary = _booked(world, client)
    url = _url(case, itinerary, "departure")
    assert client.get(url).status_code == 200
    response = client.post(url, DEPARTURE_FORM)
    assert response.status_code == 302, response.content.decode()
    departure = Departure.objects.get(itinerary=itinerary)
    assert departure.checked_bags == 2 and departure.unaccompanied_bags == 0
    assert departure.pre_embarkation_checked_by == world.max and departure.version == 1
    assert AuditEvent.objects.filter(event_type=AuditType.DEPARTURE_RECORDED).count() == 1
    section = _section(client, case)
    assert "2 bags" in section and "Wheelchair at the gate" in section
    assert "Done" in section and "by Max" in section
    # The form shows what is recorded; a change needs the version read.
    body = client.get(url).content.decode()
    assert 'name="version" value="1"' in body and "checked" in body
    response = client.post(url, {**DEPARTURE_FORM, "checked_bags": "3", "version": "1"})
    assert response.status_code == 302
    response = client.post(url, {**DEPARTURE_FORM, "checked_bags": "4", "version": "1"})
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()
    departure.refresh_from_db()
    assert departure.checked_bags == 3
    # The service's own rules come back on the form, the input kept.
    response = client.post(url, {**DEPARTURE_FORM, "allowance_signed": "on", "version": "2",
                                 "notes": "Signed?"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "give the date it was paid" in body and "Signed?" in body


def test_departure_details_are_for_a_booked_itinerary(world, client):
    case = open_case(world)
    itinerary = record(world, case)
    client.force_login(world.max)
    response = client.post(_url(case, itinerary, "departure"), DEPARTURE_FORM)
    assert response.status_code == 422
    assert "Departure details are recorded for a booked itinerary." in (
        response.content.decode())
    assert not Departure.objects.exists()


def test_it_records_the_allowance_paid_and_signed_for(world, client):
    case, itinerary = _booked(world, client)
    today = timezone.localdate().isoformat()
    response = client.post(_url(case, itinerary, "departure"), {
        **DEPARTURE_FORM, "allowance": "150", "allowance_currency": "eur",
        "allowance_paid_on": today, "allowance_signed": "on", "checked_kg": "31.5"})
    assert response.status_code == 302
    departure = Departure.objects.get(itinerary=itinerary)
    assert departure.allowance_currency == "EUR"
    section = _section(client, case)
    assert "€150.00" in section and "receipt signed" in section and "31.5 kg" in section


def test_the_form_keeps_every_escort_recorded_through_the_api(world, client):
    case = open_case(world)
    escorts = [{"kind": kind, "name": f"{kind.title()} escort", "organisation": "IOM"}
               for kind in ("medical", "social", "security")]
    legs = berlin_baghdad()
    legs[0]["escorts"] = escorts
    itinerary = record(world, case, legs=legs)
    client.force_login(world.max)
    url = _url(case, itinerary, "edit")
    body = client.get(url).content.decode()
    assert 'value="Security escort"' in body and 'name="legs-0-escort3_kind"' in body
    # Saved as shown: nothing changes, no escort is lost.
    form = {"people": [case.principal.person_id], "booking_reference": "",
            "version": itinerary.version, "legs-TOTAL_FORMS": "2", "legs-INITIAL_FORMS": "2",
            "legs-MIN_NUM_FORMS": "0", "legs-MAX_NUM_FORMS": "1000"}
    page = client.get(url)
    for leg_form in page.context["legs"].forms:
        for name, field in leg_form.fields.items():
            value = leg_form[name].value()
            if name != "DELETE" and value not in (None, ""):
                form[f"{leg_form.prefix}-{name}"] = (field.widget.format_value(value)
                                                     if hasattr(field.widget, "format_value")
                                                     else value)
    assert client.post(url, form).status_code == 302
    itinerary.refresh_from_db()
    assert itinerary.version == 1
    assert itinerary.legs.get(order=1).escorts.count() == 3
