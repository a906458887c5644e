"""Recording and changing fitness to travel. Each view loads the case through
cases.policy.access_case_for (404 for outsiders), refuses everyone but the host office's
medical officer (403), validates and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from retorno.cases.models import Case
from retorno.cases.policy import access_case_for
from retorno.lib.forms import attempt
from retorno.medical import policy, services
from retorno.medical.forms import AssessmentForm


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#fitness"


@require_http_methods(["GET", "POST"])
@login_required
def record(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    member = case.members.select_related("person").filter(pk=member_id).first()
    if member is None:
        raise Http404
    form = AssessmentForm(request.POST or None, initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_assessment(actor=request.user, case=case, person=member.person,
                                       data=form.assessment_data()))):
        messages.success(request, _("Fitness to travel recorded."))
        return redirect(_back(case))
    return render(request, "medical/assessment_form.html",
                  {"case": case, "person": member.person, "form": form, "back": _back(case),
                   "title": _("Record fitness to travel")},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, reference: str, assessment_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    assessment = policy.access_assessment(case, assessment_id)
    initial = {name: getattr(assessment, name) for name in services.FIELDS}
    form = AssessmentForm(request.POST or None,
                          initial={**initial, "version": assessment.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_assessment(actor=request.user, assessment=assessment,
                                       data=form.assessment_data(),
                                       version=form.cleaned_data["version"] or 0))):
        messages.success(request, _("Fitness to travel saved."))
        return redirect(_back(case))
    return render(request, "medical/assessment_form.html",
                  {"case": case, "person": assessment.person, "form": form,
                   "back": _back(case), "title": _("Change the fitness to travel assessment")},
                  status=422 if form.is_bound else 200)
