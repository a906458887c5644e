from django import forms
from django.utils.translation import gettext_lazy

from retorno.lib.codes import country_choices
from retorno.pathways.models import Kind, Pathway, PathwayStatus
from retorno.pathways.services import FIELDS


class PathwayForm(forms.ModelForm):
    """A proposed pathway. Builds no object: the view hands `pathway_data()` to
    pathways.services."""

    third_country = forms.ChoiceField(
        label=gettext_lazy("Third country"), required=False,
        choices=lambda: [("", "—"), *country_choices()],
        help_text=gettext_lazy("Required for settlement in a third country; empty for "
                               "local integration."))

    class Meta:
        model = Pathway
        fields = FIELDS
        widgets = {"kind": forms.RadioSelect,
                   "referred_on": forms.DateInput(attrs={"type": "date"}),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Kind.choices

    def pathway_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in FIELDS}


class StatusForm(forms.Form):
    """A pathway's next status, with an optional comment."""

    status = forms.ChoiceField(label=gettext_lazy("New status"))
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, statuses: list[PathwayStatus] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if statuses is None:
            statuses = list(PathwayStatus)
        self.fields["status"].choices = [(s.value, s.label) for s in statuses]
