"""Fitness to travel in the API. Input serializers validate only; the views hand
`validated_data` to medical.services. `detail` is for the medical officer: the output
serializer shows it only when the view has put `show_detail` (from
medical.policy.can_view_detail) in the context."""

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin
from retorno.medical.models import FitnessAssessment, Outcome, SpecialNeed

_DETAIL_HELP = gettext_lazy("Diagnosis, medication, clinician's notes. For the medical "
                            "officer only: present only for roles that may read it.")
_ESCORT_HELP = gettext_lazy("Always true when the outcome is `fit_with_escort`.")
_OTHER_HELP = gettext_lazy("Required with the special need `other`, and only then.")


def _needs(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=EnumField(SpecialNeed, name="FitnessSpecialNeed"),
                                 **kwargs)


class AssessmentInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A new assessment of one member of the case."""

    person_id = serializers.IntegerField(help_text=gettext_lazy("A member of the case."))
    outcome = EnumField(Outcome, name="FitnessOutcome")
    special_needs = _needs(required=False)
    special_needs_other = serializers.CharField(max_length=200, required=False,
                                                allow_blank=True, help_text=_OTHER_HELP)
    escort_required = serializers.BooleanField(required=False, help_text=_ESCORT_HELP)
    assessed_on = serializers.DateField(help_text=gettext_lazy("YYYY-MM-DD, not in the "
                                                               "future."))
    detail = serializers.CharField(required=False, allow_blank=True, help_text=_DETAIL_HELP)


class AssessmentPatchSerializer(NeverPartialMixin, StrictFieldsMixin, serializers.Serializer):
    """Send only the fields that change, and the `version` the change is based on."""

    outcome = EnumField(Outcome, name="FitnessOutcome", required=False)
    special_needs = _needs(required=False)
    special_needs_other = serializers.CharField(max_length=200, required=False,
                                                allow_blank=True, help_text=_OTHER_HELP)
    escort_required = serializers.BooleanField(required=False, help_text=_ESCORT_HELP)
    assessed_on = serializers.DateField(required=False)
    detail = serializers.CharField(required=False, allow_blank=True, help_text=_DETAIL_HELP)
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("The version you read; refused with 409 if it is "
                                            "no longer the current one."))


class AssessmentSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(source="person.display_name", read_only=True)
    outcome = EnumField(Outcome, name="FitnessOutcome", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    special_needs = _needs(read_only=True)
    assessed_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               help_text=gettext_lazy("Username."))
    current = serializers.SerializerMethodField(
        help_text=gettext_lazy("True for each member's current assessment (the newest); "
                               "the others are its history."))
    # Not read-only on purpose: the schema then marks it optional, as it is.
    detail = serializers.CharField(required=False, help_text=_DETAIL_HELP)

    class Meta:
        model = FitnessAssessment
        fields = ["id", "person_id", "display_name", "outcome", "outcome_label",
                  "special_needs", "special_needs_other", "escort_required", "assessed_on",
                  "assessed_by", "detail", "current", "created_at", "updated_at", "version"]
        read_only_fields = [f for f in fields if f != "detail"]

    def get_current(self, instance: FitnessAssessment) -> bool:
        return instance.pk in self.context.get("current_ids", set())

    def to_representation(self, instance: FitnessAssessment) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Default deny: without an explicit yes from the policy, the detail is left out.
        if not self.context.get("show_detail", False):
            data.pop("detail", None)
        return data
