"""Proposing a case's alternative pathway and changing its status. Each view loads the
case through cases.policy.access_case_for (404 for outsiders), refuses roles outside the case
team (403), validates and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.cases.models import Case
from retorno.cases.policy import access_case_for
from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.pathways import policy, services
from retorno.pathways.forms import PathwayForm, StatusForm


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#pathways"


@require_http_methods(["GET", "POST"])
@login_required
def new_pathway(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    form = PathwayForm(request.POST or None, initial={"referred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.propose_pathway(actor=request.user, case=case,
                                     data=form.pathway_data()))):
        messages.success(request, _("Alternative pathway proposed."))
        return redirect(_back(case))
    return render(request, "pathways/pathway_form.html",
                  {"case": case, "form": form, "back": _back(case),
                   "title": _("Propose an alternative pathway")},
                  status=422 if form.is_bound else 200)


@require_POST
@login_required
def change_status(request: HttpRequest, reference: str, pathway_id: int) -> HttpResponse:
    """The status form of the case page's pathway section; answers with a redirect back
    to the case page, with a message saying what happened or why not."""
    case = access_case_for(request.user, reference, policy.can_record)
    pathway = policy.access_pathway(case, pathway_id)
    form = StatusForm(request.POST, prefix=f"p{pathway.pk}")
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
        return redirect(_back(case))
    try:
        services.change_pathway_status(actor=request.user, pathway=pathway,
                                       status=form.cleaned_data["status"],
                                       comment=form.cleaned_data["comment"],
                                       version=form.cleaned_data["version"])
    except ServiceError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Pathway status changed to “%(status)s”.")
                         % {"status": pathway.get_status_display()})
    return redirect(_back(case))
