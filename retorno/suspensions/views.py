"""The return suspensions pages: the list (for everyone who reads cases), and setting and
lifting a suspension (suspension.manage; 403 for other readers). Each write calls one
service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from retorno.lib.forms import attempt
from retorno.suspensions import policy, services
from retorno.suspensions.forms import LiftForm, SuspensionForm


def _require_read(request: HttpRequest) -> None:
    if not policy.can_read(request.user):
        raise PermissionDenied


def _require_manage(request: HttpRequest) -> None:
    _require_read(request)
    if not policy.can_manage(request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
@login_required
def suspension_list(request: HttpRequest) -> HttpResponse:
    """Active and scheduled suspensions first, then the past ones."""
    _require_read(request)
    today = timezone.localdate()
    current, past = [], []
    for suspension in policy.suspensions():
        state = suspension.state(today)
        (past if state in ("lifted", "ended") else current).append((suspension, state))
    return render(request, "suspensions/list.html",
                  {"current": current, "past": past,
                   "can_manage": policy.can_manage(request.user)})


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = SuspensionForm(request.POST or None,
                          initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.set_suspension(actor=request.user, data=form.suspension_data()))):
        messages.success(request, _("Return suspension set."))
        return redirect("suspensions:list")
    return render(request, "suspensions/form.html",
                  {"form": form, "title": _("Suspend returns")},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def lift(request: HttpRequest, suspension_id: int) -> HttpResponse:
    _require_manage(request)
    suspension = policy.access_suspension(suspension_id)
    form = LiftForm(request.POST or None, initial={"version": suspension.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.lift_suspension(actor=request.user, suspension=suspension,
                                     reason=form.cleaned_data["reason"],
                                     version=form.cleaned_data["version"]))):
        messages.success(request, _("Return suspension lifted."))
        return redirect("suspensions:list")
    return render(request, "suspensions/form.html",
                  {"form": form, "suspension": suspension,
                   "title": _("Lift the return suspension")},
                  status=422 if form.is_bound else 200)
