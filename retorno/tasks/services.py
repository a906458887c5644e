"""Opening, closing, completing and reassigning tasks. The only way task rows are written.

Two kinds of callers:

- **the system**, as a case moves (`tasks.hooks`, and the services of other apps):
  `open_task` and `close_tasks`. They run inside the caller's transaction, check no
  permission (the step that calls them has) and write no audit event or timeline
  entry of their own: the step that caused them is recorded already.
- **people**: `complete_task` and `reassign_task` check permission through
  `tasks.policy`, validate, write (conditionally on the version the user saw), and
  record the audit event and a timeline entry, all in one transaction; they raise a
  `retorno.lib.errors.ServiceError` with a translated message when they refuse.

The timeline is read by everyone who sees the case: its entries name the task's kind
and person, never a screening flag (protection detail) or the note of such a task.
"""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import Membership, Office, Role, User
from retorno.cases.models import Case, Status, TimelineKind
from retorno.cases.policy import visible_cases
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import save_versioned
from retorno.people.models import display_names
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.tasks import policy
from retorno.tasks.labels import PROTECTED_KINDS
from retorno.tasks.models import Task, TaskKind, TaskStatus

# Who the subject of a task is: a model instance, or (type, id) for a record that is
# not one row (a screening flag of a person: ("flag:trafficking", person id)).
Subject = Model | tuple[str, int | None] | None

NOTE_LIMIT = 2000


def subject_key(subject: Subject) -> tuple[str, int | None]:
    if subject is None:
        return "", None
    if isinstance(subject, Model):
        return subject._meta.model_name or "", subject.pk
    kind, pk = subject
    return kind, pk


def _open_of(case: Case, kind: str, subject: Subject) -> Q:
    subject_type, subject_id = subject_key(subject)
    return Q(case_id=case.pk, kind=kind, subject_type=subject_type, subject_id=subject_id,
             status=TaskStatus.OPEN)


def _queue(case: Case, office: Office | None, role: str | None,
           assignee: User | None) -> tuple[Office | int, str]:
    if assignee is None and not role:
        raise ValueError("A task needs a queue (a role) or an assignee.")
    return (office if office is not None else case.host_office_id), role or ""


def open_task(*, case: Case, kind: str, due_on: datetime.date, office: Office | None = None,
              role: str | None = None, assignee: User | None = None, subject: Subject = None,
              detail: dict[str, Any] | None = None, actor: User | None = None) -> Task:
    """Put a task on a queue: `role` in `office` (default: the case's host office),
    and/or with `assignee`. Idempotent: while an open task of the same case, kind and
    subject exists, it is updated (due date, queue, detail) instead of duplicated.

    For the system: no permission check, audit event or timeline entry (the caller's
    step records itself); call it inside the caller's transaction. A `subject` that is
    a Person also names the task's person (`detail["person"]`)."""
    if kind not in TaskKind.values:
        raise ValueError(f"Unknown task kind {kind!r}")
    if role and role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    where, role_ = _queue(case, office, role, assignee)
    office_id = where if isinstance(where, int) else where.pk
    subject_type, subject_id = subject_key(subject)
    details = dict(detail or {})
    if subject_type == "person" and subject_id is not None:
        details.setdefault("person", subject_id)
    values = {"due_on": due_on, "office_id": office_id, "role": role_,
              "assignee_id": assignee.pk if assignee else None, "detail": details}
    with transaction.atomic():
        existing = Task.objects.select_for_update().filter(_open_of(case, kind, subject)).first()
        if existing is None:
            try:
                # A savepoint: should someone open the same task at the same moment, the
                # constraint refuses the second row and it updates the first instead.
                with transaction.atomic():
                    return Task.objects.create(case=case, kind=kind,
                                               subject_type=subject_type,
                                               subject_id=subject_id, created_by=actor,
                                               **values)
            except IntegrityError:
                existing = Task.objects.select_for_update().get(_open_of(case, kind, subject))
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            Task.objects.filter(pk=existing.pk).update(
                **{name: values[name] for name in changed}, version=F("version") + 1,
                updated_at=timezone.now())
            existing.version += 1
        return existing


def close_tasks(*, case: Case, kind: str | None = None, subject: Subject = None,
                actor: User | None = None, cancelled: bool = False) -> int:
    """Close the case's open tasks (of `kind`, about `subject`, when given): done, by
    `actor` when their step was taken, or cancelled when the work is no longer needed.
    Returns how many were closed. For the system, like `open_task`."""
    tasks = Task.objects.filter(case_id=case.pk, status=TaskStatus.OPEN)
    if kind is not None:
        tasks = tasks.filter(kind=kind)
    if subject is not None:
        subject_type, subject_id = subject_key(subject)
        tasks = tasks.filter(subject_type=subject_type, subject_id=subject_id)
    now = timezone.now()
    return tasks.update(status=TaskStatus.CANCELLED if cancelled else TaskStatus.DONE,
                        completed_at=now, completed_by=actor, updated_at=now,
                        version=F("version") + 1)


def move_tasks(*, case: Case, from_user: User | int | None, to_user: User | None) -> int:
    """The case went from one caseworker to another: the open tasks of the case that
    `from_user` held go to `to_user`; with nobody before, the untaken ones on the
    caseworkers' queue (the case's caseworker's, while there was none) go to `to_user`;
    with nobody after, `from_user`'s go back to the caseworkers' queue. For the system,
    like `open_task`."""
    tasks = Task.objects.filter(case_id=case.pk, status=TaskStatus.OPEN)
    now = timezone.now()
    if from_user is None:
        if to_user is None:
            return 0
        tasks = tasks.filter(assignee__isnull=True, role=Role.CASEWORKER)
    else:
        tasks = tasks.filter(assignee_id=getattr(from_user, "pk", from_user))
    if to_user is not None:
        return tasks.update(assignee=to_user, updated_at=now, version=F("version") + 1)
    # A task made for the person alone has no queue: the caseworkers' becomes its queue.
    tasks.filter(role="").update(role=Role.CASEWORKER)
    return tasks.update(assignee=None, updated_at=now, version=F("version") + 1)


# ---- what people do ------------------------------------------------------------------


def _describe(task: Task) -> str:
    # On the timeline, read by everyone who sees the case: the kind's plain label and
    # the person, never the screening flag.
    from retorno.tasks.labels import label

    text = label(task, protected=False)
    person = _person_name(task)
    return f"{text} — {person}" if person else text


def _person_name(task: Task) -> str:
    if task.person_id is None:
        return ""
    member = task.case.members.select_related("person").filter(
        person_id=task.person_id).first()
    return member.person.display_name if member else ""


def require_holder(actor: User, task: Task) -> None:
    """Refuse unless `task` is `actor`'s own or they manage it (`policy.may_act`)."""
    if not policy.may_act(actor, task):
        raise NotAllowed(_("This task is not yours: only the person it is assigned to, "
                           "someone on its queue while nobody has taken it, or a "
                           "supervisor of the office may do this."))


def require_act(actor: User, task: Task) -> None:
    """Refuse unless `actor` may mark `task` done or give it to someone else now."""
    require_holder(actor, task)
    if not task.is_open:
        raise Invalid(_("This task is closed already (%(status)s): nothing was changed.")
                      % {"status": task.get_status_display()})


def still_needed(task: Task) -> str | None:
    """For tasks that close themselves when their step is taken: what is still missing
    (a sentence saying where to do it), or None when nothing is. Such a task cannot be
    marked done while the step is still to be taken, so that the work is not forgotten."""
    case = task.case
    if task.kind == TaskKind.COUNSEL and case.status == Status.REGISTERED:
        return _("Start counselling on the case page: this task then closes by itself.")
    if task.kind == TaskKind.APPROVE and case.status == Status.APPLIED:
        return _("Approve or reject the application on the case page: this task then "
                 "closes by itself.")
    if task.kind == TaskKind.FITNESS:
        from retorno.medical.fitness import unfit_or_pending

        waiting = unfit_or_pending(case)
        if waiting:
            return _("Not yet assessed fit to travel: %(names)s. Record their fitness to "
                     "travel on the case page: this task then closes by itself.") % {
                "names": display_names(waiting)}
    if task.kind == TaskKind.ACCEPT_HANDOVER and not hasattr(case, "reception"):
        return _("Accept the handover under Reception on the case page: this task then "
                 "closes by itself.")
    if task.kind == TaskKind.BUILD_PLAN:
        from retorno.reintegration.guards import has_approved_plan

        if not has_approved_plan(case):
            return _("Approve the reintegration plan on the case page: this task then "
                     "closes by itself.")
    return None


def complete_task(*, actor: User, task: Task, note: str = "", version: int) -> Task:
    """Mark `task` done, with an optional note, if nobody changed it since `version`
    (else StaleVersion, and nothing is written). Needs the task to be the actor's own
    (assigned, or on their queue and untaken) or task.manage in its office; a task that
    closes itself when its step is taken is refused while the step is still to be taken.
    Audit event 270 (with the note), timeline entry (with the note, except for a
    screening proposal's)."""
    require_act(actor, task)
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise Invalid(_("Keep the note under %(n)s characters.") % {"n": NOTE_LIMIT},
                      field_errors={"note": [_("Too long.")]})
    missing = still_needed(task)
    if missing:
        raise Invalid(missing)
    task.status, task.note = TaskStatus.DONE, note
    task.completed_at, task.completed_by = timezone.now(), actor
    with transaction.atomic():
        save_versioned(task, version, ["status", "note", "completed_at", "completed_by"])
        audit.record(AuditType.TASK_COMPLETED, task, actor=actor, office_id=task.office_id,
                     case_id=task.case_id, kind=task.kind,
                     old={"status": TaskStatus.OPEN}, new={"status": TaskStatus.DONE},
                     note=note or None)
        protected = task.kind in PROTECTED_KINDS
        record_timeline(task.case_id, actor, TimelineKind.CHANGED,
                        _("Task done: %(task)s") % {"task": _describe(task)},
                        reason="" if protected else note)
    return task


def _check_assignee(task: Task, assignee: User) -> None:
    """The new holder works in the task's office and may see its case."""
    roles = set(Membership.objects.filter(user=assignee, office_id=task.office_id)
                .values_list("role", flat=True))
    sees_cases = any(perms.CASE_VIEW in perms.PERMISSIONS[role] for role in roles)
    sees_case = visible_cases(assignee).filter(pk=task.case_id).exists()
    if not (assignee.is_active and sees_cases and sees_case):
        raise Invalid(_("%(user)s does not work on this case's tasks in %(office)s.")
                      % {"user": assignee, "office": task.office},
                      field_errors={"assignee": [_("Choose someone of this office.")]})


def reassign_task(*, actor: User, task: Task, assignee: User | None, version: int) -> Task:
    """Give `task` to `assignee` (who works in the task's office and sees the case), or
    back to its queue (None; only a task that came from a queue), if nobody changed it
    since `version`. The holder may pass it on or take it from their queue; a
    supervisor (task.manage) may give any task of the office. Audit event 271 with the
    old and new holder, timeline entry; nothing is written when nothing changes."""
    require_act(actor, task)
    if assignee is None and not task.role:
        raise Invalid(_("This task was made for one person and has no queue to go back to: "
                        "give it to someone."),
                      field_errors={"assignee": [_("Choose someone.")]})
    if (assignee.pk if assignee else None) == task.assignee_id:
        return task
    if assignee is not None:
        _check_assignee(task, assignee)
    old = task.assignee_id
    task.assignee = assignee
    with transaction.atomic():
        save_versioned(task, version, ["assignee"])
        audit.record(AuditType.TASK_REASSIGNED, task, actor=actor, office_id=task.office_id,
                     case_id=task.case_id, kind=task.kind, old={"assignee": old},
                     new={"assignee": assignee.pk if assignee else None})
        if assignee is not None:
            summary = _("Task given to %(user)s: %(task)s") % {"user": assignee,
                                                               "task": _describe(task)}
        else:
            summary = _("Task put back on the queue (%(queue)s): %(task)s") % {
                "queue": task.get_role_display(), "task": _describe(task)}
        record_timeline(task.case_id, actor, TimelineKind.CHANGED, summary)
    return task
