"""Awarding grants, requesting, approving and paying disbursements, storing their
receipts, and importing the monthly exchange rates. The only way `finance` rows are
written.

Each public function checks permission through `finance.policy`, validates, writes,
records the audit event and (for a case) the timeline entry, all in one transaction, and
raises a `retorno.lib.errors.ServiceError` with a translated message when it refuses.

Money is `Decimal` in the programme's currency, with that currency's minor units
(`lib.money`); a payment in another currency carries the amount in that currency and the
rate of the month it was paid in (`ExchangeRate`). The disbursements of a grant that
count (awaiting approval, approved, paid) never add up to more than the grant: requests
lock the grant row first. A `client_key` makes a request idempotent.

The timeline is read by everyone who sees the case: its entries name what happened,
never an amount or a note. The audit log keeps the old and new values.
"""

import calendar
import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import Role, User
from retorno.cases.models import Case, TimelineKind
from retorno.cases.services import record_timeline
from retorno.finance import policy
from retorno.finance.models import (
    COUNTING,
    Disbursement,
    DisbursementStatus,
    ExchangeRate,
    Grant,
    Method,
)
from retorno.finance.receipts import check_receipt, receipt_filename, receipt_path
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.lib.money import currencies, format_money, quantize, validate_amount
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.programmes.models import ComponentKind, Modality, PackageComponent
from retorno.programmes.package import Entitlement, entitlement
from retorno.tasks.models import TaskKind
from retorno.tasks.services import close_tasks, open_task

# The kinds a grant is awarded of (a top-up is part of the reintegration ceiling).
GRANT_KINDS = (ComponentKind.REINSTALLATION, ComponentKind.REINTEGRATION)
_COLUMN = Decimal("0.001")
GRANT_FIELDS = ["amount", "currency", "modality"]


def _kinds_of(kind: str) -> tuple[str, ...]:
    """The package component kinds a grant of `kind` is made of."""
    if kind == ComponentKind.REINSTALLATION:
        return (ComponentKind.REINSTALLATION,)
    return (ComponentKind.REINTEGRATION, ComponentKind.TOP_UP)


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


def grant_label(kind: str) -> str:
    if kind == ComponentKind.REINSTALLATION:
        return _("Reinstallation grant")
    return _("Reintegration grant")


def counted(grant: Grant) -> Decimal:
    """What counts against the grant: its disbursements awaiting approval, approved and
    paid."""
    total = (Disbursement.objects.filter(grant_id=grant.pk, status__in=COUNTING)
             .aggregate(total=Sum("amount"))["total"])
    return total if total is not None else Decimal(0)


def paid(grant: Grant) -> Decimal:
    total = (Disbursement.objects.filter(grant_id=grant.pk, status=DisbursementStatus.PAID)
             .aggregate(total=Sum("amount"))["total"])
    return total if total is not None else Decimal(0)


def _versioned_update(obj: Any, expected_version: int, fields: list[str]) -> None:
    """Write `fields` only if the row is still at `expected_version`, and bump it (finance
    rows carry a version but no updated_at, so `lib.models.save_versioned` does not fit)."""
    values = {f: getattr(obj, obj._meta.get_field(f).attname) for f in fields}
    updated = type(obj).objects.filter(pk=obj.pk, version=expected_version).update(
        **values, version=F("version") + 1)
    if not updated:
        raise StaleVersion(
            _("Someone else changed this record after you opened it. Your changes were not "
              "saved: reload the page to see the current version, then make them again."))
    obj.version = expected_version + 1


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


# ---- grants --------------------------------------------------------------------------------


def _priced(case: Case) -> Entitlement:
    programme = case.programme
    problems = []
    if programme is None:
        raise Invalid(_("Case %(ref)s has no programme: no grant can be awarded.")
                      % {"ref": case.reference})
    if not programme.currency:
        problems.append(_("Programme %(programme)s has no currency: no grant can be "
                          "awarded.") % {"programme": programme.name})
    priced = entitlement(case)
    if priced is None:
        problems.append(_("Programme %(programme)s has no assistance package: no grant can "
                          "be awarded.") % {"programme": programme.name})
    if problems:
        raise Invalid(*problems)
    assert priced is not None
    return priced


def default_modality(case: Case, kind: str) -> str:
    components = list(PackageComponent.objects.filter(programme_id=case.programme_id,
                                                      kind__in=_kinds_of(kind)))
    if components and all(c.modality == Modality.IN_KIND for c in components):
        return Modality.IN_KIND
    return Modality.CASH


def grant_of(case: Case, kind: str) -> Grant | None:
    grant = Grant.objects.filter(case_id=case.pk, kind=kind).first()
    if grant is not None:
        grant.case = case
    return grant


def award_grant(*, actor: User, case: Case, kind: str, amount: Decimal | None = None,
                modality: str | None = None) -> Grant:
    """Award the case its grant of `kind` (reinstallation or reintegration), or change the
    one awarded. `amount` defaults to the case's ceiling under the programme's package
    (for reintegration: the budget and every top-up); it may not exceed it, nor fall below
    what the grant's disbursements already count. In the programme's currency; paid in
    cash unless every component of the kind is in kind (or `modality` says otherwise).
    Audit event 320 with old and new values, a timeline entry without the amount; nothing
    is written when nothing changes."""
    if not policy.may_award(actor, case):
        raise NotAllowed(_("You may not award grants on case %(ref)s.")
                         % {"ref": case.reference})
    _require_open(case)
    if kind not in GRANT_KINDS:
        raise Invalid(_("A grant is a reinstallation grant or a reintegration grant."),
                      field_errors={"kind": [_("Choose reinstallation or reintegration.")]})
    priced = _priced(case)
    currency = priced.currency
    ceiling = priced.ceiling(kind)
    errors: dict[str, list[str]] = {}
    if amount is None:
        amount = ceiling
    if not isinstance(amount, Decimal):
        try:
            amount = Decimal(str(amount))
        except InvalidOperation:
            raise Invalid(_("Give the amount as a number."),
                          field_errors={"amount": [_("Give the amount as a number.")]}) \
                from None
    if not amount.is_finite():
        errors.setdefault("amount", []).append(_("Give the amount as a number."))
    else:
        if amount < 0:
            errors.setdefault("amount", []).append(_("An amount cannot be negative."))
        try:
            validate_amount(amount, currency)
        except ValidationError as exc:
            errors.setdefault("amount", []).extend(str(m) for m in exc.messages)
        if amount > ceiling:
            errors.setdefault("amount", []).append(
                _("The package allows at most %(ceiling)s for this case.")
                % {"ceiling": _money(ceiling, currency)})
    if modality is None:
        modality = default_modality(case, kind)
    elif modality not in Modality.values:
        errors.setdefault("modality", []).append(_("Choose cash or in kind."))
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)
    amount = amount.quantize(_COLUMN)
    with transaction.atomic():
        grant = (Grant.objects.select_for_update().filter(case_id=case.pk, kind=kind)
                 .first())
        if grant is not None:
            already = counted(grant)
            if amount < already:
                message = (_("%(counted)s of this grant is already requested or paid: it "
                             "cannot be less.") % {"counted": _money(already, currency)})
                raise Invalid(message, field_errors={"amount": [message]})
            before = audit.snapshot(grant, GRANT_FIELDS)
            grant.amount, grant.currency, grant.modality = amount, currency, modality
            old, new = audit.diff(before, audit.snapshot(grant, GRANT_FIELDS))
            if not new:
                grant.case = case
                return grant
            _versioned_update(grant, grant.version, list(new))
            summary = _("%(grant)s changed") % {"grant": grant_label(kind)}
        else:
            grant = Grant(case=case, kind=kind, amount=amount, currency=currency,
                          modality=modality, awarded_by=actor)
            try:
                with transaction.atomic():
                    grant.save()
            except IntegrityError:
                raise Invalid(_("Someone awarded this grant at the same moment: reload the "
                                "page and try again.")) from None
            old, new = {}, audit.snapshot(grant, ["kind", *GRANT_FIELDS])
            summary = _("%(grant)s awarded") % {"grant": grant_label(kind)}
        grant.case = case
        audit.record(AuditType.GRANT_AWARDED, grant, actor=actor,
                     office_id=_office(actor, case, perms.GRANT_DISBURSE,
                                       perms.REINTEGRATION_RECORD),
                     case_id=case.pk, kind=kind, old=old or None, new=new)
        record_timeline(case, actor, TimelineKind.CHANGED, summary)
    return grant


def _office(actor: User, case: Case, *actions: str) -> int | None:
    for action in actions:
        office = policy.acting_office(actor, case, action)
        if office is not None:
            return office
    return None


# ---- exchange rates for a payment ----------------------------------------------------------


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Conversion:
    local_amount: Decimal
    rate: Decimal
    rate_month: datetime.date


def convert(amount: Decimal, base: str, currency: str, paid_on: datetime.date) -> Conversion:
    """`amount` of `base` in `currency` at the rate of the month of `paid_on`, rounded to
    the currency's minor units; Invalid naming the currency and month without a rate."""
    month = month_of(paid_on)
    rate = (ExchangeRate.objects.filter(month=month, base=base, currency=currency)
            .values_list("rate", flat=True).first())
    if rate is None:
        message = (_("Finance has not loaded the rate of %(base)s to %(currency)s for "
                     "%(month)s: no payment in %(currency)s can be recorded for that month "
                     "until it does.")
                   % {"base": base, "currency": currency, "month": f"{month:%Y-%m}"})
        raise Invalid(message, field_errors={"local_currency": [message]})
    return Conversion(quantize(amount * rate, currency), rate, month)


def _apply_payment(disbursement: Disbursement, paid_on: datetime.date) -> None:
    """Set paid_on, and the local amount with its rate when paid in another currency."""
    grant = disbursement.grant
    conversion = None
    if disbursement.local_currency and disbursement.local_currency != grant.currency:
        conversion = convert(disbursement.amount, grant.currency,
                             disbursement.local_currency, paid_on)
    disbursement.paid_on = paid_on
    disbursement.status = DisbursementStatus.PAID
    disbursement.local_amount = conversion.local_amount if conversion else None
    disbursement.rate = conversion.rate if conversion else None
    disbursement.rate_month = conversion.rate_month if conversion else None


def _check_paid_on(paid_on: datetime.date | None) -> list[str]:
    if paid_on is not None and paid_on > timezone.localdate():
        return [_("The payment date cannot be in the future.")]
    return []


# ---- receipts ------------------------------------------------------------------------------


def _store_receipt(disbursement: Disbursement, upload: IO[bytes]) -> str:
    """Check the upload and write it (before the transaction); returns its storage name.
    The caller deletes it if the transaction fails."""
    receipt = check_receipt(upload)
    name = default_storage.save(
        receipt_path(disbursement.grant.case.reference, receipt.content_type),
        ContentFile(receipt.content))
    disbursement.receipt.name = name
    disbursement.receipt_sha256 = receipt.sha256
    disbursement.receipt_content_type = receipt.content_type
    return name


def read_receipt(*, actor: User, disbursement: Disbursement) -> tuple[File, str]:
    """Open the receipt of `disbursement` for `actor`, if they may read it (those who pay
    or approve, the DP focal point of the case's offices): the file and its content type.
    Audit event 324. The caller closes the file."""
    case = disbursement.grant.case
    if not policy.can_read_receipt(actor, case):
        raise NotAllowed(_("Only those who pay or approve the case's grants, and the data "
                           "protection focal point, may open a receipt."))
    if not disbursement.receipt:
        raise Invalid(_("No receipt has been recorded for this payment."))
    try:
        handle = default_storage.open(disbursement.receipt.name, "rb")
    except FileNotFoundError:
        raise Invalid(_("The receipt file is missing from the server. Tell your "
                        "administrator.")) from None
    with transaction.atomic():
        audit.record(AuditType.RECEIPT_READ, disbursement, actor=actor,
                     office_id=_office(actor, case, perms.GRANT_DISBURSE,
                                       perms.GRANT_APPROVE, perms.AUDIT_VIEW),
                     case_id=case.pk, sha256=disbursement.receipt_sha256)
    return handle, disbursement.receipt_content_type


def receipt_filename_of(disbursement: Disbursement) -> str:
    return receipt_filename(disbursement.grant.case.reference, disbursement.pk,
                            disbursement.receipt_content_type)


# ---- requesting a disbursement ------------------------------------------------------------


def payable_share(case: Case, grant: Grant, on: datetime.date
                  ) -> tuple[Decimal, datetime.date | None, bool]:
    """What of the grant may be paid out by `on` under the package's timing: the
    before-departure shares, plus each line's after-arrival share once the arrival is
    recorded and its months have passed. Returns (payable, the next date more becomes
    payable or None, whether the arrival is recorded)."""
    from retorno.reception.policy import reception_of

    priced = entitlement(case)
    lines = [line for line in (priced.lines if priced else [])
             if line.component.kind in _kinds_of(grant.kind)]
    payable = sum((line.before_departure for line in lines), Decimal(0))
    reception = reception_of(case)
    arrived_on = reception.arrived_on if reception is not None else None
    upcoming: list[datetime.date] = []
    for line in lines:
        if not line.after_arrival:
            continue
        if arrived_on is None:
            continue
        due = add_months(arrived_on, line.component.after_arrival_months)
        if due <= on:
            payable += line.after_arrival
        else:
            upcoming.append(due)
    return payable, (min(upcoming) if upcoming else None), arrived_on is not None


def _check_timing(case: Case, grant: Grant, already: Decimal, amount: Decimal) -> list[str]:
    today = timezone.localdate()
    payable, next_date, has_arrived = payable_share(case, grant, today)
    wanted = already + amount
    if wanted <= payable or wanted > grant.amount:
        return []  # (more than the grant: the ceiling check names the limit)
    currency = grant.currency
    left = max(payable - already, Decimal(0))
    if not has_arrived:
        return [_("Before the arrival is recorded, at most %(share)s of this grant is paid "
                  "(%(left)s left to pay now); the rest is paid after arrival.")
                % {"share": _money(payable, currency), "left": _money(left, currency)}]
    # The earliest date by which enough has become payable.
    dates = []
    probe = next_date
    while probe is not None:
        more, after, _arrived = payable_share(case, grant, probe)
        if more >= wanted:
            dates.append(probe)
            break
        probe = after
    if dates:
        return [_("Only %(left)s of this grant can be paid now; the rest becomes payable on "
                  "%(date)s.") % {"left": _money(left, currency),
                                  "date": date_format(dates[0], "SHORT_DATE_FORMAT")}]
    return [_("Only %(left)s of this grant can be paid under the package's timing.")
            % {"left": _money(left, currency)}]


def _check_item(case: Case, grant: Grant, item: Any, amount: Decimal) -> list[str]:
    from retorno.reintegration.models import PlanStatus

    if item is None:
        return []
    plan = item.plan
    if plan.case_id != case.pk or plan.status != PlanStatus.APPROVED:
        return [_("This assistance item is not part of the case's approved reintegration "
                  "plan.")]
    if grant.kind != ComponentKind.REINTEGRATION:
        return [_("Assistance items are paid from the reintegration grant.")]
    spent = (Disbursement.objects.filter(item_id=item.pk, status__in=COUNTING)
             .aggregate(total=Sum("amount"))["total"]) or Decimal(0)
    if spent + amount > item.cost:
        return [_("%(amount)s is more than what remains of the item's cost (%(left)s of "
                  "%(cost)s).") % {"amount": _money(amount, grant.currency),
                                   "left": _money(max(item.cost - spent, Decimal(0)),
                                                  grant.currency),
                                   "cost": _money(item.cost, grant.currency)}]
    return []


def _needs_approval(case: Case, amount: Decimal) -> bool:
    threshold = case.programme.approval_threshold if case.programme else None
    return threshold is None or amount > threshold


def _same_request(existing: Disbursement, grant: Grant) -> Disbursement:
    if existing.grant_id != grant.pk:
        raise Invalid(_("This form was already used for another payment. Reload the page "
                        "and enter the payment again."))
    existing.grant = grant
    existing.replayed = True  # type: ignore[attr-defined]  # the API answers 200, not 201
    return existing


def _parse_amount(value: Any, currency: str, name: str = "amount") -> tuple[Decimal | None,
                                                                          list[str]]:
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            return None, [_("Give the amount as a number.")]
    if not value.is_finite():
        return None, [_("Give the amount as a number.")]
    errors = []
    if value <= 0:
        errors.append(_("The amount must be more than zero."))
    try:
        validate_amount(value, currency)
    except ValidationError as exc:
        errors.extend(str(m) for m in exc.messages)
    return value, errors


def request_disbursement(*, actor: User, grant: Grant, amount: Decimal, method: str,
                         client_key: str, local_currency: str = "",
                         paid_on: datetime.date | None = None, payee: str = "",
                         item: Any = None, note: str = "",
                         receipt: IO[bytes] | None = None) -> Disbursement:
    """Request a payment out of `grant`. Idempotent on `client_key`: the same key again
    returns the first disbursement unchanged (refused if it was for another grant), with
    `replayed` set to True (False on the one just recorded).

    Refuses an amount above what remains of the grant, above the share payable now under
    the package's timing (before departure the before-departure share; the rest once the
    arrival is recorded and its months have passed), or above what remains of the
    assistance item's cost. Above the programme's approval threshold (always, without
    one) it awaits a second person's approval (a task on the supervisors' queue);
    otherwise it is approved, or paid at once when `paid_on` is given (with the month's
    exchange rate when paid in another currency). Audit event 321 (and 323 when paid)."""
    case = grant.case
    if not policy.may_disburse(actor, case):
        raise NotAllowed(_("You may not pay out grants of case %(ref)s.")
                         % {"ref": case.reference})
    client_key = (client_key or "").strip()
    if client_key:
        existing = Disbursement.objects.filter(client_key=client_key).first()
        if existing is not None:
            return _same_request(existing, grant)
    _require_open(case)
    currency = grant.currency
    errors: dict[str, list[str]] = {}

    def add(name: str, *messages: str) -> None:
        if messages:
            errors.setdefault(name, []).extend(messages)

    if not client_key or len(client_key) > 64:
        add("client_key", _("The form is missing its key: reload the page and try again."))
    value, amount_errors = _parse_amount(amount, currency)
    add("amount", *amount_errors)
    if method not in Method.values:
        add("method", _("Choose how it is paid."))
    local_currency = (local_currency or "").strip().upper()
    if local_currency and local_currency not in currencies():
        add("local_currency", _("%(code)s is not an ISO 4217 currency code.")
            % {"code": local_currency})
    add("paid_on", *_check_paid_on(paid_on))
    payee, note = (payee or "").strip(), (note or "").strip()
    if len(payee) > 200:
        add("payee", _("At most 200 characters."))
    approval = value is not None and _needs_approval(case, value)
    if approval and paid_on is not None:
        add("paid_on", _("This payment needs a second person's approval before it is paid: "
                         "leave the payment date empty and record it once approved."))
    if receipt is not None and paid_on is None:
        add("receipt", _("A receipt is recorded with the payment: give the payment date."))
    if errors or value is None:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)
    amount = value.quantize(_COLUMN)
    disbursement = Disbursement(
        grant=grant, item=item, amount=amount,
        local_currency="" if local_currency == currency else local_currency,
        method=method, payee=payee, note=note, client_key=client_key,
        status=(DisbursementStatus.AWAITING_APPROVAL if approval
                else DisbursementStatus.APPROVED),
        requested_by=actor)
    stored = _store_receipt(disbursement, receipt) if receipt is not None else None
    try:
        with transaction.atomic():
            locked = Grant.objects.select_for_update().get(pk=grant.pk)
            existing = Disbursement.objects.filter(client_key=client_key).first()
            if existing is not None:  # the same form, submitted at the same moment
                if stored:
                    transaction.on_commit(lambda: default_storage.delete(stored))
                return _same_request(existing, grant)
            already = counted(locked)
            problems = []
            if already + amount > locked.amount:
                problems.append(
                    _("%(amount)s is more than what remains of the grant: %(left)s of "
                      "%(grant)s.") % {
                        "amount": _money(amount, currency),
                        "left": _money(max(locked.amount - already, Decimal(0)), currency),
                        "grant": _money(locked.amount, currency)})
            problems += _check_timing(case, locked, already, amount)
            problems += _check_item(case, locked, item, amount)
            if problems:
                raise Invalid(*problems, field_errors={"amount": problems})
            if paid_on is not None and not approval:
                _apply_payment(disbursement, paid_on)
                disbursement.recorded_paid_by = actor
            try:
                with transaction.atomic():
                    disbursement.save()
            except IntegrityError:
                existing = Disbursement.objects.filter(client_key=client_key).first()
                if existing is None:
                    raise
                if stored:
                    transaction.on_commit(lambda: default_storage.delete(stored))
                return _same_request(existing, grant)
            office = policy.acting_office(actor, case, perms.GRANT_DISBURSE)
            audit.record(AuditType.DISBURSEMENT_REQUESTED, disbursement, actor=actor,
                         office_id=office, case_id=case.pk, grant=grant.pk,
                         new=audit.snapshot(disbursement, REQUEST_AUDITED))
            label = grant_label(grant.kind)
            if disbursement.status == DisbursementStatus.PAID:
                audit.record(AuditType.DISBURSEMENT_PAID, disbursement, actor=actor,
                             office_id=office, case_id=case.pk,
                             new=audit.snapshot(disbursement, PAID_AUDITED))
                record_timeline(case, actor, TimelineKind.CHANGED,
                                _("Payment recorded: %(grant)s") % {"grant": label})
            else:
                record_timeline(case, actor, TimelineKind.CHANGED,
                                _("Payment requested: %(grant)s") % {"grant": label})
            if approval:
                open_task(case=case, kind=TaskKind.APPROVE_DISBURSEMENT,
                          due_on=timezone.localdate() + datetime.timedelta(days=2),
                          office=_office_obj(office, case), role=Role.SUPERVISOR,
                          subject=disbursement, detail={"grant": grant.kind}, actor=actor)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    disbursement.grant = grant
    disbursement.replayed = False  # type: ignore[attr-defined]
    return disbursement


REQUEST_AUDITED = ["amount", "local_currency", "method", "payee", "status", "item",
                   "note", "client_key"]
PAID_AUDITED = ["paid_on", "local_currency", "local_amount", "rate", "rate_month",
                "receipt_sha256", "receipt_content_type", "status"]
DECIDED_AUDITED = ["status", "decision_note"]


def _office_obj(office_id: int | None, case: Case) -> Any:
    from retorno.accounts.models import Office

    return Office.objects.get(pk=office_id or case.host_office_id)


# ---- approving and paying ------------------------------------------------------------------


def decide_disbursement(*, actor: User, disbursement: Disbursement, approve: bool,
                        note: str = "", version: int) -> Disbursement:
    """Approve or reject a disbursement awaiting approval — four eyes: never the person
    who requested it. `grant.approve` in an office of the case, or a programme manager.
    A rejection says why (`note`), and its amount no longer counts against the grant.
    Closes the approval task; an approval asks the requester to pay it. Audit event
    322."""
    grant = disbursement.grant
    case = grant.case
    if not policy.may_approve(actor, case):
        raise NotAllowed(_("Only a supervisor of the case's office or a programme manager "
                           "may approve or reject a payment."))
    if disbursement.requested_by_id == actor.pk:
        raise NotAllowed(_("You requested this payment: another person must approve or "
                           "reject it."))
    if disbursement.status != DisbursementStatus.AWAITING_APPROVAL:
        raise Invalid(_("This payment is %(status)s: only a payment awaiting approval is "
                        "approved or rejected.")
                      % {"status": disbursement.get_status_display()})
    note = (note or "").strip()
    if not approve and not note:
        message = _("Say why the payment is rejected.")
        raise Invalid(message, field_errors={"note": [message]})
    before = audit.snapshot(disbursement, DECIDED_AUDITED)
    disbursement.status = (DisbursementStatus.APPROVED if approve
                           else DisbursementStatus.REJECTED)
    disbursement.decision_note = note
    disbursement.decided_by = actor
    disbursement.decided_at = timezone.now()
    old, new = audit.diff(before, audit.snapshot(disbursement, DECIDED_AUDITED))
    label = grant_label(grant.kind)
    with transaction.atomic():
        _versioned_update(disbursement, version,
                          ["status", "decision_note", "decided_by", "decided_at"])
        audit.record(AuditType.DISBURSEMENT_DECIDED, disbursement, actor=actor,
                     office_id=_approver_office(actor, case), case_id=case.pk,
                     old=old, new=new)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        (_("Payment approved: %(grant)s") if approve
                         else _("Payment rejected: %(grant)s")) % {"grant": label})
        close_tasks(case=case, kind=TaskKind.APPROVE_DISBURSEMENT, subject=disbursement,
                    actor=actor)
        if approve:
            requester = disbursement.requested_by
            office = policy.acting_office(requester, case, perms.GRANT_DISBURSE)
            open_task(case=case, kind=TaskKind.PAY_DISBURSEMENT,
                      due_on=timezone.localdate() + datetime.timedelta(days=7),
                      office=_office_obj(office, case), assignee=requester,
                      subject=disbursement, detail={"grant": grant.kind}, actor=actor)
    return disbursement


def _approver_office(actor: User, case: Case) -> int | None:
    office = policy.acting_office(actor, case, perms.GRANT_APPROVE)
    if office is None:
        mine = perms.office_ids(actor, perms.GRANT_APPROVE)
        office = min(mine) if mine else None
    return office


def record_payment(*, actor: User, disbursement: Disbursement, paid_on: datetime.date,
                   version: int, receipt: IO[bytes] | None = None) -> Disbursement:
    """Record an approved disbursement as paid on `paid_on` (not in the future), with the
    month's exchange rate when paid in another currency and the receipt if given. Closes
    the payment task. Audit event 323."""
    grant = disbursement.grant
    case = grant.case
    if not policy.may_disburse(actor, case):
        raise NotAllowed(_("You may not pay out grants of case %(ref)s.")
                         % {"ref": case.reference})
    _require_open(case)
    if disbursement.status != DisbursementStatus.APPROVED:
        raise Invalid(_("This payment is %(status)s: only an approved payment is recorded "
                        "as paid.") % {"status": disbursement.get_status_display()})
    errors: dict[str, list[str]] = {}
    if paid_on is None:
        errors["paid_on"] = [_("Give the date it was paid.")]
    else:
        if future := _check_paid_on(paid_on):
            errors["paid_on"] = future
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)
    before = audit.snapshot(disbursement, PAID_AUDITED)
    _apply_payment(disbursement, paid_on)
    stored = _store_receipt(disbursement, receipt) if receipt is not None else None
    disbursement.recorded_paid_by = actor
    old, new = audit.diff(before, audit.snapshot(disbursement, PAID_AUDITED))
    try:
        with transaction.atomic():
            _versioned_update(disbursement, version,
                              ["status", "paid_on", "local_amount", "rate", "rate_month",
                               "receipt", "receipt_sha256", "receipt_content_type",
                               "recorded_paid_by"])
            audit.record(AuditType.DISBURSEMENT_PAID, disbursement, actor=actor,
                         office_id=policy.acting_office(actor, case, perms.GRANT_DISBURSE),
                         case_id=case.pk, old=old, new=new)
            record_timeline(case, actor, TimelineKind.CHANGED,
                            _("Payment recorded: %(grant)s")
                            % {"grant": grant_label(grant.kind)})
            close_tasks(case=case, kind=TaskKind.PAY_DISBURSEMENT, subject=disbursement,
                        actor=actor)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return disbursement


# ---- importing exchange rates --------------------------------------------------------------

RATE_HEADER = ["month", "base", "currency", "rate"]
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RATE_PLACES = Decimal("1e-10")
_RATE_MAX = Decimal("1e14")


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    months: list[str] = field(default_factory=list)


def _parse_rate_line(number: int, row: list[str]
                     ) -> tuple[tuple[datetime.date, str, str, Decimal] | None, list[str]]:
    problems = []
    if len(row) != 4:
        return None, [_("Line %(line)d: expected 4 columns (month, base, currency, rate), "
                        "found %(count)d.") % {"line": number, "count": len(row)}]
    month_text, base, currency, rate_text = (cell.strip() for cell in row)
    month = None
    match = _MONTH.match(month_text)
    if match and 1 <= int(match.group(2)) <= 12:
        month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
    else:
        problems.append(_("Line %(line)d: the month \"%(value)s\" is not written YYYY-MM.")
                        % {"line": number, "value": month_text})
    for code in (base, currency):
        if code not in currencies():
            problems.append(_("Line %(line)d: \"%(value)s\" is not an ISO 4217 currency "
                              "code.") % {"line": number, "value": code})
    if base and base == currency:
        problems.append(_("Line %(line)d: the two currencies are the same.")
                        % {"line": number})
    rate = None
    try:
        rate = Decimal(rate_text)
    except InvalidOperation:
        pass
    if rate is None or not rate.is_finite():
        problems.append(_("Line %(line)d: the rate \"%(value)s\" is not a number.")
                        % {"line": number, "value": rate_text})
        rate = None
    elif rate <= 0:
        problems.append(_("Line %(line)d: the rate must be more than zero.")
                        % {"line": number})
    elif rate != rate.quantize(_RATE_PLACES) or rate >= _RATE_MAX:
        problems.append(_("Line %(line)d: a rate has at most 10 digits after the decimal "
                          "point and 14 before it.") % {"line": number})
    if problems or month is None or rate is None:
        return None, problems
    return (month, base, currency, rate.quantize(_RATE_PLACES)), []


def import_rates(*, actor: User, csv_text: str) -> ImportSummary:
    """Load the monthly exchange rates from CSV (header `month,base,currency,rate`; month
    `YYYY-MM`, ISO 4217 codes, the rate a positive decimal: units of `currency` for one of
    `base`). All or nothing: every bad line is named with its number and reason. A rate
    already loaded for the same month and currencies is replaced; importing the same file
    twice changes nothing. `finance.manage`. Audit event 325."""
    if not policy.can_manage_rates(actor):
        raise NotAllowed(_("Only finance (programme managers) may load exchange rates."))
    if csv_text.startswith("\ufeff"):
        csv_text = csv_text[1:]
    rows = list(csv.reader(io.StringIO(csv_text)))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if header != RATE_HEADER:
        message = _("The first line must be the header: month,base,currency,rate.")
        raise Invalid(message, field_errors={"file": [message]})
    problems: list[str] = []
    parsed: dict[tuple[datetime.date, str, str], tuple[int, Decimal]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        line, errors = _parse_rate_line(number, row)
        problems += errors
        if line is None:
            continue
        month, base, currency, rate = line
        key = (month, base, currency)
        if key in parsed:
            problems.append(_("Line %(line)d: the rate of %(base)s to %(currency)s for "
                              "%(month)s is already on line %(first)d.")
                            % {"line": number, "base": base, "currency": currency,
                               "month": f"{month:%Y-%m}", "first": parsed[key][0]})
            continue
        parsed[key] = (number, rate)
    if problems:
        raise Invalid(*problems, field_errors={"file": problems})
    if not parsed:
        message = _("The file has no rates.")
        raise Invalid(message, field_errors={"file": [message]})
    summary = ImportSummary()
    with transaction.atomic():
        existing = {(r.month, r.base, r.currency): r for r in
                    ExchangeRate.objects.select_for_update().filter(
                        month__in={k[0] for k in parsed})}
        last = None
        changes = []
        for key, (_number, rate) in parsed.items():
            row = existing.get(key)
            if row is None:
                row = ExchangeRate.objects.create(month=key[0], base=key[1], currency=key[2],
                                                  rate=rate, imported_by=actor)
                summary.created += 1
                changes.append({"month": f"{key[0]:%Y-%m}", "base": key[1],
                                "currency": key[2], "old": None, "new": str(rate)})
            elif row.rate != rate:
                changes.append({"month": f"{key[0]:%Y-%m}", "base": key[1],
                                "currency": key[2], "old": str(row.rate), "new": str(rate)})
                row.rate, row.imported_by = rate, actor
                row.save(update_fields=["rate", "imported_by", "imported_at"])
                summary.updated += 1
            else:
                summary.unchanged += 1
            last = row
        summary.months = sorted({f"{k[0]:%Y-%m}" for k in parsed})
        assert last is not None
        audit.record(AuditType.EXCHANGE_RATES_IMPORTED, last, actor=actor, office_id=None,
                     created=summary.created, updated=summary.updated,
                     unchanged=summary.unchanged, months=summary.months,
                     changes=changes or None)
    return summary
