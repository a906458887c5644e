import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory

from retorno.cases import services as case_services
from retorno.cases.models import TimelineKind
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case, open_case_with_child
from retorno.travel import policy, services
from retorno.travel.models import Itinerary, Leg
from retorno.travel.sections import case_section
from retorno.travel.tests.builders import berlin_baghdad, dt, flight, record

pytestmark = pytest.mark.django_db


def test_it_records_an_itinerary_with_its_legs_audit_and_timeline(world):
    case, child = open_case_with_child(world)
    itinerary = record(world, case, booking_reference="ABC123")
    stored = Itinerary.objects.get(pk=itinerary.pk)
    # Everyone travels unless told otherwise.
    assert stored.people == [case.principal.person_id, child.person_id]
    assert stored.status == "planned" and stored.version == 1
    assert stored.created_by == world.max and stored.updated_by == world.max
    first, second = Leg.objects.filter(itinerary=itinerary).order_by("order")
    # Entered in local time, stored as the same instant: 10:00 in Berlin (CEST) is 08:00
    # UTC; 17:45 in Baghdad (UTC+3) is 14:45 UTC.
    assert first.departs_at == datetime.datetime(2026, 6, 1, 8, 0, tzinfo=datetime.UTC)
    assert second.arrives_at == datetime.datetime(2026, 6, 1, 14, 45, tzinfo=datetime.UTC)
    assert first.from_place == "Berlin Brandenburg Airport" and first.from_country == "DEU"
    assert second.to_country == "IRQ" and second.to_tz == "Asia/Baghdad"
    assert first.cost == Decimal("245.50") and first.currency == "EUR"
    assert second.cost is None and second.flight_number == "TK788"
    event = AuditEvent.objects.get(case=case, event_type=AuditType.ITINERARY_RECORDED)
    assert event.actor == world.max and event.office == world.berlin
    assert event.target_id == itinerary.pk
    assert event.extra["new"]["booking_reference"] == "ABC123"
    assert [leg["to"] for leg in event.extra["new"]["legs"]] == ["IST", "BGW"]
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED and entry.actor == world.max
    assert "BER → IST → BGW" in entry.summary and "CEST (UTC+02:00)" in entry.summary


def test_it_records_only_the_members_chosen(world):
    case, child = open_case_with_child(world)
    itinerary = record(world, case, people=[child.person_id])
    assert itinerary.people == [child.person_id]
    with pytest.raises(Invalid, match="Only members of case"):
        record(world, case, people=[child.person_id, 999999])
    with pytest.raises(Invalid, match="at least one member"):
        record(world, case, people=[])


def test_the_supervisor_records_too_but_not_the_caseworker_or_an_outsider(world):
    case = open_case(world)
    record(world, case, actor=world.sam)
    for persona in ("carla", "mona", "rita", "otto", "vera"):
        with pytest.raises(NotAllowed):
            record(world, case, actor=world.users[persona])
    assert Itinerary.objects.filter(case=case).count() == 1


def test_a_refused_itinerary_writes_nothing(world):
    case = open_case(world)
    with pytest.raises(Invalid) as refused:
        record(world, case, legs=berlin_baghdad(connection_departs=dt(2026, 6, 1, 15, 0)))
    [message] = refused.value.messages
    assert "Leg 2 (IST → BGW)" in message and "75 minutes" in message
    assert not Itinerary.objects.exists() and not Leg.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditType.ITINERARY_RECORDED).exists()
    assert not case.timeline.filter(actor=world.max).exists()


def test_it_names_unknown_airports_and_bad_input_of_every_leg(world):
    case = open_case(world)
    legs = [flight("BER", "XQZ", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 14, 0)),
            flight("IST", "BGW", dt(2026, 6, 1, 15, 30), dt(2026, 6, 1, 17, 45),
                   cost="12.345", currency="EUR"),
            {"mode": "rail"}]
    with pytest.raises(Invalid) as refused:
        record(world, case, legs=legs)
    assert refused.value.messages == [
        "Leg 1: “XQZ” is not a known IATA airport code.",
        "Leg 2 (IST → BGW): An amount in EUR has at most 2 digits after the decimal point.",
        "Leg 3: choose air, road or sea."]
    assert not Itinerary.objects.exists()


def test_it_refuses_bad_costs_zones_and_local_times(world):
    case = open_case(world)
    cases = [
        ({"cost": "10"}, "give the currency"),
        ({"cost": "-1", "currency": "EUR"}, "cannot be negative"),
        ({"cost": "ten", "currency": "EUR"}, "not a number"),
        ({"currency": "EUR"}, "give the ticket cost, or no currency"),
        ({"currency": "EUX", "cost": "1"}, "EUX is not an ISO 4217 currency code"),
        ({"departs": dt(2026, 3, 29, 2, 30)}, "does not exist in Europe/Berlin"),
        ({"departs": "tomorrow"}, "give the local date and time"),
        ({"from_place": "Berlin"}, "Leg 1: Unknown fields: from_place."),
    ]
    for change, expected in cases:
        legs = berlin_baghdad()
        legs[0] = {k: v for k, v in legs[0].items() if k not in ("cost", "currency")}
        legs[0].update(change)
        with pytest.raises(Invalid) as refused:
            record(world, case, legs=legs)
        assert expected in " ".join(refused.value.messages), change
    convoy = {"mode": "road", "from_place": "Baghdad", "to_place": "Erbil",
              "from_country": "IRQ", "to_country": "IRQ", "from_tz": "Asia/Bagdad",
              "to_tz": "Asia/Baghdad", "departs": dt(2026, 6, 2, 8, 0),
              "arrives": dt(2026, 6, 2, 13, 0)}
    with pytest.raises(Invalid) as refused:
        record(world, case, legs=[convoy])
    assert refused.value.messages == [
        "Leg 1 (Baghdad → Erbil), time zone of departure: “Asia/Bagdad” is not a time zone "
        "name such as Europe/Berlin."]
    assert not Itinerary.objects.exists()


def test_a_land_convoy_is_recorded(world):
    case = open_case(world)
    legs = [{"mode": "road", "from_place": "Istanbul", "to_place": "Zakho",
             "from_country": "TUR", "to_country": "IRQ", "from_tz": "Europe/Istanbul",
             "to_tz": "Asia/Baghdad", "carrier": "IOM convoy",
             "departs": dt(2026, 6, 2, 6, 0), "arrives": dt(2026, 6, 3, 14, 0)},
            {"mode": "road", "from_place": "Zakho", "to_place": "Duhok",
             "from_country": "IRQ", "to_country": "IRQ", "from_tz": "Asia/Baghdad",
             "to_tz": "Asia/Baghdad", "departs": dt(2026, 6, 3, 14, 0),
             "arrives": dt(2026, 6, 3, 15, 30), "cost": "25000", "currency": "IQD"}]
    itinerary = record(world, case, legs=legs)
    assert [leg.mode for leg in itinerary.legs.all()] == ["road", "road"]


def test_booking_and_cancelling_are_steps_of_their_own(world):
    case = open_case(world)
    with pytest.raises(Invalid, match="Unknown fields: status"):
        record(world, case, status="booked")
    with pytest.raises(Invalid, match="Unknown fields: version"):
        record(world, case, version=1)


def test_it_updates_with_the_current_version(world):
    case = open_case(world)
    itinerary = record(world, case)
    legs = berlin_baghdad(connection_departs=dt(2026, 6, 1, 16, 0))
    services.update_itinerary(actor=world.sam, itinerary=itinerary, version=1,
                              data={"booking_reference": "XYZ9", "legs": legs})
    stored = Itinerary.objects.get(pk=itinerary.pk)
    assert stored.version == 2 and stored.status == "planned"
    assert stored.updated_by == world.sam and stored.created_by == world.max
    second = stored.legs.get(order=2)
    assert second.departs_at == datetime.datetime(2026, 6, 1, 13, 0, tzinfo=datetime.UTC)
    assert Leg.objects.filter(itinerary=itinerary).count() == 2
    event = AuditEvent.objects.get(case=case, event_type=AuditType.ITINERARY_CHANGED)
    assert event.extra["old"]["booking_reference"] == ""
    assert event.extra["new"]["booking_reference"] == "XYZ9"
    assert event.extra["new"]["legs"][1]["departs_at"] == "2026-06-01T13:00:00+00:00"
    entry = case.timeline.first()
    assert "changed: booking reference, legs" in entry.summary
    # Nothing changed: nothing written.
    services.update_itinerary(actor=world.max, itinerary=stored, version=2,
                              data={"booking_reference": "XYZ9"})
    assert Itinerary.objects.get(pk=itinerary.pk).version == 2


def test_a_stale_version_changes_nothing(world):
    case = open_case(world)
    itinerary = record(world, case)
    services.update_itinerary(actor=world.max, itinerary=itinerary, version=1,
                              data={"booking_reference": "FIRST"})
    with pytest.raises(StaleVersion):
        services.update_itinerary(
            actor=world.sam, itinerary=Itinerary.objects.get(pk=itinerary.pk), version=1,
            data={"booking_reference": "SECOND",
                  "legs": berlin_baghdad(connection_departs=dt(2026, 6, 1, 16, 0))})
    stored = Itinerary.objects.get(pk=itinerary.pk)
    assert stored.booking_reference == "FIRST"
    assert stored.legs.get(order=2).departs_at.hour == 12  # 15:30 in Istanbul, unchanged


def test_an_invalid_update_changes_nothing(world):
    case = open_case(world)
    itinerary = record(world, case)
    with pytest.raises(Invalid, match="minimum connection time at IST"):
        services.update_itinerary(
            actor=world.max, itinerary=itinerary, version=1,
            data={"legs": berlin_baghdad(connection_departs=dt(2026, 6, 1, 14, 30))})
    with pytest.raises(NotAllowed):
        services.update_itinerary(actor=world.carla, itinerary=itinerary, version=1,
                                  data={"booking_reference": "X"})
    assert Itinerary.objects.get(pk=itinerary.pk).version == 1
    assert not AuditEvent.objects.filter(event_type=AuditType.ITINERARY_CHANGED).exists()


def test_it_cancels_and_then_refuses_changes(world):
    case = open_case(world)
    itinerary = record(world, case)
    with pytest.raises(NotAllowed):
        services.cancel_itinerary(actor=world.carla, itinerary=itinerary, version=1)
    services.cancel_itinerary(actor=world.max, itinerary=itinerary, version=1,
                              reason="Flight cancelled by the airline.")
    stored = Itinerary.objects.get(pk=itinerary.pk)
    assert stored.status == "cancelled" and stored.version == 2
    assert stored.legs.count() == 2  # kept as it was
    event = AuditEvent.objects.get(case=case, event_type=AuditType.ITINERARY_CHANGED)
    assert event.extra["new"] == {"status": "cancelled"}
    assert event.extra["reason"] == "Flight cancelled by the airline."
    assert case.timeline.first().reason == "Flight cancelled by the airline."
    with pytest.raises(Invalid, match="cancelled already"):
        services.cancel_itinerary(actor=world.max, itinerary=stored, version=2)
    with pytest.raises(Invalid, match="cancelled and can no longer be changed"):
        services.update_itinerary(actor=world.max, itinerary=stored, version=2,
                                  data={"booking_reference": "X"})


def test_a_closed_case_takes_no_itinerary(world):
    case = open_case(world)
    case_services.transition_case(case, "withdrawn", actor=world.carla, reason="Changed mind")
    with pytest.raises(Invalid, match="can no longer be changed"):
        record(world, case)


def test_who_reads_itineraries(world):
    case = open_case(world)
    for persona in ("carla", "sam", "max"):
        assert policy.can_view(world.users[persona], case), persona
    # Not the medical officer or the programme manager; not the origin office before
    # handover; not another office.
    for persona in ("mona", "pia", "rita", "otto", "vera", "paul", "stella"):
        assert not policy.can_view(world.users[persona], case), persona


def test_the_case_section_shows_legs_in_local_time_with_their_zone(world, client):
    case = open_case(world)
    record(world, case, booking_reference="ABC123")
    request = RequestFactory().get("/")
    request.user = world.mona
    assert case_section(request, case) is None
    request.user = world.carla
    [row] = case_section(request, case)["itineraries"]
    assert [leg["departs"] for leg in row["legs"]] == [
        "06/01/2026 10 a.m. CEST (UTC+02:00)", "06/01/2026 3:30 p.m. +03 (UTC+03:00)"]
    assert row["legs"][0]["cost"] == "€245.50"
    client.force_login(world.max)
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="itineraries"' in body and "ABC123" in body
    assert "06/01/2026 5:45 p.m. +03 (UTC+03:00)" in body and "TK788" in body
    client.force_login(world.mona)
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="itineraries"' not in body
