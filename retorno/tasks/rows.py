"""Tasks as the pages show them: label in the reader's language, the person it is
about, how late it is, and whether the reader may act on it. Two queries for any
number of tasks (the tasks with their case, then the people)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from retorno.accounts.models import User
from retorno.cases.models import CaseMember, Relationship
from retorno.people.models import Person
from retorno.tasks import labels, policy
from retorno.tasks.models import Task, TaskKind, TaskStatus

ANCHORS = {TaskKind.COUNSEL: "lifecycle", TaskKind.APPROVE: "lifecycle",
           TaskKind.FITNESS: "fitness", TaskKind.SCREENING_ACTION: "screening"}

SELF_CLOSING = frozenset({TaskKind.COUNSEL, TaskKind.APPROVE, TaskKind.FITNESS})

# What every task list selects with its tasks.
RELATED = ("case", "assignee", "office", "completed_by")


@dataclass
class Row:
    task: Task
    label: str
    hint: str
    person: Person | None
    today: datetime.date
    can_act: bool
    holds: bool  # the reader's own, or on a queue they are on
    holder: str  # who has it: "You", someone, or a queue
    urls: "Urls"

    @property
    def days_overdue(self) -> int:
        return max((self.today - self.task.due_on).days, 0) if self.task.is_open else 0

    @property
    def due_today(self) -> bool:
        return self.task.is_open and self.task.due_on == self.today

    @property
    def due_text(self) -> str:
        """How late an open task is, when it is overdue."""
        days = self.days_overdue
        return ngettext("%(n)s day overdue", "%(n)s days overdue", days) % {"n": days}

    @property
    def anchor(self) -> str:
        """Where on the case page the task's work is done."""
        return ANCHORS.get(self.task.kind, "tasks")

    @property
    def closes_itself(self) -> bool:
        """Closed by its step (counselling started, application decided, every member
        fit): the page leads to the step rather than to "Done"."""
        return self.task.kind in SELF_CLOSING

    @property
    def may_take(self) -> bool:
        """Untaken on a queue the reader is on: one click takes it."""
        return self.can_act and self.holds and self.task.assignee_id is None


_SENTINEL = 987654321  # a task id and a reference no real one equals


@dataclass(frozen=True)
class Urls:
    """A row's links, made from patterns reversed once per list rather than once per
    row and link (reversing was two fifths of My work's rendering time)."""

    case: str
    done: str
    give: str


def _url_makers():
    case = reverse("cases:detail", args=[f"R{_SENTINEL}"])
    done = reverse("tasks:complete", args=[_SENTINEL])
    give = reverse("tasks:reassign", args=[_SENTINEL])
    token = str(_SENTINEL)

    def make(task: Task) -> Urls:
        return Urls(case.replace(f"R{token}", task.case.reference),
                    done.replace(token, str(task.pk)), give.replace(token, str(task.pk)))
    return make


def _people(tasks: list[Task]) -> dict[tuple[int, int | None], Person]:
    """(case id, person id or None for the principal) -> person, in one query."""
    if not tasks:
        return {}
    named = {t.person_id for t in tasks if t.person_id is not None}
    members = CaseMember.objects.filter(
        Q(relationship=Relationship.PRINCIPAL) | Q(person_id__in=named),
        case_id__in={t.case_id for t in tasks}).select_related("person").only(
        # What a row shows of a person: their names (the `name` filter, display_name).
        "case_id", "person_id", "relationship", "person__given_name", "person__family_name",
        "person__given_name_original", "person__family_name_original")
    found: dict[tuple[int, int | None], Person] = {}
    for member in members:
        found[member.case_id, member.person_id] = member.person
        if member.relationship == Relationship.PRINCIPAL:
            found[member.case_id, None] = member.person
    return found


def rows(tasks: list[Task], user: User | AnonymousUser,
         today: datetime.date | None = None) -> list[Row]:
    """Rows for `tasks` (loaded with `RELATED`, through the policy) as `user` sees them.
    Labels and queue names repeat from row to row: each is translated once."""
    today = today or timezone.localdate()
    people = _people(tasks)
    protected = policy.protected_offices(user)
    urls = _url_makers()
    texts: dict[tuple, tuple[str, str]] = {}
    queues: dict[tuple[str, int], str] = {}
    shown = []
    for task in tasks:
        readable = policy.reads_protected(task, protected)
        # Everything of the task the label and hint depend on (the flag, which grant, how
        # many months after arrival), so two tasks of a kind never share the wrong text.
        key = (task.kind, task.detail.get("flag") if readable else None, readable,
               task.detail.get("grant"), task.detail.get("months"))
        if key not in texts:
            texts[key] = (labels.label(task, protected=readable),
                          labels.hint(task, protected=readable))
        person = (people.get((task.case_id, task.person_id))
                  or people.get((task.case_id, None)))
        holds = policy.holds(user, task)
        if task.assignee_id is not None:
            holder = _("You") if task.assignee_id == user.pk else str(task.assignee)
        else:
            if (task.role, task.office_id) not in queues:
                queues[task.role, task.office_id] = _("%(role)s queue, %(office)s") % {
                    "role": task.get_role_display(), "office": task.office}
            holder = queues[task.role, task.office_id]
        shown.append(Row(task, *texts[key], person, today, policy.can_act(user, task), holds,
                         holder, urls(task)))
    return shown


DUE = ("overdue", "today", "week", "later")
WEEK = 7


def narrow(tasks: QuerySet[Task], *, kind: str = "", due: str = "",
           today: datetime.date | None = None) -> QuerySet[Task]:
    """Tasks of one kind and/or due when asked: "overdue" (before today), "today", "week"
    (in the next 7 days), "later"."""
    today = today or timezone.localdate()
    if kind:
        tasks = tasks.filter(kind=kind)
    week = today + datetime.timedelta(days=WEEK)
    if due == "overdue":
        tasks = tasks.filter(due_on__lt=today)
    elif due == "today":
        tasks = tasks.filter(due_on=today)
    elif due == "week":
        tasks = tasks.filter(due_on__gt=today, due_on__lte=week)
    elif due == "later":
        tasks = tasks.filter(due_on__gt=week)
    return tasks


def in_order(tasks: QuerySet[Task], status: str) -> QuerySet[Task]:
    """Open tasks soonest due first; closed ones most recently closed first; with every
    status ("") the open ones first."""
    if status == TaskStatus.OPEN:
        return tasks.order_by("due_on", "id")
    return tasks.order_by(F("completed_at").desc(nulls_first=True), "due_on", "-id")


MY_WORK_LIMIT = 30


@dataclass
class DueSoon:
    """My work's task block: what is overdue, due today and due in the next 7 days
    (at most MY_WORK_LIMIT rows, soonest due first), with the counts of each and of
    what is due later."""

    overdue: list[Row]
    today: list[Row]
    week: list[Row]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts[k] for k in DUE)

    @property
    def shown(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.week)

    @property
    def truncated(self) -> bool:
        return self.shown < self.counts["overdue"] + self.counts["today"] + self.counts["week"]


def _bucket(due_on: datetime.date, today: datetime.date) -> str:
    if due_on < today:
        return "overdue"
    if due_on == today:
        return "today"
    return "week" if due_on <= today + datetime.timedelta(days=WEEK) else "later"


def due_soon(user: User | AnonymousUser, today: datetime.date | None = None) -> DueSoon:
    """Two queries (tasks, people) for a user with up to MY_WORK_LIMIT open tasks; one
    more, to count, for a longer queue."""
    today = today or timezone.localdate()
    # Open tasks: nobody has completed them (RELATED without completed_by).
    found = list(policy.my_tasks(user).select_related("case", "assignee", "office")
                 .order_by("due_on", "id")[:MY_WORK_LIMIT + 1])
    counts = dict.fromkeys(DUE, 0) | {"approve": 0}
    if len(found) > MY_WORK_LIMIT:
        week = today + datetime.timedelta(days=WEEK)
        counts = policy.my_tasks(user).aggregate(
            overdue=Count("id", filter=Q(due_on__lt=today)),
            today=Count("id", filter=Q(due_on=today)),
            week=Count("id", filter=Q(due_on__gt=today, due_on__lte=week)),
            later=Count("id", filter=Q(due_on__gt=week)),
            approve=Count("id", filter=Q(kind=TaskKind.APPROVE)))
        found = found[:MY_WORK_LIMIT]
    else:
        for task in found:
            counts[_bucket(task.due_on, today)] += 1
            counts["approve"] += task.kind == TaskKind.APPROVE
    shown = rows([t for t in found if _bucket(t.due_on, today) != "later"], user, today)
    return DueSoon([r for r in shown if r.task.due_on < today],
                   [r for r in shown if r.task.due_on == today],
                   [r for r in shown if r.task.due_on > today], counts)
