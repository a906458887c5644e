"""Grants and payments on the case page (registered in FinanceConfig.ready())."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.formats import number_format

from retorno.accounts import permissions as perms
from retorno.cases.models import Case
from retorno.cases.policy import can_on_case
from retorno.finance import policy, services
from retorno.finance.forms import AwardForm, DecideForm, PaymentForm, RequestForm
from retorno.finance.models import Disbursement, DisbursementStatus, Grant
from retorno.lib.money import format_money
from retorno.programmes.models import ComponentKind
from retorno.programmes.package import entitlement


def rate_text(rate: Decimal | None) -> str:
    """A rate as loaded, without the column's trailing zeros, in the reader's locale."""
    if rate is None:
        return ""
    digits = format(rate.normalize(), "f")
    places = len(digits.partition(".")[2])
    return number_format(rate, decimal_pos=places, use_l10n=True)


def approved_items(case: Case) -> list[Any]:
    """The assistance items of the case's approved reintegration plan."""
    from retorno.reintegration.models import AssistanceItem, PlanStatus

    return list(AssistanceItem.objects.filter(plan__case_id=case.pk,
                                              plan__status=PlanStatus.APPROVED))


def _lines(case: Case) -> list[dict[str, Any]]:
    priced = entitlement(case)
    if priced is None:
        return []
    currency = priced.currency
    return [{"component": line.component.get_kind_display(),
             "basis": line.component.get_basis_display(),
             "vulnerability": line.component.vulnerability,
             "count": line.count,
             "amount": format_money(line.amount, currency),
             "modality": line.component.get_modality_display(),
             "before": format_money(line.before_departure, currency),
             "after": format_money(line.after_arrival, currency),
             "months": line.component.after_arrival_months}
            for line in priced.lines]


def _row(request: HttpRequest, case: Case, d: Disbursement, *, may_approve: bool,
         may_disburse: bool, may_read: bool) -> dict[str, Any]:
    currency = d.grant.currency
    awaiting = d.status == DisbursementStatus.AWAITING_APPROVAL
    return {
        "d": d,
        "amount": format_money(d.amount, currency),
        "local": (format_money(d.local_amount, d.local_currency)
                  if d.local_amount is not None else ""),
        "rate": rate_text(d.rate),
        "can_decide": may_approve and awaiting and d.requested_by_id != request.user.pk,
        "own_request": awaiting and d.requested_by_id == request.user.pk,
        "approve_form": DecideForm(initial={"decision": "approve", "version": d.version},
                                   prefix=f"approve-{d.pk}"),
        "reject_form": DecideForm(initial={"decision": "reject", "version": d.version},
                                  prefix=f"reject-{d.pk}"),
        "can_pay": may_disburse and d.status == DisbursementStatus.APPROVED,
        "pay_form": PaymentForm(initial={"version": d.version}, prefix=f"pay-{d.pk}"),
        "receipt": may_read and bool(d.receipt),
    }


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case; whoever sees it reads this.
    if not can_on_case(request.user, perms.CASE_VIEW, case):
        return None
    grants = {g.kind: g for g in policy.grants_of(case)}
    lines = _lines(case)
    if not lines and not grants:
        return None
    priced = entitlement(case)
    is_open = case.is_open
    may_award = is_open and policy.may_award(request.user, case)
    may_disburse = is_open and policy.may_disburse(request.user, case)
    may_approve = is_open and policy.may_approve(request.user, case)
    may_read = policy.can_read_receipt(request.user, case)
    disbursements: dict[int, list[Disbursement]] = {}
    for d in policy.disbursements_of(case):
        disbursements.setdefault(d.grant_id, []).append(d)
    items = approved_items(case) if may_disburse else []
    shown = []
    for kind in services.GRANT_KINDS:
        grant: Grant | None = grants.get(kind)
        ceiling = priced.ceiling(kind) if priced is not None else None
        if grant is None and not ceiling:
            continue
        currency = grant.currency if grant else (priced.currency if priced else "")
        entry: dict[str, Any] = {
            "kind": kind, "label": ComponentKind(kind).label if kind else "",
            "title": services.grant_label(kind), "grant": grant,
            "ceiling": format_money(ceiling, currency) if ceiling is not None else "",
            "award_form": (AwardForm(initial={
                "amount": grant.amount if grant else ceiling,
                "modality": grant.modality if grant else services.default_modality(case, kind)},
                prefix=f"award-{kind}") if may_award and currency else None),
        }
        if grant is not None:
            rows = disbursements.get(grant.pk, [])
            counted = sum((d.amount for d in rows if d.status in services.COUNTING),
                          Decimal(0))
            paid = sum((d.amount for d in rows if d.status == DisbursementStatus.PAID),
                       Decimal(0))
            grant.case = case
            entry.update({
                "awarded": format_money(grant.amount, currency),
                "counted": format_money(counted, currency),
                "paid": format_money(paid, currency),
                "remaining": format_money(max(grant.amount - counted, Decimal(0)), currency),
                "rows": [_row(request, case, d, may_approve=may_approve,
                              may_disburse=may_disburse, may_read=may_read) for d in rows],
                "request_form": (RequestForm(
                    prefix=f"request-{grant.pk}", base=grant.currency,
                    items=items if kind == ComponentKind.REINTEGRATION else ())
                    if may_disburse else None),
            })
        shown.append(entry)
    return {"lines": lines, "grants": shown,
            "currency": priced.currency if priced else ""}
