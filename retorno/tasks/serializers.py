"""Tasks in the API. Input serializers validate only; the views hand `validated_data` to
tasks.services. The output is made from `tasks.rows.Row`, so the label is in the
reader's language and a screening proposal's flag (protection detail) is left out for a
reader who may not read it."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.accounts.models import Role, User
from retorno.lib.api_serializers import EnumField, StrictFieldsMixin
from retorno.tasks import policy
from retorno.tasks.forms import DUE_CHOICES
from retorno.tasks.models import TaskKind, TaskStatus
from retorno.tasks.rows import Row
from retorno.tasks.services import NOTE_LIMIT

_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")


class TaskFilterSerializer(serializers.Serializer):
    """Query parameters of the task list."""

    scope = serializers.ChoiceField(
        choices=[policy.MINE, policy.QUEUES], required=False,
        help_text=gettext_lazy("`mine`: assigned to you; `queues`: untaken on a queue where "
                               "you hold the role. Both when left out."))
    status = EnumField(TaskStatus, name="TaskStatus", required=False,
                       help_text=gettext_lazy("Default `open`."))
    kind = EnumField(TaskKind, name="TaskKind", required=False)
    due = serializers.ChoiceField(
        choices=[value for value, _label in DUE_CHOICES if value], required=False,
        help_text=gettext_lazy("`overdue` (before today), `today`, `week` (in the next 7 "
                               "days), `later`."))
    case = serializers.CharField(required=False, max_length=20,
                                 help_text=gettext_lazy("A case reference, e.g. "
                                                        "DEU-2026-000123."))

    def validate_case(self, value: str) -> str:
        return value.strip().upper()


class CompleteInputSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_LIMIT,
                                 help_text=gettext_lazy("What was done (optional)."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class ReassignInputSerializer(StrictFieldsMixin, serializers.Serializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), allow_null=True,
        help_text=gettext_lazy("Username of someone of the task's office; null to put the "
                               "task back on its queue."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="task.pk")
    case = serializers.CharField(source="task.case.reference",
                                 help_text=gettext_lazy("The case's reference."))
    kind = EnumField(TaskKind, name="TaskKind", source="task.kind")
    label = serializers.CharField(help_text=gettext_lazy("What to do, in your language."))
    hint = serializers.CharField(help_text=gettext_lazy("A sentence more, or empty."))
    person_id = serializers.SerializerMethodField(
        help_text=gettext_lazy("The member the task is about, else the principal "
                               "applicant."))
    person_name = serializers.SerializerMethodField()
    due_on = serializers.DateField(source="task.due_on")
    days_overdue = serializers.IntegerField(help_text=gettext_lazy("0 unless overdue."))
    status = EnumField(TaskStatus, name="TaskStatus", source="task.status")
    office = serializers.CharField(source="task.office.code",
                                   help_text=gettext_lazy("The office whose work it is."))
    queue = EnumField(Role, name="Role", source="task.role", allow_null=True,
                      help_text=gettext_lazy("The role whose queue holds the task; null "
                                             "for a task made for one person."))
    assignee = serializers.SerializerMethodField(
        help_text=gettext_lazy("Username, or null while on the queue."))
    note = serializers.CharField(source="task.note")
    created_at = serializers.DateTimeField(source="task.created_at")
    completed_at = serializers.DateTimeField(source="task.completed_at", allow_null=True)
    completed_by = serializers.SerializerMethodField(help_text=gettext_lazy("Username."))
    can_act = serializers.BooleanField(help_text=gettext_lazy(
        "Whether you may mark it done or give it to someone else."))
    version = serializers.IntegerField(source="task.version")

    def get_person_id(self, row: Row) -> int | None:
        return row.person.pk if row.person else None

    def get_person_name(self, row: Row) -> str | None:
        return row.person.display_name if row.person else None

    def get_assignee(self, row: Row) -> str | None:
        return row.task.assignee.username if row.task.assignee else None

    def get_completed_by(self, row: Row) -> str | None:
        return row.task.completed_by.username if row.task.completed_by else None
