"""Reintegration plans and community projects in the API. Input serializers validate
only; the views hand `validated_data` to reintegration.services. Output is shaped from
the rows the views read through reintegration.policy; the needs assessment's notes are
null for readers without protection rights (`policy.can_read_notes`)."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin
from retorno.reintegration.models import (
    DIMENSION_OF,
    AssistanceItem,
    CommunityProject,
    Delivery,
    Dimension,
    ItemKind,
    Level,
    Milestone,
    PlanStatus,
    ProjectStatus,
    Rating,
    ReintegrationPlan,
)

_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")
_MONEY_HELP = gettext_lazy("A decimal string, in the programme's currency, with at most as "
                           "many decimals as the currency has minor units.")
_NOTES_HELP = gettext_lazy("Protection detail: null unless you may read it.")


class ItemSerializer(serializers.ModelSerializer):
    kind = EnumField(ItemKind, name="AssistanceKind")
    dimension = serializers.SerializerMethodField()
    beneficiary = serializers.IntegerField(
        source="beneficiary_id", allow_null=True,
        help_text=gettext_lazy("The person id of the member it is for; null: the family."))
    provider = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True,
        help_text=gettext_lazy("The partner's id, when the provider is in the directory."))
    delivery = EnumField(Delivery, name="AssistanceDelivery")
    spent = serializers.SerializerMethodField(help_text=gettext_lazy(
        "What its paid disbursements add up to, as a decimal string."))

    class Meta:
        model = AssistanceItem
        fields = ["id", "kind", "dimension", "description", "beneficiary", "provider",
                  "provider_name", "cost", "spent", "delivery", "delivered_on", "version"]
        read_only_fields = fields

    @extend_schema_field(EnumField(Dimension, name="ReintegrationDimension"))
    def get_dimension(self, item: AssistanceItem) -> str:
        return DIMENSION_OF[ItemKind(item.kind)].value

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=3))
    def get_spent(self, item: AssistanceItem) -> str:
        spent = self.context.get("spent", {}).get(item.pk)
        return f"{spent:.3f}" if spent is not None else "0.000"


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "reached_on", "note", "version"]
        read_only_fields = fields


class ReintegrationPlanSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True,
                                 help_text=gettext_lazy("The case's reference."))
    level = EnumField(Level, name="PlanLevel")
    status = EnumField(PlanStatus, name="PlanStatus")
    economic_needs = EnumField(Rating, name="NeedsRating", allow_null=True)
    social_needs = EnumField(Rating, name="NeedsRating", allow_null=True)
    psychosocial_needs = EnumField(Rating, name="NeedsRating", allow_null=True)
    economic_notes = serializers.CharField(allow_null=True, help_text=_NOTES_HELP)
    social_notes = serializers.CharField(allow_null=True, help_text=_NOTES_HELP)
    psychosocial_notes = serializers.CharField(allow_null=True, help_text=_NOTES_HELP)
    returnee_view = serializers.CharField(allow_null=True, help_text=_NOTES_HELP)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    items = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField(help_text=gettext_lazy(
        "The items' total, as a decimal string."))
    ceiling = serializers.SerializerMethodField(help_text=gettext_lazy(
        "The case's reintegration ceiling under its programme's package (budget and "
        "top-ups); null when the programme has no package."))
    currency = serializers.SerializerMethodField(help_text=gettext_lazy(
        "The programme's currency (ISO 4217)."))

    class Meta:
        model = ReintegrationPlan
        fields = ["case", "level", "assessed_on", "economic_needs", "economic_notes",
                  "social_needs", "social_notes", "psychosocial_needs", "psychosocial_notes",
                  "returnee_view", "status", "approved_at", "approved_by", "created_at",
                  "created_by", "items", "milestones", "total", "ceiling", "currency",
                  "version", "updated_at"]
        read_only_fields = fields

    def to_representation(self, plan: ReintegrationPlan) -> dict[str, Any]:
        data = super().to_representation(plan)
        if not self.context.get("read_notes"):
            for name in ("economic_notes", "social_notes", "psychosocial_notes",
                         "returnee_view"):
                data[name] = None
        return data

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, plan: ReintegrationPlan) -> list[dict[str, Any]]:
        return ItemSerializer(self.context["items"], many=True, context=self.context).data

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, plan: ReintegrationPlan) -> list[dict[str, Any]]:
        return MilestoneSerializer(self.context["milestones"], many=True).data

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=3))
    def get_total(self, plan: ReintegrationPlan) -> str:
        return f"{self.context['total']:.3f}"

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=3,
                                                  allow_null=True))
    def get_ceiling(self, plan: ReintegrationPlan) -> str | None:
        ceiling = self.context["ceiling"]
        return f"{ceiling:.3f}" if ceiling is not None else None

    def get_currency(self, plan: ReintegrationPlan) -> str:
        return self.context["currency"]


class _PlanFields(serializers.Serializer):
    level = EnumField(Level, name="PlanLevel", required=False)
    assessed_on = serializers.DateField(
        required=False, allow_null=True,
        help_text=gettext_lazy("YYYY-MM-DD; not in the future, not before the arrival."))
    economic_needs = EnumField(Rating, name="NeedsRating", required=False,
                                             allow_blank=True)
    economic_notes = serializers.CharField(required=False, allow_blank=True)
    social_needs = EnumField(Rating, name="NeedsRating", required=False,
                                           allow_blank=True)
    social_notes = serializers.CharField(required=False, allow_blank=True)
    psychosocial_needs = EnumField(Rating, name="NeedsRating", required=False,
                                                 allow_blank=True)
    psychosocial_notes = serializers.CharField(required=False, allow_blank=True)
    returnee_view = serializers.CharField(required=False, allow_blank=True)


class ReintegrationPlanStartSerializer(StrictFieldsMixin, _PlanFields):
    """Whatever of the needs assessment is known when the plan is started."""


class ReintegrationPlanPatchSerializer(NeverPartialMixin, StrictFieldsMixin, _PlanFields):
    """Send only the fields that change, and the `version` the change is based on."""

    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class _ItemFields(serializers.Serializer):
    kind = EnumField(ItemKind, name="AssistanceKind")
    description = serializers.CharField(max_length=300)
    beneficiary = serializers.IntegerField(
        required=False, allow_null=True,
        help_text=gettext_lazy("The person id of a member of the case; null: the family."))
    provider = serializers.IntegerField(
        required=False, allow_null=True,
        help_text=gettext_lazy("The id of an active partner in the directory."))
    provider_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                          help_text=gettext_lazy(
                                              "Another provider, not in the directory."))
    cost = serializers.DecimalField(max_digits=14, decimal_places=3, help_text=_MONEY_HELP)


class ItemCreateSerializer(StrictFieldsMixin, _ItemFields):
    pass


class ItemPatchSerializer(NeverPartialMixin, StrictFieldsMixin, _ItemFields):
    """Send only the fields that change, and the `version` the change is based on."""

    kind = EnumField(ItemKind, name="AssistanceKind", required=False)
    description = serializers.CharField(max_length=300, required=False)
    cost = serializers.DecimalField(max_digits=14, decimal_places=3, required=False,
                                    help_text=_MONEY_HELP)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class DeliveryInputSerializer(StrictFieldsMixin, serializers.Serializer):
    delivery = EnumField(Delivery, name="AssistanceDelivery")
    delivered_on = serializers.DateField(
        required=False, allow_null=True,
        help_text=gettext_lazy("Needed when delivered; not in the future."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class _MilestoneFields(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    reached_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class MilestoneCreateSerializer(StrictFieldsMixin, _MilestoneFields):
    pass


class MilestonePatchSerializer(NeverPartialMixin, StrictFieldsMixin, _MilestoneFields):
    """Send only the fields that change, and the `version` the change is based on."""

    title = serializers.CharField(max_length=200, required=False)
    due_on = serializers.DateField(required=False)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class PlanVersionSerializer(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class ReopenSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True,
                                   help_text=gettext_lazy("Why the plan is reopened."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


# ---- community projects --------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    office = serializers.CharField(source="office.code", read_only=True,
                                   help_text=gettext_lazy("The office's code."))
    programme = serializers.CharField(source="programme.code", read_only=True,
                                      help_text=gettext_lazy("The programme's code."))
    partner = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    status = EnumField(ProjectStatus, name="CommunityProjectStatus")
    linked_cases = serializers.SerializerMethodField(help_text=gettext_lazy(
        "The references of the linked cases you may see."))
    linked_count = serializers.IntegerField(source="linked", read_only=True,
                                            help_text=gettext_lazy(
                                                "How many cases are linked in all."))

    class Meta:
        model = CommunityProject
        fields = ["id", "office", "programme", "name", "description", "country",
                  "subdivision", "place", "budget", "currency", "partner", "status",
                  "starts_on", "ends_on", "returnees_taking_part",
                  "community_members_taking_part", "linked_count", "linked_cases",
                  "version", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_linked_cases(self, project: CommunityProject) -> list[str]:
        return self.context.get("linked", {}).get(project.pk, [])


class _ProjectFields(serializers.Serializer):
    office = serializers.CharField(
        required=False, help_text=gettext_lazy(
            "The code of an office where you keep projects; yours when you have one."))
    programme = serializers.CharField(help_text=gettext_lazy("The programme's code."))
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(max_length=3, help_text=gettext_lazy(
        "ISO 3166-1 alpha-3."))
    subdivision = serializers.CharField(max_length=10, required=False, allow_blank=True,
                                        help_text=gettext_lazy("ISO 3166-2, e.g. IQ-BG."))
    place = serializers.CharField(max_length=200)
    budget = serializers.DecimalField(max_digits=14, decimal_places=3, help_text=gettext_lazy(
        "A decimal string, in the project's currency."))
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True,
                                     help_text=gettext_lazy(
                                         "ISO 4217; empty: the programme's currency."))
    partner = serializers.IntegerField(required=False, allow_null=True,
                                       help_text=gettext_lazy("The partner's id."))
    status = EnumField(ProjectStatus, name="CommunityProjectStatus", required=False)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    returnees_taking_part = serializers.IntegerField(min_value=0, required=False)
    community_members_taking_part = serializers.IntegerField(min_value=0, required=False)


class ProjectCreateSerializer(StrictFieldsMixin, _ProjectFields):
    pass


class ProjectPatchSerializer(NeverPartialMixin, StrictFieldsMixin, _ProjectFields):
    """Send only the fields that change, and the `version` the change is based on."""

    programme = serializers.CharField(required=False,
                                      help_text=gettext_lazy("The programme's code."))
    name = serializers.CharField(max_length=200, required=False)
    country = serializers.CharField(max_length=3, required=False)
    place = serializers.CharField(max_length=200, required=False)
    budget = serializers.DecimalField(max_digits=14, decimal_places=3, required=False)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)
