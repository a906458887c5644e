"""The task list, and marking a task done or giving it to someone else. Each view loads
the task through tasks.policy.access_task (404 for anyone who may not see its case),
refuses whoever neither holds nor manages it (403), validates and calls one service.

"Done" answers HTMX with the task's row, marked done or showing why not; without
JavaScript the same POST redirects back to the page it came from, with a message."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.tasks import policy, services
from retorno.tasks.forms import CompleteForm, FilterForm, ReassignForm
from retorno.tasks.models import Task, TaskStatus
from retorno.tasks.rows import RELATED, Row, in_order, narrow, rows

PAGE_SIZE = 50


@dataclass
class TaskPage:
    rows: list[Row]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.rows) - 1


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 100_000)
    except ValueError:
        return 1


def _next(request: HttpRequest, default: str) -> str:
    """Where to go back to: the page the form was on, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _case_page(task: Task) -> str:
    return reverse("cases:detail", args=[task.case.reference]) + "#tasks"


@require_GET
@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The user's tasks (theirs and their queues'), filtered, a page at a time; open
    ones soonest due first, closed ones (due in the last CLOSED_DAYS days) most recently
    closed first. Pages are not counted: one row more tells whether a next page
    exists."""
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or TaskStatus.OPEN
    status = "" if status == "all" else status
    tasks = narrow(policy.tasks_for(request.user, scope=data.get("scope", ""), status=status,
                                    closed_since=policy.closed_since()),
                   kind=data.get("kind", ""), due=data.get("due", ""))
    number = _page_number(request.GET.get("page"))
    offset = (number - 1) * PAGE_SIZE
    found = list(in_order(tasks, status).select_related(*RELATED)
                 [offset:offset + PAGE_SIZE + 1])
    page = TaskPage(rows(found[:PAGE_SIZE], request.user), number, PAGE_SIZE,
                    len(found) > PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "tasks/list.html", {"form": form, "page": page,
                                               "query": query.urlencode(),
                                               "closed_days": policy.CLOSED_DAYS})


def _actable(request: HttpRequest, task_id: int) -> Task:
    task = policy.access_task(request.user, task_id)
    if not policy.may_act(request.user, task):
        raise PermissionDenied
    return task


@require_POST
@login_required
def complete(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _actable(request, task_id)
    form = CompleteForm(request.POST)
    refused: list[str] = []
    if not form.is_valid():
        refused = [e for errors in form.errors.values() for e in errors]
    else:
        try:
            services.complete_task(actor=request.user, task=task,
                                   note=form.cleaned_data["note"],
                                   version=form.cleaned_data["version"])
        except ServiceError as exc:
            refused = exc.messages
    if request.htmx:
        task = policy.access_task(request.user, task_id)
        return render(request, "tasks/_rows.html", {
            "task_rows": rows([task], request.user), "refused": refused,
            "show_case": request.POST.get("layout") != "case",
            "next": _next(request, "")}, status=422 if refused else 200)
    if refused:
        messages.error(request, " ".join(refused))
    else:
        messages.success(request, _("Task done."))
    return redirect(_next(request, _case_page(task)))


@require_http_methods(["GET", "POST"])
@login_required
def reassign(request: HttpRequest, task_id: int) -> HttpResponse:
    """Give the task to someone of its office, or back to its queue; a POST with the
    user's own id takes it from the queue ("Take it")."""
    task = _actable(request, task_id)
    back = _next(request, _case_page(task))
    form = ReassignForm(request.POST or None, task=task,
                        initial={"assignee": task.assignee, "version": task.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.reassign_task(actor=request.user, task=task,
                                   assignee=form.cleaned_data["assignee"],
                                   version=form.cleaned_data["version"]))):
        if task.assignee_id == request.user.pk:
            messages.success(request, _("The task is yours."))
        elif task.assignee is None:
            messages.success(request, _("The task is back on its queue."))
        else:
            messages.success(request, _("Task given to %(user)s.") % {"user": task.assignee})
        return redirect(back)
    row = rows([task], request.user)[0]
    return render(request, "tasks/reassign.html", {"row": row, "form": form, "back": back},
                  status=422 if form.is_bound else 200)
