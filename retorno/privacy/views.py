"""Consent on the case page: the section listing it, recording and withdrawing."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.accounts import permissions as perms
from retorno.cases.models import Case
from retorno.cases.policy import access_case, can_on_case
from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.privacy import consent as consents
from retorno.privacy.forms import ConsentForm
from retorno.privacy.models import Consent, ConsentPurpose


def _status(consent: Consent | None) -> str:
    if consent is None:
        return "none"
    return "given" if consent.is_active else "withdrawn"


def _latest(rows: list[Consent]) -> Consent | None:
    """The active consent, else the latest withdrawn one (`rows` are oldest first)."""
    active = [c for c in rows if c.is_active]
    return active[0] if active else (rows[-1] if rows else None)


def section_context(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    """Each member's consents by purpose. Everyone who sees the case sees them: they are
    not protection detail (the case was loaded through the policy)."""
    members = list(case.members.select_related("person").order_by("id"))
    by_person: dict[int, list[Consent]] = {}
    for consent in consents.case_consents(case).order_by("recorded_at", "id"):
        by_person.setdefault(consent.person_id, []).append(consent)
    today = timezone.localdate()
    rows = []
    for member in members:
        mine = by_person.get(member.person_id, [])
        purposes = []
        for purpose in ConsentPurpose:
            of_purpose = [c for c in mine if c.purpose == purpose]
            if purpose == ConsentPurpose.PARTNER and of_purpose:
                partners: dict[str, list[Consent]] = {}
                for c in of_purpose:
                    partners.setdefault(c.partner_name.casefold(), []).append(c)
                entries = [_latest(group) for group in partners.values()]
            else:
                entries = [_latest(of_purpose)]
            purposes += [{"purpose": purpose, "label": purpose.label, "consent": c,
                          "status": _status(c)} for c in entries]
        rows.append({"member": member, "child": consents.is_child(member, today),
                     "purposes": purposes})
    return {"consent_rows": rows,
            "can_record_consent": can_on_case(request.user, perms.CASE_CHANGE, case)}


@require_http_methods(["GET", "POST"])
@login_required
def record_consent(request: HttpRequest, reference: str) -> HttpResponse:
    """The form to record a consent; ?person=<id>&purpose=<purpose> preselects."""
    case = access_case(request.user, reference)
    if not (case.is_open and can_on_case(request.user, perms.CASE_CHANGE, case)):
        raise PermissionDenied
    members = list(case.members.select_related("person").order_by("id"))
    initial = {k: request.GET[k] for k in ("person", "purpose") if request.GET.get(k)}
    form = ConsentForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            consents.record_consent(actor=request.user, case=case, **form.consent_data()))):
        messages.success(request, _("Consent recorded."))
        return redirect("cases:detail", reference=case.reference)
    return render(request, "privacy/record_consent.html", {"case": case, "form": form},
                  status=422 if form.is_bound else 200)


@require_POST
@login_required
def withdraw_consent(request: HttpRequest, reference: str, consent_id: int) -> HttpResponse:
    """Withdraw a consent, with a reason; it takes effect at once."""
    case = access_case(request.user, reference)
    consent = consents.access_consent(case, consent_id)
    if not can_on_case(request.user, perms.CASE_CHANGE, case):
        raise PermissionDenied
    try:
        consents.withdraw_consent(actor=request.user, case=case, consent=consent,
                                  reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("cases:detail", reference=case.reference)
