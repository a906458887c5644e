"""The page that makes the pseudonymised case-level extract (`reports.extract`): a form
for the period, the programme and the format; posting it sends the file."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from retorno.lib.errors import ServiceError
from retorno.programmes.models import Programme
from retorno.reports import extract as extracts
from retorno.reports import policy
from retorno.reports.forms import last_quarter


class ExtractForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Cases opened from"),
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("to"),
                          widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=gettext_lazy("Both days included; at most five years."))
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"), required=False,
                                       queryset=Programme.objects.order_by("name"),
                                       empty_label=gettext_lazy("All programmes"))
    format = forms.ChoiceField(label=gettext_lazy("Format"), initial="csv",
                               widget=forms.RadioSelect,
                               choices=[("csv", gettext_lazy("CSV (any size, for analysis "
                                                             "tools)")),
                                        ("xlsx", gettext_lazy("XLSX (a spreadsheet, up to "
                                                              "about a million rows)"))])


def _initial() -> dict:
    period = last_quarter(timezone.localdate())
    return {"start": period.start, "end": period.end, "format": "csv"}


@login_required
@require_http_methods(["GET", "POST"])
def extract(request: HttpRequest) -> HttpResponse:
    if not policy.can_extract(request.user):
        raise PermissionDenied
    form = (ExtractForm(request.POST) if request.method == "POST"
            else ExtractForm(initial=_initial()))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            made = extracts.make_extract(
                actor=request.user, start=data["start"], end=data["end"],
                programme_id=data["programme"].pk if data["programme"] else None,
                fmt=data["format"])
        except ServiceError as exc:
            for name, messages in exc.field_errors.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
            for message in exc.messages:
                if not any(message in m for m in exc.field_errors.values()):
                    form.add_error(None, message)
        else:
            return FileResponse(made.file, as_attachment=True, filename=made.filename,
                                content_type=made.content_type)
    return render(request, "reports/extract.html",
                  {"form": form, "notes": extracts.notes()},
                  status=422 if form.is_bound else 200)
