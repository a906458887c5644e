"""The programme pages: the list and one programme (every member of staff), its finance
figures (finance.view), and the assistance package form (finance.manage; 403 for other
staff, 404 for a code that names no programme). The form calls one service."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from retorno.cases.models import Vulnerability
from retorno.finance.figures import figures_of
from retorno.lib.codes import country_name
from retorno.lib.errors import ServiceError, StaleVersion
from retorno.lib.money import format_money
from retorno.programmes import policy, services
from retorno.programmes.forms import (
    PackageForm,
    component_formset,
    entered_forms,
    shown_amount,
)
from retorno.programmes.models import MigrantCategory, PackageComponent, Programme


def _require_read(request: HttpRequest) -> None:
    if not policy.can_read(request.user):
        raise PermissionDenied


def money(amount: Any, currency: str) -> str:
    """An amount in the reader's locale; "—" for none."""
    if amount is None:
        return "—"
    if not currency:
        return str(amount)
    return format_money(amount, currency)


@require_http_methods(["GET"])
@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    _require_read(request)
    rows = [{"programme": p, "budget": money(p.budget, p.currency)}
            for p in policy.programmes()]
    return render(request, "programmes/list.html", {
        "rows": rows, "can_view_finance": policy.can_view_finance(request.user)})


def component_rows(programme: Programme, lines: list[PackageComponent]) -> list[dict]:
    vulnerabilities = dict(Vulnerability.choices)
    return [{"line": line, "amount": money(line.amount, programme.currency),
             "vulnerability": vulnerabilities.get(line.vulnerability, line.vulnerability),
             "after_percent": 100 - line.before_departure_percent}
            for line in lines]


def _rules(programme: Programme) -> dict[str, Any]:
    categories = dict(MigrantCategory.choices)
    return {
        "host_countries": [country_name(c) for c in programme.host_countries],
        "nationalities": [country_name(c) for c in programme.eligible_nationalities],
        "categories": [categories.get(c, c) for c in programme.eligible_categories],
        "budget": money(programme.budget, programme.currency),
        "cost_per_returnee": money(programme.cost_per_returnee, programme.currency),
        "approval_threshold": money(programme.approval_threshold, programme.currency),
    }


@require_http_methods(["GET"])
@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    _require_read(request)
    programme = policy.access_programme(code)
    context: dict[str, Any] = {
        "programme": programme, "rules": _rules(programme),
        "components": component_rows(programme, policy.components(programme)),
        "can_manage": policy.can_manage_package(request.user),
    }
    from retorno.monitoring import policy as monitoring

    context["monitoring_steps"] = monitoring.steps_of(programme)
    context["can_manage_schedule"] = monitoring.can_manage_schedule(request.user)
    if policy.can_view_finance(request.user):
        from retorno.finance.programme_views import figure_context

        context["finance"] = figure_context(figures_of(programme))
    return render(request, "programmes/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def package(request: HttpRequest, code: str) -> HttpResponse:
    _require_read(request)
    if not policy.can_manage_package(request.user):
        raise PermissionDenied
    programme = policy.access_programme(code)
    data = request.POST if request.method == "POST" else None
    shown = shown_amount(programme.currency)
    form = PackageForm(data, initial={
        "currency": programme.currency, "budget": shown(programme.budget),
        "max_cases": programme.max_cases,
        "approval_threshold": shown(programme.approval_threshold),
        "version": programme.version})
    rows = component_formset(data, programme)
    problems: list[str] = []
    if data is not None and form.is_valid() and rows.is_valid():
        entered = entered_forms(rows)
        try:
            services.set_package(actor=request.user, programme=programme,
                                 version=form.cleaned_data["version"],
                                 fields=form.package_fields(),
                                 components=[f.component_data() for f in entered])
        except StaleVersion as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except ServiceError as exc:
            problems = exc.messages
            _place(exc, form, entered)
        else:
            messages.success(request, _("Assistance package saved."))
            return redirect("programmes:detail", code=programme.code)
    return render(request, "programmes/package_form.html",
                  {"programme": programme, "form": form, "rows": rows,
                   "problems": problems},
                  status=422 if data is not None else 200)


def _place(exc: ServiceError, form: PackageForm, entered: list) -> None:
    """Each refusal under its field: the programme's on the form, a component's on its
    row (the service numbers the rows entered, spare and removed ones left out)."""
    for key, errors in exc.field_errors.items():
        if key.startswith("components."):
            _, index, name = key.split(".", 2)
            row = entered[int(index)]
            for error in errors:
                row.add_error(name if name in row.fields else None, error)
        elif key in form.fields:
            for error in errors:
                form.add_error(key, error)
