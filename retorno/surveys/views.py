"""The instrument pages: the list, a version's whole definition, its XLSForm and its
spreadsheet, loading a new version, importing submissions.

Who (`surveys.policy`): reading needs `survey.record`, `survey.manage` or `me.view` in
some office — anyone else gets 403; loading a version needs `survey.manage`; importing
needs `survey.record`. An unknown instrument or version is 404 (after the role check:
instruments hold no personal data, so their codes are not secret). Every change goes
through `surveys.services`.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from retorno.lib.forms import attempt
from retorno.surveys import policy, services, spreadsheet, xlsform
from retorno.surveys.definition import Definition, text
from retorno.surveys.models import InstrumentVersion


class LoadVersionForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        help_text=gettext_lazy("The layout of the spreadsheet each version offers for "
                               "download: sheets settings, dimensions, indicators, "
                               "questions and options."))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export of the submissions (CSV or JSON)"),
        help_text=gettext_lazy("From KoboToolbox (“XML values and headers”) or ODK "
                               "Central, of the form exported from this version."))


def _require_reader(request: HttpRequest) -> None:
    if not policy.can_read_instruments(request.user):
        raise PermissionDenied


@require_GET
@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    by_instrument: dict[int, list[InstrumentVersion]] = {}
    for found in (InstrumentVersion.objects.annotate(used=Count("responses"))
                  .select_related("loaded_by").order_by("instrument_id", "-number")):
        by_instrument.setdefault(found.instrument_id, []).append(found)
    rows = []
    for instrument in policy.instruments():
        versions = by_instrument.get(instrument.pk, [])
        rows.append({"instrument": instrument, "versions": versions,
                     "title": text(versions[0].definition.get("title")) if versions
                     else instrument.name})
    return render(request, "surveys/instruments.html", {
        "rows": rows, "can_manage": policy.can_manage_instruments(request.user),
        "can_import": policy.can_import(request.user)})


def _layout(version: InstrumentVersion) -> dict[str, Any]:
    """The definition arranged for the page: dimensions, their indicators, each
    indicator's questions and options; the unscored questions apart."""
    d = Definition(version.definition)

    def question_row(q: dict) -> dict[str, Any]:
        return {"name": q["name"], "type": q["type"], "label": text(q.get("label")),
                "hint": text(q.get("hint")),
                "options": [{"name": o["name"], "label": text(o.get("label")),
                             "value": o.get("value")} for o in q.get("options") or []]}

    dimensions = []
    for dim in d.dimensions:
        indicators = [{"code": i["code"], "label": text(i.get("label")),
                       "weight": i["weight"],
                       "questions": [question_row(q) for q in d.questions_of(i["code"])]}
                      for i in d.indicators_of(dim["code"])]
        dimensions.append({"code": dim["code"], "label": text(dim.get("label")),
                           "weight": dim["weight"], "indicators": indicators})
    unscored = [question_row(q) for q in d.questions
                if q.get("indicator") is None or q["type"] != "select_one"]
    return {"title": d.title, "dimensions": dimensions, "unscored": unscored,
            "min_coverage": d.min_coverage, "provisional": d.weights_provisional}


@require_GET
@login_required
def version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    _require_reader(request)
    found = policy.access_version(request.user, code, number)
    return render(request, "surveys/instruments_version.html", {
        "version": found, "layout": _layout(found),
        "current": found.instrument.current == found,
        "used": found.responses.count(),
        "can_manage": policy.can_manage_instruments(request.user),
        "can_import": policy.can_import(request.user)})


@require_GET
@login_required
def download_xlsform(request: HttpRequest, code: str, number: int) -> HttpResponse:
    _require_reader(request)
    found = policy.access_version(request.user, code, number)
    content = xlsform.build(found)
    services.record_xlsform_export(actor=request.user, version=found)
    response = HttpResponse(content, content_type=xlsform.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{xlsform.filename(found)}"'
    return response


@require_GET
@login_required
def download_spreadsheet(request: HttpRequest, code: str, number: int) -> HttpResponse:
    _require_reader(request)
    found = policy.access_version(request.user, code, number)
    response = HttpResponse(spreadsheet.build(found), content_type=xlsform.CONTENT_TYPE)
    name = f"{found.instrument.code}-v{found.number}-definition.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def load(request: HttpRequest, code: str) -> HttpResponse:
    if not policy.can_manage_instruments(request.user):
        raise PermissionDenied
    instrument = policy.access_instrument(request.user, code)
    form = (LoadVersionForm(request.POST, request.FILES) if request.method == "POST"
            else LoadVersionForm())
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            loaded = attempt([form], lambda: services.load_version(
                actor=request.user, instrument_code=instrument.code,
                upload=form.cleaned_data["file"]))
            if loaded is not None:
                messages.success(request, _("Version %(number)d of %(name)s loaded.")
                                 % {"number": loaded.number, "name": instrument.name})
                return redirect("surveys:instrument_version", instrument.code, loaded.number)
    return render(request, "surveys/instruments_load.html",
                  {"instrument": instrument, "current": instrument.current, "form": form},
                  status=status)


@require_http_methods(["GET", "POST"])
@login_required
def import_submissions(request: HttpRequest, code: str, number: int) -> HttpResponse:
    if not policy.can_import(request.user):
        raise PermissionDenied
    found = policy.access_version(request.user, code, number)
    form = (ImportForm(request.POST, request.FILES) if request.method == "POST"
            else ImportForm())
    report = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            report = attempt([form], lambda: services.import_submissions(
                actor=request.user, version=found, upload=form.cleaned_data["file"]))
            if report is not None:
                status = 200
                form = ImportForm()
    return render(request, "surveys/import.html", {
        "version": found, "form": form, "report": report,
        "back": reverse("surveys:instrument_version", args=[code, number])}, status=status)
