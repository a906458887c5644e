"""The demo's monitoring after return, through the services (`surveys.services`,
`monitoring.services`), each step by the member of staff who would take it:

- before the first case, the Berlin M&E officer installs the shipped survey instruments
  (sustainability, satisfaction) and gives every demo programme its monitoring schedule
  (`SCHEDULE`: a call with the satisfaction survey at 3 months, visits with the
  sustainability survey at 6 and 12 months), so that each arrival opens its contact
  tasks through the `arrived` hook;
- before departure the host office's caseworker records every member's consent to
  monitoring surveys (`demo._prepare_travel`);
- around the reintegration plan, the origin office's reintegration officer records the
  baseline sustainability survey (before the plan is approved: the baseline round);
- at each scheduled month that is in the simulated past, the origin office's M&E
  officer (now and then its reintegration officer) calls or visits: mostly the returnee
  is reached; some cannot be reached (or have moved within the country) and are reached
  on a later attempt; a few have migrated again; one or two decline. Once reached, the
  step's survey: the satisfaction survey at 3 months for most, the follow-up
  sustainability survey at 6 and 12 months.

Scores improve over time for most returnees and not for some, with levels that differ by
country (`PROFILES`), so the M&E dashboard shows differences; some answers are "don't
know" and a few responses leave a whole dimension unanswered (the missing-answer rule:
no score for it, no composite). Everything is put on the case's `assistance.Agenda`, so
nothing happens after the case closed or in the future.

The rarer outcomes follow a fixed pattern over the seed's contacts (`Tally`), so even a
small seed shows each of them; per case randomness comes from the case's reference.
"""

import datetime
import random
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from retorno.accounts.models import Role, User
from retorno.cases.models import Case, Relationship
from retorno.demo.assistance import Agenda
from retorno.demo.clock import Clock
from retorno.demo.world import Base
from retorno.monitoring.models import Outcome, VisitMode
from retorno.monitoring.policy import is_monitored, schedule_of
from retorno.monitoring.services import record_visit, set_schedule
from retorno.surveys.definition import Definition
from retorno.surveys.models import InstrumentVersion, Source
from retorno.surveys.services import install_shipped, record_response

SUSTAINABILITY, SATISFACTION = "sustainability", "satisfaction"
# The schedule every demo programme gets (the monitoring services' step fields).
SCHEDULE = (
    {"months_after_arrival": 3, "label": "Three-month call", "mode": "call",
     "instrument": SATISFACTION, "window_days": 30},
    {"months_after_arrival": 6, "label": "Six-month visit", "mode": "visit",
     "instrument": SUSTAINABILITY, "window_days": 30},
    {"months_after_arrival": 12, "label": "Twelve-month visit", "mode": "visit",
     "instrument": SUSTAINABILITY, "window_days": 45},
)
SCHEDULE_KEEPER = ("deu-berlin", Role.ME_OFFICER)

# Per country of return: (level of the baseline answers from 0 to 1, how much it rises
# over a year for those whose situation improves, share of returnees who improve).
PROFILES: dict[str, tuple[float, float, float]] = {
    "IRQ": (0.45, 0.30, 0.8), "SYR": (0.36, 0.14, 0.55), "AFG": (0.34, 0.16, 0.55),
    "NGA": (0.48, 0.32, 0.8), "GEO": (0.56, 0.28, 0.85), "UKR": (0.42, 0.18, 0.65),
    "SEN": (0.50, 0.28, 0.8), "GMB": (0.46, 0.24, 0.75),
}
# The economic side starts lowest; the social one (housing, documents) highest.
DIMENSION_SHIFT = {"e": -0.08, "s": 0.06, "p": 0.0}
NOISE = 0.08
DONT_KNOW = 0.04  # chance of "don't know" to any one question
# Every so many sustainability responses, one leaves a whole dimension unanswered.
GAP_EVERY = 9

# The outcomes of first attempts, by their number in the seed (the rest are reached).
NOT_REACHED_EVERY, NOT_REACHED_FROM = 7, 1
MOVED_EVERY, MOVED_FROM = 29, 9
MIGRATED_EVERY, MIGRATED_FROM = 31, 3
DECLINED_AT = frozenset({5, 70})
# Where those who migrated again went, by country of return.
MIGRATED_TO = {"IRQ": ("DEU", "TUR"), "SYR": ("TUR", "LBN"), "AFG": ("IRN", "TUR"),
               "NGA": ("LBY", "ITA"), "GEO": ("DEU", "FRA"), "UKR": ("POL", "DEU"),
               "SEN": ("MAR", "ESP"), "GMB": ("LBY", "ITA")}
NOTES = {
    Outcome.REACHED: (
        "Spoke with the returnee; living with the family and in touch with the office.",
        "Visited at home; the business is running, income still irregular.",
        "Reached; asked about the next instalment and about training courses.",
        "Reached; settling in, children back at school.",
    ),
    Outcome.NOT_REACHED: (
        "Phone switched off; left a message with a relative.",
        "Nobody at home; neighbours say the family is away for a few days.",
    ),
    Outcome.MOVED_IN_COUNTRY: (
        "Moved to relatives in another province; new phone number obtained.",
    ),
    Outcome.MIGRATED_AGAIN: (
        "A relative says the returnee left the country again two months ago.",
    ),
    Outcome.DECLINED: (
        "Does not wish to be contacted again; thanked the office for its help.",
    ),
}
SATISFACTION_COMMENTS = (
    "The staff at the airport were very helpful.",
    "The grant took longer than promised.",
    "Would like more information on jobs.",
)


@dataclass
class Tally:
    """What the whole seed counts: contacts and sustainability responses (for the fixed
    pattern of rare outcomes), and the instruments' current versions."""

    versions: dict[str, InstrumentVersion] = field(default_factory=dict)
    contacts: int = 0
    responses: int = 0

    def first_outcome(self) -> str:
        n = self.contacts
        self.contacts += 1
        if n in DECLINED_AT:
            return Outcome.DECLINED
        if n % MIGRATED_EVERY == MIGRATED_FROM:
            return Outcome.MIGRATED_AGAIN
        if n % MOVED_EVERY == MOVED_FROM:
            return Outcome.MOVED_IN_COUNTRY
        if n % NOT_REACHED_EVERY == NOT_REACHED_FROM:
            return Outcome.NOT_REACHED
        return Outcome.REACHED


def set_up(base: Base, clock: Clock, at: datetime.datetime) -> Tally:
    """The shipped instruments and every demo programme's monitoring schedule, set by
    the Berlin M&E officer at `at` (before the first case)."""
    clock.set(at)
    keeper = base.user(*SCHEDULE_KEEPER)
    versions = {v.instrument.code: v for v in install_shipped(actor=keeper)}
    for code in sorted(base.programmes):
        programme = base.programmes[code]
        clock.set(clock.now() + datetime.timedelta(minutes=10))
        schedule = schedule_of(programme)
        set_schedule(actor=keeper, programme=programme,
                     version=schedule.version if schedule is not None else None,
                     steps=[dict(step) for step in SCHEDULE])
    return Tally(versions=versions)


@dataclass
class Followup:
    """One case's monitoring after return, scheduled on its agenda."""

    case: Case
    agenda: Agenda
    tally: Tally
    monitor: User  # the origin office's M&E officer
    reintegration: User  # the origin office's reintegration officer
    rng: random.Random = field(init=False)
    arrived_on: datetime.date | None = None
    gone: bool = False  # migrated again or declined: nobody calls again
    level: float = 0.0
    gain: float = 0.0

    def __post_init__(self) -> None:
        self.rng = random.Random(f"monitoring {self.case.reference}")
        base, gain, improving = PROFILES.get(self.case.destination_country,
                                             (0.4, 0.15, 0.7))
        self.level = base + self.rng.gauss(0, 0.05)
        self.gain = gain if self.rng.random() < improving else -0.04

    # ---- when things happen ------------------------------------------------------------

    def _at(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(
            day, datetime.time(self.rng.randint(8, 16), self.rng.randrange(60)),
            tzinfo=timezone.get_current_timezone())

    def _current(self) -> Case | None:
        """The case as it stands now, if it is still monitored."""
        case = Case.objects.select_related("origin_office", "programme").get(pk=self.case.pk)
        return case if is_monitored(case) else None

    # ---- the steps of the case -----------------------------------------------------------

    def arrived(self, on: datetime.date) -> None:
        """Each step of the programme's schedule, on the agenda around its due date."""
        self.arrived_on = on
        schedule = schedule_of(self.case.programme)
        if schedule is None:
            return
        for step in schedule.steps.order_by("months_after_arrival"):
            due = on + relativedelta(months=step.months_after_arrival)
            day = max(on, due + datetime.timedelta(days=self.rng.randint(-10, 15)))
            self.agenda.add(self._at(day), lambda step=step: self._contact(step, attempt=1))

    def baseline_later(self) -> None:
        """The baseline survey some days into reintegration, for a case whose plan is not
        built in the demo (still in reintegration, or withdrawn from it)."""
        at = self.agenda.clock.now() + datetime.timedelta(days=self.rng.uniform(5, 25))
        self.agenda.add(at.replace(hour=self.rng.randint(8, 16)), self.baseline)

    def baseline(self) -> None:
        """The baseline sustainability survey, by the reintegration officer, on the day."""
        case = self._current()
        if case is None:
            return
        self._survey(case, SUSTAINABILITY, self.reintegration, 0, "baseline",
                     Source.WEB)

    def _contact(self, step, attempt: int) -> None:
        case = self._current()
        if case is None or self.gone:
            return
        outcome = self.tally.first_outcome() if attempt == 1 else Outcome.REACHED
        if attempt == 2 and self.rng.random() < 0.2:
            outcome = Outcome.NOT_REACHED  # reached on the third attempt
        actor = self.monitor if self.rng.random() < 0.75 else self.reintegration
        call = step.mode == "call" or outcome == Outcome.NOT_REACHED
        if call:
            mode = VisitMode.PHONE_CALL if self.rng.random() < 0.85 else VisitMode.VIDEO_CALL
        else:
            mode = VisitMode.HOME_VISIT if self.rng.random() < 0.8 else VisitMode.OFFICE_VISIT
        data = {"step": step, "contact_on": timezone.localdate(self.agenda.clock.now()),
                "mode": mode, "outcome": outcome,
                "notes": self.rng.choice(NOTES[Outcome(outcome)])}
        if outcome == Outcome.MIGRATED_AGAIN:
            data["migrated_to_country"] = self.rng.choice(
                MIGRATED_TO.get(case.destination_country, ("DEU",)))
        record_visit(actor=actor, case=case, data=data)
        if outcome in (Outcome.NOT_REACHED, Outcome.MOVED_IN_COUNTRY):
            later = self.agenda.clock.now() + datetime.timedelta(days=self.rng.randint(4, 15))
            self.agenda.add(later, lambda: self._contact(step, attempt=attempt + 1))
            return
        if outcome != Outcome.REACHED:
            self.gone = True
            return
        if step.instrument == SATISFACTION and self.rng.random() < 0.25:
            return  # no time for the survey on this call
        if step.instrument:
            self._survey(case, step.instrument, actor, step.months_after_arrival,
                         f"m{step.months_after_arrival}",
                         Source.WEB if call else Source.KOBO)

    # ---- the surveys -------------------------------------------------------------------

    def _survey(self, case: Case, code: str, actor: User, months: int, label: str,
                source: str) -> None:
        version = self.tally.versions.get(code)
        if version is None:
            return
        if code == SUSTAINABILITY:
            answers = self._sustainability(version, months)
        else:
            answers = self._satisfaction(version)
        record_response(actor=actor, case=case, version=version, answers=answers,
                        collected_on=timezone.localdate(self.agenda.clock.now()),
                        source=source, submission_id=f"demo-{case.reference}-{label}")

    def _pick(self, question: dict, target: float) -> str | None:
        """The option around `target` (with some noise): of the two options whose values
        surround it, the nearer one more often, so the answers average to the target."""
        valued = sorted((o for o in question.get("options") or []
                         if o.get("value") is not None), key=lambda o: float(o["value"]))
        if not valued:
            return None
        aim = min(1.0, max(0.0, target + self.rng.gauss(0, NOISE)))
        above = next((i for i, o in enumerate(valued) if float(o["value"]) >= aim),
                     len(valued) - 1)
        if above == 0:
            return valued[0]["name"]
        low, high = float(valued[above - 1]["value"]), float(valued[above]["value"])
        share = (aim - low) / (high - low) if high > low else 1.0
        return valued[above if self.rng.random() < share else above - 1]["name"]

    def _sustainability(self, version: InstrumentVersion, months: int) -> dict[str, str]:
        definition = Definition(version.definition)
        n = self.tally.responses
        self.tally.responses += 1
        gap = ("e", "s", "p")[n // GAP_EVERY % 3] if n % GAP_EVERY == GAP_EVERY // 2 else ""
        children = self.case.members.filter(relationship=Relationship.CHILD).exists()
        target = self.level + self.gain * months / 12
        answers: dict[str, str] = {}
        for question in definition.questions:
            name, kind = question["name"], question.get("type")
            if kind == "integer":
                answers[name] = str(self.case.members.count() + self.rng.randint(0, 3))
                continue
            if kind != "select_one":
                continue
            part = name[:1]
            options = {o["name"] for o in question.get("options") or []}
            if name == "s2_school" and not children and "not_applicable" in options:
                answers[name] = "not_applicable"
            elif part == gap or self.rng.random() < DONT_KNOW:
                if "dont_know" in options:
                    answers[name] = "dont_know"
            else:
                choice = self._pick(question, target + DIMENSION_SHIFT.get(part, 0.0))
                if choice is not None:
                    answers[name] = choice
        return answers

    def _satisfaction(self, version: InstrumentVersion) -> dict[str, str]:
        definition = Definition(version.definition)
        target = 0.62 + self.level / 3
        answers: dict[str, str] = {}
        for question in definition.questions:
            name, kind = question["name"], question.get("type")
            if kind == "text":
                if self.rng.random() < 0.3:
                    answers[name] = self.rng.choice(SATISFACTION_COMMENTS)
            elif kind == "select_one":
                options = {o["name"] for o in question.get("options") or []}
                if self.rng.random() < DONT_KNOW and "dont_know" in options:
                    answers[name] = "dont_know"
                elif (choice := self._pick(question, target)) is not None:
                    answers[name] = choice
        return answers
