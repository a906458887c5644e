from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.lib.codes import country_choices, language_name, validate_languages
from retorno.people.models import IdentityDocument, Person
from retorno.people.services import DOCUMENT_FIELDS, PERSON_FIELDS


def _country_field(label: str, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=required,
                             choices=lambda: [("", "—"), *country_choices()])


class LanguagesField(forms.CharField):
    """ISO 639-3 codes typed as a comma-separated list, e.g. "arb, eng"."""

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: object) -> list[str]:
        text = super().to_python(value)
        return [code.strip().lower() for code in text.split(",") if code.strip()]

    def validate(self, value: list[str]) -> None:
        validate_languages(value)


class PersonForm(forms.ModelForm):
    nationality = _country_field(gettext_lazy("Nationality"), required=False)
    languages = LanguagesField(
        label=gettext_lazy("Languages"), required=False,
        help_text=gettext_lazy("ISO 639-3 codes separated by commas, e.g. arb, eng."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"})}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_of_birth_approximate") and not data.get("date_of_birth"):
            self.add_error("date_of_birth",
                           _("Give an estimated date of birth, or untick “approximate”."))
        return data

    def person_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in PERSON_FIELDS}

    def language_names(self) -> list[str]:
        return [language_name(c) for c in self.cleaned_data.get("languages", [])]


class DocumentForm(forms.ModelForm):
    issuing_country = _country_field(gettext_lazy("Issuing country"))

    class Meta:
        model = IdentityDocument
        fields = DOCUMENT_FIELDS
        widgets = {"expiry_date": forms.DateInput(attrs={"type": "date"})}

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip().upper()
        if not number:
            raise ValidationError(_("Enter the document number."))
        return number
