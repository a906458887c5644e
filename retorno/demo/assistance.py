"""The money and the partners' help a demo case gets once it leaves, through the
services (`finance.services`, `partners.services`, `privacy.consent`,
`reintegration.services`), each step by the member of staff — or the partner user —
who would take it:

- on departure, the host office's movement officer awards the reinstallation grant and
  pays the share the programme's package pays before departure, in the programme's
  currency;
- a few days after the arrival, the origin office's reintegration officer pays the rest
  in the local currency, at the month's rate;
- once the reintegration plan is approved (which awards the reintegration grant): the
  business set-up paid to the returnee in two instalments, the vocational training paid
  to its provider, in the local currency, some with a receipt; the psychosocial support is
  the partner's, in kind. Above the programme's threshold a payment waits for the origin
  office's supervisor (four eyes) before it is paid — within days, or weeks when the
  supervisor is on field visits, so the latest are still waiting; now and then one is
  rejected;
- referrals of the principal to the office's partner, each after the origin office's
  supervisor recorded the person's consent to sharing with that partner: some soon after
  arrival (psychosocial support, housing, a job), more for the plan's items; the
  partner's login accepts them (or, now and then, declines), records the service given
  and closes them with its feedback, as time allows;
- some cases are linked to a community project of their office running at the time.

Everything is put on the case's `Agenda` with the moment it happens, and done in time
order between the case's steps (`demo._play`): what falls after the case closed or is
still in the future never happens. Payments never take more than the grant, the
package's timing or the item's cost allow (the services would refuse).
"""

import datetime
import heapq
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import cache
from typing import Any

from django.utils import timezone
from weasyprint import HTML

from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.demo.clock import Clock
from retorno.demo.directory import LOCAL_CURRENCY, Directory
from retorno.demo.world import staff_name
from retorno.finance.models import Disbursement, Grant, Method
from retorno.lib.money import minor_units
from retorno.partners.models import Partner, Referral
from retorno.privacy.consent import has_consent, is_child, record_consent
from retorno.privacy.models import ConsentPurpose
from retorno.programmes.models import ComponentKind

PARTNER_FORM = "AVRR-partner-consent-2025-1"
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)

# How the origin offices pay returnees, by country -> weight.
METHODS = {
    "IRQ": ((Method.CASH, 3), (Method.BANK_TRANSFER, 2)),
    "SYR": ((Method.CASH, 4), (Method.VOUCHER, 1)),
    "AFG": ((Method.CASH, 3), (Method.MOBILE_MONEY, 1)),
    "NGA": ((Method.BANK_TRANSFER, 3), (Method.MOBILE_MONEY, 2)),
    "GEO": ((Method.BANK_TRANSFER, 4), (Method.CASH, 1)),
    "UKR": ((Method.BANK_TRANSFER, 4), (Method.CASH, 1)),
    "SEN": ((Method.MOBILE_MONEY, 3), (Method.CASH, 2)),
    "GMB": ((Method.MOBILE_MONEY, 2), (Method.CASH, 3)),
}
# What the reintegration officer tells the partner the person needs, per service.
NEEDS = {
    "business": "Wants to start a small business; needs coaching on a business plan and "
                "bookkeeping.",
    "vocational_training": "Wants a trade qualification to find steady work.",
    "psychosocial": "Finds it hard to settle back; would like to talk to a counsellor.",
    "housing": "Staying with relatives in one room; looking for a place to rent.",
    "job_placement": "Looking for work; has experience in construction and driving.",
    "medical": "Needs follow-up of a chronic condition by a general practitioner.",
}
EARLY_SERVICES = ("psychosocial", "housing", "job_placement", "medical")
# What a partner says once the service is given, and when it closes the referral.
SERVICE_GIVEN = {
    "business": "Four coaching sessions; business plan and simple bookkeeping done.",
    "vocational_training": "Enrolled in the three-month course; attended to the end.",
    "psychosocial": "Six individual counselling sessions.",
    "housing": "Helped find a flat and negotiate the first lease; deposit advice.",
    "job_placement": "Introduced to three employers; hired on a six-month contract.",
    "medical": "Seen by a general practitioner; treatment plan agreed.",
}
# How long the service takes once accepted, in days.
SERVICE_DAYS = {"business": (20, 60), "vocational_training": (80, 100),
                "psychosocial": (30, 90), "housing": (10, 40), "job_placement": (15, 60),
                "medical": (5, 30)}
FEEDBACK = (
    "Service completed; the person is doing well and knows how to reach us.",
    "Completed. The person asked to stay in touch for follow-up advice.",
    "Goals met; we recommend a follow-up visit in six months.",
    "Completed, with some missed appointments; the person is now settled.",
)
DECLINE_REASONS = (
    "No places left in the current cohort; please refer again next quarter.",
    "We do not work in the district where the person now lives.",
)
REJECTION_NOTES = (
    "The quote is well above market prices: ask the supplier for a second quote.",
    "The invoice does not match the approved item; ask the provider for a corrected one.",
)


class Agenda:
    """What is to happen to one case, and when: done in time order by `run`."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._queue: list[tuple[datetime.datetime, int, Callable[[], Any]]] = []
        self._added = 0

    def add(self, at: datetime.datetime, action: Callable[[], Any]) -> None:
        self._added += 1
        heapq.heappush(self._queue, (at, self._added, action))

    def run(self, until: datetime.datetime) -> None:
        """Do, in time order, everything due by `until` (with what that schedules)."""
        while self._queue and self._queue[0][0] <= until:
            at, _n, action = heapq.heappop(self._queue)
            self.clock.set(at)
            action()


@dataclass
class Team:
    """Who pays and approves on each side of the case."""

    host_pay: User  # the host office's movement officer
    host_approve: User  # the host office's supervisor
    origin_pay: User  # the origin office's reintegration officer
    origin_approve: User  # the origin office's supervisor


@dataclass
class Aftercare:
    """One case's money and referrals, scheduled on its agenda."""

    case: Case
    team: Team
    agenda: Agenda
    directory: Directory
    rng: random.Random = field(init=False)
    _payments: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(f"aftercare {self.case.reference}")

    # ---- when things happen ------------------------------------------------------------

    def later(self, days: tuple[float, float]) -> datetime.datetime:
        """Some days after the clock, in office hours."""
        at = self.agenda.clock.now() + datetime.timedelta(days=self.rng.uniform(*days))
        return at.replace(hour=self.rng.randint(8, 16), minute=self.rng.randrange(60))

    def today(self) -> datetime.date:
        return timezone.localdate(self.agenda.clock.now())

    # ---- the steps of the case -----------------------------------------------------------

    def departing(self) -> None:
        """Just before departure: the reinstallation grant awarded, its before-departure
        share paid in the programme's currency."""
        from retorno.finance.services import award_grant

        grant = award_grant(actor=self.team.host_pay, case=self.case,
                            kind=ComponentKind.REINSTALLATION)
        self.pay(grant, None, method=Method.CASH, local=False, payee=self._payee(),
                 note="Reinstallation grant: the share paid before departure.",
                 host=True)

    def arrived(self) -> None:
        """A few days after the arrival: the rest of the reinstallation grant."""
        grant = self._grant(ComponentKind.REINSTALLATION)
        if grant is None:
            return
        self.agenda.add(self.later((1, 4)), lambda: self.pay(
            grant, None, method=self._method(), payee=self._payee(),
            note="Reinstallation grant: the rest, paid after arrival."))

    def reintegrating(self) -> None:
        """Soon after reintegration starts, now and then a referral for what cannot
        wait for the plan."""
        office = self.case.origin_office.code
        offered = [s for s in EARLY_SERVICES
                   if self.directory.offering(office, s, answering=True) is not None]
        if offered and self.rng.random() < 0.45:
            service = self.rng.choice(offered)
            self.agenda.add(self.later((3, 12)), lambda: self.refer(service, None))

    def plan_approved(self, plan: Any) -> None:
        """The plan's items paid for and referred, and perhaps a community project."""
        from retorno.reintegration.policy import items_of

        items = {item.kind: item for item in items_of(plan)}
        business = items.get("business")
        if business is not None:
            self.agenda.add(self.later((2, 8)), lambda: self.pay_item(business, Decimal("0.5")))
            self.agenda.add(self.later((45, 95)), lambda: self.pay_item(
                business, Decimal(1), deliver=True))
        training = items.get("vocational_training")
        if training is not None:
            self.agenda.add(self.later((10, 30)), lambda: self.pay_item(
                training, Decimal(1), to_provider=True))
        for kind, chance in (("psychosocial", 0.6), ("business", 0.4),
                             ("vocational_training", 0.4)):
            item = items.get(kind)
            if item is not None and self.rng.random() < chance:
                self.agenda.add(self.later((2, 14)),
                                lambda kind=kind, item=item: self.refer(kind, item))
        if self.rng.random() < 0.5:
            self.agenda.add(self.later((5, 40)), self.join_project)

    # ---- paying ------------------------------------------------------------------------

    def _grant(self, kind: str) -> Grant | None:
        from retorno.finance.services import grant_of

        return grant_of(self.case, kind)

    def _payee(self) -> str:
        principal = self.case.principal
        return principal.person.display_name if principal is not None else ""

    def _method(self) -> str:
        return self.rng.choices(*zip(*METHODS[self.case.destination_country], strict=True))[0]

    def _key(self) -> str:
        self._payments += 1
        return f"demo-{self.case.reference}-{self._payments}"

    def _room(self, grant: Grant, item: Any) -> Decimal:
        """The most that may be requested now: what the grant, the package's timing and
        the item's cost leave."""
        from retorno.finance.models import COUNTING
        from retorno.finance.services import counted, payable_share

        payable, _next, _arrived = payable_share(self.case, grant, self.today())
        room = min(grant.amount, payable) - counted(grant)
        if item is not None:
            spent = sum((d.amount for d in Disbursement.objects.filter(
                item_id=item.pk, status__in=COUNTING)), Decimal(0))
            room = min(room, item.cost - spent)
        return room

    def pay(self, grant: Grant, item: Any, *, method: str, payee: str, note: str,
            amount: Decimal | None = None, local: bool = True, host: bool = False,
            receipt: bool = False, then: Callable[[], Any] | None = None) -> None:
        """Request a payment of `amount` (all that may be paid now by default), paid at
        once — or, above the programme's threshold, approved by the supervisor of the
        paying side a little later and then paid."""
        from retorno.finance.services import request_disbursement

        room = self._room(grant, item)
        amount = room if amount is None else min(amount, room)
        amount = amount.quantize(Decimal(1).scaleb(-minor_units(grant.currency)),
                                 rounding=ROUND_DOWN)
        if amount <= 0:
            return
        payer = self.team.host_pay if host else self.team.origin_pay
        threshold = self.case.programme.approval_threshold
        direct = threshold is not None and amount <= threshold
        with_receipt = receipt and direct
        disbursement = request_disbursement(
            actor=payer, grant=grant, amount=amount, method=method, client_key=self._key(),
            local_currency=LOCAL_CURRENCY[self.case.destination_country] if local else "",
            paid_on=self.today() if direct else None, payee=payee, item=item, note=note,
            receipt=io.BytesIO(receipt_pdf()) if with_receipt else None)
        if direct:
            if then is not None:
                then()
            return
        # Four eyes: the same day before departure; after arrival within days, or for an
        # item a few weeks when the supervisor is away on field visits (so the latest are
        # still waiting; an item is paid for long before the case can close).
        approver = self.team.host_approve if host else self.team.origin_approve
        slow = item is not None and self.rng.random() < 0.4
        approve_at = ((self.agenda.clock.now() + HOUR) if host
                      else self.later((14, 40) if slow else (1, 4)))
        self.agenda.add(approve_at, lambda: self._decide(disbursement, payer, approver, host,
                                                          receipt, then))

    def _decide(self, disbursement: Disbursement, payer: User, approver: User, host: bool,
                receipt: bool, then: Callable[[], Any] | None) -> None:
        from retorno.finance.services import decide_disbursement, record_payment

        approve = host or self.rng.random() >= 0.08
        decide_disbursement(actor=approver, disbursement=disbursement, approve=approve,
                            note="" if approve else self.rng.choice(REJECTION_NOTES),
                            version=disbursement.version)
        if not approve:
            return

        def paid() -> None:
            record_payment(actor=payer, disbursement=disbursement, paid_on=self.today(),
                           version=disbursement.version,
                           receipt=io.BytesIO(receipt_pdf()) if receipt else None)
            if then is not None:
                then()

        self.agenda.add((self.agenda.clock.now() + HOUR) if host else self.later((1, 5)),
                        paid)

    def pay_item(self, item: Any, share: Decimal, *, to_provider: bool = False,
                 deliver: bool = False) -> None:
        """Pay `share` of the item's cost (what is left of it, for the whole): to the
        returnee, or by bank transfer to the provider against its invoice."""
        grant = self._grant(ComponentKind.REINTEGRATION)
        if grant is None:
            return
        item.refresh_from_db()
        amount = (item.cost * share) if share < 1 else None
        provider = item.provider.name if item.provider_id else item.provider_name
        then = (lambda: self._deliver(item)) if deliver else None
        if to_provider:
            self.pay(grant, item, amount=amount, method=Method.BANK_TRANSFER,
                     payee=provider or self._payee(), receipt=self.rng.random() < 0.7,
                     note=f"Invoice for: {item.description}", then=then)
        else:
            self.pay(grant, item, amount=amount, method=self._method(),
                     payee=self._payee(), receipt=self.rng.random() < 0.5,
                     note=f"{item.description} ({'first instalment' if share < 1 else 'rest'})",
                     then=then)

    def _deliver(self, item: Any) -> None:
        from retorno.reintegration.models import Delivery
        from retorno.reintegration.services import record_delivery

        item.refresh_from_db()
        record_delivery(actor=self.team.origin_pay, item=item, version=item.version,
                        delivery=Delivery.DELIVERED, delivered_on=self.today())

    # ---- referrals -----------------------------------------------------------------------

    def refer(self, service: str, item: Any) -> None:
        """Refer the principal to the office's partner for `service`, their consent to
        sharing with it recorded first; the partner answers as time allows."""
        from retorno.partners.services import send_referral, valid_agreement

        # The item's provider if it answers referrals, else the office's partner that
        # offers the service and does.
        partner = item.provider if item is not None and item.provider_id else None
        if partner is None or self.directory.user_of(partner) is None:
            partner = self.directory.offering(self.case.origin_office.code, service,
                                              answering=True)
        member = self.case.principal
        if partner is None or member is None or valid_agreement(partner) is None:
            return
        person = member.person
        if Referral.objects.filter(case_id=self.case.pk, person_id=person.pk,
                                   service=service).exists():
            return
        if not has_consent(person, ConsentPurpose.PARTNER, partner.name):
            guardian = {}
            if is_child(member, self.today()):
                given, family = staff_name(self.case.origin_office.country, self.rng)
                guardian = {"guardian_name": f"{given} {family}",
                            "guardian_relationship": "Guardian appointed by the child "
                                                     "protection services"}
            record_consent(actor=self.team.origin_approve, case=self.case, person=person,
                           purpose=ConsentPurpose.PARTNER, partner_name=partner.name,
                           given_on=self.today(), form_version=PARTNER_FORM, **guardian)
            self.agenda.clock.set(self.agenda.clock.now() + datetime.timedelta(minutes=20))
        referral = send_referral(actor=self.team.origin_pay, case=self.case, person=person,
                                 partner=partner, service=service, need=NEEDS[service],
                                 item=item)
        user = self.directory.user_of(partner)
        if user is not None:
            self.agenda.add(self.later((1, 10)), lambda: self._answer(referral, user, item))

    def _answer(self, referral: Referral, user: User, item: Any) -> None:
        from retorno.partners.services import accept_referral, decline_referral

        if self.rng.random() < 0.07:
            decline_referral(actor=user, referral=referral, version=referral.version,
                             reason=self.rng.choice(DECLINE_REASONS))
            return
        accept_referral(actor=user, referral=referral, version=referral.version)
        self.agenda.add(self.later(SERVICE_DAYS[referral.service]),
                        lambda: self._serve(referral, user, item))

    def _serve(self, referral: Referral, user: User, item: Any) -> None:
        from retorno.partners.services import record_service

        record_service(actor=user, referral=referral, version=referral.version,
                       service_given=SERVICE_GIVEN[referral.service],
                       service_on=self.today() - datetime.timedelta(
                           days=self.rng.randint(0, 3)))
        self.agenda.add(self.later((5, 20)), lambda: self._close(referral, user, item))

    def _close(self, referral: Referral, user: User, item: Any) -> None:
        from retorno.partners.services import close_referral

        close_referral(actor=user, referral=referral, version=referral.version,
                       feedback=self.rng.choice(FEEDBACK))
        if item is not None and item.kind == "psychosocial":
            self.agenda.add(self.later((1, 3)), lambda: self._deliver(item))

    # ---- community projects --------------------------------------------------------------

    def join_project(self) -> None:
        """Link the case to a project of its office running today, if there is one."""
        from retorno.reintegration.services import link_case

        today = self.today()
        running = [p for p in self.directory.projects.get(self.case.origin_office.code, [])
                   if p.starts_on is not None and p.starts_on <= today
                   and (p.ends_on is None or today <= p.ends_on - 14 * DAY)]
        if running:
            link_case(actor=self.team.origin_pay, project=self.rng.choice(running),
                      case=self.case)


def plan_providers(directory: Directory, office: str) -> dict[str, Partner]:
    """The partners that provide the plan's items in `office`'s country: the first that
    offers each kind."""
    return {kind: partner for kind in ("vocational_training", "psychosocial")
            if (partner := directory.offering(office, kind)) is not None}


@cache
def receipt_pdf() -> bytes:
    return HTML(string="<h1>Retorno demo data</h1><p>This page stands in for the receipt "
                       "of a payment. The people in the demo are invented.</p>").write_pdf()

