"""Synthetic data at scale, for benchmarks: `seed_demo --people N`.

SYNTHETIC DATA ONLY. This module deliberately bypasses the services (`cases.services`,
`people.services`): moving a million people through them one by one would take hours.
It writes rows straight into the tables with multi-row inserts (`executemany` on SQLite,
`COPY` on PostgreSQL), in one transaction per chunk of a few thousand cases, shaped
exactly as the services would have left them, so every page reads them as real data:

- people with `search_text` folded as `Person.refresh_search_text` does, `version` 1;
- cases with a reference per host country and year (`DEU-2019-004211`), unique, and the
  `ReferenceCounter` rows left at the highest number used; `status_changed_at`,
  `handed_over_at` (when it became ready to travel: booking, just before, hands a case
  over; the bulk data has no itineraries), `held_from` (on hold) and `version` 1;
- case members (one principal, the family with relationships, categories and
  vulnerabilities);
- timeline: the "opened" entry and one entry per status step reached, with the member
  of staff who would have taken it (not the "member added" entries);
- audit: ONE event per case (201 "case opened", with the case's fields), not the dozen
  a real case collects, to keep the load fast; the audit table is therefore smaller
  than in real use;
- tasks, as `tasks.hooks` would have left them: counselling, the decision on the
  application and fitness to travel, done or cancelled by later steps or still open
  (the caseworker's, the supervisors' and the medical officers' queues), and one open
  task per vulnerability flag of a case still in registration or counselling (the
  screening proposals), with due dates from the step that opened them;
- survey responses, as `surveys.services.record_response` would have left them, with
  the shipped sustainability survey (installed first): for a case that arrived in the
  last `SURVEY_YEARS` years, a baseline shortly after the arrival (from most cases) and
  follow-ups about 3, 6 and 12 months after it (from fewer and fewer) when that day has
  come and the case is then in reintegration, monitoring or closed; answers drawn from
  a latent level per case that mostly rises from one round to the next, with some
  "don't know"; the breakdown, composite and one `DimensionScore` per dimension from
  `surveys.scoring.score`; source "entered in Retorno", recorded by the origin office's
  reintegration officer, no respondent named (the principal answers), and the timeline
  entry "Survey recorded" (no audit event, as above). The bulk data has no reintegration
  plans, whose approval the service's round rule reads: the rounds are as if each plan
  had been approved between the baseline and the first follow-up. Cases that arrived
  earlier get no survey data, to keep the load small. To keep scoring cheap, answers
  are drawn from a fixed pool of patterns per level (`PATTERNS_PER_LEVEL`), each scored
  once.

Cases spread over ten years and over 20 host and transit offices (the six demo ones and
fourteen more) and 11 origin offices; each office gets enough synthetic caseworkers for
about 35 open cases each. The demo logins stay as they are: `berlin.caseworker` keeps
the demo's open cases (new open cases go to synthetic caseworkers) and sees every one
of the Berlin office's cases, old and new, in search.
"""

import datetime
import json
import math
import random
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from retorno.accounts.models import Membership, Office, OfficeKind, Role, User
from retorno.accounts.services import create_office
from retorno.cases.models import (
    FINAL,
    Case,
    CaseMember,
    ReferenceCounter,
    Status,
    TimelineEntry,
    TimelineKind,
    Vulnerability,
)
from retorno.demo import demo, world
from retorno.demo.names import POOLS
from retorno.demo.people import FAMILY_SIZES, make_family, set_categories_and_vulnerabilities
from retorno.lib.text import fold
from retorno.people.models import Person
from retorno.privacy.models import AuditEvent, AuditType
from retorno.programmes.models import MigrantCategory, Programme
from retorno.programmes.services import create_programme
from retorno.reports.facts import age_group, age_on
from retorno.reports.models import AssistedReturn
from retorno.screening.questionnaire import PROPOSALS
from retorno.surveys.definition import text
from retorno.surveys.models import (
    DimensionScore,
    InstrumentVersion,
    Purpose,
    Round,
    Source,
    SurveyResponse,
)
from retorno.surveys.scoring import score
from retorno.surveys.services import install_shipped, months_between
from retorno.tasks import hooks as task_hooks
from retorno.tasks.models import Task, TaskKind, TaskStatus

YEARS = 10
CHUNK_CASES = 4000  # cases per transaction (about 6,500 people, 35,000 timeline rows)
OPEN_PER_CASEWORKER = 35
# People; above, the name search index (PostgreSQL: pg_trgm GIN, SQLite: the FTS5 table
# and its triggers) is dropped during the load and rebuilt after it, which is faster
# than updating it row by row.
TRIGRAM_THRESHOLD = 50_000

_C = MigrantCategory
EU_CASELOAD = {"IRQ": 25, "AFG": 20, "GEO": 20, "UKR": 10, "NGA": 15, "SYR": 10}
SOUTH_EU_CASELOAD = {"NGA": 30, "SEN": 25, "GMB": 20, "GEO": 15, "UKR": 10}
SAHEL_CASELOAD = {"NGA": 30, "SEN": 25, "GMB": 45}


@dataclass(frozen=True)
class BulkOffice:
    code: str
    name: str
    country: str
    kind: OfficeKind
    login: str
    caseload: dict[str, int] | None  # None: an origin office
    weight: int = 0  # share of the cases opened


# The demo's six case-opening offices plus fourteen more, and the origin offices.
BULK_OFFICES: tuple[BulkOffice, ...] = (
    *(BulkOffice(o.code, o.name, o.country, o.kind, o.login, world.CASELOAD.get(o.code),
                 {"deu-berlin": 8, "nld-the-hague": 6, "grc-athens": 6, "mar-rabat": 4,
                  "tur-istanbul": 6, "ner-niamey": 6}.get(o.code, 0))
      for o in world.OFFICES),
    BulkOffice("deu-munich", "Munich", "DEU", OfficeKind.HOST, "munich", EU_CASELOAD, 5),
    BulkOffice("deu-hamburg", "Hamburg", "DEU", OfficeKind.HOST, "hamburg", EU_CASELOAD, 5),
    BulkOffice("bel-brussels", "Brussels", "BEL", OfficeKind.HOST, "brussels", EU_CASELOAD, 5),
    BulkOffice("aut-vienna", "Vienna", "AUT", OfficeKind.HOST, "vienna", EU_CASELOAD, 5),
    BulkOffice("che-bern", "Bern", "CHE", OfficeKind.HOST, "bern", EU_CASELOAD, 4),
    BulkOffice("fra-paris", "Paris", "FRA", OfficeKind.HOST, "paris", SOUTH_EU_CASELOAD, 5),
    BulkOffice("ita-rome", "Rome", "ITA", OfficeKind.HOST, "rome", SOUTH_EU_CASELOAD, 5),
    BulkOffice("esp-madrid", "Madrid", "ESP", OfficeKind.HOST, "madrid", SOUTH_EU_CASELOAD, 4),
    BulkOffice("swe-stockholm", "Stockholm", "SWE", OfficeKind.HOST, "stockholm",
               EU_CASELOAD, 4),
    BulkOffice("nor-oslo", "Oslo", "NOR", OfficeKind.HOST, "oslo", EU_CASELOAD, 3),
    BulkOffice("pol-warsaw", "Warsaw", "POL", OfficeKind.HOST, "warsaw",
               {"UKR": 60, "GEO": 40}, 3),
    BulkOffice("grc-mytilene", "Mytilene", "GRC", OfficeKind.HOST, "mytilene",
               {"AFG": 50, "IRQ": 25, "SYR": 25}, 4),
    BulkOffice("lby-tripoli", "Tripoli", "LBY", OfficeKind.TRANSIT, "tripoli",
               SAHEL_CASELOAD, 7),
    BulkOffice("ner-agadez", "Agadez", "NER", OfficeKind.TRANSIT, "agadez", SAHEL_CASELOAD, 5),
    BulkOffice("irq-erbil", "Erbil", "IRQ", OfficeKind.ORIGIN, "erbil", None),
    BulkOffice("afg-herat", "Herat", "AFG", OfficeKind.ORIGIN, "herat", None),
    BulkOffice("nga-benin-city", "Benin City", "NGA", OfficeKind.ORIGIN, "benincity", None),
)
BULK_PROGRAMMES = (
    world.ProgrammeSpec(
        "avrr-europe", "Assisted voluntary return from Europe (non-EU-funded host states)",
        "Host governments", ("BEL", "AUT", "CHE", "FRA", "ITA", "ESP", "SWE", "NOR", "POL"),
        tuple(POOLS), (_C.ASYLUM_REJECTED, _C.ASYLUM_WITHDRAWN, _C.IRREGULAR,
                       _C.TRAFFICKING_VICTIM), datetime.date(2015, 1, 1)),
    world.ProgrammeSpec(
        "vhr-libya", "Voluntary humanitarian return from Libya", "EU Trust Fund for Africa",
        ("LBY",), ("NGA", "SEN", "GMB"), (_C.STRANDED, _C.IRREGULAR, _C.TRAFFICKING_VICTIM),
        datetime.date(2015, 1, 1)),
)
PROGRAMME_CATEGORIES = {
    **demo.CATEGORIES,
    "avrr-europe": demo.CATEGORIES["avrr-eu"],
    "vhr-libya": demo.CATEGORIES["avrr-sahel"],
}

# What becomes of a case -> weight. "hold": put on hold and (if long ago) cancelled.
FATES = (("closed", 78), ("withdrawn", 9), ("rejected", 5), ("referred", 3),
         ("cancelled", 1), ("hold", 4))

STATUSES = list(Status)
S = {s: i for i, s in enumerate(STATUSES)}
CW, SUP, MOVE, REINT, ORIGIN_SUP = range(5)
_ACTORS = {demo.CW: CW, demo.SUP: SUP, demo.MOVE: MOVE, demo.REINT: REINT,
           demo.ORIGIN_SUP: ORIGIN_SUP}
MAIN = [(S[Status(name)], _ACTORS[actor], span) for name, actor, span in demo.MAIN_STEPS]
REASONS: list[str] = [
    *demo.WITHDRAWAL_REASONS, *demo.REINTEGRATION_WITHDRAWAL_REASONS, *demo.REJECTION_REASONS,
    *demo.HOLD_REASONS,
    *demo.ALTERNATIVE_REASONS, *demo.CANCEL_REASONS,
    "Return suspension extended; case closed, the migrant may apply again.",
]
R = {text: i for i, text in enumerate(REASONS)}
NO_REASON = 0xFFFF


# ---- phase 1: the shape of every case ------------------------------------------------


@dataclass
class Plan:
    """Every new case, oldest first, in compact arrays (a million people fit in a few
    tens of megabytes)."""

    opened: array  # epoch seconds
    office: array  # index into BULK_OFFICES
    nationality: array  # index into NATIONALITIES
    origin: array  # index into BULK_OFFICES
    size: array  # people in the case
    number: array  # reference number within (country, year)
    status: array  # index into STATUSES
    held_from: array  # index into STATUSES, 255 for none
    step_start: array  # index into the step arrays; one more entry than cases
    step_status: array
    step_actor: array
    step_at: array
    step_reason: array

    def __len__(self) -> int:
        return len(self.opened)


NATIONALITIES = list(POOLS)


def _case_steps(rng: random.Random, opened: float, now: float):
    """The steps a case takes, as (status index, actor, epoch seconds, reason index),
    cut at `now`. Returns the steps, the status reached and the status held from."""
    fate = rng.choices(*zip(*FATES, strict=True))[0]
    steps: list[tuple[int, int, float, int]] = []
    t = opened
    day = 86400.0
    if fate == "closed":
        stop = len(MAIN)
    elif fate == "withdrawn":
        stop = rng.choice([0, 1, 2, 3, 4, 8])
    elif fate == "rejected":
        stop = rng.choice([1, 2])
    elif fate == "referred":
        stop = rng.choice([1, 2, 3])
    elif fate == "cancelled":
        stop = rng.choice([0, 1])
    else:
        stop = rng.choice([1, 2, 3, 4, 5])
    held_resumed = rng.random() < 0.05
    for i, (status, actor, (lo, hi)) in enumerate(MAIN[:stop]):
        t += rng.uniform(lo, hi) * day
        steps.append((status, actor, t, NO_REASON))
        if held_resumed and i == 1 and stop > 3:
            t += rng.uniform(1, 4) * day
            steps.append((S[Status.ON_HOLD], CW, t, R[rng.choice(demo.HOLD_REASONS)]))
            t += rng.uniform(10, 40) * day
            steps.append((status, CW, t, NO_REASON))
    if fate == "withdrawn":
        after_arrival = stop > 6
        t += rng.uniform(2, 30) * day
        reasons = demo.REINTEGRATION_WITHDRAWAL_REASONS if after_arrival \
            else demo.WITHDRAWAL_REASONS
        steps.append((S[Status.WITHDRAWN], REINT if after_arrival else CW, t,
                      R[rng.choice(reasons)]))
    elif fate == "rejected":
        t += rng.uniform(3, 20) * day
        steps.append((S[Status.REJECTED], SUP, t, R[rng.choice(demo.REJECTION_REASONS)]))
    elif fate == "referred":
        t += rng.uniform(5, 40) * day
        steps.append((S[Status.REFERRED_ALTERNATIVE], CW, t,
                      R[rng.choice(demo.ALTERNATIVE_REASONS)]))
    elif fate == "cancelled":
        t += rng.uniform(0.1, 3) * day
        steps.append((S[Status.CANCELLED], SUP, t, R[rng.choice(demo.CANCEL_REASONS)]))
    elif fate == "hold":
        t += rng.uniform(1, 15) * day
        steps.append((S[Status.ON_HOLD], MOVE if stop == 5 else CW, t,
                      R[rng.choice(demo.HOLD_REASONS)]))
        t += rng.uniform(90, 240) * day
        steps.append((S[Status.CANCELLED], SUP, t, R[REASONS[-1]]))

    reached = [s for s in steps if s[2] <= now]
    status = reached[-1][0] if reached else S[Status.REGISTERED]
    held_from = 255
    if status == S[Status.ON_HOLD]:
        held_from = reached[-2][0] if len(reached) > 1 else S[Status.REGISTERED]
    return reached, status, held_from


def _plan(rng: random.Random, people: int, now: float, counters: dict) -> Plan:
    sizes: list[int] = []
    total = 0
    values, weights = zip(*FAMILY_SIZES, strict=True)
    while total < people:
        size = min(rng.choices(values, weights)[0], people - total)
        sizes.append(size)
        total += size
    n = len(sizes)
    span = YEARS * 365.25 * 86400
    start = now - span
    # A little growth over the decade: more recent years have more returns.
    opened = sorted(start + span * rng.random() ** 0.85 for _ in range(n))

    openers = [i for i, o in enumerate(BULK_OFFICES) if o.caseload]
    opener_weights = [BULK_OFFICES[i].weight for i in openers]
    origins: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(BULK_OFFICES):
        if o.caseload is None:
            origins[o.country].append(i)

    plan = Plan(*(array(code) for code in ("d", "H", "B", "H", "B", "I", "B", "B", "I", "B",
                                           "B", "d", "H")))
    for i in range(n):
        office = rng.choices(openers, opener_weights)[0]
        caseload = BULK_OFFICES[office].caseload
        nationality = rng.choices(list(caseload), list(caseload.values()))[0]
        country = BULK_OFFICES[office].country
        year = datetime.datetime.fromtimestamp(opened[i], datetime.UTC).year
        counters[country, year] = number = counters.get((country, year), 0) + 1
        steps, status, held_from = _case_steps(rng, opened[i], now)
        plan.opened.append(opened[i])
        plan.office.append(office)
        plan.nationality.append(NATIONALITIES.index(nationality))
        plan.origin.append(rng.choice(origins[nationality]))
        plan.size.append(sizes[i])
        plan.number.append(number)
        plan.status.append(status)
        plan.held_from.append(held_from)
        plan.step_start.append(len(plan.step_status))
        for s, actor, at, reason in steps:
            plan.step_status.append(s)
            plan.step_actor.append(actor)
            plan.step_at.append(at)
            plan.step_reason.append(reason)
    plan.step_start.append(len(plan.step_status))
    return plan


# ---- offices, staff and programmes ----------------------------------------------------


@dataclass
class Staff:
    offices: list[Office]  # parallel to BULK_OFFICES
    programmes: dict[str, Programme]
    caseworkers: list[list[int]]  # per office: user ids for new open cases
    all_caseworkers: list[list[int]]  # per office: also the demo caseworker
    roles: list[dict[int, int]]  # per office: actor kind -> user id


def _user(username: str, country: str, rng: random.Random) -> User:
    first, last = world.staff_name(country, rng)
    # Synthetic staff cannot log in (benchmarks use force_login): unusable password.
    return User(username=username, first_name=first, last_name=last,
                password=make_password(None))


def _ensure_staff(plan: Plan, rng: random.Random) -> Staff:
    by_code = {o.code: o for o in Office.objects.filter(code__in=[b.code for b in
                                                                  BULK_OFFICES])}
    offices = []
    for b in BULK_OFFICES:
        office = by_code.get(b.code) or create_office(code=b.code, name=b.name,
                                                      country=b.country, kind=b.kind)
        offices.append(office)
    programmes = {p.code: p for p in Programme.objects.all()}
    for spec in BULK_PROGRAMMES:
        if spec.code not in programmes:
            programmes[spec.code] = create_programme(
                code=spec.code, name=spec.name, donor=spec.donor,
                host_countries=list(spec.host_countries),
                eligible_nationalities=list(spec.nationalities),
                eligible_categories=[c.value for c in spec.categories],
                start_date=spec.start_date, end_date=None)

    open_per_office = Counter(plan.office[i] for i in range(len(plan))
                              if STATUSES[plan.status[i]] not in FINAL)
    wanted: dict[str, tuple[int, Role]] = {}  # username -> (office index, role)
    for i, b in enumerate(BULK_OFFICES):
        if b.caseload is not None:
            needed = max(2, math.ceil(open_per_office[i] / OPEN_PER_CASEWORKER))
            for k in range(1, needed + 1):
                wanted[f"{b.login}.cw{k:04d}"] = (i, Role.CASEWORKER)
            wanted[f"{b.login}.supervisor"] = (i, Role.SUPERVISOR)
            wanted[f"{b.login}.movement"] = (i, Role.MOVEMENT_OFFICER)
        else:
            wanted[f"{b.login}.reintegration"] = (i, Role.REINTEGRATION_OFFICER)
            wanted[f"{b.login}.supervisor"] = (i, Role.SUPERVISOR)
    existing = {u.username: u for u in User.objects.filter(username__in=list(wanted))}
    new = [_user(name, BULK_OFFICES[i].country, rng) for name, (i, _r) in wanted.items()
           if name not in existing]
    for user in User.objects.bulk_create(new, batch_size=2000):
        existing[user.username] = user
    if any(u.pk is None for u in existing.values()):  # backends without RETURNING
        existing = {u.username: u for u in User.objects.filter(username__in=list(wanted))}
    Membership.objects.bulk_create(
        [Membership(user=existing[name], office=offices[i], role=role)
         for name, (i, role) in wanted.items()],
        batch_size=2000, ignore_conflicts=True)

    caseworkers: list[list[int]] = [[] for _ in BULK_OFFICES]
    roles: list[dict[int, int]] = [{} for _ in BULK_OFFICES]
    kinds = {Role.SUPERVISOR: SUP, Role.MOVEMENT_OFFICER: MOVE,
             Role.REINTEGRATION_OFFICER: REINT}
    for name, (i, role) in wanted.items():
        if role == Role.CASEWORKER:
            caseworkers[i].append(existing[name].pk)
        else:
            roles[i][kinds[role]] = existing[name].pk
    all_caseworkers = [list(c) for c in caseworkers]
    demo_logins = world.load_base()
    for i, b in enumerate(BULK_OFFICES):
        spec = next((o for o in world.OFFICES if o.code == b.code), None)
        if spec is None:
            continue
        # In the demo offices the demo logins act for the office (berlin.supervisor
        # approves); the demo caseworker also holds some of the closed cases.
        for role, kind in kinds.items():
            user = demo_logins.users.get(world.username(spec, role))
            if user is not None:
                roles[i][kind] = user.pk
        demo_cw = demo_logins.users.get(world.username(spec, Role.CASEWORKER))
        if demo_cw is not None:
            all_caseworkers[i].append(demo_cw.pk)
    return Staff(offices, programmes, caseworkers, all_caseworkers, roles)


# ---- phase 2: rows ---------------------------------------------------------------------


class Writer:
    """Multi-row inserts of prepared tuples, the fastest way each database offers."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def ts(self, epoch: float) -> str:
        value = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
        if self.postgres:
            return value.isoformat(sep=" ")
        # Django's SQLite backend stores naive UTC text, as below.
        return value.replace(tzinfo=None).isoformat(sep=" ")

    def insert(self, model, fields: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column)
                            for f in fields)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - names from model meta
                                   rows)


PERSON_FIELDS = ["id", "given_name", "family_name", "given_name_original",
                 "family_name_original", "aliases", "sex", "date_of_birth",
                 "date_of_birth_approximate", "nationality", "languages", "phone",
                 "registered_office", "search_text", "version", "created_at", "created_by",
                 "updated_at"]
CASE_FIELDS = ["id", "reference", "host_office", "origin_office", "destination_country",
               "destination_area", "programme", "assignee", "status", "held_from",
               "status_changed_at", "handed_over_at", "version", "created_at", "created_by",
               "updated_at"]
MEMBER_FIELDS = ["id", "case", "person", "relationship", "category", "vulnerabilities"]
TIMELINE_FIELDS = ["id", "case", "at", "actor", "kind", "from_status", "to_status", "reason",
                   "summary"]
TASK_FIELDS = ["id", "case", "kind", "subject_type", "subject_id", "office", "role",
               "assignee", "due_on", "status", "detail", "note", "created_at", "created_by",
               "updated_at", "completed_at", "completed_by", "version"]
AUDIT_FIELDS = ["id", "at", "actor", "office", "event_type", "target_type", "target_id",
                "case", "extra"]
RESPONSE_FIELDS = ["id", "case", "respondent", "version", "round", "collected_on",
                   "months_since_return", "answers", "breakdown", "composite", "source",
                   "submission_id", "recorded_at", "recorded_by"]
DIMENSION_FIELDS = ["id", "response", "dimension", "score"]
RETURN_FIELDS = ["id", "case", "person", "departed_on", "first_of_case", "confirmed_at",
                 "applied_on", "host_office", "origin_office", "host_country",
                 "origin_country", "programme", "sex", "age", "age_group", "category",
                 "vulnerabilities", "vulnerable", "principal"]


@cache
def _fold(part: str) -> str:
    return fold(part)


def search_text(*parts: str) -> str:
    """Same as `Person.refresh_search_text`, folding each (often repeated) part once."""
    return " ".join(f for f in map(_fold, parts) if f)


def _next_id(model) -> int:
    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


@dataclass
class Ids:
    person: int
    case: int
    member: int
    timeline: int
    audit: int
    task: int
    response: int
    dimension_score: int
    assisted_return: int


# ---- survey responses ------------------------------------------------------------------

SURVEY_YEARS = 2  # only cases that arrived in the last two years get survey responses
BASELINE_SHARE = 0.9  # of the arrived cases, how many answered the baseline
# Follow-ups: (months after the arrival, share of the cases that answered it).
FOLLOW_UPS = ((3, 0.8), (6, 0.7), (12, 0.6))
LEVELS = 20  # the latent level is drawn in steps of 1/LEVELS
PATTERNS_PER_LEVEL = 64  # distinct answer sets per level, each scored once
DONT_KNOW = 0.06  # chance of an answer without a value ("don't know", "not applicable")
AFTER_ARRIVAL = frozenset(S[s] for s in (Status.ARRIVED, Status.REINTEGRATION,
                                         Status.MONITORING, Status.CLOSED))
FOLLOWED_UP = AFTER_ARRIVAL - {S[Status.ARRIVED]}


@dataclass(frozen=True)
class Pattern:
    """One answer set, scored: what a response row needs, JSON already dumped."""

    answers: str
    breakdown: str
    composite: float | None
    dimensions: tuple[tuple[str, float | None], ...]
    summary: str


class Surveys:
    """The shipped sustainability survey version and its scored answer patterns."""

    def __init__(self, version: InstrumentVersion, seed: int):
        self.version_id = version.pk
        self.definition = version.definition
        self.title = text(self.definition.get("title")) or version.instrument.name
        self.seed = seed
        # (question name, [(option name, value)] with a value, [option names without])
        self.questions = [
            (q["name"], [(o["name"], float(o["value"])) for o in q["options"]
                         if o.get("value") is not None],
             [o["name"] for o in q["options"] if o.get("value") is None])
            for q in self.definition["questions"] if q.get("type") == "select_one"]
        self._patterns: dict[tuple[int, int], Pattern] = {}

    def pattern(self, level: int, k: int) -> Pattern:
        found = self._patterns.get((level, k))
        if found is None:
            found = self._patterns[level, k] = self._make(level, k)
        return found

    def _make(self, level: int, k: int) -> Pattern:
        rng = random.Random(f"{self.seed}:survey:{level}:{k}")
        mean = level / LEVELS
        answers: dict[str, str] = {}
        for name, scored, valueless in self.questions:
            if valueless and rng.random() < DONT_KNOW:
                answers[name] = rng.choice(valueless)
                continue
            target = min(1.0, max(0.0, rng.gauss(mean, 0.22)))
            answers[name] = min(scored, key=lambda o: abs(o[1] - target))[0]
        breakdown = score(self.definition, answers)
        composite = breakdown["composite"]
        # As `surveys.services` words it (in the language of the load, English).
        if composite is None:
            summary = _("Survey recorded: %(name)s, no composite score (not enough "
                        "answers)") % {"name": self.title}
        else:
            summary = _("Survey recorded: %(name)s, composite %(score)s") % {
                "name": self.title, "score": number_format(composite, 2)}
        return Pattern(json.dumps(answers), json.dumps(breakdown), composite,
                       tuple((code, d["score"]) for code, d in
                             breakdown["dimensions"].items()), summary)


def _case_surveys(w: Writer, surveys: Surveys, ids: Ids, rng: random.Random, case_id: int,
                  recorder: int, steps: list[tuple[int, float]], now: float,
                  responses: list, scores: list, timeline: list) -> None:
    """The survey responses of one case, from its (status index, epoch seconds) steps:
    nothing unless it arrived within the last `SURVEY_YEARS` years."""
    arrived = next((at for status, at in steps if status == S[Status.ARRIVED]), None)
    if arrived is None or arrived < now - SURVEY_YEARS * 365.25 * 86400:
        return
    arrived_on = datetime.datetime.fromtimestamp(arrived, datetime.UTC).date()
    today = datetime.datetime.fromtimestamp(now, datetime.UTC).date()

    def status_on(day: datetime.date) -> int:
        end = datetime.datetime.combine(day, datetime.time.max, datetime.UTC).timestamp()
        return [status for status, at in steps if at <= end][-1]

    level = min(0.9, max(0.05, rng.gauss(0.42, 0.13)))
    rounds = [(Round.BASELINE, arrived_on + datetime.timedelta(days=rng.randint(1, 30)),
               BASELINE_SHARE, AFTER_ARRIVAL)]
    # A day at least after the calendar date, so that `months_since_return` says `months`
    # (31 March + 3 months is 30 June: two whole months).
    rounds += [(Round.FOLLOW_UP, arrived_on + relativedelta(months=months)
                + datetime.timedelta(days=rng.randint(1, 21)), share, FOLLOWED_UP)
               for months, share in FOLLOW_UPS]
    for i, (round_, collected, share, statuses) in enumerate(rounds):
        if i:  # mostly better than at the round before
            level = min(1.0, max(0.0, level + rng.gauss(0.05, 0.06)))
        answered = rng.random() < share
        if collected > today or status_on(collected) not in statuses:
            break
        if not answered:
            continue
        p = surveys.pattern(round(level * LEVELS), rng.randrange(PATTERNS_PER_LEVEL))
        at = min(now, datetime.datetime.combine(collected, datetime.time(9), datetime.UTC)
                 .timestamp() + rng.uniform(0, 8 * 3600))
        response_id = ids.response
        ids.response += 1
        responses.append((response_id, case_id, None, surveys.version_id, round_.value,
                          collected.isoformat(), months_between(arrived_on, collected),
                          p.answers, p.breakdown, p.composite, Source.WEB.value,
                          f"bulk-{response_id}",
                          w.ts(at), recorder))
        for code, value in p.dimensions:
            scores.append((ids.dimension_score, response_id, code, value))
            ids.dimension_score += 1
        timeline.append((ids.timeline, case_id, w.ts(at), recorder,
                         TimelineKind.CHANGED.value, "", "", "", p.summary))
        ids.timeline += 1


def _programme_for(country: str, programmes: dict[str, Programme]) -> Programme:
    for spec in (*world.PROGRAMMES, *BULK_PROGRAMMES):
        if country in spec.host_countries:
            return programmes[spec.code]
    raise LookupError(country)


def _write_chunk(w: Writer, plan: Plan, lo: int, hi: int, staff: Staff, ids: Ids,
                 rng: random.Random, rr: Counter, surveys: Surveys, survey_rng: random.Random,
                 now: float) -> int:
    people, cases, members, timeline, audits = [], [], [], [], []
    responses: list[tuple] = []
    scores: list[tuple] = []
    tasks: list[list] = []
    returns: list[tuple] = []
    programmes = {b.country: _programme_for(b.country, staff.programmes)
                  for b in BULK_OFFICES if b.caseload}
    for i in range(lo, hi):
        office_i = plan.office[i]
        office = staff.offices[office_i]
        origin = staff.offices[plan.origin[i]]
        nationality = NATIONALITIES[plan.nationality[i]]
        status = STATUSES[plan.status[i]]
        opened = plan.opened[i]
        opened_ts = w.ts(opened)
        opened_date = datetime.datetime.fromtimestamp(opened, datetime.UTC).date()
        programme = programmes[office.country]
        if status in FINAL:
            assignee = rng.choice(staff.all_caseworkers[office_i])
        else:
            pool = staff.caseworkers[office_i]
            assignee = pool[rr[office_i] % len(pool)]
            rr[office_i] += 1
        roles = staff.roles[office_i]
        actors = {CW: assignee, SUP: roles[SUP], MOVE: roles[MOVE],
                  REINT: staff.roles[plan.origin[i]][REINT],
                  ORIGIN_SUP: staff.roles[plan.origin[i]][SUP]}

        family = make_family(rng, nationality, opened_date, size=plan.size[i])
        category = rng.choices(*zip(*PROGRAMME_CATEGORIES[programme.code], strict=True))[0]
        if category == _C.TRAFFICKING_VICTIM and nationality not in {"NGA", "GMB"}:
            category = _C.IRREGULAR
        set_categories_and_vulnerabilities(rng, family, category)

        case_id = ids.case
        ids.case += 1
        first, last = plan.step_start[i], plan.step_start[i + 1]
        changed = plan.step_at[last - 1] if last > first else opened
        handed_over = None
        for k in range(first, last):
            if plan.step_status[k] == S[Status.READY_TO_TRAVEL]:
                # Booked just before, which handed it over (no itinerary rows here).
                handed_over = w.ts(plan.step_at[k])
        held = plan.held_from[i]
        year = opened_date.year
        reference = f"{office.country}-{year}-{plan.number[i]:06d}"
        area = rng.choice(POOLS[nationality].areas)
        cases.append((case_id, reference, office.pk, origin.pk, nationality, area,
                      programme.pk, assignee, status.value,
                      STATUSES[held].value if held != 255 else "", w.ts(changed),
                      handed_over, 1, opened_ts, assignee, w.ts(changed)))
        flagged: list[tuple[int, list[str]]] = []  # (person id, vulnerabilities)
        for m in family:
            person_id = ids.person
            flagged.append((person_id, m.vulnerabilities))
            ids.person += 1
            people.append((
                person_id, m.given_name, m.family_name, m.given_name_original,
                m.family_name_original, m.aliases, m.sex,
                m.date_of_birth.isoformat() if m.date_of_birth else None,
                int(m.date_of_birth_approximate), nationality, json.dumps(m.languages), "",
                office.pk,
                search_text(m.given_name, m.family_name, m.given_name_original,
                            m.family_name_original, m.aliases),
                1, opened_ts, assignee, opened_ts))
            members.append((ids.member, case_id, person_id, str(m.relationship),
                            str(m.category), json.dumps(m.vulnerabilities)))
            ids.member += 1
        principal = family[0]
        latin = " ".join(p for p in (principal.given_name, principal.family_name) if p)
        original = " ".join(p for p in (principal.given_name_original,
                                        principal.family_name_original) if p)
        display = f"{latin} ({original})" if original and original != latin else latin
        timeline.append((ids.timeline, case_id, opened_ts, assignee, TimelineKind.OPENED.value,
                         "", Status.REGISTERED.value, "", display))
        ids.timeline += 1
        previous = Status.REGISTERED.value
        for k in range(first, last):
            to = STATUSES[plan.step_status[k]].value
            reason = plan.step_reason[k]
            timeline.append((ids.timeline, case_id, w.ts(plan.step_at[k]),
                             actors[plan.step_actor[k]], TimelineKind.TRANSITION.value,
                             previous, to, REASONS[reason] if reason != NO_REASON else "", ""))
            ids.timeline += 1
            previous = to
        audits.append((ids.audit, opened_ts, assignee, office.pk, AuditType.CASE_CREATED.value,
                       "case", case_id, case_id, json.dumps({"new": {
                           "reference": reference, "destination_country": nationality,
                           "destination_area": area, "programme": programme.pk,
                           "origin_office": origin.pk, "assignee": assignee}})))
        ids.audit += 1
        steps = [(STATUSES[plan.step_status[k]], actors[plan.step_actor[k]], plan.step_at[k])
                 for k in range(first, last)]
        _case_tasks(w, tasks, ids, case_id, office.pk, assignee, opened, steps,
                    flagged if status in (Status.REGISTERED, Status.COUNSELLING) else [])
        _case_returns(w, returns, ids, case_id, family, flagged, office, origin, nationality,
                      programme.pk, [(plan.step_status[k], plan.step_at[k])
                                     for k in range(first, last)])
        _case_surveys(w, surveys, ids, survey_rng, case_id, actors[REINT],
                      [(plan.step_status[k], plan.step_at[k]) for k in range(first, last)],
                      now, responses, scores, timeline)

    w.insert(Person, PERSON_FIELDS, people)
    w.insert(Case, CASE_FIELDS, cases)
    w.insert(CaseMember, MEMBER_FIELDS, members)
    w.insert(TimelineEntry, TIMELINE_FIELDS, timeline)
    w.insert(AuditEvent, AUDIT_FIELDS, audits)
    w.insert(Task, TASK_FIELDS, [tuple(row) for row in tasks])
    w.insert(SurveyResponse, RESPONSE_FIELDS, responses)
    w.insert(DimensionScore, DIMENSION_FIELDS, scores)
    w.insert(AssistedReturn, RETURN_FIELDS, returns)
    return len(people)


def _case_returns(w: Writer, rows: list[tuple], ids: Ids, case_id: int, family: list,
                  flagged: list[tuple[int, list[str]]], office: Office, origin: Office,
                  nationality: str, programme_id: int, steps: list[tuple[int, float]]
                  ) -> None:
    """The `reports.AssistedReturn` rows `reports.facts.derive` would make of a case
    whose departure was confirmed: the bulk data has no itineraries, so every member
    left on the day of the confirmation, and the principal (listed first) is the
    member the case is counted on."""
    departed = next((at for status, at in steps if status == S[Status.DEPARTED]), None)
    if departed is None:
        return
    applied = next((at for status, at in steps if status == S[Status.APPLIED]), None)

    def local_day(at: float) -> datetime.date:
        return timezone.localtime(datetime.datetime.fromtimestamp(at, datetime.UTC)).date()

    day = local_day(departed)
    for k, (m, (person_id, flags)) in enumerate(zip(family, flagged, strict=True)):
        age = age_on(m.date_of_birth, day)
        rows.append((ids.assisted_return, case_id, person_id, day.isoformat(), k == 0,
                     w.ts(departed), local_day(applied).isoformat() if applied else None,
                     office.pk, origin.pk, office.country, nationality, programme_id, m.sex,
                     age, age_group(age).value, str(m.category), json.dumps(sorted(flags)),
                     bool(flags), k == 0))
        ids.assisted_return += 1


def _case_tasks(w: Writer, rows: list[list], ids: Ids, case_id: int, office_id: int,
                assignee: int, opened: float,
                steps: list[tuple[Status, int, float]],
                flagged: list[tuple[int, list[str]]]) -> None:
    """The tasks `tasks.hooks` would have left on one case, opened and closed as its
    steps were taken; `flagged` gets one screening proposal task per flag."""
    open_: dict[tuple[str, str], list] = {}

    def start(kind: str, at: float, days: int, by: int | None, *, role: str = "",
              to: int | None = None, subject: tuple[str, int | None] = ("", None),
              detail: dict | None = None) -> None:
        due = (datetime.datetime.fromtimestamp(at, datetime.UTC).date()
               + datetime.timedelta(days=days))
        row = [ids.task, case_id, kind, subject[0], subject[1], office_id, role, to,
               due.isoformat(), TaskStatus.OPEN.value, json.dumps(detail or {}), "",
               w.ts(at), by, w.ts(at), None, None, 1]
        ids.task += 1
        rows.append(row)
        open_[kind, subject[0]] = row

    def close(kind: str | None, at: float, by: int | None,
              status: TaskStatus = TaskStatus.DONE) -> None:
        for key in [k for k in open_ if kind is None or k[0] == kind]:
            row = open_.pop(key)
            row[9], row[14], row[15], row[16], row[17] = status.value, w.ts(at), w.ts(at), by, 2

    start(TaskKind.COUNSEL, opened, task_hooks.COUNSEL_DAYS, assignee, to=assignee)
    for status, actor, at in steps:
        if status == Status.COUNSELLING:
            close(TaskKind.COUNSEL, at, actor)
        elif status == Status.APPLIED and (TaskKind.APPROVE, "") not in open_:
            start(TaskKind.APPROVE, at, task_hooks.APPROVE_DAYS, actor, role=Role.SUPERVISOR)
        elif status in (Status.APPROVED, Status.REJECTED):
            close(TaskKind.APPROVE, at, actor)
        if status == Status.APPROVED and (TaskKind.FITNESS, "") not in open_:
            start(TaskKind.FITNESS, at, task_hooks.FITNESS_DAYS, actor,
                  role=Role.MEDICAL_OFFICER)
        elif status == Status.READY_TO_TRAVEL:
            close(TaskKind.FITNESS, at, None)  # the medical officer's last assessment
        if status in FINAL:
            close(None, at, actor, TaskStatus.CANCELLED)
    for person_id, flags in flagged:
        for flag in map(str, flags):
            days = (task_hooks.URGENT_SCREENING_DAYS if flag in task_hooks.URGENT_FLAGS
                    else task_hooks.SCREENING_DAYS)
            start(TaskKind.SCREENING_ACTION, opened, days, assignee, to=assignee,
                  subject=(f"flag:{flag}", person_id),
                  detail={"flag": flag, "person": person_id,
                          "proposal": PROPOSALS[Vulnerability(flag)].kind.value})


def _save_counters(plan: Plan, lo: int, hi: int) -> None:
    highest: dict[tuple[str, int], int] = {}
    for i in range(lo, hi):
        country = BULK_OFFICES[plan.office[i]].country
        year = datetime.datetime.fromtimestamp(plan.opened[i], datetime.UTC).year
        highest[country, year] = max(highest.get((country, year), 0), plan.number[i])
    for (country, year), last in highest.items():
        counter, _created = ReferenceCounter.objects.get_or_create(country=country, year=year)
        if counter.last < last:
            ReferenceCounter.objects.filter(pk=counter.pk).update(last=last)


# ---- the load ----------------------------------------------------------------------------

TRIGRAM_SQL = ("CREATE INDEX IF NOT EXISTS person_search_trgm ON people_person "
               "USING gin (search_text gin_trgm_ops)")  # as in people/0002_search_index
SQLITE_INDEX = "people_person_fts"  # as in people/0003_name_search_index


def _suspend_sqlite_index() -> list[str]:
    """Drop the triggers that keep SQLite's name index up to date; return the SQL that
    creates them again (see `_resume_sqlite_index`). Should the load be killed before
    that, `manage.py migrate people 0002` then `migrate people` makes the index again."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                       "AND tbl_name = 'people_person' AND name LIKE %s",
                       [f"{SQLITE_INDEX}%"])
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
    return [sql for _name, sql in triggers]


def _resume_sqlite_index(triggers: list[str]) -> None:
    """Fill the index again from the people table and put the triggers back."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {SQLITE_INDEX}({SQLITE_INDEX}) VALUES ('rebuild')")  # noqa: S608 - a constant
        for sql in triggers:
            cursor.execute(sql)


def seed_bulk(target: int, *, seed: int, progress: Callable[[str], None] = print) -> int:
    """Add synthetic cases until the database holds `target` people. Returns how many
    people were added."""
    existing = Person.objects.count()
    need = target - existing
    if need <= 0:
        progress(f"The database already holds {existing:,} people (asked for {target:,}): "
                 "no synthetic data added.")
        return 0
    started = time.monotonic()
    # The same seed and the same starting point give the same data.
    rng = random.Random(f"{seed}:{existing}:{target}")
    now = time.time() - 3600
    counters = {(c.country, c.year): c.last for c in ReferenceCounter.objects.all()}
    progress(f"Planning {need:,} synthetic people...")
    plan = _plan(rng, need, now, counters)
    progress(f"  {len(plan):,} cases, {len(plan.step_status) + len(plan):,} timeline entries "
             f"({time.monotonic() - started:.0f} s)")
    with transaction.atomic():
        staff = _ensure_staff(plan, rng)
    sustainability = next(v for v in install_shipped()
                          if v.instrument.purpose == Purpose.SUSTAINABILITY)
    surveys = Surveys(sustainability, seed)
    ids = Ids(_next_id(Person), _next_id(Case), _next_id(CaseMember),
              _next_id(TimelineEntry), _next_id(AuditEvent), _next_id(Task),
              _next_id(SurveyResponse), _next_id(DimensionScore), _next_id(AssistedReturn))
    first_response = ids.response
    writer = Writer()
    rebuild_trigram = writer.postgres and need >= TRIGRAM_THRESHOLD
    fast_sqlite = not writer.postgres and not connection.in_atomic_block
    sqlite_triggers: list[str] = []
    if rebuild_trigram:
        progress("  dropping the trigram index during the load")
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS person_search_trgm")
    if not writer.postgres and need >= TRIGRAM_THRESHOLD:
        sqlite_triggers = _suspend_sqlite_index()
        if sqlite_triggers:
            progress("  suspending the name search index during the load")
    if fast_sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB
    rr: Counter = Counter()
    added = 0
    try:
        for chunk, lo in enumerate(range(0, len(plan), CHUNK_CASES)):
            hi = min(lo + CHUNK_CASES, len(plan))
            chunk_rng = random.Random(f"{seed}:{existing}:{target}:{chunk}")
            survey_rng = random.Random(f"{seed}:{existing}:{target}:{chunk}:surveys")
            with transaction.atomic():
                added += _write_chunk(writer, plan, lo, hi, staff, ids, chunk_rng, rr,
                                      surveys, survey_rng, now)
                _save_counters(plan, lo, hi)
                if writer.postgres:
                    with connection.cursor() as cursor:
                        for sql in connection.ops.sequence_reset_sql(
                                no_style(), [Person, Case, CaseMember, TimelineEntry,
                                             AuditEvent, Task, SurveyResponse,
                                             DimensionScore, AssistedReturn]):
                            cursor.execute(sql)
            elapsed = time.monotonic() - started
            if chunk % 10 == 9 or hi == len(plan):
                rate = added / elapsed
                progress(f"  {existing + added:,}/{target:,} people, {hi:,} cases "
                         f"({elapsed:.0f} s, {rate:,.0f} people/s, "
                         f"{(need - added) / rate:.0f} s to go)")
    finally:
        if sqlite_triggers:
            progress("  rebuilding the name search index")
            _resume_sqlite_index(sqlite_triggers)
        if rebuild_trigram:
            progress("  rebuilding the trigram index")
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute(TRIGRAM_SQL)
        if fast_sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
                # A big page cache speeds up the load but slows down ordinary queries.
                cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
                # Move the load out of the write-ahead log into the database file: reads
                # are slower while a large WAL has to be consulted.
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if writer.postgres:
        progress("  ANALYZE")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    progress(f"Added {added:,} synthetic people in {len(plan):,} cases "
             f"({ids.response - first_response:,} survey responses) in "
             f"{time.monotonic() - started:.0f} s.")
    return added
