from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from retorno.screening import questionnaire as q
from retorno.screening.models import BidDecision, validate_decided_not_future, validate_not_future


class ScreeningForm(forms.Form):
    """The questionnaire: one yes/no/unknown per question, grouped by factor. Builds no
    object: the view hands `answers()` to screening.services."""

    screened_on = forms.DateField(label=gettext_lazy("Screened on"),
                                  validators=[validate_not_future],
                                  widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=gettext_lazy("Observations"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=gettext_lazy("Protection detail: read only by roles "
                                                   "that may."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("screened_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        for question in q.QUESTIONS:
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=question.text, choices=q.Answer.choices, widget=forms.RadioSelect)

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(factor.label), [self[f"q_{question.code}"] for question in questions])
                for factor, questions in q.grouped()]

    def answers(self) -> dict[str, str]:
        return {question.code: self.cleaned_data[f"q_{question.code}"]
                for question in q.QUESTIONS}


class BidForm(forms.Form):
    """A best-interest determination for one child. Builds no object: the view hands
    `cleaned_data` to screening.services.record_bid."""

    decided_on = forms.DateField(label=gettext_lazy("Decided on"),
                                 validators=[validate_decided_not_future],
                                 widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=BidDecision.choices,
                                 widget=forms.RadioSelect)
    panel = forms.CharField(label=gettext_lazy("Panel or decision-maker"), max_length=200)
    guardian_name = forms.CharField(
        label=gettext_lazy("Guardian"), max_length=200, required=False,
        help_text=gettext_lazy("The child's guardian or legal representative."))
    reasons = forms.CharField(label=gettext_lazy("Summary of reasons"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=gettext_lazy("Protection detail: read only by roles "
                                                     "that may."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
