"""The statistics dashboard and its downloads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from retorno.programmes.models import Programme
from retorno.reports import dashboard as boards
from retorno.reports import forms, policy, services, tables
from retorno.reports.figures import Names


def names() -> Names:
    return Names(programmes=dict(Programme.objects.values_list("pk", "name")),
                 language=get_language())


def _filters(request: HttpRequest) -> tuple[forms.Filters, bool]:
    if not policy.can_view(request.user):
        raise PermissionDenied
    form = forms.Filters(request.GET)
    public = False
    if form.is_valid():
        public = policy.public_for(request.user, form.cleaned_data.get("public", False))
    return form, public


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, public = _filters(request)
    context = {"form": form, "public": public, "exact": policy.sees_exact(request.user),
               "can_extract": policy.can_extract(request.user),
               "presets": forms.presets(timezone.localdate()), "query": request.GET.urlencode()}
    if form.is_valid():
        context["board"] = boards.build(form.cleaned_data["period"], form.selection(),
                                        public=public, names=names())
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    form, public = _filters(request)
    if not form.is_valid() or fmt not in tables.FORMATS:
        raise Http404
    period, selection = form.cleaned_data["period"], form.selection()
    board = boards.build(period, selection, public=public, names=names(), with_charts=False)
    table = next((t for t in board.tables() if t.slug == slug), None)
    if table is None:
        raise Http404
    services.record_export(actor=request.user, table=slug, fmt=fmt, period=period,
                           selection=selection, public=public)
    return tables.download(table, fmt)
