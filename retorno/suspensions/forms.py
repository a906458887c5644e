from django import forms
from django.utils.translation import gettext_lazy

from retorno.lib.codes import country_choices
from retorno.suspensions.models import ReturnSuspension
from retorno.suspensions.services import FIELDS


class SuspensionForm(forms.ModelForm):
    """A new suspension. Builds no object: the view hands `suspension_data()` to
    suspensions.services."""

    country = forms.ChoiceField(label=gettext_lazy("Country"),
                                choices=lambda: [("", "—"), *country_choices()])

    class Meta:
        model = ReturnSuspension
        fields = FIELDS
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"}),
                   "reason": forms.Textarea(attrs={"rows": 3})}

    def clean_subdivision(self) -> str:
        return self.cleaned_data["subdivision"].strip().upper()

    def suspension_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in FIELDS}


class LiftForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why is the suspension lifted?"),
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)
