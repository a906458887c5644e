"""The rules an itinerary's legs must follow, as pure functions over unsaved `Leg`s.

Each check returns a list of translated messages (empty when it is met) naming the leg
("Leg 2, IST → BGW") and showing times in the local time of their place with the zone
abbreviation and UTC offset, so the reader never converts zones in their head. Times are
*compared* in UTC.

- each leg arrives after it departs;
- an air leg has a carrier and a flight number;
- each leg leaves from where the one before arrived, and — at an airport — no sooner than
  the airport's minimum connection time after that arrival (`airports.minimum_connection`);
  by road or sea it may leave any time after the arrival;
- the last leg arrives in the case's destination country.
"""

import datetime
import zoneinfo
from collections.abc import Sequence

from django.utils import formats
from django.utils.translation import gettext as _

from retorno.lib.codes import country_name
from retorno.lib.errors import Invalid
from retorno.travel import airports
from retorno.travel.models import Leg, Mode


def show(moment: datetime.datetime, tz: str) -> str:
    """`moment` in the local time of `tz`, in the reader's date format, with the zone:
    "29/03/2026 03:30 CEST (UTC+02:00)"."""
    local = moment.astimezone(zoneinfo.ZoneInfo(tz))
    offset = local.strftime("%z")
    when = formats.date_format(local, "SHORT_DATETIME_FORMAT")
    return f"{when} {local.tzname()} (UTC{offset[:3]}:{offset[3:]})"


def name(leg: Leg, number: int) -> str:
    ends = (f"{leg.from_code} → {leg.to_code}" if leg.mode == Mode.AIR
            else f"{leg.from_place} → {leg.to_place}")
    return _("Leg %(number)d (%(ends)s)") % {"number": number, "ends": ends}


def aware(value: datetime.datetime, tz: str, what: str) -> datetime.datetime:
    """A local date and time at a place (naive, read in `tz`) as an aware datetime. An
    aware value is kept as it is. A time that does not exist there (skipped when clocks
    go forward) or happens twice (when they go back) is refused: `Invalid` with `what`
    ("Leg 1 (BER → IST), departure") in the message."""
    if value.tzinfo is not None:
        return value.astimezone(datetime.UTC)
    zone = zoneinfo.ZoneInfo(tz)
    first, second = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    when = formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
        if back != value:
            raise Invalid(_("%(what)s: %(when)s does not exist in %(tz)s (the clocks go "
                            "forward that night).") % {"what": what, "when": when, "tz": tz})
        raise Invalid(_("%(what)s: %(when)s happens twice in %(tz)s (the clocks go back "
                        "that night); give its UTC offset.")
                      % {"what": what, "when": when, "tz": tz})
    # In UTC: Python compares and subtracts two datetimes of the *same* zone by their wall
    # clocks, which is wrong across a change of the clocks.
    return first.astimezone(datetime.UTC)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def check_leg(leg: Leg, number: int) -> list[str]:
    messages = []
    if _utc(leg.arrives_at) <= _utc(leg.departs_at):
        messages.append(_("%(leg)s arrives at %(arrival)s, which is not after it departs at "
                          "%(departure)s.") % {
            "leg": name(leg, number), "arrival": show(leg.arrives_at, leg.to_tz),
            "departure": show(leg.departs_at, leg.from_tz)})
    if leg.mode == Mode.AIR and not (leg.carrier.strip() and leg.flight_number.strip()):
        messages.append(_("%(leg)s is a flight: give its carrier and flight number.")
                        % {"leg": name(leg, number)})
    return messages


def _same_place(arrived: Leg, leaving: Leg) -> bool:
    if arrived.mode == Mode.AIR and leaving.mode == Mode.AIR:
        return arrived.to_code == leaving.from_code
    return (arrived.to_place.strip().casefold() == leaving.from_place.strip().casefold()
            and arrived.to_country == leaving.from_country)


def check_connection(arrived: Leg, leaving: Leg, number: int) -> list[str]:
    """`leaving` is leg `number`, right after `arrived`."""
    if not _same_place(arrived, leaving):
        return [_("%(leg)s leaves from %(from)s, but the leg before arrives at %(to)s.") % {
            "leg": name(leaving, number), "from": leaving.from_place, "to": arrived.to_place}]
    at_airport = arrived.mode == Mode.AIR and leaving.mode == Mode.AIR
    minimum = (airports.minimum_connection(arrived.to_code) if at_airport
               else datetime.timedelta(0))
    if _utc(leaving.departs_at) - _utc(arrived.arrives_at) >= minimum:
        return []
    if at_airport:
        return [_("%(leg)s departs at %(departure)s, less than %(minutes)d minutes (the "
                  "minimum connection time at %(airport)s) after the leg before arrives at "
                  "%(arrival)s.") % {
            "leg": name(leaving, number), "departure": show(leaving.departs_at, leaving.from_tz),
            "minutes": int(minimum.total_seconds() // 60), "airport": arrived.to_code,
            "arrival": show(arrived.arrives_at, arrived.to_tz)}]
    return [_("%(leg)s departs at %(departure)s, before the leg before arrives at "
              "%(arrival)s.") % {
        "leg": name(leaving, number), "departure": show(leaving.departs_at, leaving.from_tz),
        "arrival": show(arrived.arrives_at, arrived.to_tz)}]


def check_destination(legs: Sequence[Leg], destination_country: str) -> list[str]:
    last = legs[-1]
    if last.to_country == destination_country:
        return []
    return [_("The last leg arrives at %(place)s in %(country)s, not in the case's "
              "destination country, %(destination)s.") % {
        "place": last.to_place, "country": country_name(last.to_country),
        "destination": country_name(destination_country)}]


def check_legs(legs: Sequence[Leg], destination_country: str) -> list[str]:
    """Every rule over the legs in travel order; all unmet ones at once."""
    if not legs:
        return [_("An itinerary has at least one leg.")]
    messages = []
    for number, leg in enumerate(legs, start=1):
        messages += check_leg(leg, number)
        if number > 1:
            messages += check_connection(legs[number - 2], leg, number)
    return messages + check_destination(legs, destination_country)
