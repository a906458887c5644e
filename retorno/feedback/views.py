"""The public feedback form and status page (no sign-in), and the staff's feedback pages.

Public pages: `/feedback/` sends feedback and answers the POST itself with the reference
(no redirect, no page that shows it again); `/feedback/status/` shows the status of a
reference and nothing else. Both are throttled per address (`throttle.py`); the form has
a honeypot field.

Staff pages read through `feedback.policy` (`visible_feedback` / `access_feedback`: 404
for an item the user may not read, whatever the reason) and write through
`feedback.services`. Reading an item and handling it are the same right, so the actions
answer 404, not 403, to whoever may not read the item; the inbox answers 403 to staff
who handle no feedback, the recording page to those who may not record.
"""

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.cases.policy import visible_cases
from retorno.feedback import inbox as inbox_rows
from retorno.feedback import policy, services, throttle
from retorno.feedback.forms import (
    AnswerForm,
    AssignForm,
    CategoriseForm,
    InboxFilter,
    PublicFeedbackForm,
    RecordForm,
    StatusLookupForm,
    VersionForm,
)
from retorno.feedback.models import Feedback, Status
from retorno.lib.errors import ServiceError, StaleVersion
from retorno.lib.forms import apply_errors

INBOX_PAGE_SIZE = 25

# ---- public ----------------------------------------------------------------------------------


def _public_language() -> str:
    language = (get_language() or "").split("-")[0]
    return language if language in dict(settings.LANGUAGES) else ""


@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest) -> HttpResponse:
    form = PublicFeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if throttle.exhausted("submit", request, throttle.SUBMISSIONS_PER_HOUR):
            form.is_valid()
            return render(request, "feedback/public_form.html", {
                "form": form, "throttled": True}, status=429)
        if form.is_valid():
            throttle.count("submit", request)
            if form.is_bot():
                # Looks like a success to the bot; nothing is saved.
                return render(request, "feedback/public_thanks.html",
                              {"reference": "FB-" + "".join(
                                  secrets.choice(services.REFERENCE_ALPHABET)
                                  for _i in range(services.REFERENCE_LENGTH))})
            d = form.cleaned_data
            try:
                item = services.submit_public(
                    office=d["office"], kind=d["kind"], category=d["category"],
                    description=d["description"], anonymous=d["anonymous"], name=d["name"],
                    contact=d["contact"], language=_public_language())
            except ServiceError as exc:
                apply_errors(exc, [form])
            else:
                return render(request, "feedback/public_thanks.html",
                              {"reference": item.reference})
    return render(request, "feedback/public_form.html", {"form": form},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def public_status(request: HttpRequest) -> HttpResponse:
    """The reference is sent by POST, so it stays out of addresses and logs."""
    form = StatusLookupForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST":
        if throttle.exhausted("status", request, throttle.LOOKUPS_PER_HOUR):
            context["throttled"] = True
            return render(request, "feedback/public_status.html", context, status=429)
        if form.is_valid():
            throttle.count("status", request)
            status = services.public_status(form.cleaned_data["reference"])
            if status is None:
                form.add_error("reference", _("No feedback has this reference. Check the "
                                              "number and try again."))
            else:
                context["status"] = Status(status).label
                context["reference"] = services.normalise_reference(
                    form.cleaned_data["reference"])
    return render(request, "feedback/public_status.html", context,
                  status=422 if form.errors else 200)


# ---- staff -----------------------------------------------------------------------------------


@require_http_methods(["GET"])
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not policy.may_use_inbox(request.user):
        raise PermissionDenied
    form = InboxFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = inbox_rows.filter_items(
        policy.visible_feedback(request.user), status=filters.get("status", ""),
        category=filters.get("category", ""), overdue=filters.get("overdue", False))
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "feedback/inbox.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "may_record": policy.may_record(request.user)})


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not policy.may_record(request.user):
        raise PermissionDenied
    form = RecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.record_feedback(actor=request.user, **form.service_data())
        except ServiceError as exc:
            apply_errors(exc, [form])
        else:
            if policy.visible_feedback(request.user).filter(pk=item.pk).exists():
                messages.success(request, _("Feedback %(reference)s recorded.")
                                 % {"reference": item.reference})
                return redirect("feedback:detail", reference=item.reference)
            # The recorder may not read it: a receipt, the reference and nothing more.
            return render(request, "feedback/receipt.html", {"reference": item.reference,
                                                             "sensitive": item.sensitive})
    return render(request, "feedback/new.html", {"form": form},
                  status=422 if form.is_bound else 200)


def _detail(request: HttpRequest, item: Feedback, status: int = 200,
            **forms_: Any) -> HttpResponse:
    user = request.user
    is_focal = policy.is_focal_point(user, item.office_id)
    forms_.setdefault("categorise_form", CategoriseForm(item=item, may_remove=is_focal))
    forms_.setdefault("assign_form", AssignForm(item=item))
    forms_.setdefault("answer_form", AnswerForm(initial={"version": item.version,
                                                         "response": item.response}))
    forms_.setdefault("version_form", VersionForm(initial={"version": item.version}))
    case_visible = bool(item.case_id) and visible_cases(user).filter(pk=item.case_id).exists()
    return render(request, "feedback/detail.html", {
        "item": item, "is_focal": is_focal, "case_visible": case_visible,
        "concerns": list(item.concerns.order_by("username")),
        **forms_}, status=status)


@require_http_methods(["GET"])
@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, policy.access_feedback(request.user, reference))


def _act(request: HttpRequest, item: Feedback, form: Any, name: str, action: Any,
         done: str) -> HttpResponse:
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ServiceError as exc:
            apply_errors(exc, [form])
            if exc.status_code == 403:
                raise PermissionDenied from exc
            code = 409 if isinstance(exc, StaleVersion) else 422
            return _detail(request, policy.access_feedback(request.user, item.reference),
                           status=code, **{name: form})
        if not policy.visible_feedback(request.user).filter(pk=item.pk).exists():
            message = (_("Feedback %(reference)s is now with the complaints focal points: "
                         "you can no longer see it.") if item.sensitive else
                       _("Feedback %(reference)s is now with the office's feedback handlers: "
                         "you can no longer see it."))
            messages.success(request, message % {"reference": item.reference})
            return redirect("feedback:inbox")
        messages.success(request, done)
        return redirect("feedback:detail", reference=item.reference)
    return _detail(request, item, status=422, **{name: form})


@require_POST
@login_required
def categorise(request: HttpRequest, reference: str) -> HttpResponse:
    item = policy.access_feedback(request.user, reference)
    form = CategoriseForm(request.POST, item=item,
                          may_remove=policy.may_remove_concerns(request.user, item))
    return _act(request, item, form, "categorise_form", lambda d: services.categorise(
        actor=request.user, item=item, version=d["version"], kind=d["kind"],
        category=d["category"], add_concerns=list(d["concerns"]),
        remove_concerns=list(d.get("remove_concerns") or [])), _("Category saved."))


@require_POST
@login_required
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    item = policy.access_feedback(request.user, reference)
    form = AssignForm(request.POST, item=item)
    return _act(request, item, form, "assign_form", lambda d: services.assign(
        actor=request.user, item=item, version=d["version"], assignee=d["assignee"]),
        _("Feedback assigned."))


@require_POST
@login_required
def answer(request: HttpRequest, reference: str) -> HttpResponse:
    item = policy.access_feedback(request.user, reference)
    form = AnswerForm(request.POST)
    return _act(request, item, form, "answer_form", lambda d: services.answer(
        actor=request.user, item=item, version=d["version"], response=d["response"]),
        _("Answer recorded."))


@require_POST
@login_required
def close(request: HttpRequest, reference: str) -> HttpResponse:
    item = policy.access_feedback(request.user, reference)
    form = VersionForm(request.POST)
    return _act(request, item, form, "version_form", lambda d: services.close(
        actor=request.user, item=item, version=d["version"]), _("Feedback closed."))


@require_POST
@login_required
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    item = policy.access_feedback(request.user, reference)
    form = VersionForm(request.POST)
    return _act(request, item, form, "version_form", lambda d: services.reopen(
        actor=request.user, item=item, version=d["version"]), _("Feedback reopened."))
