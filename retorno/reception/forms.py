from django import forms
from django.utils.translation import gettext_lazy

from retorno.reception.models import Reception
from retorno.reception.services import ARRIVAL_FIELDS, PLAN_FIELDS

_MET = [("", gettext_lazy("Not recorded")), ("yes", gettext_lazy("Yes")),
        ("no", gettext_lazy("No"))]


class PlanForm(forms.ModelForm):
    """The reception plan. Builds no object: the view hands `plan_data()` to
    reception.services."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Reception
        fields = PLAN_FIELDS
        widgets = {"accommodation": forms.Textarea(attrs={"rows": 3}),
                   "inland_transport": forms.Textarea(attrs={"rows": 3}),
                   "pocket_money_currency": forms.TextInput(attrs={"size": 3,
                                                                   "maxlength": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pocket_money_currency"].help_text = gettext_lazy(
            "ISO 4217 code, e.g. IQD or USD.")

    def clean_pocket_money_currency(self) -> str:
        return (self.cleaned_data.get("pocket_money_currency") or "").strip().upper()

    def plan_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in PLAN_FIELDS}


class ArrivalForm(forms.ModelForm):
    """The arrival, as it happened."""

    met_on_arrival = forms.TypedChoiceField(
        label=gettext_lazy("Met at the airport"), choices=_MET, required=False,
        coerce=lambda value: value == "yes", empty_value=None)
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Reception
        fields = ARRIVAL_FIELDS
        widgets = {"arrived_on": forms.DateInput(attrs={"type": "date"}),
                   "pocket_money_paid_on": forms.DateInput(attrs={"type": "date"}),
                   "arrival_notes": forms.Textarea(attrs={"rows": 4})}

    def arrival_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in ARRIVAL_FIELDS}
