"""Every URL, with every role: the safety net under the access rules.

The URLs are found by walking the root resolver, never listed by hand: a new URL fails
`test_it_has_an_expectation_for_every_url` (and its own matrix tests) until it has a row
in EXPECT. Each row says, for each persona and each object owner, the exact answer:

- anonymous: a redirect to the sign-in page (pages) or 401 (API);
- a persona who may see the object: 200, or what the write answers (302 for the HTML
  forms, 201/204 for the API);
- someone who sees the object but may not do this to it: 403;
- anyone else: 404 for every URL naming an object, never 200 or 403: whether a case or a
  person exists must not leak.

Who may see and do what is written out below by hand, from the rules in DESIGN.md and
retorno/accounts/permissions.py, not computed by the policy code under test.

The world (personas, three cases, their people) is built once for the module inside a
transaction that is rolled back at the end; every test runs in a savepoint within it.
"""

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from retorno.accounts.models import Office
from retorno.cases import services as case_services
from retorno.cases import workflow
from retorno.cases.models import Case, CaseMember, TimelineEntry
from retorno.counselling.models import CounsellingSession
from retorno.counselling.services import record_session
from retorno.declarations.models import Declaration
from retorno.documents.models import TravelDocument
from retorno.documents.services import change_status as change_document_status
from retorno.documents.services import record_document
from retorno.documents.tests.builders import TD3
from retorno.feedback.models import Category as FeedbackCategory
from retorno.feedback.models import Channel as FeedbackChannel
from retorno.feedback.models import Feedback
from retorno.feedback.models import Kind as FeedbackKind
from retorno.feedback.services import record_feedback
from retorno.finance.models import Disbursement, Grant
from retorno.finance.services import award_grant, import_rates, request_disbursement
from retorno.medical.models import FitnessAssessment
from retorno.medical.services import record_assessment
from retorno.monitoring.models import MonitoringVisit, Schedule
from retorno.monitoring.services import record_visit, set_schedule
from retorno.partners.models import Partner, Referral
from retorno.pathways.models import Pathway, PathwayChange
from retorno.pathways.services import propose_pathway
from retorno.people.models import IdentityDocument, Person
from retorno.people.services import register_person
from retorno.privacy.consent import record_consent
from retorno.privacy.models import AuditEvent, Consent, ConsentPurpose
from retorno.programmes.models import MigrantCategory
from retorno.programmes.services import set_package
from retorno.reception.models import Reception
from retorno.reception.services import accept_handover
from retorno.regions.models import Region
from retorno.regions.services import create_region
from retorno.reintegration.models import (
    AssistanceItem,
    CommunityProject,
    Milestone,
    ReintegrationPlan,
)
from retorno.reintegration.services import (
    add_item,
    add_milestone,
    create_project,
    link_case,
    start_plan,
    update_plan,
)
from retorno.reports.jobs import request_report
from retorno.reports.models import Report
from retorno.screening.models import BestInterestDetermination, Screening
from retorno.screening.questionnaire import QUESTIONS
from retorno.surveys.models import SurveyResponse
from retorno.surveys.services import install_shipped, record_response
from retorno.surveys.tests.builders import answers_for
from retorno.suspensions.models import ReturnSuspension
from retorno.suspensions.services import set_suspension
from retorno.tasks.models import Task, TaskKind
from retorno.tasks.services import open_task
from retorno.testing import personas
from retorno.testing.personas import (
    World,
    build_world,
    open_case,
    person_data,
    prepare_application,
    prepare_travel,
    sign_declaration,
)
from retorno.travel.models import Departure, Itinerary, Leg, TransitRequest

pytestmark = pytest.mark.django_db

ANON = "anonymous"
PERSONAS = [name for name, _role, _office in personas.PERSONAS]
EVERYONE = [*PERSONAS, ANON]

# Whose objects a URL's parameters name: Berlin's case (not yet handed over), Vienna's
# case, and a Berlin case that has departed and so was handed over to Baghdad.
OWNERS = ("berlin", "vienna", "handed")
_BERLIN_READERS = {"carla", "sam", "mona", "max", "pia", "dana"}
# Partner paul and statistics viewer stella read no case and no person; the Baghdad
# officers rita and emil read a Berlin case only after handover.
SEES = {"berlin": _BERLIN_READERS, "handed": _BERLIN_READERS | {"rita", "emil"},
        "vienna": {"otto", "vera"}}
CHANGES = {"berlin": {"carla", "sam"}, "handed": {"carla", "sam"}, "vienna": {"otto", "vera"}}
ASSIGNS = {"berlin": {"sam"}, "handed": {"sam"}, "vienna": {"vera"}}
AUDITS = {"berlin": {"sam", "dana"}, "handed": {"sam", "dana"}, "vienna": {"vera"}}
CREATES = {"carla", "sam", "otto", "vera"}  # open cases, in their own office
# Fitness to travel: the host office's medical officer (Vienna has none).
MEDICAL = {"berlin": {"mona"}, "handed": {"mona"}, "vienna": set()}
# Travel documents: read by the host office's case team, movement officer and DP focal
# point, and by the origin office's reintegration officer once the case is handed over;
# recorded by the host office's case team and movement officer.
DOCUMENT_READERS = {"berlin": {"carla", "sam", "max", "dana"},
                    "handed": {"carla", "sam", "max", "dana", "rita"},
                    "vienna": {"otto", "vera"}}
DOCUMENT_RECORDERS = {"berlin": {"carla", "sam", "max"}, "handed": {"carla", "sam", "max"},
                      "vienna": {"otto", "vera"}}
# Handover and reception: accepted, planned and recorded by the origin office's
# reintegration officers and supervisors (Baghdad has no supervisor) once the case is
# handed over; read with the case. The incoming list: for those who hold reception.record
# anywhere (rita, and the supervisors of every office, who see only what was handed over
# to their own office).
RECEIVERS = {"berlin": set(), "handed": {"rita"}, "vienna": set()}
INCOMING_READERS = {"rita", "sam", "vera"}
# Itineraries: read by the host office's caseworkers, supervisors and movement officers,
# and by the origin office's reintegration officer once the case is handed over; recorded,
# booked, cancelled by the host office's movement officers and supervisors.
TRAVEL_READERS = {"berlin": {"carla", "sam", "max"}, "handed": {"carla", "sam", "max", "rita"},
                  "vienna": {"otto", "vera"}}
TRAVEL_RECORDERS = {"berlin": {"sam", "max"}, "handed": {"sam", "max"}, "vienna": {"vera"}}
# Reading an MRZ reads no stored data: everyone who records documents somewhere (the
# Istanbul movement officer too: a transit office may hold cases of its own).
MRZ_READERS = {"carla", "sam", "max", "otto", "vera", "tariq"}
# Transit requests: read and confirmed by the movement staff of the transit office they
# were sent to — Istanbul's tariq, for the "handed" case, booked through Istanbul; Berlin's
# and Vienna's cases have none. Nobody else, not even the case team (404), and the lists
# only for transit staff (403). Departure manifests: those who record travel in a host
# office; each sees only its own office's departures (the leak check proves it).
TRANSIT_STAFF = {"tariq"}
TRANSIT = {"berlin": set(), "handed": {"tariq"}, "vienna": set()}
MANIFEST_READERS = {"sam", "max", "vera"}
# A task assigned to the case's caseworker: theirs, and their office's supervisors'.
TASKS = {"berlin": {"carla", "sam"}, "handed": {"carla", "sam"}, "vienna": {"otto", "vera"}}
# The signed declaration's scan: the host office's case team and DP focal point (Vienna
# has no DP focal point); never the origin office.
SCANS = {"berlin": {"carla", "sam", "dana"}, "handed": {"carla", "sam", "dana"},
         "vienna": {"otto", "vera"}}
# Declaration templates: managed by the programme manager; listed also for those who print.
TEMPLATE_MANAGERS = {"pia"}
TEMPLATE_READERS = {"pia", "carla", "sam", "otto", "vera"}
# Return suspensions name no case: read by everyone who reads cases somewhere, set and
# lifted by the supervisors (of any office) and the programme manager.
SUSPENSION_READERS = set(PERSONAS) - {"paul", "stella"}
SUSPENSION_MANAGERS = {"sam", "vera", "pia"}
# Issue 5, reintegration. A case's reintegration plan is read with the case and built
# (reintegration.record) by the origin office's reintegration officers and supervisors
# once the case is handed over and has arrived: rita, on the "handed" case only (Baghdad
# has no supervisor). Only the "handed" case has a plan (a draft): the API reads it there
# only (404 for the others, whoever asks; the role check comes first for a write).
PLAN_BUILDERS = {"berlin": set(), "handed": {"rita"}, "vienna": set()}
# Everyone who holds a role that reads cases somewhere (partner.view): programmes, the
# partner directory and the community projects name no case, and every member of staff
# reads them. Partner paul and statistics viewer stella are not staff: 403 on the lists,
# 404 for a partner or a project (they may see none).
STAFF = set(PERSONAS) - {"paul", "stella"}
# Community projects: created by whoever holds reintegration.record in some office (in
# their own office); the matrix's one is Baghdad's, so only rita changes it and links
# cases to it.
PROJECT_CREATORS = {"rita", "sam", "vera"}
PROJECT_MANAGERS = {"rita"}
# Grants and payments. Paying (grant.disburse): the host office's supervisors and
# movement officers until the case departs, then the origin office's (rita). Awarding:
# the same people (rita also through reintegration.record). Approving a payment above the
# programme's threshold (grant.approve): the supervisors of an office of the case, and
# the programme manager pia from anywhere (but she sees no Vienna case: 404).
DISBURSERS = {"berlin": {"sam", "max"}, "handed": {"rita"}, "vienna": {"vera"}}
AWARDERS = DISBURSERS
APPROVERS = {"berlin": {"sam", "pia"}, "handed": {"sam", "pia"}, "vienna": {"vera"}}
# Four eyes: nobody decides on a payment they requested. Vienna's only payer and only
# approver is vera, who requested its payment: the decision refuses her (403).
DECIDERS = {"berlin": {"sam", "pia"}, "handed": {"sam", "pia"}, "vienna": set()}
# Receipts name the payee: those who pay or approve, and the DP focal point (dana, with
# audit.view in the case's office).
RECEIPT_READERS = {"berlin": {"sam", "max", "pia", "dana"},
                   "handed": {"rita", "sam", "pia", "dana"}, "vienna": {"vera"}}
# Exchange rates: read by finance (finance.view, finance.manage) and by everyone who pays
# out grants anywhere (the movement officers, tariq too, and rita); loaded by the
# programme manager (finance.manage).
RATE_READERS = {"sam", "vera", "pia", "max", "rita", "tariq"}
FINANCE_MANAGERS = {"pia"}
# Programme finance (finance.view, organisation-wide): supervisors and programme managers.
FINANCE_READERS = {"sam", "vera", "pia"}
# The partner directory, kept (partner.manage) by the reintegration officers and
# supervisors of the partner's office, and by programme managers from any office. Each
# owner names a partner: Berlin's case was referred to one kept by Berlin, Vienna's to
# one kept by Vienna, the handed case to world.partner, kept by Baghdad. Adding one
# (through the API, in Berlin): Berlin's supervisor and the programme manager.
PARTNER_MANAGERS = {"berlin": {"sam", "pia"}, "handed": {"rita", "pia"},
                    "vienna": {"vera", "pia"}}
PARTNER_CREATORS = {"sam", "vera", "rita", "pia"}  # in some office
BERLIN_PARTNER_CREATORS = {"sam", "pia"}
# Referrals are read with the case; sent and withdrawn (reintegration.record) by the
# reintegration officers and supervisors of an office of the case: the host office's
# supervisor, and, once handed over, the origin office's reintegration officer.
REFERRERS = {"berlin": {"sam"}, "handed": {"sam", "rita"}, "vienna": {"vera"}}
# The partner users' pages: paul only, and only the referrals sent to his organisation
# (the handed case's); Berlin's and Vienna's went to other partners (404 for paul too).
PARTNER_USERS = {"paul"}
REFERRED_TO = {"berlin": set(), "handed": {"paul"}, "vienna": set()}
# Issue 6, monitoring and evaluation. Surveys and monitoring visits of a case are read
# with the case and recorded (survey.record) by the origin office's M&E officers,
# reintegration officers and supervisors once the case is handed over and has arrived:
# rita and emil, on the "handed" case only (Baghdad has no supervisor); it has one
# survey response and one visit. Berlin's and Vienna's cases: their readers get 403.
SURVEY_RECORDERS = {"berlin": set(), "handed": {"rita", "emil"}, "vienna": set()}
# The survey instruments: read with survey.record, survey.manage or me.view in any
# office; loaded (survey.manage) by the M&E officer and the programme manager; their
# submissions imported by survey.record holders.
INSTRUMENT_READERS = {"rita", "emil", "sam", "vera", "pia"}
INSTRUMENT_MANAGERS = {"emil", "pia"}
SURVEY_IMPORTERS = {"emil", "rita", "sam", "vera"}
# The office list of monitoring contacts: survey.record or me.view; the programmes'
# monitoring schedules: survey.manage; the M&E dashboard: me.view.
MONITORING_LISTERS = {"sam", "vera", "rita", "emil", "pia"}
SCHEDULE_MANAGERS = {"emil", "pia"}
ME_VIEWERS = {"sam", "vera", "emil", "pia"}
# Statistics (issue 7): exact for stats.view (supervisors, M&E officers, programme
# managers), published for the statistics viewer (stats.public); bulletins and programme
# reports are built by report.build (M&E officers, programme managers); an exact
# programme report is opened by stats.view only (404 for the statistics viewer). The
# organisation's regions: read by those who read statistics, kept by region.manage.
STATS_EXACT = ME_VIEWERS
STATS_READERS = ME_VIEWERS | {"stella"}
REPORT_BUILDERS = {"emil", "pia"}
# The pseudonymised case-level extract: stats.extract (M&E officer, programme manager).
EXTRACTORS = {"emil", "pia"}
REGION_READERS = STATS_READERS
REGION_MANAGERS = {"pia"}
# Feedback: one item per owner — an ordinary complaint received in Berlin (linked to
# Berlin's case), a complaint of sexual exploitation and abuse received in Berlin about
# max (linked to the handed case), an ordinary one received in Vienna. Read and handled
# by Berlin's supervisor, Berlin's focal point (dana) and Vienna's supervisor
# respectively, and by nobody else: not the recorder, not max, not the case team; seeing
# and handling are one right, so everyone else gets 404, never 403. The inbox: feedback
# handlers and focal points. Recording: every member of staff, in their own offices.
FEEDBACK_READERS = {"berlin": {"sam"}, "handed": {"dana"}, "vienna": {"vera"}}
FEEDBACK_INBOX = {"sam", "vera", "emil", "dana"}
# Recording an ordinary complaint for Berlin: its handler sam is sent to the item; the
# other Berlin staff see only a receipt (200); staff of other offices are refused (422,
# not one of their offices; 403 in the API).
BERLIN_RECORDERS = {"carla", "mona", "max", "pia", "dana"}
# URL parameters that name no case or person: whether such an object exists is no secret,
# so the "nobody changes a case they cannot see" test does not ask them for a 404.
ORGANISATION_WIDE_PARAMS = {"suspension_id", "code", "partner_id", "project_id", "number",
                            "slug", "fmt", "report_id"}
# URL parameters whose answers never depend on the owner (a programme, a survey
# instrument and its version): a URL naming only these is asked once, not per owner.
OWNERLESS_PARAMS = {"code", "number", "slug", "fmt", "report_id"}

LOGIN = "302 to sign-in"
API_ANON = 401  # token authentication comes first: 401 with WWW-Authenticate: Token
# What the pages answer to someone who may see an object but not do this to it (open the
# edit, assign, add-member, audit or add-document page): 403, as STYLE.md R3 asks.
HTML_REFUSED = 403
API_REFUSED = 403

Expect = Callable[[str, str | None], int | str]


def everyone(status: int | str) -> Expect:
    return lambda who, owner: status


def signed_in(status: int | str, anon: int | str = LOGIN) -> Expect:
    return lambda who, owner: anon if who == ANON else status


def creators(status: int | str, needs_to_see: bool = False) -> Expect:
    def expect(who: str, owner: str | None) -> int | str:
        if who == ANON:
            return LOGIN
        if who not in CREATES:
            return 403  # no office where they may open cases
        if needs_to_see and who not in SEES[owner]:
            return 404
        return status
    return expect


def some(status: int | str, who_may: set[str], *, anon: int | str = LOGIN) -> Expect:
    """`status` for `who_may`, 403 for every other signed-in persona: for what belongs to
    no case and no office (the declaration templates)."""
    return lambda who, owner: anon if who == ANON else status if who in who_may else 403


def on_object(status: int | str, may: dict[str, set[str]] = SEES, *,
              refused: int = HTML_REFUSED, anon: int | str = LOGIN) -> Expect:
    """`status` for those who `may`; `refused` for those who only see the object; 404 for
    everyone else."""
    def expect(who: str, owner: str | None) -> int | str:
        if who == ANON:
            return anon
        if who in may[owner]:
            return status
        if who in SEES[owner]:
            return refused
        return 404
    return expect


@dataclass(frozen=True)
class Row:
    method: str
    expect: Expect
    # Query string, from the world and the owner; `per_owner` when it names an object.
    query: Callable[["Objects", str | None], dict[str, Any]] | None = None
    per_owner: bool = False
    body: Callable[["Objects", str], dict[str, Any]] | None = None
    # URL parameters that differ from PARAM_VALUES' (another object of the owner's).
    params: Callable[["Objects", str], dict[str, Any]] | None = None


def _child(**overrides: Any) -> dict[str, Any]:
    return person_data(given_name="Noor", given_name_original="نور", sex="F",
                       date_of_birth=datetime.date(2016, 2, 3), **overrides)


def _api_member(o: "Objects", owner: str) -> dict[str, Any]:
    return {"person": _child(family_name="Matrix"), "relationship": "child",
            "category": MigrantCategory.ASYLUM_REJECTED}


def _api_document(o: "Objects", owner: str) -> dict[str, Any]:
    return {"kind": "passport", "number": "A1234567", "issuing_country": "IRQ"}


def _consent_body(o: "Objects", purpose: str, *, api: bool) -> dict[str, Any]:
    """A consent of Berlin's principal, as the form (person) or the API (person_id)."""
    return {"person_id" if api else "person": o.principals["berlin"].pk,
            "purpose": purpose, "given_on": "2026-03-02", "form_version": "Matrix-1"}


def _api_consent(o: "Objects", owner: str) -> dict[str, Any]:
    return {"person_id": o.principals[owner].pk, "purpose": "outreach",
            "given_on": "2026-03-02", "form_version": "Matrix-1"}


def _counselling(**overrides: Any) -> dict[str, Any]:
    return {"date": "2026-03-02", "mode": "in_person", "language": "arb",
            "topics": ["return_process", "origin_health"], "position": "undecided",
            "notes": "Matrix notes", **overrides}


def _api_counselling_patch(o: "Objects", owner: str) -> dict[str, Any]:
    return {"materials": "Matrix leaflet", "version": o.counselling[owner].version}


def _fitness(**overrides: Any) -> dict[str, Any]:
    return {"outcome": "fit_with_escort", "special_needs": ["wheelchair"],
            "assessed_on": "2026-03-02", "detail": "Matrix medical detail", **overrides}


def _api_fitness(o: "Objects", owner: str) -> dict[str, Any]:
    return _fitness(person_id=o.principals[owner].pk)


def _api_fitness_patch(o: "Objects", owner: str) -> dict[str, Any]:
    # Vienna's case has no assessment (no medical officer): nobody gets past the role check.
    version = o.fitness[owner].version if owner in o.fitness else 1
    return {"outcome": "unfit", "version": version}


def _screening_answers(yes: str = "sexual_violence") -> dict[str, str]:
    return {q.code: "yes" if q.code == yes else "no" for q in QUESTIONS}


def _screening_form(**overrides: Any) -> dict[str, Any]:
    """The screening form of a case member (the child), all "no" but one."""
    return {"screened_on": "2026-03-02", "notes": "Matrix observations",
            **{f"q_{k}": v for k, v in _screening_answers().items()}, **overrides}


def _api_screening(o: "Objects", owner: str) -> dict[str, Any]:
    return {"person_id": o.children[owner].person_id, "screened_on": "2026-03-02",
            "answers": _screening_answers(), "notes": "Matrix observations"}


def _bid(**overrides: Any) -> dict[str, Any]:
    return {"decided_on": "2026-03-02", "decision": "in_best_interest",
            "panel": "Matrix BID panel", "guardian_name": "Matrix Guardian",
            "reasons": "Matrix reasons", **overrides}


def _api_bid(o: "Objects", owner: str) -> dict[str, Any]:
    return _bid(person_id=o.children[owner].person_id)


def _pathway(**overrides: Any) -> dict[str, Any]:
    return {"kind": "family_reunification", "third_country": "SWE",
            "receiving_organisation": "Matrix Migration Agency", "referred_on": "2026-03-02",
            "notes": "Matrix notes", **overrides}


def _pathway_status_form(o: "Objects", owner: str, **overrides: Any) -> dict[str, Any]:
    pathway = o.pathways[owner]
    return {f"p{pathway.pk}-status": "submitted", f"p{pathway.pk}-comment": "Matrix",
            f"p{pathway.pk}-version": pathway.version, **overrides}


def _api_pathway_status(o: "Objects", owner: str) -> dict[str, Any]:
    return {"status": "submitted", "comment": "Matrix", "version": o.pathways[owner].version}


def _travel_document(**overrides: Any) -> dict[str, Any]:
    return {"kind": "emergency_travel_document", "issuing_country": "IRQ",
            "authority": "Matrix consulate", "notes": "Matrix notes", **overrides}


def _api_travel_document(o: "Objects", owner: str) -> dict[str, Any]:
    return _travel_document(person_id=o.principals[owner].pk, kind="national_id")


def _travel_document_form(o: "Objects", owner: str, **overrides: Any) -> dict[str, Any]:
    return {**_travel_document(number="M1", status="to_request"),
            "version": o.documents[owner].version, **overrides}


def _travel_document_follow_up(o: "Objects", owner: str, **overrides: Any) -> dict[str, Any]:
    # The documents are requested: following up again, in a week.
    return {"to": "requested", "follow_up_on": timezone.localdate() + datetime.timedelta(7),
            "version": o.documents[owner].version, **overrides}


def _itinerary_version(o: "Objects", owner: str, **extra: Any) -> dict[str, Any]:
    return {"version": o.itineraries[owner].version, **extra}


def _api_itinerary(o: "Objects", owner: str) -> dict[str, Any]:
    return {"booking_reference": "MATRIX", "legs": [
        {"mode": "air", "from_code": "BER", "to_code": "BGW", "carrier": "Matrix Air",
         "flight_number": "MX1", "departs_local": "2027-06-01T10:00",
         "arrives_local": "2027-06-01T16:00"}]}


# The world programme's assistance package (set by the programme manager): a
# reinstallation grant per adult, half paid before departure, and a reintegration budget
# per family; payments above 100 EUR wait for a second person's approval.
PACKAGE = {"currency": "EUR", "approval_threshold": "100", "components": [
    {"kind": "reinstallation", "basis": "per_adult", "amount": "1000", "modality": "cash",
     "before_departure_percent": 50, "after_arrival_months": 0},
    {"kind": "reintegration", "basis": "per_family", "amount": "2000", "modality": "cash",
     "before_departure_percent": 0, "after_arrival_months": 0}]}


def _package(o: "Objects") -> dict[str, Any]:
    o.world.programme.refresh_from_db()
    return {**PACKAGE, "version": o.world.programme.version}


def _item(**overrides: Any) -> dict[str, Any]:
    return {"kind": "business", "description": "Matrix shop: tools",
            "provider_name": "Matrix Tools Ltd", "cost": Decimal("500"), **overrides}


def _milestone(**overrides: Any) -> dict[str, Any]:
    return {"title": "Matrix shop opens", "due_on": datetime.date(2026, 9, 1), **overrides}


def _project(o: "Objects", **overrides: Any) -> dict[str, Any]:
    """A community project, as the API takes it (in the creator's own office)."""
    return {"programme": o.world.programme.code, "name": "Matrix market stalls",
            "country": "IRQ", "place": "Basra", "budget": "25000", **overrides}


def _partner(**overrides: Any) -> dict[str, Any]:
    """A partner kept by Berlin, as the API takes it."""
    return {"office": "deu-ber", "name": "Matrix Skills Centre", "country": "IRQ",
            "services": ["vocational_training"], **overrides}


def _referral(o: "Objects", owner: str) -> dict[str, Any]:
    """The owner's principal to the owner's partner, for a service not yet referred."""
    return {"person": o.principals[owner].pk, "partner": o.partners[owner].pk,
            "service": "vocational_training", "need": "Matrix training"}


def _referral_version(o: "Objects", owner: str) -> int:
    return o.referrals[owner].version


def _service_given(o: "Objects", owner: str) -> dict[str, Any]:
    return {"service_given": "Matrix course", "service_on": timezone.localdate(),
            "version": _referral_version(o, owner)}


def _transit_staff(status: int | str, *, anon: int | str = LOGIN) -> Expect:
    """`status` for the staff of the transit office the case's request went to; 404 for
    everyone else, whoever they are: a transit request is not seen with its case."""
    return lambda who, owner: anon if who == ANON else status if who in TRANSIT[owner] \
        else 404


def _transit_id(o: "Objects", owner: str) -> int:
    # Only the "handed" case was booked (through Istanbul); for the others, an id that
    # names no request.
    found = TransitRequest.objects.filter(itinerary__case=o.cases[owner]).first()
    return found.pk if found else 0


def _manifest_query(o: "Objects", owner: str | None) -> dict[str, Any]:
    """The day the "handed" case left Berlin: its family is on that manifest."""
    leg = Leg.objects.filter(itinerary__case=o.cases["handed"], itinerary__status="booked",
                             from_code="BER").get()
    return {"day": leg.departs_local.date().isoformat(), "airport": "BER"}


def _shared(status: int | str, readers: set[str],
            may: set[str] | dict[str, set[str]] | None = None, *,
            refused: int = HTML_REFUSED, anon: int | str = LOGIN) -> Expect:
    """For an object that names no case (a partner, a community project) and that
    `readers` all see: `status` for those who `may` (all readers when None; per owner when
    a dict), `refused` for the other readers, 404 for everyone else."""
    def expect(who: str, owner: str | None) -> int | str:
        allowed = readers if may is None else may[owner] if isinstance(may, dict) else may
        if who == ANON:
            return anon
        if who in allowed:
            return status
        return refused if who in readers else 404
    return expect


def _referred(status: int | str, *, anon: int | str = LOGIN) -> Expect:
    """`status` for the partner user of the organisation the owner's referral was sent
    to; 404 for everyone else, staff included: the partner pages are not theirs."""
    return lambda who, owner: anon if who == ANON else status if who in REFERRED_TO[owner] \
        else 404


def _with_plan(status: int | str) -> Expect:
    """Reading the plan (API): `status` for the readers of the "handed" case, the only one
    with a plan; 404 for everyone else (no plan, or no case they may see)."""
    return lambda who, owner: API_ANON if who == ANON else status \
        if owner == "handed" and who in SEES[owner] else 404



def _versioned(pick: Callable[["Objects"], dict[str, Any]],
               **extra: Any) -> Callable[["Objects", str], dict[str, Any]]:
    """A body with `extra` and the version of the owner's object among `pick(o)` (1 where
    the owner has none: the access checks come first)."""
    def body(o: "Objects", owner: str) -> dict[str, Any]:
        found = pick(o).get(owner)
        return {**extra, "version": found.version if found is not None else 1}
    return body


def _with_survey(status: int | str, *, anon: int | str = LOGIN) -> Expect:
    """A survey response: only the "handed" case has one; its readers get `status`,
    everyone else 404 (no response, or no case they may see)."""
    return lambda who, owner: anon if who == ANON else status \
        if owner == "handed" and who in SEES[owner] else 404


def _api_survey(o: "Objects", owner: str) -> dict[str, Any]:
    return {"instrument": "sustainability", "collected_on": timezone.localdate().isoformat(),
            "answers": {"e1_satisfaction": "satisfied"}, "client_key": f"matrix-api-{owner}"}


def _instrument(o: "Objects", owner: str | None) -> dict[str, Any]:
    return {"code": "sustainability", "number": 1}


def _feedback_readers(status: int | str, *, anon: int | str = LOGIN) -> Expect:
    return lambda who, owner: anon if who == ANON else status \
        if who in FEEDBACK_READERS[owner] else 404


def _feedback_ref(o: "Objects", owner: str) -> dict[str, Any]:
    return {"reference": o.feedback[owner].reference}


def _feedback_new(api: bool) -> Expect:
    def expect(who: str, owner: str | None) -> int | str:
        if who == ANON:
            return API_ANON if api else LOGIN
        if who in {"paul", "stella"}:
            return 403
        if who == "sam":
            return 201 if api else 302
        if who in BERLIN_RECORDERS:
            return 201 if api else 200
        return 403 if api else 422
    return expect


def _feedback_body(o: "Objects", owner: str | None) -> dict[str, Any]:
    return {"office": o.world.berlin.pk, "channel": "phone", "kind": "complaint",
            "category": "delays", "description": "Matrix"}


def _feedback_categorise(o: "Objects", owner: str) -> dict[str, Any]:
    item = o.feedback[owner]
    return {"kind": "complaint", "category": item.category, "version": item.version}


FEEDBACK_ASSIGNEE = {"berlin": "sam", "handed": "dana", "vienna": "vera"}


def _feedback_assign(api: bool) -> Callable[["Objects", str], dict[str, Any]]:
    def body(o: "Objects", owner: str) -> dict[str, Any]:
        who = FEEDBACK_ASSIGNEE[owner]
        return {"assignee": who if api else o.world.users[who].pk,
                "version": o.feedback[owner].version}
    return body


_feedback_version = _versioned(lambda o: o.feedback)


# Keys are URL names; "name?probe" is one more request to the same URL, with a query.
def _region(o: "Objects", owner: str) -> dict[str, Any]:
    return {"code": o.region.code}


def _exact(o: "Objects", owner: str) -> dict[str, Any]:
    return {"report_id": o.reports["exact"].pk}


def _exact_report(status: int) -> Expect:
    """An exact report: opened by stats.view; 404 for the statistics viewer (she reads
    published figures only); 403 for whoever reads no statistics."""
    def expect(who: str, owner: str | None) -> int | str:
        if who == ANON:
            return LOGIN
        if who in STATS_EXACT:
            return status
        return 404 if who in STATS_READERS else 403
    return expect


def _programme_report_form(o: "Objects", owner: str) -> dict[str, Any]:
    return {"programme": o.world.programme.pk, "start": "2026-01-01", "end": "2026-06-30",
            "public": "on"}


EXPECT: dict[str, Row] = {
    "accounts:login": Row("GET", lambda who, owner: 200 if who == ANON else 302),
    "accounts:logout": Row("POST", everyone(LOGIN)),
    "accounts:password_change": Row("GET", signed_in(200)),
    "accounts:set_language": Row("POST", everyone(302)),
    # The partner user's work is on the partner pages.
    "cases:my_work": Row("GET", lambda who, owner: LOGIN if who == ANON
                         else 302 if who in PARTNER_USERS else 200),
    "cases:search": Row("GET", signed_in(200)),
    "cases:search?open": Row("GET", signed_in(200), query=lambda o, owner: {"status": "open"}),
    "cases:new": Row("GET", creators(200)),
    # A case for someone already registered: only someone you may see.
    "cases:new?person": Row("GET", creators(200, needs_to_see=True), per_owner=True,
                            query=lambda o, owner: {"person": o.principals[owner].pk}),
    "cases:detail": Row("GET", on_object(200)),
    "cases:edit": Row("GET", on_object(200, CHANGES)),
    "cases:assign": Row("GET", on_object(200, ASSIGNS)),
    "cases:add_member": Row("GET", on_object(200, CHANGES)),
    "cases:add_member?person": Row("GET", on_object(200, CHANGES),
                                   query=lambda o, owner: {"person": o.loners[owner].pk}),
    # Someone registered in the other host office cannot be added, even by its caseworker.
    "cases:add_member?foreign_person": Row(
        "GET", on_object(404, CHANGES),
        query=lambda o, owner: {"person": o.loners[o.other_host(owner)].pk}),
    # The services refuse a wrong role with a message on the case page: still a redirect.
    "cases:remove_member": Row("POST", on_object(302)),
    "cases:transition": Row("POST", on_object(302)),
    "cases:audit": Row("GET", on_object(200, AUDITS)),
    # Tasks: the list holds each user's own and their queues' (on cases they see); a task
    # is seen with its case, done or given on by its holder and the office's supervisors.
    "tasks:list": Row("GET", signed_in(200)),
    "tasks:list?everything": Row("GET", signed_in(200),
                                 query=lambda o, owner: {"status": "all", "due": "overdue"}),
    "tasks:complete": Row("POST", on_object(302, TASKS),
                          body=lambda o, owner: {"version": o.tasks[owner].version}),
    "tasks:reassign": Row("GET", on_object(200, TASKS)),
    "api:tasks": Row("GET", signed_in(200, anon=API_ANON)),
    "api:task_complete": Row(
        "POST", on_object(200, TASKS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"note": "Matrix", "version": o.tasks[owner].version}),
    "api:task_reassign": Row(
        "POST", on_object(200, TASKS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"assignee": "vera" if owner == "vienna" else "sam",
                               "version": o.tasks[owner].version}),
    "people:detail": Row("GET", on_object(200)),
    "people:edit": Row("GET", on_object(200, CHANGES)),
    "people:add_document": Row("GET", on_object(200, CHANGES)),
    # The API. The schema and its docs are for signed-in users.
    "api:schema": Row("GET", signed_in(200, anon=API_ANON)),
    "api:docs": Row("GET", signed_in(200, anon=API_ANON)),
    "api:token": Row("POST", everyone(400)),  # no credentials sent
    "api:people": Row("GET", signed_in(200, anon=API_ANON)),
    "api:person": Row("GET", on_object(200, anon=API_ANON)),
    "api:person_documents": Row("POST", on_object(201, CHANGES, refused=API_REFUSED,
                                                  anon=API_ANON), body=_api_document),
    "api:cases": Row("GET", signed_in(200, anon=API_ANON)),
    "api:case": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_members": Row("POST", on_object(201, CHANGES, refused=API_REFUSED,
                                              anon=API_ANON), body=_api_member),
    "api:case_member": Row("DELETE", on_object(204, CHANGES, refused=API_REFUSED,
                                               anon=API_ANON)),
    "api:case_transitions": Row("GET", on_object(200, anon=API_ANON)),
    # Consent: read with the case, recorded and withdrawn by the case team. Withdrawing
    # without a reason is refused with a message on the case page: still a redirect.
    "privacy:consent_record": Row("GET", on_object(200, CHANGES)),
    "privacy:consent_withdraw": Row("POST", on_object(302, CHANGES)),
    "api:case_consents": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_consents?create": Row(
        "POST", on_object(201, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=_api_consent),
    "api:case_consent_withdraw": Row(
        "POST", on_object(200, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"reason": "Matrix"}),
    # Counselling sessions: read with the case, recorded and changed by the case team.
    "counselling:new": Row("GET", on_object(200, CHANGES)),
    "counselling:edit": Row("GET", on_object(200, CHANGES)),
    "api:case_counselling": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_counselling?create": Row(
        "POST", on_object(201, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _counselling()),
    "api:case_counselling_session": Row(
        "PATCH", on_object(200, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=_api_counselling_patch),
    # Fitness to travel: outcome read with the case, recorded and changed by the host
    # office's medical officer only.
    "medical:record": Row("GET", on_object(200, MEDICAL)),
    "medical:edit": Row("GET", on_object(200, MEDICAL)),
    "api:case_fitness": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_fitness?create": Row(
        "POST", on_object(201, MEDICAL, refused=API_REFUSED, anon=API_ANON),
        body=_api_fitness),
    "api:case_fitness_assessment": Row(
        "PATCH", on_object(200, MEDICAL, refused=API_REFUSED, anon=API_ANON),
        body=_api_fitness_patch),
    # Alternative pathways: read with the case, proposed and moved on by the case team.
    "pathways:new": Row("GET", on_object(200, CHANGES)),
    "pathways:status": Row("POST", on_object(302, CHANGES), body=_pathway_status_form),
    "api:case_pathways": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_pathways?create": Row(
        "POST", on_object(201, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _pathway()),
    "api:case_pathway_status": Row(
        "POST", on_object(200, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=_api_pathway_status),
    # Travel documents: read by the roles that work with them, recorded by the host
    # office's case team and movement officer. Reading an MRZ saves nothing.
    "documents:new": Row("GET", on_object(200, DOCUMENT_RECORDERS)),
    "documents:new_mrz": Row("POST", on_object(200, DOCUMENT_RECORDERS),
                             body=lambda o, owner: {"mrz": TD3}),
    "documents:edit": Row("GET", on_object(200, DOCUMENT_RECORDERS)),
    "documents:edit_mrz": Row("POST", on_object(200, DOCUMENT_RECORDERS),
                              body=lambda o, owner: {"mrz": TD3}),
    "documents:status": Row("GET", on_object(200, DOCUMENT_RECORDERS)),
    "documents:status?issued": Row("GET", on_object(200, DOCUMENT_RECORDERS),
                                   query=lambda o, owner: {"to": "issued"}),
    "documents:status?follow_up": Row("POST", on_object(302, DOCUMENT_RECORDERS),
                                      body=_travel_document_follow_up),
    "api:case_travel_documents": Row(
        "GET", on_object(200, DOCUMENT_READERS, refused=API_REFUSED, anon=API_ANON)),
    "api:case_travel_documents?create": Row(
        "POST", on_object(201, DOCUMENT_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=_api_travel_document),
    "api:case_travel_document": Row(
        "GET", on_object(200, DOCUMENT_READERS, refused=API_REFUSED, anon=API_ANON)),
    "api:case_travel_document?patch": Row(
        "PATCH", on_object(200, DOCUMENT_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"notes": "Matrix", "version": o.documents[owner].version}),
    "api:case_travel_document_status": Row(
        "POST", on_object(200, DOCUMENT_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=_travel_document_follow_up),
    "api:mrz_parse": Row("POST", lambda who, owner: API_ANON if who == ANON
                         else 200 if who in MRZ_READERS else 403,
                         body=lambda o, owner: {"mrz": TD3}),
    # Vulnerability screening: screened by the case team; the API list is read with the
    # case (its protection detail only by the roles that may).
    "screening:new": Row("GET", on_object(200, CHANGES)),
    "api:case_screenings": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_screenings?create": Row(
        "POST", on_object(201, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=_api_screening),
    # Best-interest determinations for the (separated) child: recorded by the case team;
    # read with the case (the reasons only by the roles that may).
    "screening:bid": Row("GET", on_object(200, CHANGES)),
    "api:case_bids": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_bids?create": Row(
        "POST", on_object(201, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=_api_bid),
    # Voluntary return declaration: read with the case; printed (a PDF) and its signed copy
    # recorded by the case team of the host office; the scan opened by SCANS only.
    "declarations:print": Row("POST", on_object(200, CHANGES)),
    "declarations:record": Row("GET", on_object(200, CHANGES)),
    "declarations:scan": Row("GET", on_object(200, SCANS)),
    "declarations:templates": Row("GET", some(200, TEMPLATE_MANAGERS)),
    "declarations:template_new": Row("GET", some(200, TEMPLATE_MANAGERS)),
    # No template named: refused with a message on the templates page, still a redirect.
    "declarations:template_active": Row("POST", some(302, TEMPLATE_MANAGERS)),
    "api:case_declarations": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_declaration": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_declaration_print": Row(
        "POST", on_object(201, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"language": "fr"}),
    # The signed copy is multipart/form-data and the matrix sends JSON: past the access
    # checks, 415.
    "api:case_declaration_signed": Row(
        "POST", on_object(415, CHANGES, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"signed_on": "2026-03-02", "place": "Matrix", "version": 1}),
    "api:case_declaration_scan": Row(
        "GET", on_object(200, SCANS, refused=API_REFUSED, anon=API_ANON)),
    "api:declaration_templates": Row("GET", some(200, TEMPLATE_READERS, anon=API_ANON)),
    # Return suspensions (organisation-wide; the matrix's one is for Afghanistan, so the
    # cases' transitions are not blocked).
    "suspensions:list": Row("GET", some(200, SUSPENSION_READERS)),
    "suspensions:new": Row("GET", some(200, SUSPENSION_MANAGERS)),
    "suspensions:lift": Row("GET", some(200, SUSPENSION_MANAGERS)),
    "api:suspensions": Row("GET", some(200, SUSPENSION_READERS, anon=API_ANON)),
    "api:suspensions?create": Row(
        "POST", some(201, SUSPENSION_MANAGERS, anon=API_ANON),
        body=lambda o, owner: {"country": "AFG", "subdivision": "AF-KAB",
                               "reason": "Matrix"}),
    "api:suspension_lift": Row(
        "POST", some(200, SUSPENSION_MANAGERS, anon=API_ANON),
        body=lambda o, owner: {"reason": "Matrix", "version": o.suspension.version}),
    # Transit assistance and departure manifests (see TRANSIT and MANIFEST_READERS).
    "transit:list": Row("GET", some(200, TRANSIT_STAFF)),
    "transit:detail": Row("GET", _transit_staff(200)),
    "transit:confirm": Row("POST", _transit_staff(302),
                           body=lambda o, owner: {"version": 1, "note": "Matrix"}),
    "api:transit_requests": Row("GET", some(200, TRANSIT_STAFF, anon=API_ANON)),
    "api:transit_request": Row("GET", _transit_staff(200, anon=API_ANON)),
    "api:transit_confirm": Row("POST", _transit_staff(200, anon=API_ANON),
                               body=lambda o, owner: {"version": 1, "note": "Matrix"}),
    "transit:manifests": Row("GET", some(200, MANIFEST_READERS)),
    "transit:manifests?day": Row("GET", some(200, MANIFEST_READERS), query=_manifest_query),
    "transit:manifest_export": Row("POST", some(200, MANIFEST_READERS),
                                   body=lambda o, owner: {**_manifest_query(o, owner),
                                                          "format": "csv"}),
    "api:manifests": Row("GET", some(200, MANIFEST_READERS, anon=API_ANON),
                         query=_manifest_query),
    "api:manifests?csv": Row("GET", some(200, MANIFEST_READERS, anon=API_ANON),
                             query=lambda o, owner: {**_manifest_query(o, owner),
                                                     "format": "csv"}),
    # Itineraries: the pages for their recorders. Each case has a planned itinerary:
    # booking it is refused (no case is approved; the handed one has departed) and a
    # no-show is refused (it is not booked), with a message on the case page (302) or
    # 400 in the API; the departure details are refused (400) for the same reason.
    "travel:new": Row("GET", on_object(200, TRAVEL_RECORDERS)),
    "travel:edit": Row("GET", on_object(200, TRAVEL_RECORDERS)),
    "travel:book": Row("POST", on_object(302, TRAVEL_RECORDERS),
                       body=lambda o, owner: _itinerary_version(o, owner,
                                                                booking_reference="M1")),
    "travel:cancel": Row("POST", on_object(302, TRAVEL_RECORDERS),
                         body=lambda o, owner: _itinerary_version(o, owner, reason="Matrix")),
    "travel:no_show": Row("POST", on_object(302, TRAVEL_RECORDERS),
                          body=lambda o, owner: _itinerary_version(o, owner, reason="Matrix")),
    "travel:departure": Row("GET", on_object(200, TRAVEL_RECORDERS)),
    "api:case_itineraries": Row(
        "GET", on_object(200, TRAVEL_READERS, refused=API_REFUSED, anon=API_ANON)),
    "api:case_itineraries?create": Row(
        "POST", on_object(201, TRAVEL_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=_api_itinerary),
    "api:case_itinerary": Row(
        "GET", on_object(200, TRAVEL_READERS, refused=API_REFUSED, anon=API_ANON)),
    "api:case_itinerary?patch": Row(
        "PATCH", on_object(200, TRAVEL_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _itinerary_version(o, owner, booking_reference="M2")),
    "api:case_itinerary_book": Row(
        "POST", on_object(400, TRAVEL_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _itinerary_version(o, owner, booking_reference="M1")),
    "api:case_itinerary_cancel": Row(
        "POST", on_object(200, TRAVEL_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _itinerary_version(o, owner, reason="Matrix")),
    "api:case_itinerary_no_show": Row(
        "POST", on_object(400, TRAVEL_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _itinerary_version(o, owner, reason="Matrix")),
    "api:case_itinerary_departure": Row(
        "GET", on_object(200, TRAVEL_READERS, refused=API_REFUSED, anon=API_ANON)),
    "api:case_itinerary_departure?put": Row(
        "PUT", on_object(400, TRAVEL_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"checked_bags": 1, "pre_embarkation_checked": True}),
    # Handover and reception. The matrix's "handed" case is accepted already: accepting it
    # again is refused with a message on the case page (302), or 400 in the API. The API
    # reads a reception only once accepted: 404 for the other cases, whoever asks.
    "reception:incoming": Row("GET", some(200, INCOMING_READERS)),
    "reception:accept": Row("POST", on_object(302, RECEIVERS)),
    "reception:plan": Row("GET", on_object(200, RECEIVERS)),
    "reception:arrival": Row("GET", on_object(200, RECEIVERS)),
    "api:case_reception": Row("GET", lambda who, owner: API_ANON if who == ANON else 200
                              if owner == "handed" and who in SEES[owner] else 404),
    "api:case_reception?accept": Row(
        "POST", on_object(400, RECEIVERS, refused=API_REFUSED, anon=API_ANON)),
    "api:case_reception_plan": Row(
        "PATCH", on_object(200, RECEIVERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"final_destination": "Matrix", "pocket_money": "100",
                               "pocket_money_currency": "USD",
                               "version": o.receptions[owner].version
                               if owner in o.receptions else 1}),
    "api:case_reception_arrival": Row(
        "PATCH", on_object(200, RECEIVERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"arrived_on": timezone.localdate(), "met_on_arrival": True,
                               "version": o.receptions[owner].version
                               if owner in o.receptions else 1}),
    "api:reception_incoming": Row("GET", some(200, INCOMING_READERS, anon=API_ANON)),
    # ---- issue 5: reintegration, grants and payments, partners, programmes ----------
    # The "handed" case has arrived in Baghdad: rita builds its (draft) plan. Starting a
    # second plan is refused with a message on the case page (302), or 400 in the API.
    "reintegration:start": Row("POST", on_object(302, PLAN_BUILDERS)),
    "reintegration:edit": Row("GET", on_object(200, PLAN_BUILDERS)),
    # Approving from the page: refused without a version, with a message (302).
    "reintegration:approve": Row("POST", on_object(302, PLAN_BUILDERS)),
    "reintegration:reopen": Row("GET", on_object(200, PLAN_BUILDERS)),
    "reintegration:item_new": Row("GET", on_object(200, PLAN_BUILDERS)),
    "reintegration:item_edit": Row("GET", on_object(200, PLAN_BUILDERS)),
    "reintegration:item_remove": Row("POST", on_object(302, PLAN_BUILDERS)),
    "reintegration:item_delivery": Row("GET", on_object(200, PLAN_BUILDERS)),
    "reintegration:milestone_new": Row("GET", on_object(200, PLAN_BUILDERS)),
    "reintegration:milestone_edit": Row("GET", on_object(200, PLAN_BUILDERS)),
    "api:case_reintegration_plan": Row("GET", _with_plan(200)),
    "api:case_reintegration_plan?start": Row(
        "POST", on_object(400, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON)),
    "api:case_reintegration_plan?patch": Row(
        "PATCH", on_object(200, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.plans, social_needs="high")),
    "api:case_reintegration_plan_items": Row("GET", _with_plan(200)),
    "api:case_reintegration_plan_items?create": Row(
        "POST", on_object(201, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _item()),
    "api:case_reintegration_plan_item": Row(
        "PATCH", on_object(200, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.items, description="Matrix tools")),
    "api:case_reintegration_plan_item?delete": Row(
        "DELETE", on_object(204, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON)),
    # A delivery is recorded once the plan is approved: the draft's is refused (400).
    "api:case_reintegration_plan_item_delivery": Row(
        "POST", on_object(400, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _versioned(lambda o: o.items, delivery="delivered")(
            o, owner) | {"delivered_on": timezone.localdate()}),
    "api:case_reintegration_plan_milestones": Row("GET", _with_plan(200)),
    "api:case_reintegration_plan_milestones?create": Row(
        "POST", on_object(201, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _milestone()),
    "api:case_reintegration_plan_milestone": Row(
        "PATCH", on_object(200, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _versioned(lambda o: o.milestones)(o, owner)
        | {"reached_on": timezone.localdate()}),
    # The draft is complete (assessed, one item within the ceiling): it can be approved;
    # only an approved plan is reopened (400).
    "api:case_reintegration_plan_approve": Row(
        "POST", on_object(200, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.plans)),
    "api:case_reintegration_plan_reopen": Row(
        "POST", on_object(400, PLAN_BUILDERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.plans, reason="Matrix")),
    # Community projects (one, kept by Baghdad, the handed case linked to it). Linking
    # the case again or unlinking it from the page answers with a message (302).
    "reintegration:projects": Row("GET", some(200, STAFF)),
    "reintegration:project_new": Row("GET", some(200, PROJECT_CREATORS)),
    "reintegration:project": Row("GET", _shared(200, STAFF)),
    "reintegration:project_edit": Row("GET", _shared(200, STAFF, PROJECT_MANAGERS)),
    "reintegration:project_link": Row(
        "POST", _shared(302, STAFF, PROJECT_MANAGERS),
        body=lambda o, owner: {"reference": o.cases["handed"].reference}),
    "reintegration:project_unlink": Row(
        "POST", _shared(302, STAFF, PROJECT_MANAGERS),
        body=lambda o, owner: {"reference": o.cases["handed"].reference}),
    "api:community_projects": Row("GET", some(200, STAFF, anon=API_ANON)),
    "api:community_projects?create": Row(
        "POST", some(201, PROJECT_CREATORS, anon=API_ANON),
        body=lambda o, owner: _project(o)),
    "api:community_project": Row("GET", _shared(200, STAFF, refused=API_REFUSED,
                                                anon=API_ANON)),
    "api:community_project?patch": Row(
        "PATCH", _shared(200, STAFF, PROJECT_MANAGERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"status": "ongoing", "version": o.project.version}),
    # Grants and payments: each case has a reinstallation grant with one payment awaiting
    # approval and one paid with a receipt.
    "finance:award": Row("GET", on_object(200, AWARDERS)),
    "finance:request": Row("GET", on_object(200, DISBURSERS)),
    "finance:approve": Row("GET", on_object(200, APPROVERS)),
    "finance:reject": Row("GET", on_object(200, APPROVERS)),
    "finance:paid": Row("GET", on_object(200, DISBURSERS)),
    "finance:receipt": Row("GET", on_object(200, RECEIPT_READERS),
                           params=lambda o, owner: {"disbursement_id": o.receipts[owner].pk}),
    "api:case_grants": Row("GET", on_object(200, anon=API_ANON)),
    # Changing the amount of the grant awarded: 200 (201 is for a new one).
    "api:case_grants?award": Row(
        "POST", on_object(200, AWARDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"kind": "reinstallation", "amount": "900"}),
    "api:case_disbursements": Row("GET", on_object(200, anon=API_ANON)),
    # Below the threshold: approved at once.
    "api:case_disbursements?request": Row(
        "POST", on_object(201, DISBURSERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"grant": o.grants[owner].pk, "amount": "20",
                               "method": "cash", "client_key": f"matrix-{owner}"}),
    "api:case_disbursement_approve": Row(
        "POST", on_object(200, DECIDERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.disbursements, note="Matrix")),
    "api:case_disbursement_reject": Row(
        "POST", on_object(200, DECIDERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.disbursements, note="Matrix")),
    # Only an approved payment is recorded paid: the one awaiting approval is refused.
    "api:case_disbursement_paid": Row(
        "POST", on_object(400, DISBURSERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: _versioned(lambda o: o.disbursements)(o, owner)
        | {"paid_on": timezone.localdate()}),
    "api:case_disbursement_receipt": Row(
        "GET", on_object(200, RECEIPT_READERS, refused=API_REFUSED, anon=API_ANON),
        params=lambda o, owner: {"disbursement_id": o.receipts[owner].pk}),
    "finance:rates": Row("GET", some(200, RATE_READERS)),
    # No file: the upload form again (422), for finance only.
    "finance:rates?import": Row("POST", some(422, FINANCE_MANAGERS)),
    "api:exchange_rates": Row("GET", some(200, RATE_READERS, anon=API_ANON)),
    # The upload is multipart/form-data and the matrix sends JSON: past the checks, 415.
    "api:exchange_rates?import": Row("POST", some(415, FINANCE_MANAGERS, anon=API_ANON)),
    # Programmes and their finance.
    "programmes:list": Row("GET", some(200, STAFF)),
    "programmes:detail": Row("GET", some(200, STAFF)),
    "programmes:package": Row("GET", some(200, FINANCE_MANAGERS)),
    "programme_finance:overview": Row("GET", some(200, FINANCE_READERS)),
    "programme_finance:overview_export": Row("POST", some(200, FINANCE_READERS),
                                             body=lambda o, owner: {"format": "csv"}),
    "programme_finance:programme": Row("GET", some(200, FINANCE_READERS)),
    "programme_finance:programme_export": Row("POST", some(200, FINANCE_READERS),
                                              body=lambda o, owner: {"format": "csv"}),
    "api:programmes": Row("GET", some(200, STAFF, anon=API_ANON)),
    "api:programme": Row("GET", some(200, STAFF, anon=API_ANON)),
    "api:programme_package": Row("GET", some(200, STAFF, anon=API_ANON)),
    "api:programme_package?put": Row("PUT", some(200, FINANCE_MANAGERS, anon=API_ANON),
                                     body=lambda o, owner: _package(o)),
    "api:programme_finance": Row("GET", some(200, FINANCE_READERS, anon=API_ANON)),
    # The partner directory.
    "partners:list": Row("GET", some(200, STAFF)),
    "partners:new": Row("GET", some(200, PARTNER_CREATORS)),
    "partners:detail": Row("GET", _shared(200, STAFF)),
    "partners:edit": Row("GET", _shared(200, STAFF, PARTNER_MANAGERS)),
    "partners:agreement_new": Row("GET", _shared(200, STAFF, PARTNER_MANAGERS)),
    "partners:user_new": Row("GET", _shared(200, STAFF, PARTNER_MANAGERS)),
    "api:partners": Row("GET", some(200, STAFF, anon=API_ANON)),
    "api:partners?create": Row("POST", some(201, BERLIN_PARTNER_CREATORS, anon=API_ANON),
                               body=lambda o, owner: _partner()),
    "api:partner": Row("GET", _shared(200, STAFF, refused=API_REFUSED, anon=API_ANON)),
    "api:partner?patch": Row(
        "PATCH", _shared(200, STAFF, PARTNER_MANAGERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.partners, phone="+9647701234567")),
    "api:partner_agreements": Row("GET", _shared(200, STAFF, refused=API_REFUSED,
                                                 anon=API_ANON)),
    "api:partner_agreements?create": Row(
        "POST", _shared(201, STAFF, PARTNER_MANAGERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"reference": "Matrix", "signed_on": "2026-01-01",
                               "valid_until": "2099-12-31"}),
    # Referrals, on the case page. Sending (the principal to the owner's partner, for
    # another service) and withdrawing answer on the case page (302).
    "partners:refer": Row("POST", on_object(302, REFERRERS), body=_referral),
    "partners:withdraw": Row("POST", on_object(302, REFERRERS),
                             body=_versioned(lambda o: o.referrals, reason="Matrix")),
    "api:case_referrals": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_referrals?create": Row(
        "POST", on_object(201, REFERRERS, refused=API_REFUSED, anon=API_ANON),
        body=_referral),
    "api:case_referral_withdraw": Row(
        "POST", on_object(200, REFERRERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.referrals, reason="Matrix")),
    # The partner users' pages. The referral was just sent: accepting or declining it
    # works; recording the service or closing it is refused (the form again, 422; 400
    # in the API).
    "partners:partner_home": Row("GET", some(200, PARTNER_USERS)),
    "partners:partner_referral": Row("GET", _referred(200)),
    "partners:partner_accept": Row("POST", _referred(302),
                                   body=_versioned(lambda o: o.referrals)),
    "partners:partner_decline": Row(
        "POST", _referred(302), body=lambda o, owner: {
            "decline-reason": "Matrix", "decline-version": _referral_version(o, owner)}),
    "partners:partner_service": Row("POST", _referred(422), body=_service_given),
    "partners:partner_close": Row("POST", _referred(422),
                                  body=_versioned(lambda o: o.referrals, feedback="Matrix")),
    "api:partner_referrals": Row("GET", some(200, PARTNER_USERS, anon=API_ANON)),
    "api:partner_referral": Row("GET", _referred(200, anon=API_ANON)),
    "api:partner_referral_accept": Row("POST", _referred(200, anon=API_ANON),
                                       body=_versioned(lambda o: o.referrals)),
    "api:partner_referral_decline": Row("POST", _referred(200, anon=API_ANON),
                                        body=_versioned(lambda o: o.referrals,
                                                        reason="Matrix")),
    "api:partner_referral_service": Row("POST", _referred(400, anon=API_ANON),
                                        body=_service_given),
    "api:partner_referral_close": Row("POST", _referred(400, anon=API_ANON),
                                      body=_versioned(lambda o: o.referrals,
                                                      feedback="Matrix")),
    # ---- issue 6: monitoring and evaluation -------------------------------------------
    "surveys:instruments": Row("GET", some(200, INSTRUMENT_READERS)),
    "surveys:instrument_version": Row("GET", some(200, INSTRUMENT_READERS),
                                      params=_instrument),
    "surveys:instrument_xlsform": Row("GET", some(200, INSTRUMENT_READERS),
                                      params=_instrument),
    "surveys:instrument_spreadsheet": Row("GET", some(200, INSTRUMENT_READERS),
                                          params=_instrument),
    "surveys:instrument_load": Row("GET", some(200, INSTRUMENT_MANAGERS),
                                   params=_instrument),
    # Sent without a file: the form again, with the message (422).
    "surveys:instrument_load?post": Row("POST", some(422, INSTRUMENT_MANAGERS),
                                        params=_instrument),
    "surveys:instrument_import": Row("GET", some(200, SURVEY_IMPORTERS), params=_instrument),
    "surveys:instrument_import?post": Row("POST", some(422, SURVEY_IMPORTERS),
                                          params=_instrument),
    "surveys:case_survey_new": Row("GET", on_object(200, SURVEY_RECORDERS),
                                   params=lambda o, owner: {"code": "sustainability"}),
    "surveys:case_response": Row("GET", _with_survey(200)),
    "api:case_survey_responses": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_survey_responses?create": Row(
        "POST", on_object(201, SURVEY_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=_api_survey),
    "api:survey_response": Row("GET", _with_survey(200, anon=API_ANON)),
    "api:survey_instruments": Row("GET", some(200, INSTRUMENT_READERS, anon=API_ANON)),
    "monitoring:contacts": Row("GET", some(200, MONITORING_LISTERS)),
    "monitoring:schedule": Row("GET", some(200, SCHEDULE_MANAGERS)),
    "monitoring:visit_new": Row("GET", on_object(200, SURVEY_RECORDERS)),
    "monitoring:visit_edit": Row("GET", on_object(200, SURVEY_RECORDERS)),
    "monitoring:dashboard": Row("GET", some(200, ME_VIEWERS)),
    "regions:list": Row("GET", some(200, REGION_READERS)),
    "regions:new": Row("GET", some(200, REGION_MANAGERS)),
    "regions:edit": Row("GET", some(200, REGION_MANAGERS), params=_region),
    "regions:delete": Row("GET", some(200, REGION_MANAGERS), params=_region),
    "regions:delete?post": Row("POST", some(302, REGION_MANAGERS), params=_region,
                               body=lambda o, owner: {"version": o.region.version}),
    "api:regions": Row("GET", some(200, REGION_READERS, anon=API_ANON)),
    "api:region": Row("GET", some(200, REGION_READERS, anon=API_ANON), params=_region),
    "api:region?put": Row("PUT", some(200, REGION_MANAGERS, anon=API_ANON), params=_region,
                          body=lambda o, owner: {"name": "Matrix", "countries": ["AFG"],
                                                 "version": o.region.version}),
    "reports:dashboard": Row("GET", some(200, STATS_READERS)),
    "reports:download": Row("GET", some(200, STATS_READERS)),
    "reports:report_list": Row("GET", some(200, STATS_READERS)),
    "reports:bulletin_new": Row("POST", some(302, REPORT_BUILDERS),
                                body=lambda o, owner: {"quarter": "2026-Q1"}),
    "reports:programme_report_new": Row("GET", some(200, REPORT_BUILDERS)),
    "reports:programme_report_new?post": Row("POST", some(302, REPORT_BUILDERS),
                                             body=_programme_report_form),
    "reports:report": Row("GET", some(200, STATS_READERS)),
    "reports:report?exact": Row("GET", _exact_report(200), params=_exact),
    "reports:progress": Row("GET", some(200, STATS_READERS)),
    "reports:rebuild": Row("POST", some(302, REPORT_BUILDERS)),
    "reports:document": Row("GET", some(200, STATS_READERS)),
    "reports:pdf": Row("GET", some(200, STATS_READERS)),
    "reports:pdf?exact": Row("GET", _exact_report(200), params=_exact),
    "reports:xlsx": Row("GET", _exact_report(200), params=_exact),
    "reports:extract": Row("GET", some(200, EXTRACTORS)),
    "reports:extract?post": Row(
        "POST", some(200, EXTRACTORS),
        body=lambda o, owner: {"start": (timezone.localdate()
                                         - datetime.timedelta(days=30)).isoformat(),
                               "end": timezone.localdate().isoformat(), "format": "csv"}),
    "api:case_monitoring_visits": Row("GET", on_object(200, anon=API_ANON)),
    "api:case_monitoring_visits?create": Row(
        "POST", on_object(201, SURVEY_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=lambda o, owner: {"contact_on": timezone.localdate().isoformat(),
                               "mode": "phone_call", "outcome": "not_reached"}),
    "api:case_monitoring_visit": Row(
        "PATCH", on_object(200, SURVEY_RECORDERS, refused=API_REFUSED, anon=API_ANON),
        body=_versioned(lambda o: o.visits, mode="home_visit")),
    "api:programme_monitoring_schedule": Row("GET", some(200, STAFF, anon=API_ANON)),
    "api:programme_monitoring_schedule?put": Row(
        "PUT", some(200, SCHEDULE_MANAGERS, anon=API_ANON),
        body=lambda o, owner: {"version": o.schedule.version, "steps": [
            {"months_after_arrival": 3, "window_days": 14}]}),
    # Feedback and complaints: the public pages need no sign-in.
    "feedback:public": Row("GET", everyone(200)),
    "feedback:public?send": Row("POST", everyone(200), body=lambda o, owner: {
        "office": o.world.berlin.pk, "kind": "complaint", "category": "delays",
        "description": "Matrix"}),
    "feedback:public_status": Row("GET", everyone(200)),
    "feedback:public_status?look": Row("POST", everyone(200), body=lambda o, owner: {
        "reference": o.feedback["berlin"].reference}),
    "feedback:inbox": Row("GET", some(200, FEEDBACK_INBOX)),
    "feedback:new": Row("GET", some(200, STAFF)),
    "feedback:new?send": Row("POST", _feedback_new(api=False), body=_feedback_body),
    "feedback:detail": Row("GET", _feedback_readers(200), params=_feedback_ref),
    "feedback:categorise": Row("POST", _feedback_readers(302), params=_feedback_ref,
                               body=_feedback_categorise),
    "feedback:assign": Row("POST", _feedback_readers(302), params=_feedback_ref,
                           body=_feedback_assign(api=False)),
    "feedback:answer": Row("POST", _feedback_readers(302), params=_feedback_ref,
                           body=_versioned(lambda o: o.feedback, response="Matrix")),
    "feedback:close": Row("POST", _feedback_readers(302), params=_feedback_ref,
                          body=_feedback_version),
    # Only closed feedback is reopened: the form again with the message (422).
    "feedback:reopen": Row("POST", _feedback_readers(422), params=_feedback_ref,
                           body=_feedback_version),
    "api:feedback_list": Row("GET", some(200, FEEDBACK_INBOX, anon=API_ANON)),
    "api:feedback_list?create": Row("POST", _feedback_new(api=True), body=lambda o, owner: {
        "office": "deu-ber", "channel": "phone", "kind": "complaint", "category": "delays",
        "description": "Matrix"}),
    "api:feedback": Row("GET", _feedback_readers(200, anon=API_ANON), params=_feedback_ref),
    "api:feedback_categorise": Row("POST", _feedback_readers(200, anon=API_ANON),
                                   params=_feedback_ref, body=_feedback_categorise),
    "api:feedback_assign": Row("POST", _feedback_readers(200, anon=API_ANON),
                               params=_feedback_ref, body=_feedback_assign(api=True)),
    "api:feedback_answer": Row("POST", _feedback_readers(200, anon=API_ANON),
                               params=_feedback_ref,
                               body=_versioned(lambda o: o.feedback, response="Matrix")),
    "api:feedback_close": Row("POST", _feedback_readers(200, anon=API_ANON),
                              params=_feedback_ref, body=_feedback_version),
    "api:feedback_reopen": Row("POST", _feedback_readers(400, anon=API_ANON),
                               params=_feedback_ref, body=_feedback_version),
}


# ---- the URLs, from the resolver -------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str | None  # "namespace:name"
    route: str
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.name is not None and self.name.startswith("api:")


def _params(pattern: URLPattern | URLResolver) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:  # path()
        return list(converters)
    return list(pattern.pattern.regex.groupindex)  # re_path()


def walk(resolver: URLResolver | None = None, route: str = "", namespace: str = "",
         params: tuple[str, ...] = ()) -> Iterator[Pattern]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        here = route + str(pattern.pattern)
        names = (*params, *_params(pattern))
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from walk(pattern, here, inner, names)
        else:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Pattern(name if pattern.name else None, here, names)


PATTERNS = list(walk())


def _cases() -> Iterator[Any]:
    by_name = {p.name: p for p in PATTERNS}
    keys = [p.name or p.route for p in PATTERNS]
    keys += [k for k in EXPECT if "?" in k and k.split("?")[0] in by_name]
    for key in keys:
        base = key.split("?")[0]
        pattern = by_name.get(base)
        row = EXPECT.get(key)
        per_owner = (bool(pattern and set(pattern.params) - OWNERLESS_PARAMS)
                     or bool(row and row.per_owner))
        for owner in (OWNERS if per_owner else (None,)):
            for who in EVERYONE:
                yield pytest.param(key, owner, who,
                                   id="-".join(filter(None, [key, owner, who])))


# ---- the world ---------------------------------------------------------------------


@dataclass
class Objects:
    world: World
    cases: dict[str, Case] = field(default_factory=dict)
    principals: dict[str, Person] = field(default_factory=dict)
    children: dict[str, CaseMember] = field(default_factory=dict)
    loners: dict[str, Person] = field(default_factory=dict)  # registered, in no case
    consents: dict[str, Consent] = field(default_factory=dict)
    counselling: dict[str, CounsellingSession] = field(default_factory=dict)
    fitness: dict[str, FitnessAssessment] = field(default_factory=dict)
    pathways: dict[str, Pathway] = field(default_factory=dict)
    documents: dict[str, TravelDocument] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)  # the caseworker's
    declarations: dict[str, Declaration] = field(default_factory=dict)
    suspension: ReturnSuspension | None = None
    receptions: dict[str, Reception] = field(default_factory=dict)  # "handed" only
    itineraries: dict[str, Itinerary] = field(default_factory=dict)  # planned ones
    plans: dict[str, ReintegrationPlan] = field(default_factory=dict)  # "handed" only
    items: dict[str, AssistanceItem] = field(default_factory=dict)  # "handed" only
    milestones: dict[str, Milestone] = field(default_factory=dict)  # "handed" only
    grants: dict[str, Grant] = field(default_factory=dict)  # reinstallation grants
    disbursements: dict[str, Disbursement] = field(default_factory=dict)  # awaiting
    receipts: dict[str, Disbursement] = field(default_factory=dict)  # paid, with one
    partners: dict[str, Partner] = field(default_factory=dict)  # where each was referred
    referrals: dict[str, Referral] = field(default_factory=dict)  # the principal's
    project: CommunityProject | None = None  # Baghdad's
    survey_responses: dict[str, SurveyResponse] = field(default_factory=dict)  # "handed"
    visits: dict[str, MonitoringVisit] = field(default_factory=dict)  # "handed" only
    schedule: Schedule | None = None  # the world programme's monitoring schedule
    feedback: dict[str, Feedback] = field(default_factory=dict)  # one item per owner
    region: Region | None = None
    reports: dict[str, Report] = field(default_factory=dict)  # "bulletin", "exact"
    sessions: dict[str, str] = field(default_factory=dict)  # persona -> session key

    def host(self, owner: str) -> str:
        return "vienna" if owner == "vienna" else "berlin"

    def other_host(self, owner: str) -> str:
        return "berlin" if owner == "vienna" else "vienna"

    def office(self, owner: str) -> Office:
        return self.world.offices[self.host(owner)]


FAMILIES = {  # distinctive family names: the leak check looks for them in every page
    "berlin": ("Al-Rashid", "الرشيد"),
    "vienna": ("Haddad", "حداد"),
    "handed": ("Qasimi", "القاسمي"),
}
CASEWORKER = {"berlin": "carla", "vienna": "otto", "handed": "carla"}


def build() -> Objects:
    world = build_world()
    o = Objects(world)
    set_package(actor=world.pia, programme=world.programme, version=world.programme.version,
                fields={"currency": PACKAGE["currency"],
                        "approval_threshold": Decimal(PACKAGE["approval_threshold"])},
                components=[{**c, "amount": Decimal(c["amount"])}
                            for c in PACKAGE["components"]])
    for owner, (family, family_original) in FAMILIES.items():
        actor = world.users[CASEWORKER[owner]]
        case = open_case(world, actor=actor, office=o.office(owner),
                         person=person_data(family_name=family,
                                            family_name_original=family_original))
        o.children[owner] = case_services.register_and_add_member(
            actor=actor, case=case,
            person=_child(family_name=family, family_name_original=family_original),
            member={"relationship": "child", "category": MigrantCategory.ASYLUM_REJECTED,
                    "vulnerabilities": ["separated_child"]})
        o.cases[owner] = case
        o.principals[owner] = case.principal.person
        o.consents[owner] = record_consent(
            actor=actor, case=case, person=o.principals[owner], purpose="processing",
            given_on=datetime.date(2026, 3, 2), form_version="Matrix-1")
        o.counselling[owner] = record_session(actor=actor, case=case, data=_counselling())
        if owner != "vienna":  # Vienna has no medical officer
            o.fitness[owner] = record_assessment(
                actor=world.mona, case=case, person=o.principals[owner],
                data={**_fitness(), "assessed_on": datetime.date(2026, 3, 2)})
        o.pathways[owner] = propose_pathway(
            actor=actor, case=case,
            data={**_pathway(), "referred_on": datetime.date(2026, 3, 2)})
        document = record_document(actor=actor, case=case, person=o.principals[owner],
                                   data=_travel_document())
        o.documents[owner] = change_document_status(
            actor=actor, document=document, to="requested", version=document.version,
            data={"requested_on": datetime.date(2026, 3, 2)})
        o.tasks[owner] = open_task(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP,
                                   due_on=datetime.date(2026, 3, 2), assignee=actor)
        o.declarations[owner] = sign_declaration(world, case, actor)
    for office, actor in (("berlin", world.carla), ("vienna", world.otto)):
        o.loners[office] = register_person(
            actor=actor, office=world.offices[office],
            data=person_data(given_name="Lina", family_name=f"Loner {office}",
                             given_name_original="", family_name_original=""))
    o.loners["handed"] = o.loners["berlin"]
    # Along the main road to departure: booking hands the case over to Baghdad and sends
    # Istanbul a transit request.
    case = o.cases["handed"]
    prepare_application(world, case)
    prepare_travel(world, case)
    personas.walk(world, case, *[
        (step, world.users[actor])
        for step, actor in [("counselling", "carla"), ("applied", "carla"), ("approved", "sam"),
                            ("preparing_departure", "carla"), ("ready_to_travel", "max"),
                            ("departed", "max")]])
    assert case.handed_over_at is not None
    # Baghdad accepts the handover: the reception can be planned and the arrival recorded.
    o.receptions["handed"] = accept_handover(actor=world.users["rita"], case=case)
    # A planned itinerary on each case (the handed case's booked one has departed).
    for owner in OWNERS:
        o.itineraries[owner] = personas.plan_itinerary(
            world, o.cases[owner], actor=world.users["vera" if owner == "vienna" else "max"])
    o.suspension = set_suspension(actor=world.users["pia"], data={
        "country": "AFG", "reason": "Matrix suspension"})
    _build_reintegration(o)
    _build_monitoring(o)
    _build_statistics(o)
    return o


def _build_statistics(o: Objects) -> None:
    """Issue 7's objects: an organisation region, a bulletin (published figures) and an
    exact programme report, both built at once (tests build reports in the request)."""
    users = o.world.users
    o.region = create_region(actor=users["pia"], data={
        "code": "matrix", "name": "Matrix region", "countries": ["IRQ", "SYR"]})
    o.reports = {
        "bulletin": request_report(actor=users["emil"], kind="bulletin",
                                   parameters={"start": "2026-01-01", "end": "2026-03-31"}),
        "exact": request_report(actor=users["pia"], kind="programme", public=False,
                                parameters={"programme": o.world.programme.pk,
                                            "start": "2026-01-01", "end": "2026-12-31"}),
    }


def _build_monitoring(o: Objects) -> None:
    """Issue 6's objects: the survey instruments; the handed case's consent to monitoring
    surveys, a survey response and a visit (by emil); the programme's monitoring
    schedule; one feedback item per owner (see FEEDBACK_READERS)."""
    world, case = o.world, o.cases["handed"]
    users = world.users
    versions = {v.instrument.code: v for v in install_shipped()}
    record_consent(actor=users["carla"], case=case, person=o.principals["handed"],
                   purpose=ConsentPurpose.MONITORING, given_on=timezone.localdate(),
                   form_version="Matrix-1")
    o.survey_responses["handed"] = record_response(
        actor=users["emil"], case=case, version=versions["sustainability"],
        answers=answers_for(versions["sustainability"], "best"),
        collected_on=timezone.localdate(), submission_id="matrix-survey-handed")
    o.schedule = set_schedule(actor=users["emil"], programme=world.programme, version=None,
                              steps=[{"months_after_arrival": 3, "window_days": 14},
                                     {"months_after_arrival": 12, "mode": "visit"}])
    o.visits["handed"] = record_visit(actor=users["emil"], case=case, data={
        "step": None, "contact_on": timezone.localdate(), "mode": "phone_call",
        "outcome": "not_reached", "notes": "Matrix monitoring notes"})
    o.feedback = {
        "berlin": record_feedback(
            actor=users["carla"], office=world.berlin, channel=FeedbackChannel.IN_PERSON,
            kind=FeedbackKind.COMPLAINT, category=FeedbackCategory.DELAYS,
            description="Matrix delays", case=o.cases["berlin"]),
        "handed": record_feedback(
            actor=users["carla"], office=world.berlin, channel=FeedbackChannel.PHONE,
            kind=FeedbackKind.COMPLAINT, category=FeedbackCategory.SEA,
            description="Matrix sensitive", case=case, concerns=[users["max"]]),
        "vienna": record_feedback(
            actor=users["otto"], office=world.vienna, channel=FeedbackChannel.HOTLINE,
            kind=FeedbackKind.COMPLAINT, category=FeedbackCategory.TRAVEL,
            description="Matrix Vienna"),
    }


def _build_reintegration(o: Objects) -> None:
    """Issue 5's objects, through the real services: the handed case arrives and gets a
    draft plan; every case a reinstallation grant with a payment awaiting approval and
    one paid with a receipt, and a referral of its principal; Baghdad a community
    project."""
    world, case = o.world, o.cases["handed"]
    rita = world.users["rita"]
    # Baghdad records the arrival and confirms it: the plan can be built.
    o.receptions["handed"] = personas.receive(world, case)
    personas.walk(world, case, ("arrived", rita))
    case.refresh_from_db()
    plan = start_plan(actor=rita, case=case)
    plan = update_plan(actor=rita, plan=plan, version=plan.version, data={
        "assessed_on": timezone.localdate(), "economic_needs": "medium",
        "social_needs": "medium", "psychosocial_needs": "medium",
        "returnee_view": "Matrix returnee's view"})
    o.items["handed"] = add_item(actor=rita, plan=plan, data=_item())
    o.milestones["handed"] = add_milestone(actor=rita, plan=plan, data=_milestone())
    o.plans["handed"] = plan
    # The grants: paid by the host office before departure (Berlin's movement officer,
    # Vienna's supervisor), by the origin office after arrival (rita).
    payers = {"berlin": world.users["max"], "vienna": world.users["vera"], "handed": rita}
    for owner, payer in payers.items():
        grant = award_grant(actor=payer, case=o.cases[owner], kind="reinstallation")
        o.grants[owner] = grant
        o.disbursements[owner] = request_disbursement(
            actor=payer, grant=grant, amount=Decimal("200"), method="cash",
            client_key=f"matrix-awaiting-{owner}")
        o.receipts[owner] = request_disbursement(
            actor=payer, grant=grant, amount=Decimal("50"), method="cash",
            client_key=f"matrix-paid-{owner}", paid_on=timezone.localdate(),
            payee="Matrix payee", receipt=ContentFile(personas.SCAN_PDF, name="r.pdf"))
    import_rates(actor=world.users["pia"],
                 csv_text="month,base,currency,rate\n2026-03,EUR,IQD,1420.5\n")
    # Referrals: Berlin's case (by its supervisor) and Vienna's (by theirs) to partners
    # their offices keep; the handed case (by rita) to world.partner, paul's organisation.
    o.partners = {
        "berlin": personas.add_partner(world.users["pia"], world.berlin,
                                       name="Mosul Training Centre"),
        "vienna": personas.add_partner(world.users["pia"], world.vienna,
                                       name="Basra Jobs Network"),
        "handed": world.partner}
    vienna = o.cases["vienna"]
    record_consent(actor=world.users["otto"], case=vienna, person=o.principals["vienna"],
                   purpose=ConsentPurpose.PARTNER, partner_name=o.partners["vienna"].name,
                   given_on=timezone.localdate(), form_version="Matrix-1")
    referrers = {"berlin": world.users["sam"], "vienna": world.users["vera"], "handed": rita}
    for owner, actor in referrers.items():
        o.referrals[owner] = personas.refer(world, o.cases[owner],
                                            partner=o.partners[owner], actor=actor)
    # A community project in Iraq, kept by Baghdad, with the handed case taking part.
    o.project = create_project(actor=rita, data={
        "programme": world.programme, "name": "Matrix community garden", "country": "IRQ",
        "place": "Baghdad", "budget": Decimal("10000"), "partner": world.partner})
    link_case(actor=rita, project=o.project, case=case)
    for found in [*o.plans.values(), *o.items.values(), *o.milestones.values(),
                  *o.grants.values(), *o.disbursements.values(), *o.receipts.values(),
                  *o.referrals.values(), o.project, o.receptions["handed"]]:
        found.refresh_from_db()


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker) -> Iterator[Objects]:
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast):
        with transaction.atomic():
            o = build()
            # One session per persona, signed in once: a test that ends one (logout)
            # does so inside its own savepoint, which is rolled back.
            for who in PERSONAS:
                client = Client()
                client.force_login(o.world.users[who])
                o.sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield o
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_throttle_history() -> None:
    # The token endpoint throttles anonymous requests; its counts live in the cache.
    cache.clear()


# ---- requests ------------------------------------------------------------------------


PARAM_VALUES: dict[str, Callable[[Objects, str], Any]] = {
    "reference": lambda o, owner: o.cases[owner].reference,
    "member_id": lambda o, owner: o.children[owner].pk,
    # The child: a person reached through the case, and removable from it.
    "person_id": lambda o, owner: o.children[owner].person_id,
    "name": lambda o, owner: "counselling",
    "consent_id": lambda o, owner: o.consents[owner].pk,
    "session_id": lambda o, owner: o.counselling[owner].pk,
    # Vienna's case has no assessment: an id that names none (the role check comes first).
    "assessment_id": lambda o, owner: o.fitness[owner].pk if owner in o.fitness else 0,
    "pathway_id": lambda o, owner: o.pathways[owner].pk,
    "document_id": lambda o, owner: o.documents[owner].pk,
    "task_id": lambda o, owner: o.tasks[owner].pk,
    "declaration_id": lambda o, owner: o.declarations[owner].pk,
    "itinerary_id": lambda o, owner: o.itineraries[owner].pk,
    "suspension_id": lambda o, owner: o.suspension.pk,
    "transit_id": _transit_id,
    # Only the "handed" case has a plan: an id that names none for the others.
    "item_id": lambda o, owner: o.items[owner].pk if owner in o.items else 0,
    "milestone_id": lambda o, owner: o.milestones[owner].pk if owner in o.milestones else 0,
    "project_id": lambda o, owner: o.project.pk,
    "partner_id": lambda o, owner: o.partners[owner].pk,
    "referral_id": lambda o, owner: o.referrals[owner].pk,
    "code": lambda o, owner: o.world.programme.code,
    "kind": lambda o, owner: "reinstallation",
    "grant_id": lambda o, owner: o.grants[owner].pk,
    # The payment awaiting approval (a row's `params` names the paid one, with a receipt).
    "disbursement_id": lambda o, owner: o.disbursements[owner].pk,
    # A survey instrument's version (rows pass the instrument's code as `code`).
    "number": lambda o, owner: 1,
    # Only the "handed" case has a survey response and a monitoring visit.
    "response_id": lambda o, owner: (o.survey_responses[owner].pk
                                     if owner in o.survey_responses else 0),
    "visit_id": lambda o, owner: o.visits[owner].pk if owner in o.visits else 0,
    "slug": lambda o, owner: "returns-by-origin-country",
    "fmt": lambda o, owner: "csv",
    # The bulletin (published figures); rows pass the exact report with `params`.
    "report_id": lambda o, owner: o.reports["bulletin"].pk,
}


def url_for(o: Objects, pattern: Pattern, owner: str | None,
            query: dict[str, Any] | None = None, **fixed: Any) -> str:
    kwargs = {}
    for param in pattern.params:
        if param in fixed:
            kwargs[param] = fixed[param]
        elif param in PARAM_VALUES and owner is not None:
            kwargs[param] = PARAM_VALUES[param](o, owner)
        elif param in OWNERLESS_PARAMS:
            kwargs[param] = PARAM_VALUES[param](o, "berlin")
        else:
            pytest.fail(f"{pattern.name}: no value for the URL parameter {param!r}; "
                        "add one to PARAM_VALUES")
    url = reverse(pattern.name, kwargs=kwargs)
    return f"{url}?{urlencode(query)}" if query else url


def client_for(o: Objects, who: str) -> Client:
    client = Client()
    if who != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = o.sessions[who]
    return client


def send(client: Client, method: str, url: str, data: dict[str, Any] | None, *,
         api: bool) -> Any:
    if api:
        body = json.dumps(data or {}, default=str) if method != "GET" else None
        return client.generic(method, url, body or "", content_type="application/json")
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, urlencode(data or {}, doseq=True),
                          content_type="application/x-www-form-urlencoded")


def outcome(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:login")):
        return LOGIN
    return response.status_code


def _on_partner_pages(where: str) -> bool:
    path = where.split(" ", 1)[1]
    return path.startswith((reverse("partners:partner_home"),
                            reverse("api:partner_referrals")))


def assert_no_leak(o: Objects, who: str, response: Any, where: str) -> None:
    """A page someone may read names no case, and no family, they may not see."""
    if response.streaming or response["Content-Type"].startswith(
            ("application/pdf", "application/vnd.openxmlformats")):
        return  # a file (a declaration to print, a signed scan, a form), not a page
    body = response.content.decode()
    for owner, (family, family_original) in FAMILIES.items():
        if who in SEES[owner]:
            continue
        # The transit office reads the movement of the case its request came from (names
        # and the reference) on its transit pages, and nothing of any other case.
        if who in TRANSIT[owner] and "/transit/" in where:
            continue
        secrets = (o.cases[owner].reference, family, family_original)
        # A partner user reads the name of the person referred to their organisation (the
        # first of the referral's minimum fields) on the partner pages, and never the
        # case's reference.
        if who in REFERRED_TO[owner] and _on_partner_pages(where):
            secrets = (o.cases[owner].reference,)
        for secret in secrets:
            assert secret not in body, f"{where} shows {who} {secret!r} of {owner}'s case"


# ---- the matrix ----------------------------------------------------------------------


def test_it_has_an_expectation_for_every_url():
    unnamed = [p.route for p in PATTERNS if p.name is None]
    assert not unnamed, f"give these URLs a name: {unnamed}"
    names = [p.name for p in PATTERNS]
    assert len(names) == len(set(names)), "two URLs share a name"
    missing = sorted(set(names) - set(EXPECT))
    assert not missing, f"add these URLs to EXPECT in {__name__}: {missing}"
    stale = sorted({k.split("?")[0] for k in EXPECT} - set(names))
    assert not stale, f"EXPECT has rows for URLs that no longer exist: {stale}"
    unknown = sorted({p for pattern in PATTERNS for p in pattern.params} - set(PARAM_VALUES))
    assert not unknown, f"add these URL parameters to PARAM_VALUES: {unknown}"


@pytest.mark.parametrize(("key", "owner", "who"), list(_cases()))
def test_it_answers_each_persona_as_expected(objects: Objects, key: str, owner: str | None,
                                            who: str):
    name = key.split("?")[0]
    row = EXPECT.get(key)
    if row is None:
        pytest.fail(f"{key}: no expectation; add a row to EXPECT")
    pattern = next(p for p in PATTERNS if p.name == name)
    query = row.query(objects, owner) if row.query else None
    fixed = row.params(objects, owner) if row.params else {}
    url = url_for(objects, pattern, owner, query, **fixed)
    body = row.body(objects, owner) if row.body else None

    response = send(client_for(objects, who), row.method, url, body, api=pattern.is_api)

    expected = row.expect(who, owner)
    assert outcome(response) == expected, (
        f"{row.method} {url} as {who}: expected {expected}, got {response.status_code}")
    if response.status_code == 200:
        assert_no_leak(objects, who, response, f"{row.method} {url}")


def test_it_lists_in_search_the_open_cases_each_persona_may_see(objects: Objects):
    for who in PERSONAS:
        response = client_for(objects, who).get(reverse("cases:search"), {"status": "open"})
        body = response.content.decode()
        shown = {owner for owner in OWNERS if objects.cases[owner].reference in body}
        assert shown == {owner for owner in OWNERS if who in SEES[owner]}, who


# ---- nobody changes a case they cannot see --------------------------------------------


OUTSIDERS = sorted(set(EVERYONE) - SEES["berlin"])


def write_bodies(o: Objects) -> dict[str, dict[str, Any]]:
    """For each URL, a body that would change Berlin's case (or its people) if the
    sender were allowed to: the attack gets every chance to work."""
    world, case, child = o.world, o.cases["berlin"], o.children["berlin"].person
    grant, payment, referral = o.grants["berlin"], o.disbursements["berlin"], \
        o.referrals["berlin"]
    person_form = {f"person-{k}": v for k, v in _child(family_name="Intruder").items()}
    person_form["person-languages"] = "arb"
    return {
        "cases:new": {"office": world.berlin.pk, **person_form,
                      "member-category": MigrantCategory.ASYLUM_REJECTED,
                      "case-destination_country": "IRQ", "confirmed_new": "1"},
        "cases:edit": {"destination_country": "IRQ", "destination_area": "Changed",
                       "programme": world.programme.pk, "origin_office": world.baghdad.pk,
                       "version": case.version},
        "cases:assign": {"assignee": world.otto.pk, "version": case.version},
        "cases:add_member": {**person_form, "member-relationship": "child",
                             "member-category": MigrantCategory.ASYLUM_REJECTED,
                             "confirmed_new": "1"},
        "cases:transition": {"reason": "Changed by someone else"},
        "people:edit": {**{k.removeprefix("person-"): v for k, v in person_form.items()},
                        "version": child.version},
        "people:add_document": {"kind": "passport", "number": "X999",
                                "issuing_country": "IRQ"},
        "api:cases": {"office": "deu-ber", "principal": _child(family_name="Intruder"),
                      "category": MigrantCategory.ASYLUM_REJECTED,
                      "destination_country": "IRQ"},
        "api:people": {"office": "deu-ber", **_child(family_name="Intruder")},
        "api:person": {"given_name": "Changed", "version": child.version},
        "api:person_documents": _api_document(o, "berlin"),
        "api:case": {"destination_area": "Changed", "assignee": "otto",
                     "version": case.version},
        "api:case_members": _api_member(o, "berlin"),
        "api:case_transitions": {"transition": "counselling",
                                 "reason": "Changed by someone else"},
        "privacy:consent_record": _consent_body(o, "monitoring", api=False),
        "privacy:consent_withdraw": {"reason": "Changed by someone else"},
        "api:case_consents": _consent_body(o, "outreach", api=True),
        "api:case_consent_withdraw": {"reason": "Changed by someone else"},
        "counselling:new": _counselling(notes="Changed by someone else"),
        "counselling:edit": _counselling(notes="Changed by someone else",
                                         version=o.counselling["berlin"].version),
        "api:case_counselling": _counselling(notes="Changed by someone else"),
        "api:case_counselling_session": {"notes": "Changed by someone else",
                                         "version": o.counselling["berlin"].version},
        "medical:record": _fitness(detail="Changed by someone else"),
        "medical:edit": _fitness(detail="Changed by someone else",
                                 version=o.fitness["berlin"].version),
        "api:case_fitness": _api_fitness(o, "berlin"),
        "api:case_fitness_assessment": {"detail": "Changed by someone else",
                                        "version": o.fitness["berlin"].version},
        "pathways:new": _pathway(notes="Changed by someone else"),
        "pathways:status": _pathway_status_form(o, "berlin", **{
            f"p{o.pathways['berlin'].pk}-status": "withdrawn"}),
        "api:case_pathways": _pathway(notes="Changed by someone else"),
        "api:case_pathway_status": {"status": "withdrawn",
                                    "version": o.pathways["berlin"].version},
        "documents:new": _travel_document(notes="Changed by someone else",
                                          status="to_request"),
        "documents:edit": _travel_document_form(o, "berlin", notes="Changed by someone else"),
        "documents:status": _travel_document_follow_up(o, "berlin"),
        "api:case_travel_documents": _api_travel_document(o, "berlin"),
        "api:case_travel_document": {"notes": "Changed by someone else",
                                     "version": o.documents["berlin"].version},
        "api:case_travel_document_status": _travel_document_follow_up(o, "berlin"),
        "screening:new": _screening_form(notes="Changed by someone else"),
        "api:case_screenings": {**_api_screening(o, "berlin"),
                                "notes": "Changed by someone else"},
        "screening:bid": _bid(reasons="Changed by someone else"),
        "api:case_bids": {**_api_bid(o, "berlin"), "reasons": "Changed by someone else"},
        "tasks:complete": {"note": "Changed by someone else",
                           "version": o.tasks["berlin"].version},
        "tasks:reassign": {"assignee": o.world.otto.pk, "version": o.tasks["berlin"].version},
        "api:task_complete": {"note": "Changed by someone else",
                              "version": o.tasks["berlin"].version},
        "api:task_reassign": {"assignee": "otto", "version": o.tasks["berlin"].version},
        "declarations:print": {"language": "fr"},
        "declarations:record": {"signed_on": "2026-03-02", "place": "Changed by someone else",
                                "version": o.declarations["berlin"].version},
        "api:case_declaration_print": {"language": "fr"},
        "travel:new": {"people": [o.principals["berlin"].pk], "booking_reference": "INTRUDER",
                       **_itinerary_form(_api_itinerary(o, "berlin"))},
        "travel:edit": {"people": [o.principals["berlin"].pk], "booking_reference": "INTRUDER",
                        "version": o.itineraries["berlin"].version,
                        **_itinerary_form(_api_itinerary(o, "berlin"))},
        "travel:book": _itinerary_version(o, "berlin", booking_reference="INTRUDER"),
        "travel:cancel": _itinerary_version(o, "berlin", reason="Changed by someone else"),
        "travel:no_show": _itinerary_version(o, "berlin", reason="Changed by someone else"),
        "travel:departure": {"checked_bags": "9", "pre_embarkation_checked": "on"},
        "api:case_itineraries": _api_itinerary(o, "berlin"),
        "api:case_itinerary": _itinerary_version(o, "berlin", booking_reference="INTRUDER"),
        "api:case_itinerary_book": _itinerary_version(o, "berlin", booking_reference="X"),
        "api:case_itinerary_cancel": _itinerary_version(o, "berlin", reason="Intruder"),
        "api:case_itinerary_no_show": _itinerary_version(o, "berlin", reason="Intruder"),
        "api:case_itinerary_departure": {"checked_bags": 9},
        # Berlin's case has no plan (it has not arrived): whoever got past the checks
        # would start or build one.
        "reintegration:edit": {"assessed_on": "2026-03-02", "economic_needs": "high",
                               "social_needs": "high", "psychosocial_needs": "high",
                               "version": 1},
        "reintegration:approve": {"version": 1},
        "reintegration:reopen": {"reason": "Changed by someone else", "version": 1},
        "reintegration:item_new": _item(description="Changed by someone else"),
        "reintegration:milestone_new": _milestone(title="Changed by someone else"),
        "api:case_reintegration_plan": {"social_needs": "high", "version": 1},
        "api:case_reintegration_plan_items": _item(description="Changed by someone else"),
        "api:case_reintegration_plan_milestones": _milestone(title="Changed by someone else"),
        "api:case_reintegration_plan_approve": {"version": 1},
        "api:case_reintegration_plan_reopen": {"reason": "Changed by someone else",
                                               "version": 1},
        # A project kept by Baghdad, whose officer rita sees no Berlin case.
        "reintegration:project_link": {"reference": case.reference},
        "finance:award": {"award-reinstallation-amount": "900",
                          "award-reinstallation-modality": "cash"},
        "finance:request": {f"request-{grant.pk}-{k}": v for k, v in _intrusion().items()},
        "finance:approve": {f"approve-{payment.pk}-decision": "approve",
                            f"approve-{payment.pk}-version": payment.version},
        "finance:reject": {f"reject-{payment.pk}-decision": "reject",
                           f"reject-{payment.pk}-note": "Changed by someone else",
                           f"reject-{payment.pk}-version": payment.version},
        "finance:paid": {f"pay-{payment.pk}-paid_on": timezone.localdate(),
                         f"pay-{payment.pk}-version": payment.version},
        "api:case_grants": {"kind": "reinstallation", "amount": "900"},
        "api:case_disbursements": {"grant": grant.pk, **_intrusion()},
        "api:case_disbursement_approve": {"version": payment.version},
        "api:case_disbursement_reject": {"note": "Changed by someone else",
                                         "version": payment.version},
        "api:case_disbursement_paid": {"paid_on": timezone.localdate(),
                                       "version": payment.version},
        "partners:refer": _referral(o, "berlin"),
        "partners:withdraw": {"reason": "Changed by someone else",
                              "version": referral.version},
        "api:case_referrals": _referral(o, "berlin"),
        "api:case_referral_withdraw": {"reason": "Changed by someone else",
                                       "version": referral.version},
        "partners:partner_accept": {"version": referral.version},
        "partners:partner_decline": {"decline-reason": "Changed by someone else",
                                     "decline-version": referral.version},
        "api:partner_referral_accept": {"version": referral.version},
        "api:partner_referral_decline": {"reason": "Changed by someone else",
                                         "version": referral.version},
    }


def _intrusion() -> dict[str, Any]:
    """A payment below the approval threshold: approved at once."""
    return {"amount": "20", "method": "cash", "client_key": "intruder"}


def _itinerary_form(body: dict[str, Any]) -> dict[str, Any]:
    """The API's itinerary body as the HTML form's fields (one leg)."""
    [leg] = body["legs"]
    departs, arrives = leg["departs_local"].split("T"), leg["arrives_local"].split("T")
    return {"legs-TOTAL_FORMS": "1", "legs-INITIAL_FORMS": "0", "legs-0-mode": "air",
            "legs-0-from_code": leg["from_code"], "legs-0-to_code": leg["to_code"],
            "legs-0-carrier": leg["carrier"], "legs-0-flight_number": leg["flight_number"],
            "legs-0-departs_on": departs[0], "legs-0-departs_time": departs[1],
            "legs-0-arrives_on": arrives[0], "legs-0-arrives_time": arrives[1]}


def snapshot(o: Objects) -> dict[str, Any]:
    """Everything about Berlin's case and its people that a write could touch."""
    case = o.cases["berlin"]
    people = [o.principals["berlin"].pk, o.children["berlin"].person_id]
    return {
        "case": Case.objects.filter(pk=case.pk).values().get(),
        "members": list(CaseMember.objects.filter(case=case).order_by("id").values()),
        "timeline": list(TimelineEntry.objects.filter(case=case).order_by("id").values()),
        "audit": list(AuditEvent.objects.filter(case=case).order_by("id").values()),
        "people": list(Person.objects.filter(pk__in=people).order_by("id").values()),
        "documents": list(IdentityDocument.objects.filter(person__in=people).values()),
        "consents": list(Consent.objects.filter(person__in=people).order_by("id").values()),
        "counselling": list(CounsellingSession.objects.filter(case=case).order_by("id")
                            .values()),
        "fitness": list(FitnessAssessment.objects.filter(case=case).order_by("id").values()),
        "tasks": list(Task.objects.filter(case=case).order_by("id").values()),
        "declarations": list(Declaration.objects.filter(case=case).order_by("id").values()),
        "pathways": list(Pathway.objects.filter(case=case).order_by("id").values()),
        "travel documents": list(TravelDocument.objects.filter(case=case).order_by("id")
                                 .values()),
        "pathway changes": list(PathwayChange.objects.filter(pathway__case=case)
                                .order_by("id").values()),
        "screenings": list(Screening.objects.filter(case=case).order_by("id").values()),
        "bids": list(BestInterestDetermination.objects.filter(case=case).order_by("id")
                     .values()),
        "receptions": list(Reception.objects.filter(case=case).values()),
        "itineraries": list(Itinerary.objects.filter(case=case).order_by("id").values()),
        "legs": list(Leg.objects.filter(itinerary__case=case).order_by("id").values()),
        "departures": list(Departure.objects.filter(itinerary__case=case).values()),
        "plans": list(ReintegrationPlan.objects.filter(case=case).values()),
        "plan items": list(AssistanceItem.objects.filter(plan__case=case).order_by("id")
                           .values()),
        "milestones": list(Milestone.objects.filter(plan__case=case).order_by("id")
                           .values()),
        "grants": list(Grant.objects.filter(case=case).order_by("id").values()),
        "disbursements": list(Disbursement.objects.filter(grant__case=case).order_by("id")
                              .values()),
        "referrals": list(Referral.objects.filter(case=case).order_by("id").values()),
        "projects": sorted(case.community_projects.values_list("pk", flat=True)),
        "berlin cases": Case.objects.filter(host_office=o.world.berlin).count(),
        "berlin people": Person.objects.filter(registered_office=o.world.berlin).count(),
    }


def every_write(o: Objects, who: str) -> Iterator[tuple[Pattern, str, Any]]:
    """Send every method with a write body to every URL, aimed at Berlin's case."""
    bodies = write_bodies(o)
    client = client_for(o, who)
    for pattern in PATTERNS:
        names = ([t.name for t in workflow.TRANSITIONS] if "name" in pattern.params
                 else [None])
        for transition in names:
            fixed = {"name": transition} if transition else {}
            url = url_for(o, pattern, "berlin", **fixed)
            body = bodies.get(pattern.name, {})
            if pattern.name == "api:case_transitions":
                body = {**body, "transition": "withdrawn"}
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                yield pattern, url, send(client, method, url, body, api=pattern.is_api)
                if pattern.name == "accounts:logout" and who != ANON:
                    client.force_login(o.world.users[who])  # the attack goes on


@pytest.mark.parametrize("who", OUTSIDERS)
def test_it_lets_nobody_change_a_case_they_cannot_see(objects: Objects, who: str):
    before = snapshot(objects)
    for pattern, url, response in every_write(objects, who):
        if set(pattern.params) - ORGANISATION_WIDE_PARAMS:
            # Not found, or a method the URL never accepts; never a hint that it exists.
            allowed = {404, 405, API_ANON if pattern.is_api else LOGIN} if who == ANON \
                else {404, 405}
            assert outcome(response) in allowed, f"{response.request['REQUEST_METHOD']} {url}"
    assert snapshot(objects) == before


def test_it_would_change_the_case_for_its_supervisor(objects: Objects):
    # The control for the test above: the same requests from Berlin's supervisor do
    # change the case, so the bodies are not simply refused as invalid.
    before = snapshot(objects)
    list(every_write(objects, "sam"))
    after = snapshot(objects)
    changed = {key for key in before if before[key] != after[key]}
    assert {"case", "members", "timeline", "audit", "people", "documents",
            "consents", "tasks", "disbursements", "referrals"} <= changed
