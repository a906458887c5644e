from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from retorno.declarations import placeholders
from retorno.declarations.models import Declaration, DeclarationTemplate
from retorno.declarations.scans import read_scan as check_scan
from retorno.declarations.services import SIGNED_FIELDS, TEMPLATE_FIELDS
from retorno.lib.errors import Invalid


class PrintForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of the declaration"))

    def __init__(self, *args, languages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages


class SignedForm(forms.ModelForm):
    """The signed copy of a printed declaration. Builds no object: the view hands
    `signed_data()` and the file to declarations.services."""

    scan = forms.FileField(
        label=gettext_lazy("Scan of the signed declaration"),
        help_text=gettext_lazy("PDF, JPEG or PNG, up to 10 MB, with every page and every "
                               "signature."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Declaration
        fields = SIGNED_FIELDS
        widgets = {"signed_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].required = True
        self.fields["place"].required = True
        self.fields["interpreter_language"].widget.attrs.update(
            {"size": 4, "autocomplete": "off"})

    def clean_scan(self) -> Any:
        # Checked here too, so that a wrong file is named with the other mistakes; the
        # service checks it again.
        scan = self.cleaned_data["scan"]
        try:
            check_scan(scan)
        except Invalid as exc:
            raise forms.ValidationError(exc.messages) from None
        finally:
            scan.seek(0)
        return scan

    def signed_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in SIGNED_FIELDS}


class TemplateForm(forms.ModelForm):
    """A new declaration template, or a new version of one."""

    class Meta:
        model = DeclarationTemplate
        fields = TEMPLATE_FIELDS
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = gettext_lazy(
            "Plain text. A blank line starts a new paragraph; “# ” at the start of a line "
            "makes a heading. Placeholders: %(names)s, e.g. {{ principal_name }}; "
            "{%% for member in family_members %%}…{%% endfor %%} lists the family.") % {
            "names": placeholders.names_help()}

    def validate_unique(self) -> None:
        # The service checks that the version is new, in the language's canonical form,
        # and retires the language's active version: the constraints hold after it.
        pass

    def validate_constraints(self) -> None:
        pass  # as validate_unique

    def template_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in TEMPLATE_FIELDS}
