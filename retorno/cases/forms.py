from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from retorno.accounts.models import Membership, Office, OfficeKind, Role, User
from retorno.cases.models import OPEN, CaseMember, Relationship, Status, Vulnerability
from retorno.lib.codes import country_choices
from retorno.programmes.models import Programme


class CaseFieldsForm(forms.Form):
    """Destination, programme and origin office: what a caseworker may change on a case."""

    destination_country = forms.ChoiceField(label=gettext_lazy("Destination country"),
                                            choices=lambda: [("", "—"), *country_choices()])
    destination_subdivision = forms.CharField(
        label=gettext_lazy("Destination subdivision"), required=False, max_length=10,
        help_text=gettext_lazy("ISO 3166-2 code of the region returned to, such as IQ-BG "
                               "for Baghdad. Return suspensions may cover one region only."))
    destination_area = forms.CharField(label=gettext_lazy("Destination area"), required=False,
                                       max_length=200)
    planned_departure_on = forms.DateField(
        label=gettext_lazy("Planned departure date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Travel documents must be valid on this date."))
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"),
                                       queryset=Programme.objects.all(), required=False)
    origin_office = forms.ModelChoiceField(
        label=gettext_lazy("Origin office"), required=False,
        queryset=Office.objects.filter(kind=OfficeKind.ORIGIN),
        help_text=gettext_lazy("The office that will receive the returnee."))

    def clean_destination_subdivision(self) -> str:
        return self.cleaned_data["destination_subdivision"].strip().upper()

    def clean(self) -> dict:
        data = super().clean()
        office, country = data.get("origin_office"), data.get("destination_country")
        if office and country and office.country != country:
            self.add_error("origin_office",
                           _("This office is not in the destination country."))
        return data

    def case_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in
                ("destination_country", "destination_subdivision", "destination_area",
                 "planned_departure_on",
                 "programme", "origin_office")}


class CaseEditForm(CaseFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MemberForm(forms.ModelForm):
    vulnerabilities = forms.MultipleChoiceField(
        label=gettext_lazy("Vulnerabilities"), required=False,
        choices=Vulnerability.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = CaseMember
        fields = ["relationship", "category", "vulnerabilities"]

    def __init__(self, *args, principal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if principal:
            del self.fields["relationship"]
        else:
            self.fields["relationship"].choices = [
                c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL]

    def member_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.fields}


class OfficeChoiceForm(forms.Form):
    office = forms.ModelChoiceField(label=gettext_lazy("Office"), queryset=Office.objects.none())

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        if offices.count() == 1:
            self.fields["office"].initial = offices.first()
            self.fields["office"].widget = forms.HiddenInput()


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=gettext_lazy("Assigned caseworker"),
                                      queryset=User.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            is_active=True, memberships__office=office,
            memberships__role__in=[Role.CASEWORKER, Role.SUPERVISOR]).distinct().order_by(
            "first_name", "username")


class RememberedSelect(forms.Select):
    """A long select (the ~250 countries) rendered once per language, name, value and
    attributes, then reused: rendering its options took a third of the search page's
    time. The options must not change while the process runs."""

    LIMIT = 2000  # rendered variants kept; values come from requests, so bounded

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rendered: dict[tuple, str] = {}

    def __deepcopy__(self, memo):
        # Each form gets a copy of the field's widget; they share what was rendered.
        copy = super().__deepcopy__(memo)
        copy.rendered = self.rendered
        return copy

    def render(self, name, value, attrs=None, renderer=None):
        key = (get_language(), name, str(value), tuple(sorted((attrs or {}).items())),
               tuple(sorted(self.attrs.items())))
        html = self.rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(self.rendered) < self.LIMIT:
                self.rendered[key] = html
        return html


class SearchForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Reference"), required=False, max_length=20)
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)
    date_of_birth = forms.DateField(label=gettext_lazy("Date of birth"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    nationality = forms.ChoiceField(label=gettext_lazy("Nationality"), required=False,
                                    choices=lambda: [("", gettext_lazy("Any")), *country_choices()],
                                    widget=RememberedSelect)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("Any")),
                                        ("open", gettext_lazy("Any open status")),
                                        *Status.choices])

    def statuses(self) -> list[str] | None:
        status = self.cleaned_data.get("status")
        if not status:
            return None
        return [str(s) for s in OPEN] if status == "open" else [status]


def memberships_summary(user: User) -> list[Membership]:
    return list(user.memberships.select_related("office").order_by("office__name", "role"))
