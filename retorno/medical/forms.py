from django import forms
from django.utils.translation import gettext_lazy

from retorno.medical.models import FitnessAssessment, Outcome, SpecialNeed
from retorno.medical.services import FIELDS


class AssessmentForm(forms.ModelForm):
    """A fitness to travel assessment. Builds no object: the view hands
    `assessment_data()` to medical.services."""

    special_needs = forms.MultipleChoiceField(
        label=gettext_lazy("Special needs"), required=False, choices=SpecialNeed.choices,
        widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FitnessAssessment
        fields = FIELDS
        widgets = {"assessed_on": forms.DateInput(attrs={"type": "date"}),
                   "outcome": forms.RadioSelect,
                   "detail": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons need no "choose one" entry: none is ticked until the user picks.
        self.fields["outcome"].choices = Outcome.choices

    def assessment_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in FIELDS}
