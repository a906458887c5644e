"""Screening a case member, and recording a best-interest determination for a child.
The views load the case through cases.policy.access_case (404 for outsiders), refuse roles
outside the case team (403), validate and call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from retorno.cases.policy import access_case
from retorno.lib.forms import attempt
from retorno.screening import policy, services
from retorno.screening.bid import needs_best_interest_determination
from retorno.screening.forms import BidForm, ScreeningForm


@require_http_methods(["GET", "POST"])
@login_required
def screen_member(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    case = access_case(request.user, reference)
    member = policy.access_member(case, person_id)
    if not policy.can_screen(request.user, case):
        raise PermissionDenied
    back = reverse("cases:detail", args=[case.reference]) + "#screening"
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_screening(actor=request.user, case=case, member=member,
                                      answers=form.answers(),
                                      screened_on=form.cleaned_data["screened_on"],
                                      notes=form.cleaned_data["notes"]))):
        messages.success(request, _("Screening recorded."))
        return redirect(back)
    return render(request, "screening/screening_form.html",
                  {"case": case, "member": member, "form": form, "back": back},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def record_bid(request: HttpRequest, reference: str, person_id: int) -> HttpResponse:
    case = access_case(request.user, reference)
    member = policy.access_member(case, person_id)
    if not policy.can_screen(request.user, case):
        raise PermissionDenied
    if member.person_id not in {p.pk for p in needs_best_interest_determination(case)}:
        raise Http404
    back = reverse("cases:detail", args=[case.reference]) + "#screening"
    form = BidForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_bid(actor=request.user, case=case, person=member.person,
                                data=form.cleaned_data))):
        messages.success(request, _("Best-interest determination recorded."))
        return redirect(back)
    return render(request, "screening/bid_form.html",
                  {"case": case, "member": member, "form": form, "back": back},
                  status=422 if form.is_bound else 200)
