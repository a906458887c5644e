"""The assistance package form: the budget, currency, quota and approval threshold, and a
formset of components (spare rows left empty are ignored; recorded ones can be removed).
They build no object: the view hands `package_fields()` and `components_data(...)` to
programmes.services.set_package, which validates every component and names it."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from retorno.cases.models import Vulnerability
from retorno.lib.money import currencies, quantize
from retorno.programmes.models import Basis, ComponentKind, Modality, Programme
from retorno.programmes.services import COMPONENT_FIELDS, PACKAGE_FIELDS

# Empty component rows under the recorded ones.
SPARE_ROWS = 3


class PackageForm(forms.Form):
    currency = forms.CharField(
        label=gettext_lazy("Currency"), max_length=3, required=False,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
        help_text=gettext_lazy("ISO 4217 code, e.g. EUR. Every amount of the programme is "
                               "in it."))
    budget = forms.DecimalField(label=gettext_lazy("Total budget"), required=False,
                                max_digits=16, decimal_places=3)
    max_cases = forms.IntegerField(label=gettext_lazy("Quota: maximum approved cases"),
                                   required=False, min_value=0,
                                   help_text=gettext_lazy("Empty: no quota."))
    approval_threshold = forms.DecimalField(
        label=gettext_lazy("Second approval above"), required=False, max_digits=16,
        decimal_places=3,
        help_text=gettext_lazy("A disbursement above this amount waits for a second "
                               "person's approval. Empty: every disbursement does."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def package_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PACKAGE_FIELDS}


def _choices(choices: list[tuple[str, str]], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *choices]


class ComponentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Component"), required=False,
                             choices=lambda: _choices(ComponentKind.choices, "—"))
    basis = forms.ChoiceField(label=gettext_lazy("Basis"), required=False,
                              choices=lambda: _choices(Basis.choices, "—"))
    vulnerability = forms.ChoiceField(
        label=gettext_lazy("Vulnerability (top-ups only)"), required=False,
        choices=lambda: _choices(Vulnerability.choices, gettext("— none —")))
    amount = forms.DecimalField(label=gettext_lazy("Amount"), required=False,
                                max_digits=14, decimal_places=3)
    modality = forms.ChoiceField(label=gettext_lazy("Paid"), choices=Modality.choices,
                                 initial=Modality.CASH)
    before_departure_percent = forms.IntegerField(
        label=gettext_lazy("% before departure"), required=False, initial=0,
        widget=forms.NumberInput(attrs={"size": 4}))
    after_arrival_months = forms.IntegerField(
        label=gettext_lazy("Rest: months after arrival"), required=False, initial=0,
        widget=forms.NumberInput(attrs={"size": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Shown as a table row under column headings: the label is for screen readers.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label

    def is_blank(self) -> bool:
        """A spare row: no component, basis, vulnerability or amount chosen."""
        data = self.cleaned_data
        return not (data.get("kind") or data.get("basis") or data.get("vulnerability")
                    or data.get("amount") is not None)

    def component_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in COMPONENT_FIELDS}
        for name in ("before_departure_percent", "after_arrival_months"):
            if data[name] is None:
                data[name] = 0
        data["vulnerability"] = data["vulnerability"] or ""
        return data


class BaseComponentFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext("Remove")
            form.fields["DELETE"].widget.attrs["aria-label"] = gettext("Remove this component")


def shown_amount(currency: str) -> Callable[[Decimal | None], Decimal | None]:
    """Stored amounts (three decimals) shown with the currency's minor units."""
    def shown(amount: Decimal | None) -> Decimal | None:
        if amount is None or not currency or currency not in currencies():
            return amount
        return quantize(amount, currency)
    return shown


def component_formset(data: Any, programme: Programme) -> Any:
    """The programme's components and spare empty rows. Only recorded components can be
    removed; a spare row left empty is ignored."""
    shown = shown_amount(programme.currency)
    initial = [{**{name: getattr(line, name) for name in COMPONENT_FIELDS},
                "amount": shown(line.amount)} for line in programme.package.all()]
    formset = forms.formset_factory(ComponentForm, formset=BaseComponentFormSet,
                                    extra=SPARE_ROWS, can_delete=True,
                                    can_delete_extra=False)
    return formset(data, initial=initial or None, prefix="components")


def entered_forms(formset: Any) -> list[forms.Form]:
    """The rows entered, in order, without removed and spare ones."""
    return [form for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
            and not form.is_blank()]
