"""Whose tasks are whose, and who may see and act on them. Default: nothing.

A task is seen with its case: whoever may see the case (`cases.policy.visible_case_rule`)
may see its tasks, on the case page and through `access_task`. "My work" and the task
list show a user *their* tasks: those assigned to them, and the untaken ones on a queue
(an office and a role) where they hold that role — always among the cases they may see.

Acting on a task (marking it done, giving it to someone else) belongs to whoever holds
it — its assignee or, while nobody has taken it, anyone on its queue — and to whoever
manages the tasks of its office (task.manage: supervisors).
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.cases.policy import can_view_protection, case_offices, visible_case_rule
from retorno.tasks.labels import PROTECTED_KINDS
from retorno.tasks.models import Task, TaskStatus

MINE, QUEUES = "mine", "queues"
CLOSED_DAYS = 90


def queue_rules(user: User | AnonymousUser) -> list[Q]:
    """The untaken tasks on the queues `user` is on: one condition per office, on the
    roles they hold there. Empty when they hold no role."""
    # Only roles that see cases have queues: a task is always about a case.
    return [Q(assignee__isnull=True, office_id=office,
              role__in=sorted(perms.roles_in(user, office)))
            for office in sorted(perms.office_ids(user, perms.CASE_VIEW))]


def _statuses(status: str, closed_since: datetime.date | None) -> list[Q]:
    closed = [TaskStatus.DONE, TaskStatus.CANCELLED] if not status else [status]
    if status == TaskStatus.OPEN:
        return [Q(status=TaskStatus.OPEN)]
    wanted = [Q(status=TaskStatus.OPEN)] if not status else []
    if closed_since is None:
        return wanted + [Q(status__in=closed)]
    return wanted + [Q(status__in=closed, due_on__gte=closed_since)]


def tasks_for(user: User | AnonymousUser, scope: str = "", status: str = TaskStatus.OPEN,
              closed_since: datetime.date | None = None) -> QuerySet[Task]:
    """`user`'s tasks with `status` ("" for every status): assigned to them (scope
    "mine"), untaken on their queues ("queues"), or both (""), on the cases they may
    see. One query, served by the indexes task_assignee_due and task_queue_due.

    With `closed_since`, closed tasks only if they were due on or after that day: a
    queue's history grows for years, its recent part stays small (the index range).
    The condition is written out as one branch per (whose, status) pair, each an index
    range, which both databases combine (PostgreSQL's BitmapOr, SQLite's MULTI-INDEX
    OR); a condition on whose AND a condition on the status would read every task of
    the queue."""
    cases = visible_case_rule(user, prefix="case__")
    if cases is None:
        return Task.objects.none()
    rules = []
    if scope in ("", MINE):
        rules.append(Q(assignee=user))
    if scope in ("", QUEUES):
        rules += queue_rules(user)
    if not rules:
        return Task.objects.none()
    branches = Q()
    for rule in rules:
        for wanted in _statuses(status, closed_since):
            branches |= rule & wanted
    return Task.objects.filter(branches, cases)


def closed_since(today: datetime.date | None = None) -> datetime.date:
    """The lists show closed tasks due in the last CLOSED_DAYS days."""
    return (today or timezone.localdate()) - datetime.timedelta(days=CLOSED_DAYS)


def my_tasks(user: User | AnonymousUser) -> QuerySet[Task]:
    """The open tasks "My work" shows: assigned to `user`, or untaken on a queue where
    they hold the role, on a case they may see."""
    return tasks_for(user)


def visible_tasks(user: User | AnonymousUser) -> QuerySet[Task]:
    """Every task of every case `user` may see."""
    cases = visible_case_rule(user, prefix="case__")
    return Task.objects.none() if cases is None else Task.objects.filter(cases)


def access_task(user: User | AnonymousUser, task_id: int) -> Task:
    """The task if `user` may see its case; 404 otherwise (missing and forbidden look
    the same)."""
    task = (visible_tasks(user).select_related("case", "case__host_office", "assignee",
                                               "office")
            .filter(pk=task_id).first())
    if task is None:
        raise Http404
    return task


def tasks_of(case: Case, status: str = TaskStatus.OPEN) -> QuerySet[Task]:
    """The tasks of a case the caller loaded through `access_case`, soonest due first."""
    tasks = Task.objects.filter(case=case).select_related("assignee", "office")
    return tasks.filter(status=status) if status else tasks


def holds(user: User | AnonymousUser, task: Task) -> bool:
    """Is the task `user`'s own: assigned to them, or untaken on a queue they are on?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.pk
    return bool(task.role) and task.role in perms.roles_in(user, task.office_id)


def manages(user: User | AnonymousUser, task: Task) -> bool:
    """Does `user` manage the tasks of the task's office (supervisors)?"""
    return perms.can(user, perms.TASK_MANAGE, task.office_id)


def may_act(user: User | AnonymousUser, task: Task) -> bool:
    """The role check alone: a task `user` holds or manages, open or not. The caller has
    loaded the task through `access_task` or its case through `access_case`."""
    return holds(user, task) or manages(user, task)


def can_act(user: User | AnonymousUser, task: Task) -> bool:
    """May mark done or give to someone else now: an open task `user` holds or
    manages."""
    return task.is_open and may_act(user, task)


def can_read_protected(user: User | AnonymousUser, task: Task) -> bool:
    """May read the task's protection detail (the flag of a screening proposal)?"""
    if task.kind not in PROTECTED_KINDS:
        return True
    return can_view_protection(user, task.case)


def protected_offices(user: User | AnonymousUser) -> set[int]:
    """For lists: the offices through which `user` reads protection detail; a task's
    detail is readable when one of them is among its case's offices."""
    return perms.office_ids(user, perms.CASE_VIEW_PROTECTION)


def reads_protected(task: Task, offices: set[int]) -> bool:
    """`can_read_protected` for lists, with `protected_offices` computed once."""
    return task.kind not in PROTECTED_KINDS or bool(offices & case_offices(task.case))
