"""The survey form on a case, built from the definition of an instrument's version.

One field per question, labelled in the reader's language (English when the definition
has no label in it): a group of radio buttons per `select_one` question — "don't know"
and "refused" options included, and "No answer" first so a mistaken click can be taken
back — a whole number, a text or a date otherwise. It builds no object: the view hands
`answers()` and the other values to `surveys.services.record_response`.
"""

import datetime
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from retorno.surveys.definition import SCORED_TYPE, Definition, text

PREFIX = "q_"
NO_ANSWER = ""


def _question_field(question: dict) -> forms.Field:
    label = text(question.get("label")) or question["name"]
    hint = text(question.get("hint"))
    kind = question.get("type")
    if kind == SCORED_TYPE:
        choices = [(NO_ANSWER, gettext_lazy("No answer"))] + [
            (option["name"], text(option.get("label")) or option["name"])
            for option in question.get("options") or []]
        return forms.ChoiceField(label=label, help_text=hint, required=False,
                                 choices=choices, initial=NO_ANSWER,
                                 widget=forms.RadioSelect)
    if kind == "integer":
        return forms.IntegerField(label=label, help_text=hint, required=False)
    if kind == "date":
        return forms.DateField(label=label, help_text=hint, required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    return forms.CharField(label=label, help_text=hint, required=False, max_length=1000)


class SurveyForm(forms.Form):
    collected_on = forms.DateField(label=gettext_lazy("Collected on"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    respondent = forms.TypedChoiceField(label=gettext_lazy("Respondent"), required=False,
                                        coerce=int, empty_value=None)
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=120, error_messages={
        "required": gettext_lazy("The form lost its key: open the survey form again and "
                                 "re-enter the answers.")})

    def __init__(self, *args: Any, definition: dict, members: list[tuple[int, str]],
                 principal: int | None = None, **kwargs: Any):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("collected_on", timezone.localdate())
        initial.setdefault("respondent", principal)
        # A new key each time the empty form is drawn; a posted form keeps the one it was
        # drawn with, so the same answers sent twice are recorded once.
        initial.setdefault("client_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.definition = Definition(definition)
        self.fields["respondent"].choices = [("", gettext_lazy("Not recorded"))] + members
        for question in self.definition.questions:
            self.fields[PREFIX + question["name"]] = _question_field(question)

    def groups(self) -> list[dict[str, Any]]:
        """The question fields grouped by dimension (in the definition's order), then the
        questions that belong to no indicator."""
        by_indicator = {i["code"]: i.get("dimension") for i in self.definition.indicators}
        dimensions = {d["code"]: text(d.get("label")) for d in self.definition.dimensions}
        groups: dict[str | None, list[Any]] = {code: [] for code in dimensions}
        groups[None] = []
        for question in self.definition.questions:
            dimension = by_indicator.get(question.get("indicator") or "")
            groups.setdefault(dimension, []).append(self[PREFIX + question["name"]])
        shown = [{"legend": dimensions.get(code, ""), "fields": fields}
                 for code, fields in groups.items() if code is not None and fields]
        if groups[None]:
            shown.append({"legend": gettext_lazy("Other questions"), "fields": groups[None]})
        return shown

    def answers(self) -> dict[str, str]:
        """Question name → answer, the unanswered left out."""
        found: dict[str, str] = {}
        for question in self.definition.questions:
            value = self.cleaned_data.get(PREFIX + question["name"])
            if value in (None, ""):
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            found[question["name"]] = str(value)
        return found
