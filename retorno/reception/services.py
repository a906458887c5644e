"""Accepting a handed-over case, planning its reception and recording the arrival. The
only way `Reception` rows are written.

Each public function checks permission through `reception.policy` (reception.record in
the case's origin office, once the case is handed over), validates, writes, records the
audit event and the timeline entry, all in one transaction, and raises a
`retorno.lib.errors.ServiceError` with a translated message when it refuses.

The timeline is read by everyone who sees the case: its entries name the fields that
changed, never an amount of money or the free text. The audit log keeps the old and new
values.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.cases.models import Case, Status, TimelineEntry, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.lib.money import validate_amount
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.reception import policy
from retorno.reception.models import Reception
from retorno.tasks.models import TaskKind
from retorno.tasks.services import close_tasks

PLAN_FIELDS = ["meet_at_airport", "met_by", "accommodation", "inland_transport",
               "final_destination", "pocket_money", "pocket_money_currency"]
ARRIVAL_FIELDS = ["arrived_on", "met_on_arrival", "pocket_money_paid_on", "arrival_notes"]
_COLUMN_DECIMALS = Decimal("0.001")
_TEXT_FIELDS = {"met_by", "accommodation", "inland_transport", "final_destination",
                "pocket_money_currency", "arrival_notes"}
# Where a case may be when its handover is accepted: handed over (on booking, from
# approval on) and not yet arrived.
ACCEPTING = (Status.APPROVED, Status.PREPARING_DEPARTURE, Status.READY_TO_TRAVEL,
             Status.DEPARTED)
# The reception is planned until the case is in reintegration.
PLANNING = (*ACCEPTING, Status.ARRIVED)
# The arrival is recorded once the case has departed, and until it is in reintegration.
ARRIVING = (Status.DEPARTED, Status.ARRIVED)


def effective_status(case: Case) -> Status:
    """The status that counts for these steps: the one a held case was held from."""
    if case.status == Status.ON_HOLD and case.held_from:
        return Status(case.held_from)
    return Status(case.status)


def require_record(actor: User, case: Case) -> None:
    """Refuse unless `actor` may act on the reception of `case`: reception.record in its
    origin office, the case handed over and open."""
    if not policy.holds_role(actor, case):
        raise NotAllowed(_("Only the reintegration officers and supervisors of the office "
                           "of origin may accept the handover of case %(ref)s, plan its "
                           "reception and record the arrival.") % {"ref": case.reference})
    if case.handed_over_at is None:
        raise Invalid(_("Case %(ref)s has not been handed over to the office of origin "
                        "yet.") % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def _labels(fields: list[str]) -> str:
    return ", ".join(str(Reception._meta.get_field(f).verbose_name) for f in fields)


# ---- accepting the handover ----------------------------------------------------------------


def accept_handover(*, actor: User, case: Case) -> Reception:
    """The origin office takes the handed-over case on: creates its reception. Needs
    reception.record in the case's origin office, the case handed over, open and not yet
    arrived, and not accepted before. Audit event 300, a timeline entry; closes the
    "accept the handover" tasks."""
    require_record(actor, case)
    if effective_status(case) not in ACCEPTING:
        raise Invalid(_("A case that is %(status)s cannot be accepted: the handover is "
                        "accepted before the returnees arrive.")
                      % {"status": case.get_status_display()})
    existing = policy.reception_of(case)
    if existing is not None:
        raise Invalid(_("The handover of case %(ref)s was already accepted on %(date)s by "
                        "%(user)s.") % {
            "ref": case.reference, "user": existing.accepted_by,
            "date": date_format(timezone.localtime(existing.accepted_at),
                                "SHORT_DATE_FORMAT")})
    now = timezone.now()
    reception = Reception(case=case, accepted_at=now, accepted_by=actor, updated_by=actor)
    validate(reception, exclude=["case", "accepted_by", "updated_by"])
    try:
        with transaction.atomic():
            reception.save()
            audit.record(AuditType.HANDOVER_ACCEPTED, reception, actor=actor,
                         office_id=case.origin_office_id, case_id=case.pk,
                         new={"accepted_at": now.isoformat()})
            record_timeline(case, actor, TimelineKind.CHANGED,
                            _("Handover accepted by %(office)s")
                            % {"office": case.origin_office})
            close_tasks(case=case, kind=TaskKind.ACCEPT_HANDOVER, actor=actor)
    except IntegrityError:
        # Someone of the same office accepted it at the same moment.
        raise Invalid(_("The handover of case %(ref)s was already accepted.")
                      % {"ref": case.reference}) from None
    return reception


# ---- the reception plan --------------------------------------------------------------------


def _clean_text(reception: Reception, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name in _TEXT_FIELDS:
            value = (value or "").strip()
            if name == "pocket_money_currency":
                value = value.upper()
        setattr(reception, name, value)


def _check_money(reception: Reception) -> None:
    amount, currency = reception.pocket_money, reception.pocket_money_currency
    if amount is None and not currency:
        return
    if amount is None:
        raise Invalid(_("Give the amount of pocket money, or no currency."),
                      field_errors={"pocket_money": [_("Give the amount in %(currency)s.")
                                                     % {"currency": currency}]})
    if not currency:
        raise Invalid(_("Give the currency of the pocket money."),
                      field_errors={"pocket_money_currency": [
                          _("Give the currency of the pocket money.")]})
    if amount <= 0:
        message = _("The pocket money must be more than zero; leave it empty for none.")
        raise Invalid(message, field_errors={"pocket_money": [message]})
    try:
        validate_amount(amount, currency)
    except ValidationError as exc:
        messages = [str(m) for m in exc.messages]
        raise Invalid(*messages, field_errors={"pocket_money": messages}) from None
    # With the column's three decimals, as it is read back: "150000" as sent and
    # "150000.000" as stored are the same amount, not a change.
    reception.pocket_money = amount.quantize(_COLUMN_DECIMALS)


def _save(*, actor: User, reception: Reception, before: dict[str, Any], fields: list[str],
          version: int, part: str, summary: str) -> Reception:
    old, new = audit.diff(before, audit.snapshot(reception, fields))
    if not new:
        return reception
    case = reception.case
    reception.updated_by = actor
    with transaction.atomic():
        save_versioned(reception, version, [*new, "updated_by"])
        audit.record(AuditType.RECEPTION_CHANGED, reception, actor=actor,
                     office_id=case.origin_office_id, case_id=case.pk, part=part,
                     old=old, new=new)
        record_timeline(case, actor, TimelineKind.CHANGED,
                        summary % {"fields": _labels(list(new))})
    return reception


def plan_reception(*, actor: User, reception: Reception, data: dict[str, Any],
                   version: int) -> Reception:
    """Change the reception plan (meeting at the airport, accommodation, inland transport,
    final destination, pocket money), if nobody else changed the reception since
    `version` (else StaleVersion, nothing written). Until the case is in reintegration.
    Audit event 301 with old and new values; a timeline entry naming the fields only;
    nothing is written if nothing changed."""
    case = reception.case
    require_record(actor, case)
    if effective_status(case) not in PLANNING:
        raise Invalid(_("Case %(ref)s is %(status)s: its reception can no longer be "
                        "planned.") % {"ref": case.reference,
                                       "status": case.get_status_display()})
    refuse_unknown_fields(data, PLAN_FIELDS)
    before = audit.snapshot(reception, PLAN_FIELDS)
    _clean_text(reception, data)
    validate(reception, exclude=["case", "accepted_by", "updated_by"])
    _check_money(reception)
    return _save(actor=actor, reception=reception, before=before, fields=PLAN_FIELDS,
                 version=version, part="plan",
                 summary=_("Reception plan changed: %(fields)s"))


# ---- the arrival ---------------------------------------------------------------------------


def departed_on(case: Case) -> datetime.date | None:
    """The day the case last departed (its timeline), else the day it was handed over."""
    entry = (TimelineEntry.objects.filter(case_id=case.pk, to_status=Status.DEPARTED)
             .order_by("-at").first())
    moment = entry.at if entry is not None else case.handed_over_at
    return timezone.localtime(moment).date() if moment is not None else None


def _check_dates(reception: Reception, case: Case) -> None:
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    arrived, paid = reception.arrived_on, reception.pocket_money_paid_on
    left = departed_on(case)
    if arrived is not None:
        if arrived > today:
            errors.setdefault("arrived_on", []).append(
                _("The arrival date cannot be in the future."))
        elif left is not None and arrived < left:
            errors.setdefault("arrived_on", []).append(
                _("The arrival date cannot be before the departure (%(date)s).")
                % {"date": date_format(left, "SHORT_DATE_FORMAT")})
    elif effective_status(case) == Status.ARRIVED:
        errors.setdefault("arrived_on", []).append(
            _("The case is marked arrived: the arrival date cannot be removed."))
    if paid is not None:
        if paid > today:
            errors.setdefault("pocket_money_paid_on", []).append(
                _("The payment date cannot be in the future."))
        elif arrived is None:
            errors.setdefault("pocket_money_paid_on", []).append(
                _("Give the arrival date first: pocket money is paid on arrival."))
        elif paid < arrived:
            errors.setdefault("pocket_money_paid_on", []).append(
                _("The pocket money cannot be paid before the arrival."))
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)


def record_arrival(*, actor: User, reception: Reception, data: dict[str, Any],
                   version: int) -> Reception:
    """Record or change the arrival as it happened (date, met at the airport or not,
    pocket money paid on, notes), if nobody else changed the reception since `version`.
    Once the case has departed, until it is in reintegration. The arrival date is not
    in the future nor before the departure. Audit event 301 with old and new values; a
    timeline entry naming the fields only; nothing is written if nothing changed."""
    case = reception.case
    require_record(actor, case)
    if effective_status(case) not in ARRIVING:
        raise Invalid(_("Case %(ref)s is %(status)s: the arrival is recorded once the "
                        "returnees have departed, until reintegration starts.")
                      % {"ref": case.reference, "status": case.get_status_display()})
    refuse_unknown_fields(data, ARRIVAL_FIELDS)
    before = audit.snapshot(reception, ARRIVAL_FIELDS)
    _clean_text(reception, data)
    validate(reception, exclude=["case", "accepted_by", "updated_by"])
    _check_dates(reception, case)
    return _save(actor=actor, reception=reception, before=before, fields=ARRIVAL_FIELDS,
                 version=version, part="arrival",
                 summary=_("Arrival recorded: %(fields)s"))
