"""Transit assistance pages (the transit office's movement staff) and departure manifests
(the host office's movement officers and supervisors).

Transit requests are loaded through `transit.access_transit_request` (404 for anyone
but the request's office); the lists answer 403 to those who work no transit request /
record travel nowhere. Writes call one service each: `transit.confirm_transit`,
`manifests.export_manifest` (every file produced is audited; the rows on screen are not).
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from retorno.lib.errors import Invalid
from retorno.lib.forms import attempt
from retorno.travel import manifests, transit, validation
from retorno.travel.models import TransitStatus

# ---- transit -----------------------------------------------------------------------------


class ConfirmForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("What was done at the connection, e.g. "
                                                  "wheelchair provided, met at the gate."))
    version = forms.IntegerField(widget=forms.HiddenInput)


_ORDER = {TransitStatus.REQUESTED: 0, TransitStatus.ASSISTED: 1, TransitStatus.CANCELLED: 2}


def _require_assist(request: HttpRequest) -> None:
    if not transit.can_assist(request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
@login_required
def transit_list(request: HttpRequest) -> HttpResponse:
    """Requested first (soonest connection first), then assisted and cancelled ones."""
    _require_assist(request)
    requests = sorted(transit.visible_transit_requests(request.user),
                      key=lambda r: (_ORDER.get(r.status, 3), r.leg.arrives_at, r.pk))
    names = transit.travellers_named(requests)
    rows = [{"request": r, "names": names.get(r.pk, []),
             "connection": validation.show(r.leg.arrives_at, r.leg.to_tz),
             "place": r.leg.to_code or r.leg.to_place} for r in requests]
    return render(request, "travel/transit/list.html", {"rows": rows})


def _detail(request: HttpRequest, transit_request, form: ConfirmForm,
            status: int = 200) -> HttpResponse:
    return render(request, "travel/transit/detail.html",
                  {"m": transit.movement(transit_request), "form": form}, status=status)


@require_http_methods(["GET"])
@login_required
def transit_detail(request: HttpRequest, transit_id: int) -> HttpResponse:
    found = transit.access_transit_request(request.user, transit_id)
    return _detail(request, found, ConfirmForm(initial={"version": found.version}))


@require_http_methods(["POST"])
@login_required
def transit_confirm(request: HttpRequest, transit_id: int) -> HttpResponse:
    found = transit.access_transit_request(request.user, transit_id)
    form = ConfirmForm(request.POST)
    if form.is_valid() and attempt([form], lambda: transit.confirm_transit(
            actor=request.user, request=found, note=form.cleaned_data["note"],
            version=form.cleaned_data["version"])):
        messages.success(request, _("Transit assistance confirmed."))
        return redirect("transit:detail", transit_id=found.pk)
    return _detail(request, transit.access_transit_request(request.user, transit_id), form,
                   status=422)


# ---- manifests ---------------------------------------------------------------------------


class ManifestForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Day"),
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          help_text=gettext_lazy("The local date at the airport."))
    airport = forms.CharField(label=gettext_lazy("Airport (IATA code)"), max_length=3,
                              min_length=3, help_text=gettext_lazy("e.g. BER, VIE, FRA"))

    def clean_airport(self) -> str:
        try:
            return manifests.airport_of(self.cleaned_data["airport"]).code
        except Invalid as exc:
            raise forms.ValidationError(exc.messages) from None


class ExportForm(ManifestForm):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("pdf", "PDF")])


def _require_manifests(request: HttpRequest) -> None:
    if not manifests.can_read_manifests(request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
@login_required
def manifest(request: HttpRequest) -> HttpResponse:
    """The form, and the rows on screen once a day and an airport are given. Reading the
    screen is not an export: nothing is audited here."""
    _require_manifests(request)
    given = "day" in request.GET or "airport" in request.GET
    form = ManifestForm(request.GET if given else None,
                        initial={"day": timezone.localdate()})
    rows, day, airport = None, None, None
    if given and form.is_valid():
        day, airport = form.cleaned_data["day"], form.cleaned_data["airport"]
        rows = manifests.manifest_rows(request.user, day, airport)
    return render(request, "travel/manifest/page.html",
                  {"form": form, "rows": rows, "day": day, "airport": airport},
                  status=422 if given and not form.is_valid() else 200)


@require_http_methods(["POST"])
@login_required
def manifest_export(request: HttpRequest) -> HttpResponse:
    """The manifest as a CSV or PDF download; audited (event 284)."""
    _require_manifests(request)
    form = ExportForm(request.POST)
    if form.is_valid():
        day: datetime.date = form.cleaned_data["day"]
        airport, fmt = form.cleaned_data["airport"], form.cleaned_data["format"]
        content = attempt([form], lambda: manifests.export_manifest(
            actor=request.user, day=day, airport=airport, fmt=fmt))
        if content is not None:
            return file_response(content, day, airport, fmt)
    return render(request, "travel/manifest/page.html",
                  {"form": form, "rows": None, "day": None, "airport": None}, status=422)


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def file_response(content: bytes, day: datetime.date, airport: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{manifests.filename(day, airport, fmt)}"')
    return response
