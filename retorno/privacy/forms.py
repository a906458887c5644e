from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from retorno.cases.models import CaseMember
from retorno.privacy.models import ConsentPurpose


class ConsentForm(forms.Form):
    """Record one consent of a member of the case."""

    person = forms.TypedChoiceField(label=gettext_lazy("Person"), coerce=int)
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=ConsentPurpose.choices)
    partner_name = forms.CharField(
        label=gettext_lazy("Partner organisation"), required=False, max_length=200,
        help_text=gettext_lazy("Only for sharing with a partner organisation."))
    given_on = forms.DateField(label=gettext_lazy("Date given"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    form_version = forms.CharField(label=gettext_lazy("Form version"), max_length=50,
                                   help_text=gettext_lazy("As printed on the consent form."))
    guardian_name = forms.CharField(
        label=gettext_lazy("Guardian's name"), required=False, max_length=200,
        help_text=gettext_lazy("Required for a child: the guardian gives the consent."))
    guardian_relationship = forms.CharField(
        label=gettext_lazy("Guardian's relationship to the child"), required=False,
        max_length=100)

    def __init__(self, *args, members: list[CaseMember], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("given_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.members = {m.person_id: m for m in members}
        self.fields["person"].choices = [(m.person_id, str(m)) for m in members]
        # The directory's names, offered as suggestions (an HTML datalist).
        from retorno.partners.policy import partner_names

        self.partner_names = partner_names()
        self.fields["partner_name"].widget.attrs["list"] = "partner-names"

    def consent_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["person"] = self.members[data["person"]].person
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)
