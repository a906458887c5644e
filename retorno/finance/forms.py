"""The forms of the "Grants and payments" section and the exchange rates page. They build
no object: the views hand their cleaned data to finance.services."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.finance.models import ExchangeRate, Method
from retorno.programmes.models import Modality

_DATE = forms.DateInput(attrs={"type": "date"})


class AwardForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount awarded"), min_value=0,
                                max_digits=14, decimal_places=3)
    modality = forms.ChoiceField(label=gettext_lazy("Paid"), choices=Modality.choices)


class RequestForm(forms.Form):
    """A payment out of a grant. `client_key` is made when the form is first rendered and
    travels with it, so a double click or a resubmitted page records one payment."""

    amount = forms.DecimalField(label=gettext_lazy("Amount"), max_digits=14,
                                decimal_places=3)
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Method.choices)
    local_currency = forms.CharField(
        label=gettext_lazy("Paid in"), required=False, max_length=3,
        widget=forms.TextInput(attrs={"size": 3, "maxlength": 3}),
        help_text=gettext_lazy("ISO 4217 code of the currency handed over, e.g. IQD; empty "
                               "when paid in the programme's currency."))
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"), required=False, widget=_DATE,
        help_text=gettext_lazy("Only when already paid and no second approval is needed."))
    payee = forms.CharField(label=gettext_lazy("Paid to"), required=False, max_length=200)
    item = forms.TypedChoiceField(label=gettext_lazy("For the assistance item"),
                                  required=False, coerce=int, empty_value=None, choices=[])
    note = forms.CharField(label=gettext_lazy("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    receipt = forms.FileField(label=gettext_lazy("Receipt (PDF, JPEG or PNG)"),
                              required=False)
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, items=(), base: str = "", **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        if base:
            field = self.fields["local_currency"]
            field.help_text = f"{field.help_text} {rates_hint(base)}"
        choices = [(item.pk, str(item)) for item in items]
        if choices:
            self.fields["item"].choices = [("", "—"), *choices]
        else:
            del self.fields["item"]

    def clean_local_currency(self) -> str:
        return (self.cleaned_data.get("local_currency") or "").strip().upper()


def rates_hint(base: str) -> str:
    """The rates from `base` loaded for this month, which the officer converts with: a
    payment is converted at the rate of the month it is paid in."""
    from retorno.finance.sections import rate_text

    month = timezone.localdate().replace(day=1)
    rates = ExchangeRate.objects.filter(month=month, base=base).order_by("currency")
    shown = ", ".join(f"1 {base} = {rate_text(r.rate)} {r.currency}" for r in rates)
    when = date_format(month, "YEAR_MONTH_FORMAT")
    if not shown:
        return _("Finance has not loaded the rates from %(base)s for %(month)s: a payment "
                 "in another currency cannot be recorded this month until it does.") % {
                     "base": base, "month": when}
    return _("Converted at the rate of the month it is paid in; %(month)s: %(rates)s.") % {
        "month": when, "rates": shown}


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", gettext_lazy("Approve")),
                                          ("reject", gettext_lazy("Reject"))],
                                 widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("Reason (needed to reject)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=_DATE)
    receipt = forms.FileField(label=gettext_lazy("Receipt (PDF, JPEG or PNG)"),
                              required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RatesForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Rates (CSV)"),
        help_text=gettext_lazy("Header month,base,currency,rate; a line per month and "
                               "currency pair, e.g. 2026-11,EUR,IQD,1432.50."))
