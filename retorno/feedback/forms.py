"""Forms of the public feedback page and of the staff's feedback pages."""

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office, OfficeKind, User
from retorno.cases.policy import visible_cases
from retorno.feedback import policy
from retorno.feedback.models import Category, Channel, Feedback, Kind, Status
from retorno.feedback.services import MAX_DESCRIPTION, MAX_RESPONSE
from retorno.lib.codes import country_name

# The categories as the public reads them: plain words, no jargon.
PUBLIC_CATEGORIES = [
    (Category.INFORMATION, _("The information or advice I was given")),
    (Category.DELAYS, _("Waiting too long")),
    (Category.GRANTS, _("Money, grants or payments")),
    (Category.TRAVEL, _("My journey")),
    (Category.REINTEGRATION, _("Help after returning home")),
    (Category.PARTNERS, _("A service given by a partner organisation")),
    (Category.STAFF_CONDUCT, _("How a member of staff behaved")),
    (Category.DATA_PROTECTION, _("My personal data")),
    (Category.SEA, _("Someone asked for sex or favours in exchange for help")),
    (Category.FRAUD, _("Someone asked for money or a bribe")),
    (Category.OTHER, _("Something else")),
]
PUBLIC_KINDS = [
    (Kind.COMPLAINT, _("I want to complain")),
    (Kind.FEEDBACK, _("I have a suggestion or feedback")),
    (Kind.COMPLIMENT, _("I want to say thank you")),
    (Kind.QUESTION, _("I have a question")),
]
STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Office) -> str:
        return f"{country_name(obj.country)} — {obj.name}"


def public_offices() -> QuerySet[Office]:
    """The offices a person can send feedback to: those that assist migrants."""
    return Office.objects.exclude(kind=OfficeKind.TRANSIT).order_by("country", "name")


class PublicFeedbackForm(forms.Form):
    office = OfficeChoiceField(label=_("Which office is this about?"),
                               queryset=Office.objects.none(),
                               empty_label=_("Choose an office"),
                               error_messages={"required": _("Choose an office."),
                                               "invalid_choice": _("Choose an office.")})
    kind = forms.ChoiceField(label=_("What would you like to do?"), choices=PUBLIC_KINDS,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Choose what you would like "
                                                           "to do.")})
    category = forms.ChoiceField(label=_("What is it about?"), choices=PUBLIC_CATEGORIES,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": _("Choose what it is about.")})
    description = forms.CharField(label=_("Tell us what happened"), widget=forms.Textarea,
                                  max_length=MAX_DESCRIPTION,
                                  error_messages={"required": _("Tell us what happened.")})
    anonymous = forms.BooleanField(label=_("I want to stay anonymous"), required=False,
                                   help_text=_("We will not know who you are, and cannot "
                                               "contact you."))
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=200)
    contact = forms.CharField(label=_("Phone or email where we can answer you (optional)"),
                              required=False, max_length=200)
    # A honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off",
                                                             "tabindex": "-1"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = public_offices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("anonymous"):
            # Anonymous means anonymous: whatever was typed in is dropped.
            data["name"], data["contact"] = "", ""
        return data

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("homepage"))


class StatusLookupForm(forms.Form):
    reference = forms.CharField(label=_("Your reference number"), max_length=20,
                                help_text=_("For example FB-AB23CD45."),
                                error_messages={"required": _("Enter your reference "
                                                              "number.")})


class _StaffFields(forms.Form):
    concerns = forms.ModelMultipleChoiceField(
        label=_("Members of staff it is about"), queryset=User.objects.none(),
        required=False,
        help_text=_("They will never see this feedback."))

    def _staff(self) -> None:
        field = self.fields["concerns"]
        field.queryset = policy.staff_users()
        field.label_from_instance = lambda u: u.get_full_name() or u.username


class RecordForm(_StaffFields):
    field_order = ["office", "channel", "received_at", "kind", "category", "description",
                   "anonymous", "name", "contact", "language", "case_reference", "concerns"]
    office = forms.ModelChoiceField(label=_("Receiving office"), queryset=Office.objects.none())
    channel = forms.ChoiceField(label=_("Received through"), choices=STAFF_CHANNELS)
    received_at = forms.DateTimeField(
        label=_("Received at"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices,
                                 help_text=_("Sexual exploitation and abuse, and fraud or "
                                             "corruption, go to the complaints focal points "
                                             "only: you will not see them afterwards."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea,
                                  max_length=MAX_DESCRIPTION)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    name = forms.CharField(label=_("Name of the person"), required=False, max_length=200)
    contact = forms.CharField(label=_("Contact"), required=False, max_length=200)
    language = forms.ChoiceField(label=_("Preferred language"), required=False,
                                 choices=[("", "—"), *settings.LANGUAGES])
    case_reference = forms.CharField(label=_("Case reference (optional)"), required=False,
                                     max_length=30)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        offices = policy.recording_offices(user)
        self.fields["office"].queryset = offices
        if offices.count() == 1:
            self.fields["office"].initial = offices.first()
        self._staff()
        self.case = None

    def clean_case_reference(self) -> str:
        reference = self.cleaned_data["case_reference"].strip().upper()
        if reference:
            self.case = visible_cases(self.user).filter(reference=reference).first()
            if self.case is None:
                raise forms.ValidationError(_("No case with this reference that you may "
                                              "see."))
        return reference

    def service_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"office": d["office"], "channel": d["channel"], "kind": d["kind"],
                "category": d["category"], "description": d["description"],
                "anonymous": d["anonymous"], "name": d["name"], "contact": d["contact"],
                "language": d["language"], "received_at": d["received_at"],
                "case": self.case, "concerns": list(d["concerns"])}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Several forms share the detail page: each gets its own element ids.
    id_prefix = "status"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class CategoriseForm(_StaffFields, VersionForm):
    id_prefix = "categorise"
    field_order = ["kind", "category", "concerns", "remove_concerns"]
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    remove_concerns = forms.ModelMultipleChoiceField(
        label=_("Take off the staff concerned"), queryset=User.objects.none(),
        required=False)

    def __init__(self, *args: Any, item: Feedback, may_remove: bool, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": item.kind, "category": item.category,
                                      "version": item.version})
        super().__init__(*args, **kwargs)
        self._staff()
        self.fields["concerns"].label = _("Add members of staff it is about")
        self.fields["concerns"].queryset = policy.staff_users().exclude(
            pk__in=item.concerns.values("pk"))
        if may_remove:
            field = self.fields["remove_concerns"]
            field.queryset = item.concerns.order_by("username")
            field.label_from_instance = lambda u: u.get_full_name() or u.username
        else:
            del self.fields["remove_concerns"]


class AssignForm(VersionForm):
    id_prefix = "assign"
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(self, *args: Any, item: Feedback, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignee": item.assignee_id, "version": item.version})
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = policy.assignable_users(item)
        field.label_from_instance = lambda u: u.get_full_name() or u.username


class AnswerForm(VersionForm):
    id_prefix = "answer"
    response = forms.CharField(label=_("Answer given to the person"), widget=forms.Textarea,
                               max_length=MAX_RESPONSE)


class InboxFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any")), *Status.choices])
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("Any")), *Category.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
