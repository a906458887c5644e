"""Who reads a case's grants and disbursements, and who awards, pays out and approves.

Grants and disbursements are read with their case (`cases.policy.access_case` first):
whoever sees the case sees them. Receipts are the exception: they name the payee and
what was bought, so only the people who pay or approve (and the data protection focal
point of the case's offices) open them (`can_read_receipt`).

- **Paying** (`grant.disburse`, `may_disburse`): the case's *host office* while the case
  has not yet departed (up to ready to travel, or on hold from one of those), and its
  *origin office* once the case is handed over to it.
- **Awarding** a grant (`may_award`): whoever may pay, or `reintegration.record` in the
  origin office once the case is handed over (approving a reintegration plan awards the
  reintegration grant).
- **Approving** a disbursement above the programme's threshold (`may_approve`):
  `grant.approve` in one of the case's offices, or a programme manager of any office —
  never one's own request (`services.decide_disbursement` checks that).
"""

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import Role, User
from retorno.cases.models import Case, Status
from retorno.cases.policy import can_on_case, case_offices
from retorno.finance.models import (
    COUNTING,
    Disbursement,
    DisbursementStatus,
    ExchangeRate,
    Grant,
)

# Where a case is before it departs: the host office pays then.
BEFORE_DEPARTURE = (Status.REGISTERED, Status.COUNSELLING, Status.APPLIED, Status.APPROVED,
                    Status.PREPARING_DEPARTURE, Status.READY_TO_TRAVEL)


def effective_status(case: Case) -> str:
    """The status that counts: the one a held case was held from."""
    if case.status == Status.ON_HOLD and case.held_from:
        return case.held_from
    return case.status


def has_departed(case: Case) -> bool:
    return effective_status(case) not in BEFORE_DEPARTURE


def _host_may_disburse(user: User | AnonymousUser, case: Case) -> bool:
    return (not has_departed(case)
            and perms.can(user, perms.GRANT_DISBURSE, case.host_office_id))


def _origin_holds(user: User | AnonymousUser, case: Case, action: str) -> bool:
    return (case.origin_office_id is not None and case.handed_over_at is not None
            and perms.can(user, action, case.origin_office_id))


def may_disburse(user: User | AnonymousUser, case: Case) -> bool:
    """May request a disbursement and record it paid: grant.disburse in the host office
    until the case departs, or in the origin office once it is handed over."""
    return (_host_may_disburse(user, case)
            or _origin_holds(user, case, perms.GRANT_DISBURSE))


def may_award(user: User | AnonymousUser, case: Case) -> bool:
    """May award or change a grant: whoever may pay, or reintegration.record in the origin
    office once the case is handed over."""
    return may_disburse(user, case) or _origin_holds(user, case, perms.REINTEGRATION_RECORD)


def is_programme_manager(user: User | AnonymousUser) -> bool:
    return any(Role.PROGRAMME_MANAGER in perms.roles_in(user, office)
               for office in perms.office_ids(user, perms.GRANT_APPROVE))


def may_approve(user: User | AnonymousUser, case: Case) -> bool:
    """May approve or reject a disbursement (another person's): grant.approve in an office
    of the case, or a programme manager in any office."""
    return (can_on_case(user, perms.GRANT_APPROVE, case)
            or is_programme_manager(user))


def can_read_receipt(user: User | AnonymousUser, case: Case) -> bool:
    """Receipts: those who pay or approve, and the DP focal point of the case's offices."""
    return (may_disburse(user, case) or may_approve(user, case)
            or (can_on_case(user, perms.AUDIT_VIEW, case)
                and can_on_case(user, perms.CASE_VIEW, case)))


def acting_office(user: User | AnonymousUser, case: Case, action: str) -> int | None:
    """The office of the case in which `user` acts for `action`: the origin office once
    handed over when they hold it there, else the host office, else any of the case's
    offices where they hold it (None when none)."""
    offices = perms.office_ids(user, action)
    if case.handed_over_at is not None and case.origin_office_id in offices:
        return case.origin_office_id
    if case.host_office_id in offices:
        return case.host_office_id
    mine = offices & case_offices(case)
    return min(mine) if mine else None


# ---- reads ---------------------------------------------------------------------------------


def grants_of(case: Case) -> QuerySet[Grant]:
    """The grants of a case the caller loaded through `access_case`."""
    return Grant.objects.filter(case_id=case.pk).select_related("awarded_by")


def grants_with_totals(case: Case) -> QuerySet[Grant]:
    """`grants_of` with `counted_total` (awaiting approval, approved, paid) and
    `paid_total` annotated."""
    return grants_of(case).annotate(
        counted_total=Coalesce(Sum("disbursements__amount",
                                   filter=Q(disbursements__status__in=COUNTING)),
                               Value(Decimal(0)), output_field=DecimalField()),
        paid_total=Coalesce(Sum("disbursements__amount",
                                filter=Q(disbursements__status=DisbursementStatus.PAID)),
                            Value(Decimal(0)), output_field=DecimalField()))


def disbursements_of(case: Case) -> QuerySet[Disbursement]:
    return (Disbursement.objects.filter(grant__case_id=case.pk)
            .select_related("grant", "requested_by", "decided_by", "recorded_paid_by",
                            "item"))


def access_grant(case: Case, grant_id: int | str) -> Grant:
    """A grant of `case` (already loaded through `access_case`); 404 otherwise."""
    try:
        grant = grants_of(case).get(pk=int(grant_id))
    except (Grant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    grant.case = case
    return grant


def access_disbursement(case: Case, disbursement_id: int | str) -> Disbursement:
    """A disbursement of a grant of `case` (already loaded through `access_case`); 404
    otherwise."""
    try:
        disbursement = disbursements_of(case).get(pk=int(disbursement_id))
    except (Disbursement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    disbursement.grant.case = case
    return disbursement


# ---- exchange rates ------------------------------------------------------------------------


def can_view_rates(user: User | AnonymousUser) -> bool:
    return any(perms.can(user, action) for action in
               (perms.FINANCE_VIEW, perms.FINANCE_MANAGE, perms.GRANT_DISBURSE))


def can_manage_rates(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.FINANCE_MANAGE)


def visible_rates(user: User | AnonymousUser) -> QuerySet[ExchangeRate]:
    if not can_view_rates(user):
        return ExchangeRate.objects.none()
    return ExchangeRate.objects.select_related("imported_by")
