"""The leg rules, across time zones, over unsaved legs (no database needed)."""

import datetime

import pytest

from retorno.lib.errors import Invalid
from retorno.travel import airports, validation
from retorno.travel.models import Leg
from retorno.travel.tests.builders import dt


def air(frm, to, departs, arrives, carrier="Turkish Airlines", number="TK1"):
    a, b = airports.lookup(frm), airports.lookup(to)
    return Leg(mode="air", from_code=a.code, to_code=b.code, from_place=a.name,
               to_place=b.name, from_country=a.country, to_country=b.country,
               from_tz=a.tz, to_tz=b.tz, carrier=carrier, flight_number=number,
               departs_at=validation.aware(departs, a.tz, "departure"),
               arrives_at=validation.aware(arrives, b.tz, "arrival"))


def road(frm, to, departs, arrives, frm_country="IRQ", to_country="IRQ",
         tz="Asia/Baghdad"):
    return Leg(mode="road", from_place=frm, to_place=to, from_country=frm_country,
               to_country=to_country, from_tz=tz, to_tz=tz,
               departs_at=validation.aware(departs, tz, "departure"),
               arrives_at=validation.aware(arrives, tz, "arrival"))


def test_a_good_journey_passes():
    legs = [air("BER", "IST", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 14, 0)),
            air("IST", "BGW", dt(2026, 6, 1, 15, 30), dt(2026, 6, 1, 17, 45))]
    assert validation.check_legs(legs, "IRQ") == []


def test_a_connection_shorter_than_the_airports_minimum_is_named():
    # Lands in Istanbul at 14:00 local (11:00 UTC), leaves at 15:00 (12:00 UTC): 60
    # minutes, where IST asks for 75. Berlin is UTC+2, Istanbul UTC+3: compared in UTC.
    legs = [air("BER", "IST", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 14, 0)),
            air("IST", "BGW", dt(2026, 6, 1, 15, 0), dt(2026, 6, 1, 17, 15))]
    [message] = validation.check_legs(legs, "IRQ")
    assert message.startswith("Leg 2 (IST → BGW) departs at 06/01/2026 3 p.m. +03 (UTC+03:00)")
    assert "less than 75 minutes (the minimum connection time at IST)" in message
    assert "arrives at 06/01/2026 2 p.m. +03 (UTC+03:00)" in message


def test_the_default_minimum_applies_where_the_airport_has_none():
    # 55 minutes at Baghdad (not in mct.csv): below the default 60.
    legs = [air("IST", "BGW", dt(2026, 6, 1, 15, 30), dt(2026, 6, 1, 17, 45)),
            air("BGW", "EBL", dt(2026, 6, 1, 18, 40), dt(2026, 6, 1, 19, 40))]
    [message] = validation.check_legs(legs, "IRQ")
    assert "less than 60 minutes (the minimum connection time at BGW)" in message
    legs[1] = air("BGW", "EBL", dt(2026, 6, 1, 18, 45), dt(2026, 6, 1, 19, 45))
    assert validation.check_legs(legs, "IRQ") == []


def test_a_flight_across_the_date_line_may_arrive_on_the_previous_local_date():
    # Auckland 07:00 NZST on 10 June is 19:00 UTC on 9 June; nine hours later it is
    # 18:00 on 9 June in Honolulu (UTC-10): earlier on the calendar, later in time.
    leg = air("AKL", "HNL", dt(2026, 6, 10, 7, 0), dt(2026, 6, 9, 18, 0),
              carrier="Air New Zealand", number="NZ10")
    assert leg.arrives_local.date() < leg.departs_local.date()
    assert validation.check_legs([leg], "USA") == []
    # The way back crosses it the other way: HNL 13:00 on 9 June → AKL 21:00 on 10 June.
    back = air("HNL", "AKL", dt(2026, 6, 9, 13, 0), dt(2026, 6, 10, 21, 0),
               carrier="Air New Zealand", number="NZ9")
    assert validation.check_legs([back], "NZL") == []


def test_an_arrival_before_the_departure_in_utc_is_refused_though_the_clock_says_later():
    # 10:00 in Berlin is 08:00 UTC; 10:30 in Istanbul is 07:30 UTC.
    leg = air("BER", "IST", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 10, 30))
    [message] = validation.check_legs([leg], "TUR")
    assert message == ("Leg 1 (BER → IST) arrives at 06/01/2026 10:30 a.m. +03 (UTC+03:00), "
                       "which is not after it departs at 06/01/2026 10 a.m. CEST (UTC+02:00).")


def test_a_date_line_arrival_a_day_too_early_is_refused():
    # Arriving in Honolulu at 18:00 on 8 June would be before leaving Auckland.
    leg = air("AKL", "HNL", dt(2026, 6, 10, 7, 0), dt(2026, 6, 8, 18, 0))
    [message] = validation.check_legs([leg], "USA")
    assert "Leg 1 (AKL → HNL) arrives at 06/08/2026 6 p.m. HST (UTC-10:00)" in message
    assert "NZST (UTC+12:00)" in message


def test_a_connection_across_the_spring_change_counts_real_minutes():
    # Frankfurt, 29 March 2026: 01:50 CET is 00:50 UTC; 03:30 CEST is 01:30 UTC. The clock
    # shows 100 minutes, but only 40 pass: below FRA's 45.
    legs = [air("BER", "FRA", dt(2026, 3, 29, 0, 45), dt(2026, 3, 29, 1, 50), "Lufthansa",
                "LH1"),
            air("FRA", "BGW", dt(2026, 3, 29, 3, 30), dt(2026, 3, 29, 9, 0), "Lufthansa",
                "LH2")]
    [message] = validation.check_legs(legs, "IRQ")
    assert "less than 45 minutes (the minimum connection time at FRA)" in message
    assert "CEST (UTC+02:00)" in message and "CET (UTC+01:00)" in message


def test_a_connection_across_the_autumn_change_gains_the_hour():
    # Frankfurt, 25 October 2026: 01:50 CEST is 23:50 UTC the day before; the second 02:05
    # (CET, given with its offset since that hour happens twice) is 01:05 UTC. The clock
    # shows 15 minutes, 75 pass: enough for FRA's 45.
    cet = datetime.timezone(datetime.timedelta(hours=1))
    legs = [air("BER", "FRA", dt(2026, 10, 25, 0, 45), dt(2026, 10, 25, 1, 50), "Lufthansa",
                "LH1"),
            air("FRA", "BGW", datetime.datetime(2026, 10, 25, 2, 5, tzinfo=cet),
                dt(2026, 10, 25, 9, 0), "Lufthansa", "LH2")]
    assert validation.check_legs(legs, "IRQ") == []
    assert legs[1].departs_local.tzname() == "CET"


def test_a_local_time_skipped_or_repeated_by_the_clocks_is_refused():
    with pytest.raises(Invalid) as skipped:
        validation.aware(dt(2026, 3, 29, 2, 30), "Europe/Berlin", "Leg 1 (BER → IST), departure")
    assert skipped.value.messages == [
        "Leg 1 (BER → IST), departure: 03/29/2026 2:30 a.m. does not exist in Europe/Berlin "
        "(the clocks go forward that night)."]
    with pytest.raises(Invalid) as twice:
        validation.aware(dt(2026, 10, 25, 2, 30), "Europe/Berlin", "Leg 1, departure")
    assert "happens twice in Europe/Berlin" in twice.value.messages[0]
    # Given with its offset, the repeated hour is accepted as it is.
    second = datetime.datetime(2026, 10, 25, 2, 30, tzinfo=datetime.timezone(
        datetime.timedelta(hours=1)))
    assert validation.aware(second, "Europe/Berlin", "x") == second
    assert validation.aware(second, "Europe/Berlin", "x").utcoffset() == datetime.timedelta(0)


def test_each_leg_leaves_from_where_the_one_before_arrived():
    legs = [air("BER", "IST", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 14, 0)),
            air("SAW", "BGW", dt(2026, 6, 1, 18, 0), dt(2026, 6, 1, 20, 15))]
    [message] = validation.check_legs(legs, "IRQ")
    assert message.startswith("Leg 2 (SAW → BGW) leaves from Sabiha Gokcen")
    assert "but the leg before arrives at Istanbul Airport" in message


def test_the_last_leg_arrives_in_the_destination_country():
    legs = [air("BER", "IST", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 14, 0))]
    [message] = validation.check_legs(legs, "IRQ")
    assert message == ("The last leg arrives at Istanbul Airport in Türkiye, not in the "
                       "case's destination country, Iraq.")


def test_a_flight_needs_its_carrier_and_number():
    legs = [air("IST", "BGW", dt(2026, 6, 1, 15, 30), dt(2026, 6, 1, 17, 45), carrier="",
                number="")]
    assert validation.check_legs(legs, "IRQ") == [
        "Leg 1 (IST → BGW) is a flight: give its carrier and flight number."]


def test_road_legs_connect_without_a_minimum_but_not_before_arriving():
    flown = air("IST", "BGW", dt(2026, 6, 1, 15, 30), dt(2026, 6, 1, 17, 45))
    convoy = road("Baghdad International Airport", "Erbil", dt(2026, 6, 1, 17, 50),
                  dt(2026, 6, 1, 23, 0))
    assert validation.check_legs([flown, convoy], "IRQ") == []
    early = road("Baghdad International Airport", "Erbil", dt(2026, 6, 1, 17, 30),
                 dt(2026, 6, 1, 23, 0))
    [message] = validation.check_legs([flown, early], "IRQ")
    assert message.startswith("Leg 2 (Baghdad International Airport → Erbil) departs at")
    assert "before the leg before arrives at" in message


def test_every_problem_is_reported_at_once():
    legs = [air("BER", "IST", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 9, 0), carrier=""),
            air("IST", "AMM", dt(2026, 6, 1, 10, 0), dt(2026, 6, 1, 12, 0))]
    messages = validation.check_legs(legs, "IRQ")
    assert [m[:10] for m in messages] == ["Leg 1 (BER", "Leg 1 (BER", "Leg 2 (IST",
                                          "The last l"]
    assert validation.check_legs([], "IRQ") == ["An itinerary has at least one leg."]
