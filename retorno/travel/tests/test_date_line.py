"""A return that crosses the date line: Frankfurt → Los Angeles → Apia (Samoa, UTC+13).

The last leg leaves Los Angeles late on 15 May and lands in Apia early on 17 May, local
time: its connection and order are checked on instants, never on the local clock faces,
and the travel documents must still be valid on the local date of arrival.
"""

import datetime

import pytest

from retorno.accounts.models import OfficeKind
from retorno.accounts.services import create_office
from retorno.cases.models import Status
from retorno.cases.services import transition_case
from retorno.lib.errors import GuardsFailed, Invalid
from retorno.programmes.models import MigrantCategory
from retorno.programmes.services import create_programme
from retorno.testing.personas import (
    open_case,
    person_data,
    prepare_application,
    prepare_travel,
    record_passport,
    walk,
)
from retorno.travel import services
from retorno.travel.tests.builders import dt, flight

pytestmark = pytest.mark.django_db

DEPARTS = datetime.date(2031, 5, 15)


def _to_samoa(world):
    apia = create_office(code="wsm-apw", name="Apia", country="WSM", kind=OfficeKind.ORIGIN)
    programme = create_programme(
        code="pacific", name="Returns to the Pacific", donor="EU", host_countries=["DEU"],
        eligible_nationalities=["WSM"], eligible_categories=[MigrantCategory.ASYLUM_REJECTED],
        start_date=datetime.date(2020, 1, 1), end_date=None)
    case = open_case(world, person=person_data(nationality="WSM"), destination_country="WSM",
                     programme=programme, origin_office=apia, planned_departure_on=DEPARTS)
    # Valid on the day of departure, expired by the local day of arrival.
    record_passport(world, case, case.principal.person, number="WS0001",
                    expires_on=datetime.date(2031, 5, 16))
    prepare_application(world, case)
    walk(world, case, ("counselling", world.carla), ("applied", world.carla),
         ("approved", world.sam), ("preparing_departure", world.max))
    prepare_travel(world, case, plan=False)
    return case


def _legs(lands_in_apia: datetime.datetime) -> list[dict]:
    return [
        flight("FRA", "LAX", dt(2031, 5, 15, 10, 0), dt(2031, 5, 15, 13, 0),
               carrier="Lufthansa", number="LH456"),
        # 22:30 in Los Angeles (PDT, UTC−7) is 05:30 UTC on the 16th.
        flight("LAX", "APW", dt(2031, 5, 15, 22, 30), lands_in_apia,
               carrier="Fiji Airways", number="FJ811"),
    ]


def test_the_order_of_legs_is_checked_on_instants_across_the_date_line(world):
    case = _to_samoa(world)
    # 05:30 on the 16th in Apia (UTC+13) is 16:30 UTC on the 15th: before it left.
    with pytest.raises(Invalid) as refused:
        services.record_itinerary(actor=world.max, case=case,
                                  data={"legs": _legs(dt(2031, 5, 16, 5, 30))})
    assert refused.value.messages == [
        "Leg 2 (LAX → APW) arrives at 05/16/2031 5:30 a.m. +13 (UTC+13:00), which is not "
        "after it departs at 05/15/2031 10:30 p.m. PDT (UTC-07:00)."]
    # 05:30 on the 17th in Apia is 16:30 UTC on the 16th: eleven hours in the air.
    itinerary = services.record_itinerary(actor=world.max, case=case,
                                          data={"legs": _legs(dt(2031, 5, 17, 5, 30))})
    last = itinerary.legs.get(order=2)
    assert last.arrives_at == datetime.datetime(2031, 5, 16, 16, 30, tzinfo=datetime.UTC)
    assert last.arrives_local.date() == datetime.date(2031, 5, 17)


def test_documents_must_be_valid_on_the_local_date_of_arrival(world):
    case = _to_samoa(world)
    itinerary = services.record_itinerary(actor=world.max, case=case,
                                          data={"legs": _legs(dt(2031, 5, 17, 5, 30))})
    services.book_itinerary(actor=world.max, itinerary=itinerary, version=1,
                            booking_reference="FJ811X")
    with pytest.raises(GuardsFailed) as refused:
        transition_case(case, "ready_to_travel", actor=world.max)
    assert refused.value.messages == [
        "Travel document expires before the end of the journey: Ahmed Al-Rashid "
        "(أحمد الرشيد) (expires 05/16/2031, travels until 05/17/2031). Obtain a new "
        "document, or change the travel date."]
    record_passport(world, case, case.principal.person, number="WS0002",
                    expires_on=datetime.date(2031, 5, 17))
    transition_case(case, "ready_to_travel", actor=world.max)
    assert case.status == Status.READY_TO_TRAVEL
