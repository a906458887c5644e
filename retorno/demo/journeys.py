"""The demo's journeys: an itinerary for each case that is booked, recorded and booked by
the host office's movement officer through `travel.services`, and the departure details
of those that leave.

Flights leave the host country's main airport at nine in the morning on the case's
planned departure date and reach the destination's main airport through a hub:
Istanbul (a transit office, which is sent a transit request) for the Middle East,
Central Asia and the Caucasus, Casablanca for West Africa; a case opened in the hub's own
country flies direct. Returns to Ukraine end with a coach from Warsaw airport. Durations are
rounded; carriers and flight numbers are made up from the hub's airline.
"""

import datetime
import random
import zoneinfo
from typing import Any

from retorno.accounts.models import Membership, Role
from retorno.cases.models import Case
from retorno.reception.services import accept_handover, plan_reception, record_arrival
from retorno.travel import airports
from retorno.travel.guards import escort_needs
from retorno.travel.models import TransitStatus
from retorno.travel.services import book_itinerary, record_departure, record_itinerary
from retorno.travel.transit import confirm_transit

# The main airport of each demo country.
AIRPORT = {"DEU": "BER", "NLD": "AMS", "GRC": "ATH", "MAR": "CMN", "TUR": "IST",
           "NER": "NIM", "IRQ": "BGW", "SYR": "DAM", "AFG": "KBL", "NGA": "LOS",
           "GEO": "TBS", "SEN": "DSS", "GMB": "BJL", "UKR": "WAW"}
HUB = {"IRQ": "IST", "SYR": "IST", "AFG": "IST", "GEO": "IST", "NGA": "CMN", "SEN": "CMN",
       "GMB": "CMN", "UKR": ""}
CARRIER = {"IST": ("Turkish Airlines", "TK"), "CMN": ("Royal Air Maroc", "AT"),
           "": ("LOT Polish Airlines", "LO")}
FLIGHT_HOURS = 4
CONNECTION = datetime.timedelta(hours=2, minutes=30)


def _local(moment: datetime.datetime, code: str) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(airports.lookup(code).tz))


def legs_for(case: Case, rng: random.Random) -> list[dict]:
    """The legs of the case's return on its planned departure date."""
    start_code = AIRPORT[case.host_office.country]
    hub = HUB.get(case.destination_country, "IST")
    carrier, prefix = CARRIER[hub]
    stops = [start_code]
    if hub and hub != start_code:
        stops.append(hub)
    stops.append(AIRPORT[case.destination_country])
    zone = zoneinfo.ZoneInfo(airports.lookup(start_code).tz)
    departs = datetime.datetime.combine(case.planned_departure_on, datetime.time(9), zone)
    legs = []
    escorts = [{"kind": kind, "name": "Escort of the child protection service",
                "organisation": "Retorno partner NGO"}
               for kind in sorted({k for needs in escort_needs(case).values() for k in needs})]
    for frm, to in zip(stops, stops[1:], strict=False):
        arrives = departs + datetime.timedelta(hours=FLIGHT_HOURS)
        legs.append({"mode": "air", "from_code": frm, "to_code": to, "carrier": carrier,
                     "flight_number": f"{prefix}{rng.randint(100, 1999)}",
                     "departs": _local(departs, frm), "arrives": _local(arrives, to),
                     "cost": str(rng.randint(180, 520)), "currency": "EUR",
                     "escorts": escorts})
        departs = arrives + CONNECTION
    if case.destination_country == "UKR":
        warsaw = zoneinfo.ZoneInfo("Europe/Warsaw")
        kyiv = zoneinfo.ZoneInfo("Europe/Kyiv")
        legs.append({"mode": "road", "from_place": airports.lookup("WAW").name,
                     "from_country": "POL", "from_tz": "Europe/Warsaw",
                     "to_place": "Kyiv central bus station", "to_country": "UKR",
                     "to_tz": "Europe/Kyiv", "carrier": "Coach",
                     "departs": departs.astimezone(warsaw),
                     "arrives": (departs + datetime.timedelta(hours=12)).astimezone(kyiv),
                     "escorts": escorts})
    return legs


def book(case: Case, officer) -> None:
    """Record the case's itinerary and book it (which hands the case over to its origin
    office and sends the transit requests)."""
    rng = random.Random(f"journey {case.reference}")
    itinerary = record_itinerary(actor=officer, case=case, data={"legs": legs_for(case, rng)})
    book_itinerary(actor=officer, itinerary=itinerary, version=itinerary.version,
                   booking_reference=f"{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}"
                                     f"{rng.randint(10000, 99999)}")


def depart(case: Case, officer, paid_on: datetime.date) -> None:
    """The departure allowance paid and signed for, the baggage and the pre-embarkation
    check of the case's booked itinerary; the transit assistance confirmed."""
    itinerary = case.itineraries.get(status="booked")
    rng = random.Random(f"departure {case.reference}")
    members = len(itinerary.people)
    record_departure(actor=officer, itinerary=itinerary, data={
        "allowance": str(50 * members), "allowance_currency": "EUR",
        "allowance_paid_on": paid_on, "allowance_signed": True,
        "checked_bags": members + rng.randint(0, 2),
        "checked_kg": str(round(rng.uniform(15, 23) * members, 1)),
        "unaccompanied_bags": rng.choice([0, 0, 0, 1]),
        "pre_embarkation_checked": True})
    # The transit offices on the way confirm their assistance (their movement officer).
    for request in itinerary.transit_requests.filter(status=TransitStatus.REQUESTED):
        helper = Membership.objects.filter(office_id=request.office_id,
                                           role=Role.MOVEMENT_OFFICER).first()
        if helper is not None:
            confirm_transit(actor=helper.user, request=request, version=request.version,
                            note="Met at the arrival gate and taken to the connecting flight.")


def accept(case: Case, officer) -> None:
    """The origin office's reintegration officer accepts the handed-over case and plans
    the reception."""
    reception = accept_handover(actor=officer, case=case)
    plan_reception(actor=officer, reception=reception, version=reception.version, data={
        "meet_at_airport": True, "met_by": f"{officer.get_full_name()} ({case.origin_office})",
        "accommodation": "Two nights in the partner reception centre near the airport.",
        "inland_transport": "Shared taxi arranged by the office.",
        "final_destination": case.destination_area or case.origin_office.name,
        "pocket_money": str(40 * case.members.count()), "pocket_money_currency": "USD"})


def arrive(case: Case, officer, on: datetime.date) -> None:
    """The arrival as it happened: met at the airport, pocket money paid."""
    reception = case.reception
    record_arrival(actor=officer, reception=reception, version=reception.version, data={
        "arrived_on": on, "met_on_arrival": True, "pocket_money_paid_on": on})


# The demo plan's items, each with its share of the case's reintegration ceiling.
PLAN_ITEMS = (
    ("business", "Small business start-up: equipment and first stock", "0.6"),
    ("vocational_training", "Vocational training course (three months)", "0.25"),
    ("psychosocial", "Counselling sessions with a local psychologist", "0.1"),
)


def build_plan(case: Case, officer, on: datetime.date,
               providers: dict[str, Any] | None = None) -> Any:
    """The reintegration plan built with the returnee on `on` and approved (which awards
    the reintegration grant): a complete needs assessment and three items that together
    stay within the case's ceiling, each item of a kind in `providers` (kind -> partner)
    given by that partner. Returns the plan."""
    from decimal import Decimal

    from retorno.lib.money import quantize
    from retorno.reintegration.policy import plan_of
    from retorno.reintegration.services import (
        add_item,
        approve_plan,
        ceiling_of,
        start_plan,
        update_plan,
    )

    plan = plan_of(case) or start_plan(actor=officer, case=case)
    plan = update_plan(actor=officer, plan=plan, version=plan.version, data={
        "level": "family" if case.members.count() > 1 else "individual",
        "assessed_on": on, "economic_needs": "high", "social_needs": "medium",
        "psychosocial_needs": "low",
        "economic_notes": "No income since returning; skills in repairs and trade.",
        "returnee_view": "Wants to earn a living close to the family."})
    ceiling, currency = ceiling_of(case)
    for kind, description, share in PLAN_ITEMS:
        cost = quantize((ceiling or Decimal(0)) * Decimal(share), currency)
        provider = (providers or {}).get(kind)
        add_item(actor=officer, plan=plan, data={"kind": kind, "description": description,
                                                 "cost": cost,
                                                 **({"provider": provider} if provider else {})})
    return approve_plan(actor=officer, plan=plan, version=plan.version)
