"""The plan's forms and the community project form. They build no object: the views hand
their `data()` to reintegration.services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from retorno.lib.codes import country_choices
from retorno.programmes.models import Programme
from retorno.reintegration import services
from retorno.reintegration.models import (
    AssistanceItem,
    CommunityProject,
    Delivery,
    Milestone,
    ProjectStatus,
    ReintegrationPlan,
)
from retorno.reintegration.policy import NOTE_FIELDS

_DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(forms.ModelForm):
    """The needs assessment and the level. The notes only for protection readers."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReintegrationPlan
        fields = services.PLAN_FIELDS
        widgets = {"assessed_on": _DATE,
                   **{name: forms.Textarea(attrs={"rows": 3}) for name in NOTE_FIELDS}}

    def __init__(self, *args: Any, read_notes: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not read_notes:
            for name in NOTE_FIELDS:
                del self.fields[name]

    def data_for_service(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in services.PLAN_FIELDS if f in self.fields}


class ItemForm(forms.ModelForm):
    beneficiary = forms.TypedChoiceField(label=gettext_lazy("For"), required=False,
                                         coerce=int, empty_value=None)
    provider = forms.ModelChoiceField(label=gettext_lazy("Provider"), required=False,
                                      queryset=None, empty_label=gettext_lazy(
                                          "Not a partner in the directory"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AssistanceItem
        fields = ["kind", "description", "beneficiary", "provider", "provider_name", "cost"]

    def __init__(self, *args: Any, members: list[tuple[int, str]], partners: Any,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["beneficiary"].choices = [
            ("", gettext_lazy("The whole family")), *members]
        self.fields["provider"].queryset = partners
        self.fields["cost"].help_text = gettext_lazy("In the programme's currency.")

    def data_for_service(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in services.ITEM_FIELDS}


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(label=gettext_lazy("Delivery"), choices=Delivery.choices)
    delivered_on = forms.DateField(label=gettext_lazy("Delivered on"), required=False,
                                   widget=_DATE, help_text=gettext_lazy(
                                       "Needed once the assistance is delivered."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class MilestoneForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Milestone
        fields = services.MILESTONE_FIELDS
        widgets = {"due_on": _DATE, "reached_on": _DATE,
                   "note": forms.Textarea(attrs={"rows": 3})}

    def data_for_service(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in services.MILESTONE_FIELDS}


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why is the plan reopened?"),
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProjectForm(forms.ModelForm):
    office = forms.ModelChoiceField(label=gettext_lazy("Office"), queryset=None)
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"),
                                       queryset=Programme.objects.order_by("name"))
    country = forms.ChoiceField(label=gettext_lazy("Country"),
                                choices=lambda: [("", "—"), *country_choices()])
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, required=False,
                               widget=forms.TextInput(attrs={"size": 3, "maxlength": 3}),
                               help_text=gettext_lazy(
                                   "ISO 4217 code; empty: the programme's currency."))
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"), required=False,
                                     queryset=None)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ProjectStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CommunityProject
        fields = services.PROJECT_FIELDS
        widgets = {"starts_on": _DATE, "ends_on": _DATE,
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, offices: list, partners: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["partner"].queryset = partners
        self.fields["subdivision"].help_text = gettext_lazy(
            "ISO 3166-2 code, such as IQ-BG for Baghdad; empty: the whole country.")

    def data_for_service(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in services.PROJECT_FIELDS}


class LinkForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Case reference"), max_length=30)


class ProjectFilter(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False,
                                choices=lambda: [("", gettext_lazy("Any")),
                                                 *country_choices()])
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("Any")), *ProjectStatus.choices])
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"), required=False,
                                       queryset=Programme.objects.order_by("name"),
                                       empty_label=gettext_lazy("Any"))
