"""Monitoring schedules and visits in the API. Input serializers validate only; the
views hand `validated_data` to monitoring.services. A visit's notes are null for readers
without protection rights (`policy.can_read_notes`, passed as `read_notes` in the
context)."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin
from retorno.monitoring.models import (
    ExpectedMode,
    MonitoringVisit,
    Outcome,
    ScheduleStep,
    VisitMode,
)

_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")
_NOTES_HELP = gettext_lazy("Protection detail: null unless you may read it.")


class StepSerializer(serializers.ModelSerializer):
    mode = EnumField(ExpectedMode, name="MonitoringExpectedMode")

    class Meta:
        model = ScheduleStep
        fields = ["id", "months_after_arrival", "label", "mode", "instrument", "window_days"]
        read_only_fields = fields


class ScheduleSerializer(serializers.Serializer):
    programme = serializers.CharField(help_text=gettext_lazy("The programme's code."))
    version = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "The schedule's version; null while the programme has none."))
    steps = StepSerializer(many=True)


class StepInputSerializer(StrictFieldsMixin, serializers.Serializer):
    months_after_arrival = serializers.IntegerField(help_text=gettext_lazy("1 to 120."))
    label = serializers.CharField(max_length=100, required=False, allow_blank=True)
    mode = EnumField(ExpectedMode, name="MonitoringExpectedMode", required=False)
    instrument = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                       help_text=gettext_lazy(
                                           "A survey instrument's code, or blank."))
    window_days = serializers.IntegerField(required=False, help_text=gettext_lazy(
        "Days either side of the due date; 0 to 365, 30 when not given."))


class ScheduleInputSerializer(StrictFieldsMixin, serializers.Serializer):
    steps = StepInputSerializer(many=True)
    version = serializers.IntegerField(allow_null=True, help_text=gettext_lazy(
        "The version you read (null when the programme had no schedule); refused with 409 "
        "if it is no longer the current one."))


class VisitSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True)
    step = serializers.IntegerField(source="step_id", allow_null=True, help_text=gettext_lazy(
        "The schedule step it was for; null outside the schedule."))
    mode = EnumField(VisitMode, name="MonitoringVisitMode")
    outcome = EnumField(Outcome, name="MonitoringOutcome")
    conclusive = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "Whether the outcome settles the step (reached, migrated again, declined, "
        "deceased)."))
    notes = serializers.SerializerMethodField(help_text=_NOTES_HELP)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MonitoringVisit
        fields = ["id", "case", "step", "contact_on", "mode", "outcome", "conclusive",
                  "migrated_to_country", "notes", "recorded_by", "recorded_at", "version"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_notes(self, visit: MonitoringVisit) -> Any:
        return visit.notes if self.context.get("read_notes") else None


class _VisitFields(serializers.Serializer):
    step = serializers.IntegerField(required=False, allow_null=True, help_text=gettext_lazy(
        "The id of a step of the case's programme schedule; null outside the schedule."))
    contact_on = serializers.DateField(help_text=gettext_lazy(
        "Not in the future, not before the arrival."))
    mode = EnumField(VisitMode, name="MonitoringVisitMode")
    outcome = EnumField(Outcome, name="MonitoringOutcome")
    migrated_to_country = serializers.CharField(
        max_length=3, required=False, allow_blank=True, help_text=gettext_lazy(
            "ISO 3166 alpha-3, only when the returnee has migrated again."))
    notes = serializers.CharField(required=False, allow_blank=True, help_text=_NOTES_HELP)


class VisitCreateSerializer(StrictFieldsMixin, _VisitFields):
    pass


class VisitPatchSerializer(NeverPartialMixin, StrictFieldsMixin, _VisitFields):
    """Send only the fields that change, and the `version` the change is based on."""

    contact_on = serializers.DateField(required=False)
    mode = EnumField(VisitMode, name="MonitoringVisitMode", required=False)
    outcome = EnumField(Outcome, name="MonitoringOutcome", required=False)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)
