"""The people every test knows, always named and configured the same way.

Offices: Berlin (host, DEU), Vienna (host, AUT), Istanbul (transit, TUR),
Baghdad (origin, IRQ).

| persona | role | office |
| --- | --- | --- |
| carla | caseworker | Berlin |
| sam | supervisor | Berlin |
| mona | medical officer | Berlin |
| max | movement officer | Berlin |
| rita | reintegration officer | Baghdad |
| emil | M&E officer | Baghdad |
| pia | programme manager | Berlin |
| dana | data protection focal point | Berlin |
| paul | partner user | Baghdad |
| stella | statistics viewer | Berlin |
| otto | caseworker (the outsider) | Vienna |
| vera | supervisor (the outsider's supervisor) | Vienna |
| tariq | movement officer in the transit office | Istanbul |

Two of them also hold a designation (`DESIGNATIONS`): emil is the focal point for
complaints of sexual exploitation and abuse or fraud in Baghdad, dana in Berlin.

Test data is built through the real services, never by writing rows directly.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from retorno.accounts.models import Office, OfficeKind, Role, User
from retorno.accounts.services import create_office, create_user, grant_role
from retorno.cases.models import Case, CaseMember
from retorno.cases.services import register_and_add_member, register_and_open_case, update_case
from retorno.counselling.models import Position
from retorno.counselling.services import record_session
from retorno.declarations.current import latest_signed, unlisted_members
from retorno.declarations.models import Declaration
from retorno.declarations.services import print_declaration, record_signed_declaration
from retorno.declarations.shipped import install_missing
from retorno.documents.guards import without_valid_document
from retorno.documents.models import DocumentStatus, Kind, TravelDocument
from retorno.documents.services import record_document
from retorno.medical.fitness import unfit_or_pending
from retorno.medical.models import Outcome
from retorno.medical.services import record_assessment
from retorno.people.models import Person
from retorno.privacy.consent import is_child, missing_consent, record_consent
from retorno.privacy.models import AuditType, ConsentPurpose
from retorno.programmes.models import MigrantCategory, Programme
from retorno.programmes.services import create_programme
from retorno.screening.bid import without_positive_bid
from retorno.screening.models import BidDecision
from retorno.screening.services import record_bid
from retorno.travel.models import Itinerary, ItineraryStatus
from retorno.travel.services import (
    book_itinerary,
    record_departure,
    record_itinerary,
    update_itinerary,
)

PASSWORD = "correct horse battery staple"
# The audit events `build_world` itself writes (the world's partner, its agreement, paul's
# link to it): a test that checks a refusal audited nothing leaves them out.
WORLD_EVENTS = (AuditType.PARTNER_CHANGED, AuditType.AGREEMENT_RECORDED,
                AuditType.PARTNER_USER_LINKED)

PERSONAS: list[tuple[str, Role, str]] = [
    ("carla", Role.CASEWORKER, "berlin"),
    ("sam", Role.SUPERVISOR, "berlin"),
    ("mona", Role.MEDICAL_OFFICER, "berlin"),
    ("max", Role.MOVEMENT_OFFICER, "berlin"),
    ("rita", Role.REINTEGRATION_OFFICER, "baghdad"),
    ("emil", Role.ME_OFFICER, "baghdad"),
    ("pia", Role.PROGRAMME_MANAGER, "berlin"),
    ("dana", Role.DP_FOCAL_POINT, "berlin"),
    ("paul", Role.PARTNER, "baghdad"),
    ("stella", Role.STATISTICS_VIEWER, "berlin"),
    ("otto", Role.CASEWORKER, "vienna"),
    ("vera", Role.SUPERVISOR, "vienna"),
    ("tariq", Role.MOVEMENT_OFFICER, "istanbul"),
]

# Second memberships: roles held beside a persona's own.
DESIGNATIONS: list[tuple[str, Role, str]] = [
    ("emil", Role.COMPLAINTS_FOCAL_POINT, "baghdad"),
    ("dana", Role.COMPLAINTS_FOCAL_POINT, "berlin"),
]


@dataclass
class World:
    offices: dict[str, Office]
    users: dict[str, User]
    programme: Programme
    # The Baghdad Business Hub: a partner with a valid agreement; paul works for it.
    partner: Any = None

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        offices = self.__dict__.get("offices", {})
        if name in offices:
            return offices[name]
        raise AttributeError(name)


def build_world() -> World:
    offices = {
        "berlin": create_office(code="deu-ber", name="Berlin", country="DEU",
                                kind=OfficeKind.HOST),
        "vienna": create_office(code="aut-vie", name="Vienna", country="AUT",
                                kind=OfficeKind.HOST),
        "istanbul": create_office(code="tur-ist", name="Istanbul", country="TUR",
                                  kind=OfficeKind.TRANSIT),
        "baghdad": create_office(code="irq-bgw", name="Baghdad", country="IRQ",
                                 kind=OfficeKind.ORIGIN),
    }
    users = {}
    for username, role, office in PERSONAS:
        users[username] = create_user(username=username, password=PASSWORD,
                                      first_name=username.title(), check_password=False)
        grant_role(user=users[username], office=offices[office], role=role)
    for username, role, office in DESIGNATIONS:
        grant_role(user=users[username], office=offices[office], role=role)
    programme = create_programme(
        code="erin-deu", name="Return and reintegration from Germany", donor="EU",
        host_countries=["DEU", "AUT"], eligible_nationalities=["IRQ", "SYR", "AFG"],
        eligible_categories=[c.value for c in MigrantCategory if c != MigrantCategory.REGULAR],
        start_date=datetime.date(2020, 1, 1), end_date=None,
    )
    partner = add_partner(users["pia"], offices["baghdad"], users["paul"])
    return World(offices=offices, users=users, programme=programme, partner=partner)


def add_partner(actor: User, office: Office, user: User | None = None,
                name: str = "Baghdad Business Hub",
                services: tuple[str, ...] = ("business", "vocational_training"),
                valid: tuple[datetime.date, datetime.date] = (datetime.date(2020, 1, 1),
                                                              datetime.date(2099, 12, 31)),
                ) -> Any:
    """A partner organisation in Iraq, kept by `office`, with a data-sharing agreement
    valid from `valid[0]` to `valid[1]`, and `user` linked to it: through the real
    services."""
    from retorno.partners.services import create_partner, link_partner_user, record_agreement

    partner = create_partner(actor=actor, office=office, data={
        "name": name, "country": "IRQ", "services": list(services),
        "contact_name": "Layla Hassan", "email": "referrals@example.org"})
    record_agreement(actor=actor, partner=partner, signed_on=valid[0], valid_until=valid[1],
                     reference=f"DSA-{valid[0].year}-1")
    if user is not None:
        link_partner_user(actor=actor, partner=partner, user=user)
    return partner


def person_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "given_name": "Ahmed", "family_name": "Al-Rashid",
        "given_name_original": "أحمد", "family_name_original": "الرشيد",
        "sex": "M", "date_of_birth": datetime.date(1990, 5, 17), "nationality": "IRQ",
        "languages": ["arb"],
    }
    data.update(overrides)
    return data


def open_case(world: World, actor: User | None = None, office: Office | None = None,
              person: dict[str, Any] | None = None, **case: Any) -> Case:
    """Register a person and open a case for them through the real services."""
    return register_and_open_case(
        actor=actor or world.users["carla"],
        office=office or world.offices["berlin"],
        person=person or person_data(),
        member={"category": MigrantCategory.ASYLUM_REJECTED, "vulnerabilities": []},
        case={"destination_country": "IRQ", "programme": world.programme,
              "origin_office": world.offices["baghdad"], **case},
    )


def open_case_with_child(world: World) -> tuple[Case, CaseMember]:
    """`open_case`, and Noor, the principal's daughter born in 2016, added as a member;
    returns the case and her membership."""
    case = open_case(world)
    child = register_and_add_member(
        actor=world.users["carla"], case=case,
        person=person_data(given_name="Noor", given_name_original="نور", sex="F",
                           date_of_birth=datetime.date(2016, 2, 3)),
        member={"relationship": "child", "category": MigrantCategory.ASYLUM_REJECTED})
    return case, child


def record_consents(world: World, case: Case, purpose: str, actor: User | None = None,
                    on: datetime.date | None = None) -> None:
    """Record `purpose` consent for every member of `case` who lacks it; a child's is
    given by the principal applicant as their parent."""
    actor = actor or world.users["carla"]
    on = on or timezone.localdate()
    lacking = {p.pk for p in missing_consent(case, purpose)}
    principal = case.principal.person
    for member in case.members.select_related("person").order_by("id"):
        if member.person_id not in lacking:
            continue
        guardian = ({"guardian_name": principal.display_name, "guardian_relationship": "Parent"}
                    if is_child(member, on) else {})
        record_consent(actor=actor, case=case, person=member.person, purpose=purpose,
                       given_on=on, form_version="C-2026-1", **guardian)


def prepare_application(world: World, case: Case, actor: User | None = None) -> None:
    """What recording the application needs, through the real services: every member's
    consent to processing for assistance, a counselling session after which the person
    wishes to return, and the voluntary return declaration printed and signed
    (`sign_declaration`)."""
    actor = actor or world.users["carla"]
    record_consents(world, case, ConsentPurpose.PROCESSING, actor)
    record_session(actor=actor, case=case, data={
        "date": timezone.localdate(), "mode": "in_person", "language": "arb",
        "topics": ["return_process", "reintegration"], "position": Position.WISHES_TO_RETURN})
    sign_declaration(world, case, actor)


# The smallest valid one-page PDF: the "scan" of a signed declaration in tests.
SCAN_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def sign_declaration(world: World, case: Case, actor: User | None = None,
                     language: str = "en") -> Declaration | None:
    """Print the voluntary return declaration (recorded, not drawn: drawing takes a tenth
    of a second) and record its signed copy (a one-page blank PDF stands in for the
    scan), unless a signed one listing everyone on the case is
    recorded already. Returns the declaration it signed, if any."""
    signed = latest_signed(case)
    if signed is not None and not unlisted_members(case, signed):
        return None
    actor = actor or world.users["carla"]
    install_missing()  # a transactional test's flush takes the migration's templates away
    declaration, _pdf = print_declaration(actor, case, language, render=False)
    return record_signed_declaration(
        actor=actor, declaration=declaration, scan=ContentFile(SCAN_PDF, name="signed.pdf"),
        data={"signed_on": timezone.localdate(), "place": case.host_office.name},
        version=declaration.version)


def prepare_travel(world: World, case: Case, actor: User | None = None,
                   plan: bool = True) -> None:
    """What marking the case ready to travel needs, through the real services: every
    member's consent to sharing with the office in the country of origin, and every member
    not yet fit assessed fit to travel by the medical officer `mona`; for each
    unaccompanied or separated child without one, a best-interest determination finding
    return in their best interest (their consent to processing, from
    `prepare_application`, is given by a guardian); and the travel documents
    (`prepare_travel_documents`); and a planned itinerary through Istanbul
    (`plan_itinerary`), with the escorts the members need, which `book_travel` books once
    the case is approved (not when `plan` is false)."""
    record_consents(world, case, ConsentPurpose.ORIGIN_OFFICE, actor)
    prepare_travel_documents(world, case, actor)
    for person in unfit_or_pending(case):
        record_assessment(actor=world.users["mona"], case=case, person=person, data={
            "outcome": Outcome.FIT, "assessed_on": timezone.localdate()})
    for person in without_positive_bid(case):
        record_bid(actor=actor or world.users["carla"], case=case, person=person, data={
            "decision": BidDecision.RETURN_IN_BEST_INTEREST, "panel": "BID panel Berlin",
            "guardian_name": case.principal.person.display_name})
    live = Itinerary.objects.filter(case=case, status__in=[ItineraryStatus.PLANNED,
                                                           ItineraryStatus.BOOKED])
    planned = live.filter(status=ItineraryStatus.PLANNED).order_by("-id").first()
    members = set(case.members.values_list("person_id", flat=True))
    if planned is not None and set(planned.people) != members:
        # A member joined since it was planned: everyone travels on it.
        update_itinerary(actor=world.users["max"], itinerary=planned, version=planned.version,
                         data={"people": sorted(members)})
    elif plan and not live.exists():
        plan_itinerary(world, case)


def prepare_travel_documents(world: World, case: Case, actor: User | None = None) -> None:
    """A planned departure date (in four weeks) unless the case has one, and a collected
    passport valid on it for every member who holds no valid travel document
    (`record_passport`), through the real services."""
    if case.planned_departure_on is None:
        update_case(actor=actor or world.users["carla"], case=case, version=case.version,
                    data={"planned_departure_on": timezone.localdate()
                          + datetime.timedelta(days=28)})
    for person in without_valid_document(case):
        record_passport(world, case, person, actor)


def record_passport(world: World, case: Case, person: Person, actor: User | None = None,
                    **overrides: Any) -> TravelDocument:
    """Record, through the real service, a passport `person` holds (collected), issued by
    their country of nationality two years ago and valid for eight more years."""
    today = timezone.localdate()
    data: dict[str, Any] = {
        "kind": Kind.PASSPORT, "status": DocumentStatus.COLLECTED,
        "number": f"P{person.pk:08d}", "issuing_country": person.nationality or "IRQ",
        "issued_on": today - datetime.timedelta(days=730),
        "expires_on": today + datetime.timedelta(days=8 * 365)}
    data.update(overrides)
    return record_document(actor=actor or world.users["carla"], case=case, person=person,
                           data=data)


def via_istanbul(day: datetime.date, escorts: list[dict[str, str]] | None = None
                 ) -> list[dict[str, Any]]:
    """The legs of a return on `day`: Berlin → Istanbul (10:00–14:30 local) → Baghdad
    (17:00–19:30 local), a connection in Turkey, where Istanbul is a transit office."""
    at = datetime.datetime.combine
    return [
        {"mode": "air", "from_code": "BER", "to_code": "IST", "carrier": "Turkish Airlines",
         "flight_number": "TK1724", "departs": at(day, datetime.time(10)),
         "arrives": at(day, datetime.time(14, 30)), "cost": "245.50", "currency": "EUR",
         "escorts": escorts or []},
        {"mode": "air", "from_code": "IST", "to_code": "BGW", "carrier": "Turkish Airlines",
         "flight_number": "TK788", "departs": at(day, datetime.time(17)),
         "arrives": at(day, datetime.time(19, 30)), "escorts": escorts or []},
    ]


def plan_itinerary(world: World, case: Case, actor: User | None = None) -> Itinerary:
    """Record, through the real service, a planned itinerary for every member on the
    case's planned departure date (in four weeks when it has none) via Istanbul, with a
    medical or social escort on each leg when a member needs one."""
    from retorno.travel.guards import escort_needs

    day = case.planned_departure_on or timezone.localdate() + datetime.timedelta(days=28)
    kinds = sorted({kind for needs in escort_needs(case).values() for kind in needs})
    escorts = [{"kind": kind, "name": f"{kind.title()} escort", "organisation": "Retorno"}
               for kind in kinds]
    return record_itinerary(actor=actor or world.users["max"], case=case,
                            data={"legs": via_istanbul(day, escorts)})


def book_travel(world: World, case: Case, actor: User | None = None) -> Itinerary:
    """Book the case's planned itinerary (planning one when there is none), as the
    movement officer `max`: the case is handed over to Baghdad and Istanbul is sent a
    transit request. The case must be approved."""
    planned = (Itinerary.objects.filter(case=case, status=ItineraryStatus.PLANNED)
               .order_by("-id").first() or plan_itinerary(world, case, actor))
    planned.case = case  # so that `case` learns it was handed over
    return book_itinerary(actor=actor or world.users["max"], itinerary=planned,
                          version=planned.version, booking_reference=f"RT{case.pk:05d}")


def check_departure(world: World, case: Case, actor: User | None = None) -> None:
    """Record the pre-embarkation check of each booked itinerary of `case`."""
    for itinerary in Itinerary.objects.filter(case=case, status=ItineraryStatus.BOOKED):
        departure = getattr(itinerary, "departure", None)
        record_departure(actor=actor or world.users["max"], itinerary=itinerary,
                         data={"pre_embarkation_checked": True, "checked_bags": 1},
                         version=departure.version if departure else None)


def walk(world: World, case: Case, *steps: tuple[str, User]) -> Case:
    """Move `case` along the lifecycle by each (transition, actor) in turn, through the real
    service; before `ready_to_travel` the itinerary is booked (`book_travel`) unless one
    is, before `departed` the pre-embarkation check recorded (`check_departure`), and
    before `monitoring` the reintegration plan approved (`build_plan`) unless it is."""
    from retorno.cases.services import transition_case

    for name, actor in steps:
        if name == "ready_to_travel" and not Itinerary.objects.filter(
                case=case, status=ItineraryStatus.BOOKED).exists():
            book_travel(world, case)
        if name == "departed":
            check_departure(world, case)
        if name == "monitoring":
            build_plan(world, case)
        transition_case(case, name, actor=actor)
    return case


def receive(world: World, case: Case, actor: User | None = None,
            arrived_on: datetime.date | None = None) -> Any:
    """What confirming arrival needs, through the real services, as the Baghdad
    reintegration officer `rita`: the handover accepted (unless it is) and the arrival
    recorded (today unless given), met at the airport. The case must have departed."""
    from retorno.reception.policy import reception_of
    from retorno.reception.services import accept_handover, record_arrival

    actor = actor or world.users["rita"]
    reception = reception_of(case) or accept_handover(actor=actor, case=case)
    return record_arrival(actor=actor, reception=reception, version=reception.version,
                          data={"arrived_on": arrived_on or timezone.localdate(),
                                "met_on_arrival": True})


def refer(world: World, case: Case, person: Person | None = None, partner: Any = None,
          service: str = "business", actor: User | None = None,
          need: str = "Wants to open a mobile phone repair shop.") -> Any:
    """Refer `person` (the principal by default) to `partner` (`world.partner` by
    default) for `service`, through the real services: their consent to sharing with that
    partner recorded by `carla` if missing (a child's given by the principal as their
    parent), then the referral sent by `actor` (`rita` by default: the case must be handed
    over to Baghdad)."""
    from retorno.partners.services import send_referral
    from retorno.privacy.consent import has_consent

    person = person or case.principal.person
    partner = partner or world.partner
    if not has_consent(person, ConsentPurpose.PARTNER, partner.name):
        member = case.members.select_related("person").get(person=person)
        on = timezone.localdate()
        guardian = ({"guardian_name": case.principal.person.display_name,
                     "guardian_relationship": "Parent"} if is_child(member, on) else {})
        record_consent(actor=world.users["carla"], case=case, person=person,
                       purpose=ConsentPurpose.PARTNER, partner_name=partner.name,
                       given_on=on, form_version="C-2026-1", **guardian)
    return send_referral(actor=actor or world.users["rita"], case=case, person=person,
                         partner=partner, service=service, need=need)


def give_package(world: World, programme: Programme) -> Programme:
    """Give `programme` a small assistance package through the programmes service, as
    the programme manager `pia`: a reintegration budget of 2,000 per person, in euros
    unless the programme has a currency."""
    from retorno.programmes.services import set_package

    fields = {} if programme.currency else {"currency": "EUR"}
    set_package(actor=world.users["pia"], programme=programme, version=programme.version,
                fields=fields, components=[{"kind": "reintegration", "basis": "per_person",
                                            "amount": Decimal("2000")}])
    if world.programme.pk == programme.pk and world.programme is not programme:
        world.programme.refresh_from_db()
    return programme


def build_plan(world: World, case: Case, actor: User | None = None) -> Any:
    """An approved reintegration plan for an arrived case, through the real services:
    started (unless it is), with a complete needs assessment (today, every dimension
    rated medium) and one business set-up item within the case's ceiling (unless it has
    items), approved by `rita` (or `actor`). A programme without a package is first
    given one (`give_package`). Returns the plan."""
    from retorno.programmes.package import has_package
    from retorno.reintegration.models import PlanStatus
    from retorno.reintegration.policy import items_of, plan_of
    from retorno.reintegration.services import (
        add_item,
        approve_plan,
        ceiling_of,
        start_plan,
        update_plan,
    )

    actor = actor or world.users["rita"]
    if not has_package(case.programme):
        give_package(world, case.programme)
    plan = plan_of(case)
    if plan is not None and plan.status == PlanStatus.APPROVED:
        return plan
    plan = plan or start_plan(actor=actor, case=case)
    update_plan(actor=actor, plan=plan, version=plan.version, data={
        "assessed_on": plan.assessed_on or timezone.localdate(),
        "economic_needs": plan.economic_needs or "medium",
        "social_needs": plan.social_needs or "medium",
        "psychosocial_needs": plan.psychosocial_needs or "medium"})
    if not items_of(plan):
        ceiling, _currency = ceiling_of(case)
        add_item(actor=actor, plan=plan, data={
            "kind": "business", "description": "Small shop: stock and first rent",
            "provider_name": "Local supplier", "cost": min(ceiling or Decimal(0),
                                                           Decimal("1000"))})
    return approve_plan(actor=actor, plan=plan, version=plan.version)
