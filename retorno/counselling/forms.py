from django import forms
from django.utils.translation import gettext_lazy

from retorno.counselling.models import TOPIC_GROUPS, CounsellingSession, Mode, Position
from retorno.counselling.services import FIELDS


class SessionForm(forms.ModelForm):
    """A counselling session. Builds no object: the view hands `session_data()` to
    counselling.services."""

    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Topics covered"), required=False,
        choices=[(group, [(t.value, t.label) for t in topics]) for group, topics in TOPIC_GROUPS],
        widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CounsellingSession
        fields = FIELDS
        widgets = {"date": forms.DateInput(attrs={"type": "date"}),
                   "mode": forms.RadioSelect,
                   "position": forms.RadioSelect,
                   "materials": forms.Textarea(attrs={"rows": 3}),
                   "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons need no "choose one" entry: none is ticked until the user picks.
        self.fields["mode"].choices = Mode.choices
        self.fields["position"].choices = Position.choices

    def clean_language(self) -> str:
        return self.cleaned_data["language"].strip().lower()

    def session_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in FIELDS}
