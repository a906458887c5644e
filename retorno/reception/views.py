"""Accepting the handover, planning the reception and recording the arrival, and the
list of incoming cases. Each view loads the case through cases.policy.access_case_for
(404 for outsiders), refuses everyone but the origin office's reintegration officers and
supervisors once the case is handed over (403), and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.cases.models import Case
from retorno.cases.policy import access_case_for
from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.reception import policy, services
from retorno.reception.forms import ArrivalForm, PlanForm
from retorno.travel.validation import show

INCOMING_LIMIT = 200


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#reception"


@require_POST
@login_required
def accept(request: HttpRequest, reference: str) -> HttpResponse:
    """Accept the handover; a refusal is shown on the case page."""
    case = access_case_for(request.user, reference, policy.may_record)
    try:
        services.accept_handover(actor=request.user, case=case)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Handover accepted. Plan the reception."))
    return redirect(_back(case))


def _met(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


@require_http_methods(["GET", "POST"])
@login_required
def plan(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    reception = policy.access_reception(case)
    initial = {name: getattr(reception, name) for name in services.PLAN_FIELDS}
    form = PlanForm(request.POST or None, initial={**initial, "version": reception.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.plan_reception(actor=request.user, reception=reception,
                                    data=form.plan_data(),
                                    version=form.cleaned_data["version"]))):
        messages.success(request, _("Reception plan saved."))
        return redirect(_back(case))
    return render(request, "reception/form.html",
                  {"case": case, "form": form, "back": _back(case),
                   "title": _("Plan the reception")},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def arrival(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    reception = policy.access_reception(case)
    initial = {name: getattr(reception, name) for name in services.ARRIVAL_FIELDS}
    initial["met_on_arrival"] = _met(reception.met_on_arrival)
    form = ArrivalForm(request.POST or None, initial={**initial, "version": reception.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_arrival(actor=request.user, reception=reception,
                                    data=form.arrival_data(),
                                    version=form.cleaned_data["version"]))):
        messages.success(request, _("Arrival saved."))
        return redirect(_back(case))
    return render(request, "reception/form.html",
                  {"case": case, "form": form, "back": _back(case),
                   "title": _("Record the arrival")},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET"])
@login_required
def incoming(request: HttpRequest) -> HttpResponse:
    """The cases handed over to the user's office(s), not yet in reintegration."""
    if not policy.receiving_offices(request.user):
        raise PermissionDenied
    found = list(policy.incoming_cases(request.user)[:INCOMING_LIMIT + 1])
    cases = found[:INCOMING_LIMIT]
    journeys = policy.planned_journeys(request.user, cases)
    rows = []
    for case in cases:
        first, last = journeys.get(case.pk, (None, None))
        rows.append({"case": case, "reception": getattr(case, "reception", None),
                     "departs": first and show(first.departs_at, first.from_tz),
                     "arrives": last and show(last.arrives_at, last.to_tz)})
    return render(request, "reception/incoming.html",
                  {"rows": rows, "more": len(found) > INCOMING_LIMIT,
                   "limit": INCOMING_LIMIT})
