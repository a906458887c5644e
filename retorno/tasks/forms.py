from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from retorno.accounts import permissions as perms
from retorno.accounts.models import Role, User
from retorno.tasks import policy
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.tasks.services import NOTE_LIMIT

DUE_CHOICES = [("", gettext_lazy("Any time")), ("overdue", gettext_lazy("Overdue")),
               ("today", gettext_lazy("Due today")),
               ("week", gettext_lazy("Due in the next 7 days")),
               ("later", gettext_lazy("Due later"))]


class CompleteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note (optional)"), required=False,
                           max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


def colleagues(task: Task) -> QuerySet[User]:
    """Who may hold the task: active staff of its office whose role sees cases."""
    roles = [role for role in Role.values if perms.CASE_VIEW in perms.PERMISSIONS[role]]
    return User.objects.filter(is_active=True, memberships__office_id=task.office_id,
                               memberships__role__in=roles).distinct().order_by(
        "first_name", "last_name", "username")


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Give to"), queryset=User.objects.none(), required=False,
        empty_label=gettext_lazy("Nobody: back to the queue"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = colleagues(task)
        if not task.role:
            # Made for one person: there is no queue to give it back to.
            field.required = True
            field.empty_label = gettext_lazy("Choose someone")


class FilterForm(forms.Form):
    scope = forms.ChoiceField(label=gettext_lazy("Whose"), required=False, choices=[
        ("", gettext_lazy("Mine and my queues")), (policy.MINE, gettext_lazy("Mine")),
        (policy.QUEUES, gettext_lazy("My queues (nobody has taken them)"))])
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[*TaskStatus.choices, ("all", gettext_lazy("Any"))])
    kind = forms.ChoiceField(label=gettext_lazy("Task"), required=False,
                             choices=[("", gettext_lazy("Every task")), *TaskKind.choices])
    due = forms.ChoiceField(label=gettext_lazy("Due"), required=False, choices=DUE_CHOICES)
