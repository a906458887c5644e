"""The survey pages of a case: the form that records a survey, and a response explained.

Both load the case through `cases.policy` (404 for a case the user may not see). The
form is for those who may record a survey on the case (`surveys.policy.may_record`,
403 for the other readers of the case); a response is read by whoever reads its case.
Recording goes through `surveys.services.record_response`, with the client key drawn
into the form as the submission's identifier: the same form sent twice records once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from retorno.cases.models import Case
from retorno.cases.policy import access_case, access_case_for
from retorno.lib.forms import attempt
from retorno.surveys import policy, services
from retorno.surveys.definition import text
from retorno.surveys.forms import SurveyForm
from retorno.surveys.models import Instrument, InstrumentVersion, Source
from retorno.surveys.responses import access_case_response, explain, round_label


def _members(case: Case) -> tuple[list[tuple[int, str]], int | None]:
    members = list(case.members.select_related("person").order_by("id"))
    principal = next((m.pk for m in members if m.relationship == "principal"), None)
    return [(m.pk, m.person.display_name) for m in members], principal


def _version(request: HttpRequest, instrument: Instrument) -> InstrumentVersion:
    """The version the form was drawn with when it is posted back (a new version loaded
    meanwhile does not change the questions answered), else the current one."""
    versions = {v.number: v for v in instrument.versions.all()}
    if not versions:
        raise Http404
    posted = request.POST.get("version_number", "")
    if posted.isdigit() and int(posted) in versions:
        return versions[int(posted)]
    return versions[max(versions)]


@require_http_methods(["GET", "POST"])
@login_required
def survey_new(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    instrument = policy.access_instrument(request.user, code)
    version = _version(request, instrument)
    members, principal = _members(case)
    form = SurveyForm(request.POST or None, definition=version.definition, members=members,
                      principal=principal)
    if request.method == "POST" and form.is_valid():
        respondent = None
        if form.cleaned_data["respondent"] is not None:
            respondent = case.members.filter(pk=form.cleaned_data["respondent"]).first()
        response = attempt([form], lambda: services.record_response(
            actor=request.user, case=case, version=version, answers=form.answers(),
            collected_on=form.cleaned_data["collected_on"], respondent=respondent,
            source=Source.WEB, submission_id=form.cleaned_data["client_key"]))
        if response is not None:
            messages.success(request, _("Survey recorded."))
            return redirect("surveys:case_response", reference=case.reference,
                            response_id=response.pk)
    return render(request, "surveys/case_survey_form.html", {
        "case": case, "form": form, "instrument": instrument, "version": version,
        "title": text(version.definition.get("title")) or instrument.name,
        "back": reverse("cases:detail", args=[case.reference]) + "#surveys",
    }, status=422 if form.is_bound else 200)


@require_GET
@login_required
def response_detail(request: HttpRequest, reference: str, response_id: int) -> HttpResponse:
    case = access_case(request.user, reference)
    response = access_case_response(case, response_id)
    return render(request, "surveys/case_response.html", {
        "case": case, "response": response, "round": round_label(response),
        "explained": explain(response),
        "back": reverse("cases:detail", args=[case.reference]) + "#surveys",
    })
