"""Recording and editing a case's counselling sessions. Each view loads the case through
cases.policy.access_case_for (404 for outsiders), refuses roles outside the case team (403),
validates and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from retorno.cases.models import Case
from retorno.cases.policy import access_case_for
from retorno.counselling import policy, services
from retorno.counselling.forms import SessionForm
from retorno.lib.forms import attempt


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#counselling"


def _first_language(case: Case) -> str:
    principal = case.principal
    languages = principal.person.languages if principal else []
    return languages[0] if languages else ""


@require_http_methods(["GET", "POST"])
@login_required
def new_session(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    form = SessionForm(request.POST or None, initial={"language": _first_language(case)})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_session(actor=request.user, case=case,
                                    data=form.session_data()))):
        messages.success(request, _("Counselling session recorded."))
        return redirect(_back(case))
    return render(request, "counselling/session_form.html",
                  {"case": case, "form": form, "back": _back(case),
                   "title": _("Record a counselling session")},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def edit_session(request: HttpRequest, reference: str, session_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    session = policy.access_session(case, session_id)
    initial = {name: getattr(session, name) for name in services.FIELDS}
    form = SessionForm(request.POST or None, initial={**initial, "version": session.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_session(actor=request.user, session=session,
                                    data=form.session_data(),
                                    version=form.cleaned_data["version"] or 0))):
        messages.success(request, _("Counselling session saved."))
        return redirect(_back(case))
    return render(request, "counselling/session_form.html",
                  {"case": case, "form": form, "back": _back(case),
                   "title": _("Edit the counselling session")},
                  status=422 if form.is_bound else 200)
