"""The regions pages: the list of the organisation's regions with the UN M49 regions
below it (for those who read statistics or keep the regions), and creating, changing and
deleting a region (region.manage; 403 for other readers, 404 for a code that names no
region). Each write calls one service."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from retorno.lib import m49
from retorno.lib.codes import country_name
from retorno.lib.forms import attempt
from retorno.lib.text import fold
from retorno.regions import policy, services
from retorno.regions.forms import DeleteForm, RegionForm, initial_for
from retorno.regions.models import Region


def _require_read(request: HttpRequest) -> None:
    if not policy.can_read(request.user):
        raise PermissionDenied


def _require_manage(request: HttpRequest) -> None:
    if not policy.can_manage(request.user):
        raise PermissionDenied


@dataclass(frozen=True)
class _Group:
    """One line of the M49 table: an area and its countries (code, name)."""

    area: m49.M49Area
    countries: list[tuple[str, str]]


def _named(codes: frozenset[str]) -> list[tuple[str, str]]:
    return sorted(((code, country_name(code)) for code in codes), key=lambda c: fold(c[1]))


def _m49_table() -> list[tuple[m49.M49Area, list[_Group]]]:
    """Each M49 region with its sub-regions, or their intermediate regions where a
    sub-region is divided, and their countries, in the reader's language."""
    table = []
    for region in m49.areas("region"):
        groups = []
        for subregion in m49.children(region.code):
            parts = m49.children(subregion.code)
            if not parts:
                groups.append(_Group(subregion, _named(m49.countries_in(subregion.code))))
                continue
            groups += [_Group(part, _named(m49.countries_in(part.code))) for part in parts]
            rest = m49.countries_in(subregion.code).difference(
                *(m49.countries_in(part.code) for part in parts))
            if rest:
                groups.append(_Group(subregion, _named(rest)))
        table.append((region, groups))
    return table


@require_GET
@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    _require_read(request)
    return render(request, "regions/list.html", {
        "regions": list(policy.regions()), "m49": _m49_table(),
        "can_manage": policy.can_manage(request.user)})


def _form_page(request: HttpRequest, form: RegionForm, title: str,
               region: Region | None = None) -> HttpResponse:
    return render(request, "regions/form.html",
                  {"form": form, "title": title, "region": region},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.create_region(actor=request.user, data=form.region_data()))):
        messages.success(request, _("Region created."))
        return redirect("regions:list")
    return _form_page(request, form, _("New region"))


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_manage(request)
    region = policy.access_region(code)
    form = RegionForm(request.POST or None, with_code=False, initial=initial_for(region))
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_region(actor=request.user, region=region,
                                   data=form.region_data(),
                                   version=form.cleaned_data["version"] or 0))):
        messages.success(request, _("Region saved."))
        return redirect("regions:list")
    return _form_page(request, form, _("Change the region “%(name)s”") % {"name": region.name},
                      region)


@require_http_methods(["GET", "POST"])
@login_required
def delete(request: HttpRequest, code: str) -> HttpResponse:
    _require_manage(request)
    region = policy.access_region(code)
    form = DeleteForm(request.POST or None, initial={"version": region.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.delete_region(actor=request.user, region=region,
                                   version=form.cleaned_data["version"]) or True)):
        messages.success(request, _("Region “%(name)s” deleted.") % {"name": region.name})
        return redirect("regions:list")
    return render(request, "regions/delete.html", {"form": form, "region": region},
                  status=422 if form.is_bound else 200)
