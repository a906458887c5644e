"""The monitoring pages: a programme's schedule, the office list of monitoring contacts,
and recording or editing a visit or call of a case.

The schedule page is for `survey.manage` holders (403 for other staff, 404 for a
programme that does not exist). The visit pages load the case through
cases.policy.access_case_for (404 for outsiders; 403 for everyone but the origin
office's `survey.record` holders once the case has arrived) and the visit through
monitoring.policy (404 when missing), then call one service. The office list is for
`survey.record` or `me.view` holders (403 otherwise) and shows only cases they may see.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from retorno.cases.models import Case
from retorno.cases.policy import access_case_for
from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.monitoring import policy, services
from retorno.monitoring.forms import (
    ContactFilter,
    ScheduleVersionForm,
    StepFormSet,
    VisitForm,
    step_label,
)
from retorno.monitoring.sections import DUE, OVERDUE, UPCOMING
from retorno.programmes.policy import access_programme, programmes

PAGE_SIZE = 50


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#monitoring"


def _visit_page(request: HttpRequest, case: Case, form: VisitForm, title: str
                ) -> HttpResponse:
    return render(request, "monitoring/visit_form.html",
                  {"case": case, "form": form, "back": _back(case), "title": title},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def visit_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    form = VisitForm(request.POST or None, steps=policy.steps_of(case.programme),
                     initial={"contact_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_visit(actor=request.user, case=case,
                                  data=form.data_for_service()))):
        messages.success(request, _("Monitoring contact recorded."))
        return redirect(_back(case))
    return _visit_page(request, case, form, _("Record a visit or call"))


@require_http_methods(["GET", "POST"])
@login_required
def visit_edit(request: HttpRequest, reference: str, visit_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    visit = policy.access_visit(case, visit_id)
    notes = policy.can_read_notes(request.user, case)
    initial = {"step": visit.step_id, "contact_on": visit.contact_on, "mode": visit.mode,
               "outcome": visit.outcome, "migrated_to_country": visit.migrated_to_country,
               "notes": visit.notes, "version": visit.version}
    form = VisitForm(request.POST or None, steps=policy.steps_of(case.programme),
                     notes=notes, initial=initial)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_visit(actor=request.user, visit=visit,
                                  version=form.cleaned_data["version"] or 0,
                                  data=form.data_for_service()))):
        messages.success(request, _("Monitoring contact saved."))
        return redirect(_back(case))
    return _visit_page(request, case, form, _("Change a visit or call"))


@require_http_methods(["GET", "POST"])
@login_required
def schedule(request: HttpRequest, code: str) -> HttpResponse:
    if not policy.can_manage_schedule(request.user):
        raise PermissionDenied
    programme = access_programme(code)
    current = policy.schedule_of(programme)
    steps = policy.steps_of(programme)
    initial = [{name: getattr(s, name) for name in services.STEP_FIELDS} for s in steps]
    data = request.POST if request.method == "POST" else None
    # Every row is read, even one left as it was shown (a formset would skip it).
    rows = StepFormSet(data, initial=initial, prefix="steps",
                       form_kwargs={"empty_permitted": False})
    head = ScheduleVersionForm(data, initial={"version": current.version if current else None})
    problems: list[str] = []
    if request.method == "POST" and rows.is_valid() and head.is_valid():
        given = []
        for row in rows.cleaned_data:
            if row.get("months_after_arrival") is None:
                continue
            window = row.get("window_days")
            given.append({**row, "window_days": 30 if window is None else window})
        try:
            services.set_schedule(actor=request.user, programme=programme,
                                  version=head.cleaned_data["version"], steps=given)
        except ServiceError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("Monitoring schedule saved. The contacts of the "
                                        "cases being monitored follow it."))
            return redirect("monitoring:schedule", code=programme.code)
    elif request.method == "POST" and not head.is_valid():
        problems = [_("The form was not sent as it was shown: reload the page, then make "
                      "your changes again.")]
    return render(request, "monitoring/schedule.html", {
        "programme": programme, "rows": rows, "head": head, "problems": problems,
        "steps": steps}, status=422 if data is not None else 200)


@require_GET
@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    if not policy.can_list(request.user):
        raise PermissionDenied
    choices = [(p.code, p.name) for p in programmes()]
    filters = ContactFilter(request.GET or None, programmes=choices)
    status, programme = filters.values()
    today = timezone.localdate()
    tasks = policy.open_contacts(request.user, status=status, programme=programme,
                                 today=today)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    windows = policy.step_windows([t.subject_id for t in page])
    rows: list[dict[str, Any]] = []
    for task in page:
        step = windows.get(task.subject_id)
        window = step.window_days if step else 0
        delta = (today - task.due_on).days
        shown = OVERDUE if delta > window else DUE if delta >= -window else UPCOMING
        rows.append({"task": task, "case": task.case, "step": step,
                     "label": step_label(step) if step else "", "status": shown})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "monitoring/contacts.html", {
        "filters": filters, "page": page, "rows": rows, "query": query.urlencode()})
