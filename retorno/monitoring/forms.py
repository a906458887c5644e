"""The visit form, the schedule's step rows and the office list's filter. They build no
object: the views hand their data to monitoring.services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from retorno.lib.codes import country_choices
from retorno.monitoring.models import ExpectedMode, Outcome, ScheduleStep, VisitMode
from retorno.monitoring.policy import LIST_STATUSES

_DATE = forms.DateInput(attrs={"type": "date"})


class VisitForm(forms.Form):
    step = forms.TypedChoiceField(label=gettext_lazy("Scheduled contact"), required=False,
                                  coerce=int, empty_value=None)
    contact_on = forms.DateField(label=gettext_lazy("Date of contact"), widget=_DATE)
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=VisitMode.choices)
    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Outcome.choices)
    migrated_to_country = forms.ChoiceField(
        label=gettext_lazy("Migrated to"), required=False,
        help_text=gettext_lazy("Only when the returnee has migrated again, if known."))
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=gettext_lazy("Protection detail: read only by the "
                                                   "case's protection readers."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, steps: list[ScheduleStep], notes: bool = True,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        step_field: Any = self.fields["step"]
        step_field.choices = [("", gettext_lazy("Outside the schedule"))] + [
            (s.pk, step_label(s)) for s in steps]
        country_field: Any = self.fields["migrated_to_country"]
        country_field.choices = [("", "—"), *country_choices()]
        if not notes:
            del self.fields["notes"]

    def data_for_service(self) -> dict[str, Any]:
        names = ["step", "contact_on", "mode", "outcome", "migrated_to_country", "notes"]
        return {n: self.cleaned_data[n] for n in names if n in self.fields}


def step_label(step: ScheduleStep) -> str:
    from django.utils.translation import ngettext

    text = ngettext("%(n)s month after arrival", "%(n)s months after arrival",
                    step.months_after_arrival) % {"n": step.months_after_arrival}
    return f"{text} — {step.label}" if step.label else text


class StepForm(forms.Form):
    """One row of the schedule; a row without months is left out."""

    months_after_arrival = forms.IntegerField(label=gettext_lazy("Months after arrival"),
                                              required=False)
    label = forms.CharField(label=gettext_lazy("Label"), required=False, max_length=100)
    mode = forms.ChoiceField(label=gettext_lazy("Expected contact"),
                             choices=ExpectedMode.choices, initial=ExpectedMode.EITHER)
    instrument = forms.CharField(label=gettext_lazy("Survey instrument (code)"),
                                 required=False, max_length=40)
    window_days = forms.IntegerField(label=gettext_lazy("Window in days"), initial=30,
                                     required=False)


StepFormSet = forms.formset_factory(StepForm, extra=3)


class ScheduleVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ContactFilter(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("open", gettext_lazy("Due and overdue")), ("overdue", gettext_lazy("Overdue")),
        ("due", gettext_lazy("Due")), ("upcoming", gettext_lazy("Upcoming")),
        ("all", gettext_lazy("All open contacts"))])
    programme = forms.ChoiceField(label=gettext_lazy("Programme"), required=False)

    def __init__(self, *args: Any, programmes: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["programme"]
        field.choices = [("", gettext_lazy("All programmes")), *programmes]

    def values(self) -> tuple[str, str]:
        """The status (due and overdue unless a known one is asked for) and the
        programme code asked for (an unknown code matches nothing)."""
        data = self.data if self.is_bound else {}
        status = str(data.get("status") or "open")
        return (status if status in LIST_STATUSES else "open",
                str(data.get("programme") or "")[:30])
