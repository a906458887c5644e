"""The forms of the "Grants and payments" section, the receipt download and the exchange
rates page. Each case view loads the case through cases.policy.access_case_for (404 for
outsiders, 403 for a role that may not do this) and calls one service; on success it
goes back to the case page with a message, on a refusal it shows the form again with the
errors in place."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from retorno.cases.models import Case
from retorno.cases.policy import access_case_for
from retorno.finance import policy, services
from retorno.finance.forms import AwardForm, DecideForm, PaymentForm, RatesForm, RequestForm
from retorno.finance.models import DisbursementStatus
from retorno.finance.sections import approved_items, rate_text
from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.programmes.models import ComponentKind
from retorno.programmes.package import entitlement

RATES_SHOWN = 240


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#grants"


def _form_page(request: HttpRequest, case: Case, form: Any, title: str,
               action: str) -> HttpResponse:
    return render(request, "finance/form.html",
                  {"case": case, "form": form, "back": _back(case), "title": title,
                   "action": action, "multipart": form.is_multipart()},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def award(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_award)
    if kind not in services.GRANT_KINDS:
        raise Http404
    grant = services.grant_of(case, kind)
    priced = entitlement(case)
    ceiling = priced.ceiling(kind) if priced is not None else None
    form = AwardForm(request.POST or None, prefix=f"award-{kind}", initial={
        "amount": grant.amount if grant else ceiling,
        "modality": grant.modality if grant else services.default_modality(case, kind)})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.award_grant(actor=request.user, case=case, kind=kind,
                                 amount=form.cleaned_data["amount"],
                                 modality=form.cleaned_data["modality"]))):
        messages.success(request, _("%(grant)s saved.") % {"grant": services.grant_label(kind)})
        return redirect(_back(case))
    return _form_page(request, case, form, _("Award the %(grant)s") % {
        "grant": services.grant_label(kind).lower()}, request.path)


@require_http_methods(["GET", "POST"])
@login_required
def request_payment(request: HttpRequest, reference: str, grant_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_disburse)
    grant = policy.access_grant(case, grant_id)
    items = approved_items(case) if grant.kind == ComponentKind.REINTEGRATION else []
    form = RequestForm(request.POST or None, request.FILES or None,
                       prefix=f"request-{grant.pk}", items=items, base=grant.currency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = next((i for i in items if i.pk == data.get("item")), None)
        done = attempt([form], lambda: services.request_disbursement(
            actor=request.user, grant=grant, amount=data["amount"], method=data["method"],
            client_key=data["client_key"], local_currency=data["local_currency"],
            paid_on=data["paid_on"], payee=data["payee"], item=item, note=data["note"],
            receipt=data["receipt"]))
        if done:
            messages.success(request, {
                DisbursementStatus.AWAITING_APPROVAL: _(
                    "Payment requested: it waits for a second person's approval."),
                DisbursementStatus.APPROVED: _("Payment approved: record it once paid."),
                DisbursementStatus.PAID: _("Payment recorded."),
            }.get(done.status, _("Payment recorded.")))
            return redirect(_back(case))
    return _form_page(request, case, form, _("Request a payment: %(grant)s") % {
        "grant": services.grant_label(grant.kind)}, request.path)


def _decide(request: HttpRequest, reference: str, disbursement_id: int,
            approve: bool) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_approve)
    disbursement = policy.access_disbursement(case, disbursement_id)
    word = "approve" if approve else "reject"
    form = DecideForm(request.POST or None, prefix=f"{word}-{disbursement.pk}",
                      initial={"decision": word, "version": disbursement.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.decide_disbursement(actor=request.user, disbursement=disbursement,
                                         approve=approve, note=form.cleaned_data["note"],
                                         version=form.cleaned_data["version"]))):
        messages.success(request, _("Payment approved.") if approve
                         else _("Payment rejected."))
        return redirect(_back(case))
    return _form_page(request, case, form,
                      _("Approve the payment") if approve else _("Reject the payment"),
                      request.path)


@require_http_methods(["GET", "POST"])
@login_required
def approve(request: HttpRequest, reference: str, disbursement_id: int) -> HttpResponse:
    return _decide(request, reference, disbursement_id, approve=True)


@require_http_methods(["GET", "POST"])
@login_required
def reject(request: HttpRequest, reference: str, disbursement_id: int) -> HttpResponse:
    return _decide(request, reference, disbursement_id, approve=False)


@require_http_methods(["GET", "POST"])
@login_required
def paid(request: HttpRequest, reference: str, disbursement_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_disburse)
    disbursement = policy.access_disbursement(case, disbursement_id)
    form = PaymentForm(request.POST or None, request.FILES or None,
                       prefix=f"pay-{disbursement.pk}",
                       initial={"version": disbursement.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_payment(actor=request.user, disbursement=disbursement,
                                    paid_on=form.cleaned_data["paid_on"],
                                    version=form.cleaned_data["version"],
                                    receipt=form.cleaned_data["receipt"]))):
        messages.success(request, _("Payment recorded."))
        return redirect(_back(case))
    return _form_page(request, case, form, _("Record the payment"), request.path)


@require_GET
@login_required
def receipt(request: HttpRequest, reference: str, disbursement_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_read_receipt)
    disbursement = policy.access_disbursement(case, disbursement_id)
    if not disbursement.receipt:
        raise Http404
    try:
        handle, content_type = services.read_receipt(actor=request.user,
                                                     disbursement=disbursement)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_back(case))
    response = FileResponse(handle, content_type=content_type, as_attachment=True,
                            filename=services.receipt_filename_of(disbursement))
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def rates(request: HttpRequest) -> HttpResponse:
    """The exchange rates by month, and (for finance) the CSV upload."""
    if not policy.can_view_rates(request.user):
        raise PermissionDenied
    may_manage = policy.can_manage_rates(request.user)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied
    form = RatesForm(request.POST or None, request.FILES or None) if may_manage else None
    status = 200
    if form is not None and request.method == "POST":
        status = 422
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            else:
                summary = attempt([form], lambda: services.import_rates(
                    actor=request.user, csv_text=text))
                if summary:
                    messages.success(request, _(
                        "Rates imported: %(created)d new, %(updated)d changed, "
                        "%(unchanged)d unchanged.") % {
                            "created": summary.created, "updated": summary.updated,
                            "unchanged": summary.unchanged})
                    return redirect("finance:rates")
    found = list(policy.visible_rates(request.user)[:RATES_SHOWN + 1])
    months: dict[Any, list[Any]] = {}
    for rate in found[:RATES_SHOWN]:
        months.setdefault(rate.month, []).append((rate, rate_text(rate.rate)))
    return render(request, "finance/rates.html",
                  {"months": list(months.items()), "form": form,
                   "more": len(found) > RATES_SHOWN, "limit": RATES_SHOWN},
                  status=status)


