"""The demo cases: a few hundred returns at every stage, made through the services.

Each case is planned first (who, from where, to where, which steps, when), then played
through `cases.services` by the member of staff who would really take each step:
the host office's caseworker registers and counsels, its supervisor approves (four
eyes: never the assignee), its movement officer books and confirms departure, the
origin office's reintegration officer confirms arrival and runs reintegration, and the
origin office's supervisor closes the case. The timeline and the audit log are the
ones the services write. Programme rules are respected, so approval guards pass; before
the application the caseworker records each member's consent to processing and the
counselling session in which the person says they wish to return, and before the case
is marked ready to travel the consents to sharing with the origin office and to
monitoring surveys after return, the host office's medical officer's fitness to travel
assessments and the itinerary, booked
(`journeys`) — a case still preparing its departure has all but the itinerary, which
its movement officer books in the demo; before departure, its allowance, baggage and
pre-embarkation check; on the way, the office of origin accepts the handover and plans
the reception, and records the arrival;
before a referral to an alternative pathway, the pathway proposed. After the arrival, the
origin office monitors the returnees on its programme's schedule, with surveys
(`followup`); the offices also receive feedback and complaints (`complaints`).
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from django.core.files.base import ContentFile
from django.utils import timezone
from weasyprint import HTML

from retorno.accounts.models import Membership, Role
from retorno.cases.models import Case, CaseMember, Relationship, Status
from retorno.cases.services import (
    register_and_add_member,
    register_and_open_case,
    transition_case,
    update_case,
)
from retorno.counselling.models import Mode, Position, Topic
from retorno.counselling.services import record_session
from retorno.declarations.languages import canonical
from retorno.declarations.services import print_declaration, record_signed_declaration
from retorno.demo import assistance, complaints, directory, followup, journeys
from retorno.demo.clock import Clock, simulated_clock
from retorno.demo.names import POOLS
from retorno.demo.people import PersonSpec, make_family, set_categories_and_vulnerabilities
from retorno.demo.world import (
    CASELOAD,
    OFFICE_WEIGHTS,
    PROGRAMMES,
    Base,
    ProgrammeSpec,
    origin_office_code,
    staff_name,
)
from retorno.documents.models import DocumentStatus
from retorno.documents.models import Kind as DocumentKind
from retorno.documents.services import change_status, record_document
from retorno.lib.codes import country_name
from retorno.medical.models import Outcome
from retorno.medical.services import record_assessment
from retorno.pathways.models import Kind
from retorno.pathways.services import propose_pathway
from retorno.privacy.consent import is_child, record_consent
from retorno.privacy.models import ConsentPurpose
from retorno.programmes.models import MigrantCategory
from retorno.screening.bid import needs_best_interest_determination
from retorno.screening.models import BidDecision
from retorno.screening.services import record_bid

DEFAULT_CASES = 300

# The main road after registration: (transition, who takes it, days it takes (min, max)).
CW, SUP, MOVE, REINT, ORIGIN_SUP = "cw", "sup", "move", "reint", "origin_sup"
MAIN_STEPS: tuple[tuple[str, str, tuple[float, float]], ...] = (
    ("counselling", CW, (1, 12)),
    ("applied", CW, (5, 30)),
    ("approved", SUP, (3, 21)),
    ("preparing_departure", CW, (1, 5)),
    ("ready_to_travel", MOVE, (10, 50)),
    ("departed", MOVE, (2, 12)),
    ("arrived", REINT, (0.2, 0.8)),
    ("reintegration", REINT, (4, 25)),
    ("monitoring", REINT, (60, 180)),
    ("closed", ORIGIN_SUP, (120, 300)),
)
STEP_NAMES = [s[0] for s in MAIN_STEPS]

# Where the demo's cases stand today -> weight.
OUTCOMES: tuple[tuple[str, int], ...] = (
    (Status.REGISTERED, 6), (Status.COUNSELLING, 8), (Status.APPLIED, 6),
    (Status.APPROVED, 4), (Status.PREPARING_DEPARTURE, 5), (Status.READY_TO_TRAVEL, 3),
    (Status.DEPARTED, 2), (Status.ARRIVED, 2), (Status.REINTEGRATION, 7),
    (Status.MONITORING, 10), (Status.CLOSED, 25), (Status.WITHDRAWN, 7),
    (Status.REJECTED, 4), (Status.ON_HOLD, 5), (Status.REFERRED_ALTERNATIVE, 3),
    (Status.CANCELLED, 1),
)

# Categories per programme -> weight.
CATEGORIES: dict[str, tuple[tuple[str, int], ...]] = {
    "avrr-eu": ((MigrantCategory.ASYLUM_REJECTED, 60), (MigrantCategory.ASYLUM_WITHDRAWN, 15),
                (MigrantCategory.IRREGULAR, 22), (MigrantCategory.TRAFFICKING_VICTIM, 3)),
    "avrr-sahel": ((MigrantCategory.STRANDED, 60), (MigrantCategory.IRREGULAR, 32),
                   (MigrantCategory.TRAFFICKING_VICTIM, 8)),
    "avrr-turkiye": ((MigrantCategory.IRREGULAR, 60), (MigrantCategory.STRANDED, 25),
                     (MigrantCategory.ASYLUM_REJECTED, 15)),
}

WITHDRAWAL_REASONS = (
    "Decided to stay: has found work and applied for a residence permit.",
    "Lodged a new asylum application with new evidence.",
    "Family at home advised waiting until the situation in the home area improves.",
    "Changed their mind after counselling; wants to think it over.",
    "Married a resident of the host country; will apply for family reunification.",
    "No longer reachable at the registered address; told the caseworker by phone they "
    "will not return.",
    "Wants to try to reach another country instead.",
)
REINTEGRATION_WITHDRAWAL_REASONS = (
    "Moved to another province and no longer wants reintegration support.",
    "Re-migrated; could not be reached for three months.",
)
REJECTION_REASONS = (
    "Holds a valid residence permit: not eligible for assisted return.",
    "Has already received return assistance under this programme in the last five years.",
    "Criminal proceedings pending in the host country; return cannot be assisted now.",
    "Nationality could not be established; referred for identification first.",
)
HOLD_REASONS = (
    "Returns to the home area suspended after renewed fighting; waiting for the security "
    "assessment.",
    "Waiting for the embassy to issue an emergency travel document.",
    "Hospitalised; fitness to travel to be reassessed.",
    "Court hearing scheduled; must stay until it is decided.",
    "Waiting for the child's birth certificate from the registry office.",
    "Airport at destination closed; no flights until further notice.",
)
ALTERNATIVE_REASONS = (
    "Eligible for family reunification with a spouse in Sweden; referred to the family "
    "reunification procedure.",
    "Granted a work permit under the skilled-workers scheme; local integration.",
    "Referred to the humanitarian admission programme for a third country.",
    "Regularisation possible after five years of residence; referred to legal counselling.",
)
# The pathway each referral reason goes with: (kind, third country, receiving organisation).
ALTERNATIVE_PATHWAYS = {
    ALTERNATIVE_REASONS[0]: (Kind.FAMILY_REUNIFICATION, "SWE", "Swedish Migration Agency"),
    ALTERNATIVE_REASONS[1]: (Kind.LOCAL_INTEGRATION, "", "Foreigners' authority"),
    ALTERNATIVE_REASONS[2]: (Kind.HUMANITARIAN_ADMISSION, "CAN",
                             "Immigration, Refugees and Citizenship Canada"),
    ALTERNATIVE_REASONS[3]: (Kind.LOCAL_INTEGRATION, "", "Legal counselling service"),
}
CANCEL_REASONS = (
    "Duplicate registration: the same family was registered twice.",
    "Opened in the wrong office by mistake.",
)


@dataclass
class Step:
    name: str
    actor: str
    at: datetime.datetime
    reason: str = ""


@dataclass
class Plan:
    office: str
    programme: ProgrammeSpec
    nationality: str
    members: list[PersonSpec]
    area: str
    opened_at: datetime.datetime
    steps: list[Step] = field(default_factory=list)


def _programme_for(office_code: str, base: Base) -> ProgrammeSpec:
    country = base.offices[office_code].country
    return next(p for p in PROGRAMMES if country in p.host_countries)


def _plan(rng: random.Random, base: Base, now: datetime.datetime, outcome: str | None = None,
          nationality: str | None = None) -> Plan:
    offices = [o for o in OFFICE_WEIGHTS if nationality is None or nationality in CASELOAD[o]]
    office = rng.choices(offices, [OFFICE_WEIGHTS[o] for o in offices])[0]
    if nationality is None:
        nationality = rng.choices(*zip(*CASELOAD[office].items(), strict=True))[0]
    programme = _programme_for(office, base)
    if outcome is None:
        outcome = rng.choices(*zip(*OUTCOMES, strict=True))[0]

    # The steps, as offsets in days from opening.
    steps: list[tuple[str, str, float, str]] = []
    t = 0.0

    def walk(until: str) -> None:
        nonlocal t
        for name, actor, (lo, hi) in MAIN_STEPS:
            if STEP_NAMES.index(name) > STEP_NAMES.index(until):
                break
            t += rng.uniform(lo, hi)
            steps.append((name, actor, t, ""))
            # Now and then a case is held for a while and resumed (history only).
            if name in ("applied", "preparing_departure") and rng.random() < 0.06 \
                    and until != name:
                t += rng.uniform(1, 4)
                steps.append(("on_hold", CW, t, rng.choice(HOLD_REASONS)))
                t += rng.uniform(10, 40)
                steps.append(("resume", CW, t, ""))

    def side_exit(name: str, actor: str, reasons: tuple[str, ...], days: tuple[int, int]):
        nonlocal t
        t += rng.uniform(*days)
        steps.append((name, actor, t, rng.choice(reasons)))

    if outcome in STEP_NAMES:
        walk(outcome)
    elif outcome == Status.WITHDRAWN:
        if rng.random() < 0.15:
            walk("reintegration")
            side_exit("withdrawn", REINT, REINTEGRATION_WITHDRAWAL_REASONS, (20, 90))
        else:
            at = rng.choice(["registered", "counselling", "applied", "approved",
                             "preparing_departure"])
            if at != "registered":
                walk(at)
            side_exit("withdrawn", CW, WITHDRAWAL_REASONS, (2, 30))
    elif outcome == Status.REJECTED:
        walk(rng.choice(["counselling", "applied"]))
        side_exit("rejected", SUP, REJECTION_REASONS, (3, 20))
    elif outcome == Status.ON_HOLD:
        walk(rng.choice(["counselling", "applied", "approved", "preparing_departure",
                         "ready_to_travel"]))
        actor = MOVE if steps[-1][0] == "ready_to_travel" else CW
        side_exit("on_hold", actor, HOLD_REASONS, (1, 15))
    elif outcome == Status.REFERRED_ALTERNATIVE:
        walk(rng.choice(["counselling", "applied", "approved"]))
        side_exit("referred_alternative", CW, ALTERNATIVE_REASONS, (5, 40))
    elif outcome == Status.CANCELLED:
        if rng.random() < 0.5:
            walk("counselling")
        side_exit("cancelled", SUP, CANCEL_REASONS, (0.1, 3))

    # Place the history so that it ends a little while ago: open cases were touched
    # recently, finished ones may have finished long ago.
    idle_days = rng.uniform(0.1, 20) if outcome not in {
        Status.CLOSED, Status.WITHDRAWN, Status.REJECTED, Status.REFERRED_ALTERNATIVE,
        Status.CANCELLED} else rng.uniform(1, 420)
    latest = now - datetime.timedelta(days=t + idle_days)
    # Offices open cases in office hours (UTC is close enough for a demo).
    opened_at = latest.replace(hour=rng.randint(7, 15), minute=rng.randrange(60))
    if opened_at > latest:
        opened_at -= datetime.timedelta(days=1)
    # Registration date as the family would have given it.
    members = make_family(rng, nationality, opened_at.date())
    category = rng.choices(*zip(*CATEGORIES[programme.code], strict=True))[0]
    if category == MigrantCategory.TRAFFICKING_VICTIM and nationality not in {"NGA", "GMB"}:
        category = MigrantCategory.IRREGULAR
    set_categories_and_vulnerabilities(rng, members, category)
    plan = Plan(office=office, programme=programme, nationality=nationality,
                members=members, area=rng.choice(POOLS[nationality].areas),
                opened_at=opened_at)
    previous = opened_at
    for name, actor, offset, reason in steps:
        # In office hours, after the previous step, and never in the future.
        at = (opened_at + datetime.timedelta(days=offset)).replace(
            hour=rng.randint(7, 17), minute=rng.randrange(60), second=rng.randrange(60))
        if at <= previous:
            at = previous + datetime.timedelta(minutes=rng.randint(20, 240))
        at = min(at, now - datetime.timedelta(minutes=len(steps) - len(plan.steps)))
        plan.steps.append(Step(name, actor, at, reason))
        previous = at
    return plan


def seed_cases(base: Base, count: int, rng: random.Random,
               progress: Callable[[str], None] = lambda _msg: None) -> list[Case]:
    """Plan `count` cases and play them through the services, oldest first."""
    now = timezone.now()
    # The first cases cover every status and every nationality, however few are asked for.
    outcomes = [o for o, _w in OUTCOMES]
    nationalities = list(POOLS)
    plans = sorted(
        (_plan(rng, base, now, outcome=outcomes[i] if i < len(outcomes) else None,
               nationality=nationalities[i] if i < len(nationalities) else None)
         for i in range(count)),
        key=lambda p: p.opened_at)
    cases = []
    with simulated_clock(now) as clock:
        # Before the first case: the exchange rates, month by month, the partners and
        # the community projects (`directory`).
        today = timezone.localdate(now)
        start = timezone.localdate(plans[0].opened_at) if plans else today
        directory.import_rates(base, clock, start, today)
        partners = directory.create_partners(base, clock, start, today)
        directory.create_projects(base, partners, clock, today)
        # The survey instruments and the programmes' monitoring schedules (`followup`),
        # before the first case arrives.
        tally = followup.set_up(base, clock, (plans[0].opened_at if plans else now)
                                - datetime.timedelta(days=1))
        for i, plan in enumerate(plans, 1):
            cases.append(_play(plan, base, clock, partners, now, tally))
            if i % 50 == 0 or i == len(plans):
                progress(f"  {i}/{len(plans)} cases")
        directory.count_participants(base, partners, clock, now)
        # Feedback and complaints received by the offices (`complaints`).
        complaints.seed_feedback(base, clock, now)
    return cases


def _play(plan: Plan, base: Base, clock: Clock, partners: directory.Directory,
          now: datetime.datetime, tally: followup.Tally) -> Case:
    origin = origin_office_code(plan.nationality)
    actors = {
        CW: base.user(plan.office, Role.CASEWORKER),
        SUP: base.user(plan.office, Role.SUPERVISOR),
        MOVE: base.user(plan.office, Role.MOVEMENT_OFFICER),
        REINT: base.user(origin, Role.REINTEGRATION_OFFICER),
        ORIGIN_SUP: base.user(origin, Role.SUPERVISOR),
    }
    principal, *family = plan.members
    clock.set(plan.opened_at)
    case = register_and_open_case(
        actor=actors[CW], office=base.offices[plan.office],
        person=principal.person_data(),
        member={"category": principal.category,
                "vulnerabilities": list(principal.vulnerabilities)},
        case={"destination_country": plan.nationality, "destination_area": plan.area,
              "programme": base.programmes[plan.programme.code],
              "origin_office": base.offices[origin]},
    )
    for i, member in enumerate(family, 1):
        clock.set(plan.opened_at + datetime.timedelta(minutes=4 * i))
        register_and_add_member(actor=actors[CW], case=case, person=member.person_data(),
                                member=member.member_data())
    previous = plan.opened_at + datetime.timedelta(minutes=4 * len(plan.members))
    # The money and the partners' help once the case leaves (`assistance`): done, in
    # time order, before each step and, for a case still open, up to now.
    agenda = assistance.Agenda(clock)
    aftercare = assistance.Aftercare(
        case, assistance.Team(host_pay=actors[MOVE], host_approve=actors[SUP],
                              origin_pay=actors[REINT], origin_approve=actors[ORIGIN_SUP]),
        agenda, partners)
    # The monitoring after return (`followup`), on the same agenda.
    monitoring = followup.Followup(case, agenda, tally,
                                   monitor=base.user(origin, Role.ME_OFFICER),
                                   reintegration=actors[REINT])
    names = [step.name for step in plan.steps]
    for i, step in enumerate(plan.steps):
        if step.name == "applied":
            _prepare_application(case, actors[CW], plan, clock, previous, step.at)
        elif step.name == "ready_to_travel":
            _prepare_travel(case, actors[CW], base.user(plan.office, Role.MEDICAL_OFFICER),
                            clock, previous, step.at)
            clock.set(_between(previous, step.at, 0.9))
            journeys.book(case, actors[MOVE])
            clock.set(_between(previous, step.at, 0.95))
            journeys.accept(case, actors[REINT])
        elif step.name == "departed":
            clock.set(_between(previous, step.at, 0.8))
            journeys.depart(case, actors[MOVE], timezone.localdate(clock.now()))
            aftercare.departing()
        elif step.name == "arrived":
            clock.set(_between(previous, step.at, 0.9))
            journeys.arrive(case, actors[REINT], timezone.localdate(clock.now()))
            aftercare.arrived()
            monitoring.arrived(timezone.localdate(clock.now()))
        elif step.name == "reintegration":
            clock.set(step.at)
            aftercare.reintegrating()
            if "monitoring" not in names[i:]:
                monitoring.baseline_later()
        elif step.name == "monitoring":
            # The baseline survey, shortly before the plan is approved.
            clock.set(_between(previous, step.at, 0.2))
            monitoring.baseline()
            clock.set(_between(previous, step.at, 0.3))
            reintegration_plan = journeys.build_plan(
                case, actors[REINT], timezone.localdate(clock.now()),
                assistance.plan_providers(partners, origin))
            aftercare.plan_approved(reintegration_plan)
        elif step.name == "referred_alternative":
            _propose_pathway(case, actors[CW], step.reason, clock,
                             _between(previous, step.at, 0.7))
        agenda.run(until=step.at)
        clock.set(step.at)
        transition_case(case, step.name, actor=actors[step.actor], reason=step.reason)
        previous = step.at
    if case.is_open:
        agenda.run(until=now)
    if case.status == Status.PREPARING_DEPARTURE:
        # Everything but the itinerary, recorded by now: the movement officer finds these
        # cases waiting to be booked for a date in the coming days (the readiness
        # checklist says so).
        _prepare_travel(case, actors[CW], base.user(plan.office, Role.MEDICAL_OFFICER),
                        clock, previous, datetime.datetime.now(datetime.UTC))
    return case


def _between(start: datetime.datetime, end: datetime.datetime,
             share: float) -> datetime.datetime:
    return start + (end - start) * share


FORM_VERSION = "AVRR-consent-2025-2"


def _record_consents(case: Case, actor, purpose: str, at: datetime.datetime,
                     clock: Clock) -> None:
    """Every member's consent to `purpose`, given on the day; a child's by a parent on the
    case or, for a child alone, by the guardian the authorities appointed."""
    clock.set(at)
    day = timezone.localdate(at)
    members = list(case.members.select_related("person").order_by("id"))
    adults = [m for m in members if not is_child(m, day)]
    parent = next((m for m in adults if m.relationship in (Relationship.PRINCIPAL,
                                                             Relationship.SPOUSE)), None)
    # An unaccompanied or separated child of unknown age consents through a guardian too.
    needing = {p.pk for p in needs_best_interest_determination(case)}
    for member in members:
        guardian = {}
        if is_child(member, day) or member.person_id in needing:
            guardian = _guardian(case, member, parent)
        record_consent(actor=actor, case=case, person=member.person, purpose=purpose,
                       given_on=day, form_version=FORM_VERSION, **guardian)


def _guardian(case: Case, child: CaseMember, parent: CaseMember | None) -> dict[str, str]:
    if parent is None or child.relationship != Relationship.CHILD:
        given, family = staff_name(case.host_office.country, random.Random(case.reference))
        return {"guardian_name": f"{given} {family}",
                "guardian_relationship": "Legal guardian appointed by the authorities"}
    relationship = {"M": "Father", "F": "Mother"}.get(parent.person.sex, "Parent")
    name = " ".join(p for p in (parent.person.given_name, parent.person.family_name) if p)
    return {"guardian_name": name, "guardian_relationship": relationship}


def _prepare_application(case: Case, caseworker, plan: Plan, clock: Clock,
                         start: datetime.datetime, end: datetime.datetime) -> None:
    """The counselling session in which the person says they wish to return, then the
    consent forms and the voluntary return declaration signed for the application."""
    at = _between(start, end, 0.6)
    clock.set(at)
    language = plan.members[0].languages[0] if plan.members[0].languages else "eng"
    record_session(actor=caseworker, case=case, data={
        "date": timezone.localdate(at), "mode": Mode.IN_PERSON, "language": language,
        "topics": [Topic.RETURN_PROCESS, Topic.REINTEGRATION, Topic.ORIGIN_LABOUR,
                   Topic.ORIGIN_HOUSING],
        "materials": "Leaflet on the programme's reintegration support",
        "position": Position.WISHES_TO_RETURN})
    _record_consents(case, caseworker, ConsentPurpose.PROCESSING,
                     _between(at, end, 0.5), clock)
    _sign_declaration(case, caseworker, language, clock, _between(at, end, 0.7), end)


# Interpreters the offices call on, by the language they translate into.
INTERPRETERS = {"arb": "Samira Haddad", "ckb": "Dilan Ahmadi", "prs": "Farid Rahimi",
                "pus": "Gul Ahmad Safi", "ukr": "Olena Bondar", "rus": "Olena Bondar",
                "kat": "Nino Beridze", "wol": "Aminata Ndiaye"}


@cache
def _demo_scan() -> bytes:
    return HTML(string="<h1>Retorno demo data</h1><p>This page stands in for the scan of a "
                       "signed voluntary return declaration. The people in the demo are "
                       "invented.</p>").write_pdf()


def _sign_declaration(case: Case, caseworker, language: str, clock: Clock,
                      at: datetime.datetime, end: datetime.datetime) -> None:
    """The voluntary return declaration printed in the language offered first (English or
    French, the templates Retorno ships), signed the same day with an interpreter when
    the person speaks another language. Printing is recorded, not drawn (drawing 300
    PDFs would triple the seed's time); one page saying it is demo data stands in for
    each scan."""
    clock.set(at)
    declaration, _pdf = print_declaration(caseworker, case, render=False)
    interpreter = INTERPRETERS.get(language, "Community interpreter")
    if canonical(language) == declaration.language:
        interpreter = ""
    clock.set(_between(at, end, 0.5))
    record_signed_declaration(
        actor=caseworker, declaration=declaration, version=declaration.version,
        scan=ContentFile(_demo_scan(), name="signed.pdf"),
        data={"signed_on": timezone.localdate(at), "place": case.host_office.name,
              "interpreter_name": interpreter,
              "interpreter_language": language if interpreter else ""})


def _prepare_travel(case: Case, caseworker, medical_officer, clock: Clock,
                    start: datetime.datetime, end: datetime.datetime) -> None:
    """Consent to sharing with the origin office, every member assessed fit to travel by
    the host office's medical officer, then a best-interest determination finding return
    in the child's best interest for each unaccompanied or separated child; the planned
    departure date and each member's travel document (`_travel_documents`)."""
    clock.set(_between(start, end, 0.1))
    rng = random.Random(case.reference)
    update_case(actor=caseworker, case=case, version=case.version, data={
        "planned_departure_on": timezone.localdate(end)
        + datetime.timedelta(days=rng.randint(2, 12))})
    _travel_documents(case, caseworker, clock, start, end, rng)
    _record_consents(case, caseworker, ConsentPurpose.ORIGIN_OFFICE,
                     _between(start, end, 0.3), clock)
    _record_consents(case, caseworker, ConsentPurpose.MONITORING,
                     _between(start, end, 0.32), clock)
    at = _between(start, end, 0.6)
    clock.set(at)
    for member in case.members.select_related("person").order_by("id"):
        record_assessment(actor=medical_officer, case=case, person=member.person, data={
            "outcome": Outcome.FIT, "assessed_on": timezone.localdate(at)})
    children = needs_best_interest_determination(case)
    if children:
        clock.set(_between(start, end, 0.8))
        guardian = _guardian(case, case.members.get(person=children[0]), None)
        for person in children:
            record_bid(actor=caseworker, case=case, person=person, data={
                "decided_on": timezone.localdate(_between(start, end, 0.8)),
                "decision": BidDecision.RETURN_IN_BEST_INTEREST,
                "panel": "Best-interest determination panel (child protection services)",
                "guardian_name": guardian["guardian_name"],
                "reasons": "Family traced in the country of origin and willing to care "
                           "for the child; reintegration support arranged."})


def _travel_documents(case: Case, caseworker, clock: Clock, start: datetime.datetime,
                      end: datetime.datetime, rng: random.Random) -> None:
    """Each member's travel document, recorded by the host office's movement officer:
    mostly a passport the person already holds (collected); otherwise an emergency
    travel document requested from the consulate of their country, sometimes followed
    up, then issued and collected — valid, either way, on the planned departure date.
    The numbers are made up."""
    officer = next((m.user for m in Membership.objects.filter(
        office_id=case.host_office_id, role=Role.MOVEMENT_OFFICER).select_related("user")),
        caseworker)
    planned = case.planned_departure_on
    authority = f"Embassy of {country_name(case.destination_country)}, " \
                f"{case.host_office.name}"
    for member in case.members.select_related("person").order_by("id"):
        person = member.person
        country = person.nationality or case.destination_country
        number = f"{rng.choice('ABCNPR')}{rng.randrange(10**7, 10**8)}"
        if rng.random() < 0.7:
            clock.set(_between(start, end, 0.12))
            issued = timezone.localdate(start) - datetime.timedelta(days=rng.randint(60, 2500))
            record_document(actor=officer, case=case, person=person, data={
                "kind": DocumentKind.PASSPORT, "status": DocumentStatus.COLLECTED,
                "number": number, "issuing_country": country, "issued_on": issued,
                "expires_on": issued + datetime.timedelta(days=3652),
                "authority": f"Passport office, {country_name(country)}"})
            continue
        clock.set(_between(start, end, 0.12))
        document = record_document(actor=officer, case=case, person=person, data={
            "kind": DocumentKind.EMERGENCY_TRAVEL_DOCUMENT, "issuing_country": country,
            "authority": authority})
        change_status(actor=officer, document=document, to=DocumentStatus.REQUESTED,
                      version=document.version,
                      data={"requested_on": timezone.localdate(_between(start, end, 0.12))})
        if rng.random() < 0.5:
            clock.set(_between(start, end, 0.16))
            change_status(actor=officer, document=document, to=DocumentStatus.REQUESTED,
                          version=document.version, data={"follow_up_on": timezone.localdate(
                              _between(start, end, 0.16)) + datetime.timedelta(days=7)})
        clock.set(_between(start, end, 0.2))
        issued = timezone.localdate(_between(start, end, 0.2))
        change_status(actor=officer, document=document, to=DocumentStatus.ISSUED,
                      version=document.version, data={
                          "number": number, "issued_on": issued,
                          "expires_on": max(issued + datetime.timedelta(days=180),
                                            planned + datetime.timedelta(days=30))})
        clock.set(_between(start, end, 0.25))
        change_status(actor=officer, document=document, to=DocumentStatus.COLLECTED,
                      version=document.version)


def _propose_pathway(case: Case, caseworker, reason: str, clock: Clock,
                     at: datetime.datetime) -> None:
    """The alternative pathway the case is then referred to."""
    clock.set(at)
    kind, country, organisation = ALTERNATIVE_PATHWAYS[reason]
    propose_pathway(actor=caseworker, case=case, data={
        "kind": kind, "third_country": country, "receiving_organisation": organisation,
        "referred_on": timezone.localdate(at), "notes": reason})
