"""The demo's feedback and complaints, through `feedback.services`, after the cases
(`demo.seed_cases`), each received and handled by the member of staff who would:

- recorded by the receiving office's caseworker (a host office) or reintegration officer
  (an office of origin) — or sent through the public web form, with no one signed in;
- an item that is not sensitive is assigned to the office's M&E officer, who answers it
  and, for most, closes it: some within the deadline, one or two late, some still
  waiting past their deadline (overdue), the newest not yet due;
- the sensitive ones (sexual exploitation and abuse, fraud or corruption) are taken by
  the office's complaints focal point — in the demo, its data protection focal point
  (`world.FOCAL_POINT_LOGIN`). Two of them name a demo member of staff as concerned
  (berlin.movement, baghdad.reintegration): they never see the item, nor do the
  supervisors and M&E officers, who handle the rest.

The items are `ITEMS`, in the language of the demo; names, times and contacts are drawn
from a generator of their own, so the seed stays the same.
"""

import datetime
import random
from dataclasses import dataclass

from retorno.accounts.models import OfficeKind, Role, User
from retorno.cases.models import Case, Status
from retorno.demo.clock import Clock
from retorno.demo.world import FOCAL_POINT_LOGIN, OFFICES, Base, staff_name
from retorno.feedback.deadlines import days_for
from retorno.feedback.models import Category, Channel, Feedback, Kind, is_sensitive
from retorno.feedback.services import answer, assign, close, record_feedback, submit_public

# What becomes of an item: received and still waiting (not yet due); waiting past its
# deadline (assigned or not); answered within the deadline; answered and closed; answered
# late and closed.
OPEN, OVERDUE, ANSWERED, CLOSED, LATE = "open", "overdue", "answered", "closed", "late"


@dataclass(frozen=True)
class Item:
    office: str
    channel: str
    kind: str
    category: str
    days_ago: int
    fate: str
    description: str
    response: str = ""
    language: str = ""
    named: bool = True  # gives a name and contact (else anonymous)
    case: tuple[str, ...] = ()  # link a case of the office in one of these statuses
    concerns: Role | None = None  # the office's login of this role is concerned


_C, _K, _CH = Category, Kind, Channel
ITEMS: tuple[Item, ...] = (
    # Berlin
    Item("deu-berlin", _CH.IN_PERSON, _K.COMPLIMENT, _C.INFORMATION, 120, CLOSED,
         "Thank you to the counsellor who explained every step in my language.",
         "Thank you for your kind words; we passed them on to the team."),
    Item("deu-berlin", _CH.PHONE, _K.QUESTION, _C.TRAVEL, 3, OPEN,
         "When will I know the date of my flight? I need to tell my employer."),
    Item("deu-berlin", _CH.EMAIL, _K.COMPLAINT, _C.DELAYS, 40, OVERDUE,
         "I applied two months ago and nobody has told me whether my application was "
         "approved.", case=(Status.APPLIED, Status.APPROVED)),
    Item("deu-berlin", _CH.WEB, _K.COMPLAINT, _C.DATA_PROTECTION, 60, CLOSED,
         "I received a letter addressed to another person, with their appointment.",
         "We apologise: the letter was put in the wrong envelope. We have informed the "
         "data protection focal point and changed how letters are checked.", named=False),
    Item("deu-berlin", _CH.HOTLINE, _K.COMPLAINT, _C.SEA, 9, OVERDUE,
         "Reports that a member of staff made inappropriate advances and suggested help "
         "with the departure in return.", named=False, concerns=Role.MOVEMENT_OFFICER),
    # The Hague
    Item("nld-the-hague", _CH.LETTER, _K.FEEDBACK, _C.INFORMATION, 90, CLOSED,
         "The information leaflet should also be available in Georgian.",
         "Thank you: a Georgian version is being translated."),
    Item("nld-the-hague", _CH.IN_PERSON, _K.COMPLAINT, _C.STAFF_CONDUCT, 25, ANSWERED,
         "The receptionist was rude to my wife and did not call an interpreter.",
         "We are sorry. We spoke with the reception team; an interpreter is now booked "
         "for every appointment you have."),
    Item("nld-the-hague", _CH.PHONE, _K.QUESTION, _C.GRANTS, 12, OVERDUE,
         "How much of the reinstallation grant is paid before departure?"),
    # Athens
    Item("grc-athens", _CH.IN_PERSON, _K.COMPLAINT, _C.TRAVEL, 50, CLOSED,
         "Nobody explained the baggage allowance; I had to leave things at the airport.",
         "We apologise. The allowance is now explained at the pre-departure briefing and "
         "written on the travel information sheet."),
    Item("grc-athens", _CH.WEB, _K.QUESTION, _C.INFORMATION, 2, OPEN,
         "Can my brother, who lives in another city, also apply?", named=False),
    Item("grc-athens", _CH.PHONE, _K.COMPLIMENT, _C.TRAVEL, 75, CLOSED,
         "The escort at the airport was very helpful with the children.",
         "Thank you for letting us know."),
    # Rabat
    Item("mar-rabat", _CH.IN_PERSON, _K.COMPLAINT, _C.DELAYS, 30, OVERDUE,
         "I have been waiting for my travel document for six weeks.", language="fr",
         case=(Status.PREPARING_DEPARTURE, Status.READY_TO_TRAVEL, Status.ON_HOLD)),
    Item("mar-rabat", _CH.HOTLINE, _K.FEEDBACK, _C.INFORMATION, 45, ANSWERED,
         "The information sessions should also be held in Wolof.",
         "Thank you: we are looking for a Wolof interpreter for the sessions.",
         language="fr"),
    Item("mar-rabat", _CH.WEB, _K.COMPLAINT, _C.FRAUD, 20, CLOSED,
         "A man outside the office asked for money to put names on the list for the next "
         "flight.",
         "Thank you for telling us. Assistance with return is free: nobody may ask you "
         "for money. We have informed the authorities and put up notices at the door.",
         named=False),
    # Istanbul
    Item("tur-istanbul", _CH.PHONE, _K.QUESTION, _C.TRAVEL, 5, OPEN,
         "Can I take my sewing machine with me on the flight?"),
    Item("tur-istanbul", _CH.IN_PERSON, _K.COMPLAINT, _C.OTHER, 35, ANSWERED,
         "The waiting room has no space for children.",
         "Thank you: a corner with toys has been set up in the waiting room."),
    # Niamey
    Item("ner-niamey", _CH.IN_PERSON, _K.COMPLIMENT, _C.INFORMATION, 100, CLOSED,
         "Thank you for the medical care in the transit centre.", "Thank you.",
         language="fr"),
    Item("ner-niamey", _CH.HOTLINE, _K.COMPLAINT, _C.DELAYS, 22, OVERDUE,
         "Our convoy was postponed twice and nobody explained why.", language="fr"),
    # Baghdad
    Item("irq-baghdad", _CH.PHONE, _K.COMPLAINT, _C.GRANTS, 28, CLOSED,
         "The second instalment of my business grant has not been paid.",
         "The instalment was approved and paid last week; please check your account.",
         language="ar", case=(Status.MONITORING, Status.REINTEGRATION)),
    Item("irq-baghdad", _CH.IN_PERSON, _K.FEEDBACK, _C.REINTEGRATION, 65, CLOSED,
         "The training course was good; please add evening classes for those who work.",
         "Thank you: the partner will open an evening group next term."),
    Item("irq-baghdad", _CH.HOTLINE, _K.COMPLAINT, _C.FRAUD, 1, OPEN,
         "Says the officer asked for part of the business grant back in cash.",
         language="ar", named=False, concerns=Role.REINTEGRATION_OFFICER),
    # Kabul
    Item("afg-kabul", _CH.PHONE, _K.COMPLAINT, _C.PARTNERS, 18, ANSWERED,
         "The psychologist of the partner cancelled three appointments.",
         "We spoke with the partner; a new counsellor will call you this week."),
    Item("afg-kabul", _CH.IN_PERSON, _K.QUESTION, _C.GRANTS, 9, OVERDUE,
         "Can the business grant be paid to my brother's account?"),
    # Lagos
    Item("nga-lagos", _CH.HOTLINE, _K.COMPLAINT, _C.REINTEGRATION, 55, LATE,
         "The equipment for my shop was delivered incomplete.",
         "The supplier has delivered the missing parts; sorry for the delay."),
    Item("nga-lagos", _CH.WEB, _K.COMPLIMENT, _C.PARTNERS, 14, ANSWERED,
         "The business coaching helped me a lot.", "Thank you, we told the partner.",
         named=False),
    # Tbilisi
    Item("geo-tbilisi", _CH.EMAIL, _K.QUESTION, _C.REINTEGRATION, 30, CLOSED,
         "Can the training be in Kutaisi instead of Tbilisi?",
         "Yes: the partner has a course in Kutaisi starting next month."),
    Item("geo-tbilisi", _CH.PHONE, _K.FEEDBACK, _C.PARTNERS, 6, OPEN,
         "The housing advice was useful but the office is hard to reach by bus."),
    # Kyiv
    Item("ukr-kyiv", _CH.EMAIL, _K.COMPLAINT, _C.GRANTS, 16, OVERDUE,
         "The reinstallation grant was paid at a lower rate than I was told."),
    # Dakar
    Item("sen-dakar", _CH.IN_PERSON, _K.COMPLIMENT, _C.REINTEGRATION, 40, CLOSED,
         "The fishing equipment arrived on time; thank you.", "Thank you!",
         language="fr"),
    Item("sen-dakar", _CH.PHONE, _K.COMPLAINT, _C.DELAYS, 26, ANSWERED,
         "I am still waiting for the visit to approve my plan.",
         "The visit is booked for next Tuesday.", language="fr"),
    # Banjul
    Item("gmb-banjul", _CH.HOTLINE, _K.QUESTION, _C.INFORMATION, 11, ANSWERED,
         "Who can help me get my birth certificate again?",
         "The partner's legal adviser can help: we have sent them your number."),
    Item("gmb-banjul", _CH.IN_PERSON, _K.COMPLAINT, _C.GRANTS, 19, OVERDUE,
         "The mobile money transfer did not arrive."),
    # Damascus
    Item("syr-damascus", _CH.PHONE, _K.COMPLAINT, _C.STAFF_CONDUCT, 33, CLOSED,
         "The driver who met us at the airport was late by three hours.",
         "We apologise; the transport partner has been reminded of its obligations.",
         language="ar"),
)

# The countries whose names the offices' complainants have: the office's own, or for a
# host office, the first nationality it serves.
NAME_COUNTRY = {"deu-berlin": "IRQ", "nld-the-hague": "GEO", "grc-athens": "AFG",
                "mar-rabat": "SEN", "tur-istanbul": "AFG", "ner-niamey": "GMB"}


def _recorder(base: Base, office: str) -> User:
    kind = next(o.kind for o in OFFICES if o.code == office)
    role = Role.REINTEGRATION_OFFICER if kind == OfficeKind.ORIGIN else Role.CASEWORKER
    return base.user(office, role)


def _handler(base: Base, item: Item) -> User:
    role = FOCAL_POINT_LOGIN if is_sensitive(item.category) else Role.ME_OFFICER
    return base.user(item.office, role)


def _case(item: Item, received_at: datetime.datetime) -> Case | None:
    if not item.case:
        return None
    office = Case.objects.filter(status__in=item.case, created_at__lt=received_at)
    if item.office in NAME_COUNTRY:
        office = office.filter(host_office__code=item.office)
    else:
        office = office.filter(origin_office__code=item.office,
                               handed_over_at__isnull=False)
    return office.order_by("pk").first()


def seed_feedback(base: Base, clock: Clock, now: datetime.datetime) -> list[Feedback]:
    """Every item of `ITEMS`, received `days_ago` days before `now` and handled as its
    fate says; an item may name one of the demo's cases of its office."""
    rng = random.Random("demo feedback")
    latest = now - datetime.timedelta(hours=1)
    items = []
    for spec in ITEMS:
        received_at = min(latest, (now - datetime.timedelta(days=spec.days_ago)).replace(
            hour=rng.randint(8, 16), minute=rng.randrange(60)))
        clock.set(received_at)
        person = {}
        if spec.named:
            country = NAME_COUNTRY.get(spec.office) or next(
                o.country for o in OFFICES if o.code == spec.office)
            given, family = staff_name(country, rng)
            person = {"name": f"{given} {family}",
                      "contact": f"+{rng.randint(20, 998)} {rng.randint(100, 999)} "
                                 f"{rng.randint(1000, 9999)}"}
        content = {"office": base.offices[spec.office], "kind": spec.kind,
                   "category": spec.category, "description": spec.description,
                   "anonymous": not spec.named, "language": spec.language, **person}
        if spec.channel == Channel.WEB:
            item = submit_public(**content)
        else:
            case = _case(spec, received_at)
            concerns = [base.user(spec.office, spec.concerns)] if spec.concerns else []
            item = record_feedback(actor=_recorder(base, spec.office), channel=spec.channel,
                                   received_at=received_at, case=case, concerns=concerns,
                                   **content)
        items.append(_handle(base, spec, item, clock, received_at, latest, rng))
    return items


def _handle(base: Base, spec: Item, item: Feedback, clock: Clock,
            received_at: datetime.datetime, latest: datetime.datetime,
            rng: random.Random) -> Feedback:
    handler = _handler(base, spec)
    deadline = days_for(spec.kind, spec.category)
    if spec.fate == OPEN and rng.random() < 0.5:
        return item
    # Taken up within a day or two (a sensitive one within hours).
    clock.set(min(latest, received_at + datetime.timedelta(
        hours=rng.uniform(2, 6) if item.sensitive else rng.uniform(4, 40))))
    item = assign(actor=handler, item=item, version=item.version, assignee=handler)
    if spec.fate in (OPEN, OVERDUE):
        return item
    if spec.fate == LATE:
        answered_at = received_at + datetime.timedelta(days=deadline + rng.uniform(3, 8))
    else:
        answered_at = received_at + datetime.timedelta(
            days=rng.uniform(0.5, max(1.0, deadline - 1)))
    clock.set(min(latest, max(clock.now(), answered_at)))
    item = answer(actor=handler, item=item, version=item.version, response=spec.response)
    if spec.fate == ANSWERED:
        return item
    clock.set(min(latest, clock.now() + datetime.timedelta(days=rng.uniform(1, 10))))
    return close(actor=handler, item=item, version=item.version)
