"""The region forms. They build no object: the views hand `region_data()` to
regions.services, which checks the codes and names every problem."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from retorno.regions.models import Region


class RegionForm(forms.Form):
    """A new region (with its code) or a change to one (`with_code=False`: the code is
    permanent)."""

    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40,
                           help_text=Region._meta.get_field("code").help_text)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200,
                           help_text=gettext_lazy("Such as Middle East and North Africa."))
    countries = forms.CharField(
        label=gettext_lazy("Countries"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "ISO 3166-1 alpha-3 codes, separated by commas or spaces, such as IRQ, SYR, "
            "JOR. The regions page lists every country with its code."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, with_code: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().lower()

    def clean_countries(self) -> list[str]:
        text = self.cleaned_data["countries"].replace(",", " ").replace(";", " ")
        return [code.upper() for code in text.split()]

    def region_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("code", "name", "countries")
                if name in self.fields}


def initial_for(region: Region) -> dict[str, Any]:
    return {"name": region.name, "countries": ", ".join(region.countries),
            "version": region.version}


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
