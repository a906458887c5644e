"""The programme finance pages (finance.view, organisation-wide; 403 for everyone else,
404 for a code that names no programme): every programme's figures, one programme in
detail, and both as CSV or XLSX downloads (POST: each export is audited)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from retorno.finance import exports
from retorno.finance.figures import Figures, figures_of, programme_figures
from retorno.lib.errors import ServiceError
from retorno.programmes import policy
from retorno.programmes.views import money


def _require_finance(request: HttpRequest) -> None:
    if not policy.can_view_finance(request.user):
        raise PermissionDenied


def figure_context(figure: Figures) -> dict[str, Any]:
    """The figures as the templates show them: amounts in the reader's locale."""
    currency = figure.currency

    def fmt(amount: Any) -> str:
        return money(amount, currency)

    remaining = figure.remaining
    return {
        "figure": figure,
        "budget": fmt(figure.budget),
        "committed": fmt(figure.committed),
        "spent": fmt(figure.spent),
        "awaiting": fmt(figure.awaiting),
        "remaining": fmt(remaining),
        "over_budget": figure.over_budget,
        "overspent": fmt(-remaining) if figure.over_budget and remaining is not None else "",
        "cost_per_returnee": fmt(figure.cost_per_returnee),
        "by_kind": [(label, fmt(amount)) for label, amount in figure.by_kind()],
        "by_method": [(label, fmt(amount)) for label, amount in figure.by_method()],
        "by_month": [(date_format(month, "YEAR_MONTH_FORMAT"), fmt(amount))
                     for month, amount in figure.by_month()],
    }


def _format(request: HttpRequest) -> str:
    return request.POST.get("format", "")


def _download(export: exports.Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@require_http_methods(["GET"])
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    figures = programme_figures(list(policy.programmes()))
    return render(request, "finance/programme_overview.html", {
        "rows": [figure_context(figure) for figure in figures],
        "formats": exports.FORMATS})


@require_http_methods(["GET"])
@login_required
def programme(request: HttpRequest, code: str) -> HttpResponse:
    _require_finance(request)
    found = policy.access_programme(code)
    return render(request, "finance/programme_detail.html", {
        "programme": found, "finance": figure_context(figures_of(found)),
        "can_manage": policy.can_manage_package(request.user),
        "formats": exports.FORMATS})


@require_http_methods(["POST"])
@login_required
def overview_export(request: HttpRequest) -> HttpResponse:
    """Every programme's figures as CSV or XLSX; audited (event 327)."""
    _require_finance(request)
    try:
        return _download(exports.export_overview(actor=request.user, fmt=_format(request)))
    except ServiceError as exc:
        return HttpResponse(" ".join(exc.messages), status=exc.status_code,
                            content_type="text/plain; charset=utf-8")


@require_http_methods(["POST"])
@login_required
def programme_export(request: HttpRequest, code: str) -> HttpResponse:
    """One programme's figures as CSV or XLSX; audited (event 327)."""
    _require_finance(request)
    found = policy.access_programme(code)
    try:
        return _download(exports.export_programme(actor=request.user, programme=found,
                                                  fmt=_format(request)))
    except ServiceError as exc:
        return HttpResponse(" ".join(exc.messages), status=exc.status_code,
                            content_type="text/plain; charset=utf-8")
