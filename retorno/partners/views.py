"""The partner directory (staff), referrals on the case page, and the partner users' pages.

Staff pages read the directory through `partners.policy` (403 for those who may not read
it, 404 for a partner they may not see) and write through `partners.services`. The case's
referral views load the case through `cases.policy.access_case_for` (404 for outsiders,
403 for those who may not refer). The partner users' pages read only their organisation's
referrals (`policy.access_partner_referral`: 404 for any other) and show only what the
referral carries.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.cases.models import Case
from retorno.cases.policy import access_case_for
from retorno.lib.errors import ServiceError
from retorno.lib.forms import apply_errors, attempt
from retorno.partners import directory, minimum, policy, services
from retorno.partners.forms import (
    AgreementForm,
    DirectoryFilter,
    FeedbackForm,
    PartnerForm,
    PartnerUserForm,
    ReasonForm,
    ServiceGivenForm,
    VersionForm,
)
from retorno.partners.models import Partner, Referral, ReferralStatus
from retorno.partners.sections import referral_form

PARTNER_PAGE_LIMIT = 200

# ---- the directory ---------------------------------------------------------------------------


def _require_directory(request: HttpRequest) -> None:
    if not policy.can_view_directory(request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    _require_directory(request)
    form = DirectoryFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = directory.filter_partners(
        policy.visible_partners(request.user), q=filters.get("q", ""),
        country=filters.get("country", ""), area=filters.get("area", ""),
        service=filters.get("service", ""))
    states = directory.agreement_states(rows)
    return render(request, "partners/list.html", {
        "form": form,
        "rows": [{"partner": p, "agreement": states[p.pk],
                  "areas": directory.area_names(p),
                  "services": [services.service_label(s) for s in p.services]}
                 for p in rows],
        "can_create": policy.may_create(request.user),
    })


@require_http_methods(["GET", "POST"])
@login_required
def partner_new(request: HttpRequest) -> HttpResponse:
    _require_directory(request)
    if not policy.may_create(request.user):
        raise PermissionDenied
    offices = policy.creating_offices(request.user)
    form = PartnerForm(request.POST or None, offices=offices,
                       initial={"office": offices.first() if offices.count() == 1 else None})
    if request.method == "POST" and form.is_valid():
        partner = attempt([form], lambda: services.create_partner(
            actor=request.user, office=form.cleaned_data["office"],
            data=form.partner_data()))
        if partner is not None:
            messages.success(request, _("%(name)s added to the directory.")
                             % {"name": partner.name})
            return redirect("partners:detail", partner_id=partner.pk)
    return render(request, "partners/form.html",
                  {"form": form, "title": _("Add a partner organisation"),
                   "back": reverse("partners:list")},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET"])
@login_required
def partner_detail(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = policy.access_partner(request.user, partner_id)
    agreements = list(partner.agreements.select_related("recorded_by"))
    state = directory.agreement_states([partner])[partner.pk]
    users = list(partner.users.select_related("user").order_by("user__username"))
    return render(request, "partners/detail.html", {
        "partner": partner, "agreement": state, "agreements": agreements,
        "users": users, "areas": directory.area_names(partner),
        "services": [services.service_label(s) for s in partner.services],
        "counts": directory.referral_counts(partner),
        "can_manage": policy.may_manage(request.user, partner),
    })


def _managed(request: HttpRequest, partner_id: int) -> Partner:
    partner = policy.access_partner(request.user, partner_id)
    if not policy.may_manage(request.user, partner):
        raise PermissionDenied
    return partner


@require_http_methods(["GET", "POST"])
@login_required
def partner_edit(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = _managed(request, partner_id)
    form = PartnerForm(request.POST or None, initial=PartnerForm.initial_for(partner))
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_partner(actor=request.user, partner=partner,
                                    data=form.partner_data(),
                                    version=form.cleaned_data["version"]))):
        messages.success(request, _("%(name)s saved.") % {"name": partner.name})
        return redirect("partners:detail", partner_id=partner.pk)
    return render(request, "partners/form.html",
                  {"form": form, "partner": partner,
                   "title": _("Change %(name)s") % {"name": partner.name},
                   "back": reverse("partners:detail", args=[partner.pk])},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def agreement_new(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = _managed(request, partner_id)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_agreement(actor=request.user, partner=partner,
                                      **form.cleaned_data))):
        messages.success(request, _("Data-sharing agreement recorded."))
        return redirect("partners:detail", partner_id=partner.pk)
    return render(request, "partners/form.html",
                  {"form": form, "partner": partner,
                   "title": _("Record a data-sharing agreement with %(name)s")
                   % {"name": partner.name},
                   "back": reverse("partners:detail", args=[partner.pk])},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def user_new(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = _managed(request, partner_id)
    form = PartnerUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.create_partner_user(actor=request.user, partner=partner,
                                         **form.cleaned_data))):
        messages.success(request, _("Account opened for %(name)s.") % {"name": partner.name})
        return redirect("partners:detail", partner_id=partner.pk)
    return render(request, "partners/form.html",
                  {"form": form, "partner": partner,
                   "title": _("Add a user of %(name)s") % {"name": partner.name},
                   "back": reverse("partners:detail", args=[partner.pk])},
                  status=422 if form.is_bound else 200)


# ---- referrals on the case page --------------------------------------------------------------


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#referrals"


def _flash(request: HttpRequest, exc: ServiceError) -> None:
    shown = set()
    for message in [*exc.messages, *[m for ms in exc.field_errors.values() for m in ms]]:
        if message not in shown:
            shown.add(message)
            messages.error(request, message)


@require_POST
@login_required
def refer(request: HttpRequest, reference: str) -> HttpResponse:
    """Send a referral from the case page's form; a refusal is shown on the case page."""
    case = access_case_for(request.user, reference, policy.may_refer)
    form = referral_form(case, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(case))
    data = form.cleaned_data
    people = {m.person_id: m.person for m in case.members.select_related("person")}
    partners = {p.pk: p for p in directory.partners_for_referral()}
    items = {i.pk: i for i in form.items}
    try:
        services.send_referral(actor=request.user, case=case, person=people[data["person"]],
                               partner=partners[data["partner"]], service=data["service"],
                               need=data["need"], item=items.get(data["item"]))
    except ServiceError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Referral sent."))
    return redirect(_back(case))


@require_POST
@login_required
def withdraw(request: HttpRequest, reference: str, referral_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_refer)
    referral = policy.access_case_referral(case, referral_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the referral is withdrawn."))
        return redirect(_back(case))
    try:
        services.withdraw_referral(actor=request.user, referral=referral,
                                   version=form.cleaned_data["version"],
                                   reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Referral withdrawn."))
    return redirect(_back(case))


# ---- the partner users' pages ----------------------------------------------------------------


def _require_partner_user(request: HttpRequest) -> Partner:
    partner = policy.partner_of(request.user)
    if partner is None:
        raise PermissionDenied
    return partner


@require_http_methods(["GET"])
@login_required
def partner_home(request: HttpRequest) -> HttpResponse:
    """The referrals sent to the user's organisation, newest first."""
    partner = _require_partner_user(request)
    status = request.GET.get("status", "")
    referrals = policy.visible_referrals(request.user).order_by("-sent_at", "-id")
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    else:
        status = ""
    found = list(referrals[:PARTNER_PAGE_LIMIT + 1])
    return render(request, "partners/partner_home.html", {
        "partner": partner,
        "referrals": [{"referral": r, "service": services.service_label(r.service)}
                      for r in found[:PARTNER_PAGE_LIMIT]],
        "more": len(found) > PARTNER_PAGE_LIMIT, "limit": PARTNER_PAGE_LIMIT,
        "status": status, "statuses": ReferralStatus.choices,
    })


def _partner_forms(referral: Referral, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    initial = {"version": referral.version}
    forms_ = {
        "accept_form": VersionForm(initial=initial),
        "decline_form": ReasonForm(initial=initial, prefix="decline"),
        "service_form": ServiceGivenForm(initial=initial),
        "close_form": FeedbackForm(initial=initial),
    }
    forms_.update(bound or {})
    return forms_


# The forms the page shows for each status.
_SHOWN = {ReferralStatus.SENT: {"accept_form", "decline_form"},
          ReferralStatus.ACCEPTED: {"service_form"},
          ReferralStatus.SERVICE_GIVEN: {"close_form"}}


def _partner_page(request: HttpRequest, referral: Referral,
                  bound: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    # A refused form the page no longer shows (the referral moved on): its messages on top.
    problems = [str(e) for name, form in (bound or {}).items()
                if name not in _SHOWN.get(referral.status, set())
                for errors in form.errors.values() for e in errors]
    return render(request, "partners/partner_referral.html", {
        "referral": referral, "service": services.service_label(referral.service),
        "shared": minimum.readable(referral.shared), "problems": problems,
        **_partner_forms(referral, bound),
    }, status=status)


@require_http_methods(["GET"])
@login_required
def partner_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = policy.access_partner_referral(request.user, referral_id)
    return _partner_page(request, referral)


def _answer(request: HttpRequest, referral_id: int, name: str, form_class: type,
            act: Any, done: str, prefix: str | None = None) -> HttpResponse:
    referral = policy.access_partner_referral(request.user, referral_id)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            act(referral, form.cleaned_data)
        except ServiceError as exc:
            apply_errors(exc, [form])
        else:
            messages.success(request, done)
            return redirect("partners:partner_referral", referral_id=referral.pk)
    return _partner_page(request, referral, {name: form}, status=422)


@require_POST
@login_required
def partner_accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _answer(request, referral_id, "accept_form", VersionForm, lambda r, d: (
        services.accept_referral(actor=request.user, referral=r, version=d["version"])),
        _("Referral accepted."))


@require_POST
@login_required
def partner_decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _answer(request, referral_id, "decline_form", ReasonForm, lambda r, d: (
        services.decline_referral(actor=request.user, referral=r, version=d["version"],
                                  reason=d["reason"])),
        _("Referral declined."), prefix="decline")


@require_POST
@login_required
def partner_service(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _answer(request, referral_id, "service_form", ServiceGivenForm, lambda r, d: (
        services.record_service(actor=request.user, referral=r, version=d["version"],
                                service_given=d["service_given"],
                                service_on=d["service_on"])),
        _("Service recorded."))


@require_POST
@login_required
def partner_close(request: HttpRequest, referral_id: int) -> HttpResponse:
    return _answer(request, referral_id, "close_form", FeedbackForm, lambda r, d: (
        services.close_referral(actor=request.user, referral=r, version=d["version"],
                                feedback=d["feedback"])),
        _("Referral closed."))
