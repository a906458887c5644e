"""Cases in the API: what a request may send and what a response shows.

Input serializers validate only; the views hand `validated_data` to cases.services.
Vulnerability flags are protection detail: `CaseMemberSerializer` shows them only when
the view has put `show_protection` (from cases.policy.can_view_protection) in the context.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.accounts import permissions as perms
from retorno.accounts.api import OfficeCodeField
from retorno.accounts.models import User
from retorno.cases import workflow
from retorno.cases.models import (
    Case,
    CaseMember,
    Relationship,
    Status,
    TimelineEntry,
    TimelineKind,
    Vulnerability,
)
from retorno.cases.services import Option
from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin
from retorno.lib.codes import validate_country
from retorno.people.serializers import PersonInputSerializer, VisiblePersonField
from retorno.programmes.models import MigrantCategory, Programme

_COUNTRY_HELP = gettext_lazy("ISO 3166-1 alpha-3 code, e.g. IRQ.")
_SUBDIVISION_HELP = gettext_lazy("ISO 3166-2 code of a subdivision of the destination "
                                 "country, e.g. IQ-BG; empty for none.")
_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")


# ---- input --------------------------------------------------------------------------


class ProgrammeCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy("Programme code, e.g. erin-deu."))
        super().__init__(slug_field="code", queryset=Programme.objects.all(), **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class AssigneeField(serializers.SlugRelatedField):
    """A colleague's username. Only people working in the requester's own offices are
    looked up; whether they may hold the case is the service's decision."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        offices = perms.office_ids(self.context["request"].user, perms.CASE_VIEW)
        return User.objects.filter(is_active=True,
                                   memberships__office_id__in=offices).distinct()


def _vulnerabilities(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices), **kwargs)


class _NewMemberSerializer(StrictFieldsMixin, serializers.Serializer):
    """Who joins the case: an existing person (`person_id`) or a new one (`person`)."""

    person_key = "person"

    category = serializers.ChoiceField(choices=MigrantCategory.choices)
    vulnerabilities = _vulnerabilities(required=False, default=list)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [key for key in (f"{self.person_key}_id", self.person_key) if key in attrs]
        if len(given) != 1:
            message = _("Give exactly one of %(id)s (a registered person) and %(new)s (a "
                        "new person).") % {"id": f"{self.person_key}_id", "new": self.person_key}
            raise serializers.ValidationError({self.person_key: [message]})
        return attrs


class CaseCreateSerializer(_NewMemberSerializer):
    """A new case: its principal applicant (`principal_id` for a registered person, or
    `principal` for a new one), their category and vulnerabilities, and the return."""

    person_key = "principal"

    principal_id = VisiblePersonField(
        required=False, help_text=gettext_lazy("A registered person you may see."))
    principal = PersonInputSerializer(
        required=False, help_text=gettext_lazy("A person to register in the host office."))
    destination_country = serializers.CharField(max_length=3, validators=[validate_country],
                                                help_text=_COUNTRY_HELP)
    destination_subdivision = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text=_SUBDIVISION_HELP)
    destination_area = serializers.CharField(max_length=200, required=False, allow_blank=True)
    programme = ProgrammeCodeField(required=False, allow_null=True)
    origin_office = OfficeCodeField(required=False, allow_null=True)
    office = OfficeCodeField(
        required=False,
        help_text=gettext_lazy("Code of the host office. May be left out by someone who may "
                               "open cases in one office only."))


class MemberAddSerializer(_NewMemberSerializer):
    """A family member who returns with the principal: `person_id` for a registered
    person, or `person` for a new one."""

    person_id = VisiblePersonField(
        required=False, help_text=gettext_lazy("A registered person you may see."))
    person = PersonInputSerializer(
        required=False,
        help_text=gettext_lazy("A person to register in the case's host office."))
    relationship = serializers.ChoiceField(
        choices=[c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL])


class CasePatchSerializer(NeverPartialMixin, StrictFieldsMixin, serializers.Serializer):
    """Send only the fields that change, and the `version` the change is based on."""

    destination_country = serializers.CharField(max_length=3, validators=[validate_country],
                                                required=False, help_text=_COUNTRY_HELP)
    destination_subdivision = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text=_SUBDIVISION_HELP)
    destination_area = serializers.CharField(max_length=200, required=False, allow_blank=True)
    planned_departure_on = serializers.DateField(required=False, allow_null=True)
    programme = ProgrammeCodeField(required=False, allow_null=True)
    origin_office = OfficeCodeField(required=False, allow_null=True)
    assignee = AssigneeField(
        required=False, allow_null=True,
        help_text=gettext_lazy("Username of a caseworker of the host office (supervisors "
                               "only), or null for nobody."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class TransitionRequestSerializer(StrictFieldsMixin, serializers.Serializer):
    transition = serializers.ChoiceField(choices=[(t.name, t.label)
                                                  for t in workflow.TRANSITIONS])
    reason = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text=gettext_lazy("Why; required by the transitions that say needs_reason, "
                               "an optional comment for those that say asks_comment."))


class CaseFilterSerializer(serializers.Serializer):
    """Query parameters of the case list. Person filters match any member of the case."""

    reference = serializers.CharField(required=False, max_length=20,
                                      help_text=gettext_lazy("Exact, e.g. DEU-2026-000123."))
    q = serializers.CharField(
        required=False, allow_blank=True,
        help_text=gettext_lazy("Part of any member's name, in Latin letters or the original "
                               "script; case and accents do not matter."))
    date_of_birth = serializers.DateField(required=False,
                                          help_text=gettext_lazy("Any member's, YYYY-MM-DD."))
    nationality = serializers.CharField(required=False, min_length=3, max_length=3,
                                        help_text=_COUNTRY_HELP)
    status = EnumField(Status, name="CaseStatus", required=False)

    def validate_nationality(self, value: str) -> str:
        return value.upper()

    def validate_reference(self, value: str) -> str:
        return value.strip().upper()


# ---- output -------------------------------------------------------------------------


class CaseListItemSerializer(serializers.ModelSerializer):
    status = EnumField(Status, name="CaseStatus", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    host_office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    principal = serializers.SerializerMethodField(
        help_text=gettext_lazy("The principal applicant's name."))
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                            allow_null=True,
                                            help_text=gettext_lazy("Username."))

    class Meta:
        model = Case
        fields = ["reference", "status", "status_label", "host_office", "destination_country",
                  "principal", "assignee", "updated_at", "version"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_principal(self, case: Case) -> str | None:
        member = case.principal  # from the prefetched members
        return member.person.display_name if member else None


class CaseMemberSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(source="person.display_name", read_only=True)
    relationship_label = serializers.CharField(source="get_relationship_display",
                                               read_only=True)
    # Not read-only on purpose: the schema then marks it optional, as it is.
    vulnerabilities = _vulnerabilities(
        required=False,
        help_text=gettext_lazy("Protection detail: present only for roles that may read it."))

    class Meta:
        model = CaseMember
        fields = ["person_id", "display_name", "relationship", "relationship_label",
                  "category", "vulnerabilities"]
        read_only_fields = ["person_id", "display_name", "relationship",
                            "relationship_label", "category"]

    def to_representation(self, instance: CaseMember) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Default deny: without an explicit yes from the policy, the field is left out.
        if not self.context.get("show_protection", False):
            data.pop("vulnerabilities", None)
        return data


class TimelineEntrySerializer(serializers.ModelSerializer):
    kind = EnumField(TimelineKind, read_only=True)
    from_status = EnumField(Status, name="CaseStatus", read_only=True, allow_null=True)
    to_status = EnumField(Status, name="CaseStatus", read_only=True, allow_null=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                         allow_null=True, help_text=gettext_lazy("Username."))

    class Meta:
        model = TimelineEntry
        fields = ["at", "kind", "kind_label", "actor", "from_status", "to_status", "reason",
                  "summary"]
        read_only_fields = fields


TIMELINE_LENGTH = 50


class CaseSerializer(CaseListItemSerializer):
    origin_office = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                 allow_null=True)
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                             allow_null=True)
    members = CaseMemberSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField(
        help_text=gettext_lazy("Newest first; at most the 50 latest entries."))

    class Meta(CaseListItemSerializer.Meta):
        fields = ["reference", "status", "status_label", "host_office", "origin_office",
                  "destination_country", "destination_subdivision", "destination_area",
                  "planned_departure_on",
                  "programme", "assignee", "members", "created_at", "status_changed_at",
                  "handed_over_at", "updated_at", "version", "timeline"]
        read_only_fields = fields

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, case: Case) -> Any:
        entries = case.timeline.select_related("actor").order_by("-at", "-id")[:TIMELINE_LENGTH]
        return TimelineEntrySerializer(entries, many=True).data


class TransitionOptionSerializer(serializers.Serializer):
    """A step this user may take now; it succeeds only when `unmet_guards` is empty."""

    name = serializers.CharField(source="transition.name")
    label = serializers.CharField(source="transition.label")
    to = serializers.SerializerMethodField(help_text=gettext_lazy("The status it leads to."))
    needs_reason = serializers.BooleanField(source="transition.needs_reason")
    asks_comment = serializers.BooleanField(
        source="transition.asks_comment",
        help_text=gettext_lazy("Offers an optional comment, sent as `reason` and kept on the "
                               "timeline."))
    danger = serializers.BooleanField(
        source="transition.danger",
        help_text=gettext_lazy("Ends or suspends the return: ask for confirmation."))
    unmet_guards = serializers.ListField(
        source="unmet", child=serializers.CharField(),
        help_text=gettext_lazy("What is missing, in plain words (a reason is not listed)."))

    @extend_schema_field(EnumField(Status, name="CaseStatus"))
    def get_to(self, option: Option) -> str:
        return workflow.target_status(option.transition, self.context["case"])
