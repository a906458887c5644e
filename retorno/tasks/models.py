"""Tasks: a due piece of work on someone's queue.

Each step of a case puts the work it calls for on the right queue: the application
waits on the host office's supervisors, fitness to travel on its medical officers, the
first counselling session on the assigned caseworker. A task is on a *queue* (an office
and a role: anyone holding that role there may take it) or with one *assignee*, or both
(taken from a queue, it can be given back). "My work" lists the open tasks of a user's
own and their queues, by due date.

Tasks are written by `tasks.services` only: opened and closed by the system as the case
moves (`tasks.hooks`), marked done or given to someone else by people. A task is seen
with its case (`tasks.policy`): task visibility is case visibility.

The label is never stored translated: `kind` and `detail` (a few codes and ids) are
rendered in the reader's language when shown (`tasks.labels`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office, Role
from retorno.cases.models import Case


class TaskKind(models.TextChoices):
    COUNSEL = "counsel", _("Start counselling")
    APPROVE = "approve", _("Decide on the application")
    SCREENING_ACTION = "screening_action", _("Act on a vulnerability screening proposal")
    FITNESS = "fitness", _("Assess fitness to travel")
    DOCUMENT_REQUEST = "document_request", _("Request a travel document")
    DOCUMENT_FOLLOW_UP = "document_follow_up", _(
        "Follow up the travel document request with the consulate")
    DOCUMENT_COLLECT = "document_collect", _("Collect the issued document")
    SUSPENSION_REVIEW = "suspension_review", _(
        "Review the booking: returns to the destination are suspended")
    ACCEPT_HANDOVER = "accept_handover", _("Accept the handed-over case and plan reception")
    BUILD_PLAN = "build_plan", _("Build the reintegration plan with the returnee")
    APPROVE_DISBURSEMENT = "approve_disbursement", _("Approve or reject a disbursement")
    PAY_DISBURSEMENT = "pay_disbursement", _("Pay the approved disbursement")
    MONITORING_CONTACT = "monitoring_contact", _("Contact the returnee for monitoring")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


_OPEN = Q(status=TaskStatus.OPEN)


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks",
                             verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=30, choices=TaskKind.choices)
    # The record the task is about, when it is not the case itself: ("person", 12),
    # ("traveldocument", 7), ("flag:trafficking", <person id>) for a screening proposal.
    # With the case and the kind it names the task: while one is open, opening "the
    # same" task again updates it (`services.open_task`).
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # The queue: an office and a role there. The role is blank for a task made for one
    # person; the office is always the one whose work it is (the case's host office).
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("office"))
    role = models.CharField(_("queue"), max_length=30, choices=Role.choices, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="tasks", null=True, blank=True,
                                 verbose_name=_("assigned to"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN)
    # Codes and ids the label is made of, e.g. {"flag": "trafficking", "person": 12}:
    # never translated text.
    detail = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True,
                                     verbose_name=_("completed by"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        indexes = [
            # My work and the task list (policy.my_tasks): a user's own tasks by status
            # and due date...
            models.Index(fields=["assignee", "status", "due_on"], name="task_assignee_due"),
            # ...and the untaken tasks of each of their queues, by status and due date.
            models.Index(fields=["office", "role", "status", "due_on"],
                         condition=Q(assignee__isnull=True), name="task_queue_due"),
            # The case page's task section, and the hooks closing a case's open tasks.
            models.Index(fields=["case", "status"], name="task_case_status"),
        ]
        constraints = [
            # One open task per case, kind and subject: two requests opening the same
            # task at once cannot both insert one (NULL subject ids compare equal here).
            models.UniqueConstraint(
                "case", "kind", "subject_type", Coalesce("subject_id", 0),
                condition=_OPEN, name="task_one_open_per_subject"),
            models.CheckConstraint(condition=Q(assignee__isnull=False) | ~Q(role=""),
                                   name="task_has_a_queue_or_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.due_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def person_id(self) -> int | None:
        """The member of the case the task is about, if it names one."""
        value = self.detail.get("person") if isinstance(self.detail, dict) else None
        return value if isinstance(value, int) else None
