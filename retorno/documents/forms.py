"""The travel document forms. They only parse input: the fields come from the model
(`fields_for_model`, for labels, help texts and widgets), but the model's validation —
what each status needs, dates in order, the number's characters — runs once, in
documents.services, whose refusals `lib.forms.attempt` shows next to the fields. (A
ModelForm would validate a half-built document on its own: a refusal form holds a
refusal reason for a document that is not refused yet.)"""

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy

from retorno.documents import workflow
from retorno.documents.models import DocumentStatus, Kind, TravelDocument
from retorno.documents.services import FIELDS
from retorno.lib.codes import country_choices

_DATE = forms.DateInput(attrs={"type": "date"})
WIDGETS = {"kind": forms.RadioSelect, "issued_on": _DATE, "expires_on": _DATE,
           "requested_on": _DATE, "follow_up_on": _DATE,
           "notes": forms.Textarea(attrs={"rows": 3}),
           "refusal_reason": forms.Textarea(attrs={"rows": 3}),
           "number": forms.TextInput(attrs={"autocapitalize": "characters",
                                            "spellcheck": "false"})}


def _model_fields(names: list[str] | tuple[str, ...]) -> dict[str, forms.Field]:
    fields = fields_for_model(TravelDocument, fields=names, widgets=WIDGETS)
    if "kind" in fields:
        # Radio buttons need no "choose one" entry: none is ticked until the user picks.
        fields["kind"].choices = Kind.choices  # type: ignore[attr-defined]  # a ChoiceField
    if "issuing_country" in fields:
        fields["issuing_country"] = forms.ChoiceField(
            label=fields["issuing_country"].label,
            help_text=fields["issuing_country"].help_text,
            choices=lambda: [("", "—"), *country_choices()])
    return fields


class DocumentForm(forms.Form):
    """A travel document's details (the template adds the machine-readable zone that can
    fill them, which is never saved). `status` is offered when recording (to request,
    issued or collected), not when editing; the request's dates and the refusal reason
    only on a document that has them."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"), widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in workflow.INITIAL],
        help_text=gettext_lazy("A passport the person already holds: collected. One to ask "
                               "the consulate for: to request."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, document: TravelDocument | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        names = [*FIELDS, "refusal_reason"]
        if document is None:
            names = [n for n in names if n not in ("requested_on", "follow_up_on",
                                                    "refusal_reason")]
        else:
            del self.fields["status"]
            if document.status != DocumentStatus.REFUSED:
                names.remove("refusal_reason")
            if not (document.requested_on or document.status == DocumentStatus.REQUESTED):
                names = [n for n in names if n not in ("requested_on", "follow_up_on")]
        self.fields.update(_model_fields(names))
        self.order_fields(["kind", "status", "number", "issuing_country"])

    def document_data(self) -> dict:
        """The fields the service takes: what this form shows, but its version."""
        return {name: value for name, value in self.cleaned_data.items()
                if name != "version"}


class StatusForm(forms.Form):
    """The fields one status move takes (workflow.Move.fields), with the target status
    and the version the change is based on."""

    to = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, move: workflow.Move, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(move.fields))
        for name in move.fields:
            self.fields[name].required = name in move.required

    def move_data(self) -> dict:
        """What the user gave: an empty optional field is left for the service to
        derive (a request's follow-up date)."""
        return {name: value for name, value in self.cleaned_data.items()
                if name not in ("to", "version") and value not in (None, "")}
