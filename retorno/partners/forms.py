"""Forms of the partner directory, referrals and the partner's answers. They build no
object: the views hand their data to partners.services."""

from django import forms
from django.utils.translation import gettext_lazy

from retorno.lib.codes import country_choices
from retorno.partners.models import Partner
from retorno.reintegration.models import ItemKind


def _areas(value: str) -> list[str]:
    return [part.strip().upper() for part in value.replace(";", ",").split(",")
            if part.strip()]


class PartnerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    areas = forms.CharField(
        label=gettext_lazy("Areas"), required=False, max_length=500,
        help_text=gettext_lazy("ISO 3166-2 codes, comma-separated (such as IQ-BG, IQ-BA); "
                               "empty: the whole country."))
    services = forms.MultipleChoiceField(label=gettext_lazy("Services"),
                                         choices=ItemKind.choices,
                                         widget=forms.CheckboxSelectMultiple)
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), required=False,
                                   max_length=200)
    email = forms.CharField(label=gettext_lazy("Email"), required=False, max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=32,
                            help_text=gettext_lazy("With the country code, such as "
                                                   "+964 770 123 4567."))
    address = forms.CharField(label=gettext_lazy("Address"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    active = forms.BooleanField(label=gettext_lazy("Active (receives referrals)"),
                                required=False, initial=True)

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]
        if offices is not None:
            self.fields["office"] = forms.ModelChoiceField(
                label=gettext_lazy("Kept by the office"), queryset=offices)
        else:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(partner: Partner) -> dict:
        return {"name": partner.name, "country": partner.country,
                "areas": ", ".join(partner.areas), "services": partner.services,
                "contact_name": partner.contact_name, "email": partner.email,
                "phone": partner.phone, "address": partner.address,
                "active": partner.active, "version": partner.version}

    def partner_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in
                ("name", "country", "services", "contact_name", "email", "phone",
                 "address", "active")}
        data["areas"] = _areas(self.cleaned_data["areas"])
        return data


class AgreementForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference"), required=False,
                                max_length=100)
    signed_on = forms.DateField(label=gettext_lazy("Signed on"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=gettext_lazy("Valid until"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    scope = forms.CharField(label=gettext_lazy("What it covers"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class PartnerUserForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("First name"), required=False,
                                 max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), required=False,
                                max_length=150)
    email = forms.CharField(label=gettext_lazy("Email"), required=False, max_length=254)
    password = forms.CharField(label=gettext_lazy("Password"),
                               widget=forms.PasswordInput(render_value=False))


class DirectoryFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=200)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    area = forms.CharField(label=gettext_lazy("Area"), required=False, max_length=10,
                           help_text=gettext_lazy("ISO 3166-2 code, such as IQ-BG."))
    service = forms.ChoiceField(label=gettext_lazy("Service"), required=False,
                                choices=[("", "—"), *ItemKind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *country_choices()]


class ReferralForm(forms.Form):
    """Refer a member of the case to a partner (the case section's form)."""

    person = forms.TypedChoiceField(label=gettext_lazy("Person"), coerce=int)
    partner = forms.TypedChoiceField(label=gettext_lazy("Partner"), coerce=int)
    service = forms.ChoiceField(label=gettext_lazy("Service"), choices=ItemKind.choices)
    need = forms.CharField(label=gettext_lazy("What they need"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=gettext_lazy("Shared with the partner: say only what "
                                                  "the service needs, never a diagnosis."))
    item = forms.TypedChoiceField(label=gettext_lazy("Assistance item"), coerce=int,
                                  required=False, empty_value=None)

    def __init__(self, *args, members, partners, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(m.person_id, m.person.display_name)
                                         for m in members]
        self.fields["partner"].choices = [(p.pk, p.name) for p in partners]
        self.fields["item"].choices = [("", "—"), *[(i.pk, str(i)) for i in items]]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ServiceGivenForm(forms.Form):
    service_given = forms.CharField(label=gettext_lazy("Service given"), max_length=4000,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    service_on = forms.DateField(label=gettext_lazy("Given on"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label=gettext_lazy("Feedback"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
