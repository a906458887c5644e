"""Survey responses, their scores and the instruments in the API. Input serializers
validate only; the views hand `validated_data` to surveys.services.record_response."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.lib.api_serializers import EnumField, StrictFieldsMixin
from retorno.surveys.models import (
    Instrument,
    InstrumentVersion,
    Purpose,
    Round,
    Source,
    SurveyResponse,
)


class DimensionScoreSerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True, help_text=gettext_lazy(
        "0 to 1; null when the answered indicators carry less of the dimension's weight "
        "than the missing-answer rule asks."))
    coverage = serializers.FloatField(help_text=gettext_lazy(
        "The share of the dimension's indicator weight that was answered (0 to 1)."))
    weight = serializers.FloatField(help_text=gettext_lazy(
        "The dimension's weight in the composite."))


class IndicatorScoreSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=gettext_lazy(
        "The mean of its answered questions' coded values; null when missing (never 0)."))
    weight = serializers.FloatField(help_text=gettext_lazy("Its weight in its dimension."))
    contribution = serializers.FloatField(allow_null=True, help_text=gettext_lazy(
        "value × its re-normalised weight in its dimension × the dimension's share of "
        "the composite; null when missing or when its dimension has no score."))


class RuleSerializer(serializers.Serializer):
    min_coverage = serializers.FloatField()


class BreakdownSerializer(serializers.Serializer):
    dimensions = serializers.DictField(child=DimensionScoreSerializer())
    composite = serializers.FloatField(allow_null=True)
    indicators = serializers.DictField(child=IndicatorScoreSerializer())
    missing = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "The codes of the indicators with no usable answer."))
    rule = RuleSerializer()


class SurveyResponseSerializer(serializers.ModelSerializer):
    """A response with its scores (the list)."""

    instrument = serializers.CharField(source="version.instrument.code", help_text=(
        gettext_lazy("The instrument's code.")))
    version = serializers.IntegerField(source="version.number", help_text=gettext_lazy(
        "The number of the instrument's version it was collected and scored with."))
    version_id = serializers.IntegerField(source="version.pk")
    round = EnumField(Round, name="SurveyRound")
    source = EnumField(Source, name="SurveySource")
    respondent = serializers.SerializerMethodField(help_text=gettext_lazy(
        "The person id of the case member who answered; null when not recorded."))
    dimensions = serializers.SerializerMethodField(help_text=gettext_lazy(
        "Each dimension's score (0 to 1), null when there were not enough answers."))
    client_key = serializers.CharField(source="submission_id")

    class Meta:
        model = SurveyResponse
        fields = ["id", "instrument", "version", "version_id", "round", "collected_on",
                  "months_since_return", "respondent", "source", "client_key", "composite",
                  "dimensions", "recorded_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_respondent(self, response: SurveyResponse) -> int | None:
        return response.respondent.person_id if response.respondent else None

    @extend_schema_field(serializers.DictField(
        child=serializers.FloatField(allow_null=True)))
    def get_dimensions(self, response: SurveyResponse) -> dict[str, float | None]:
        return {code: value.get("score")
                for code, value in (response.breakdown.get("dimensions") or {}).items()}


class SurveyResponseDetailSerializer(SurveyResponseSerializer):
    """A response with its answers and the whole breakdown of its scores."""

    weights_provisional = serializers.BooleanField(source="version.weights_provisional")
    answers = serializers.DictField(child=serializers.CharField(), help_text=gettext_lazy(
        "Question name → option name (or the number, text or date given)."))
    breakdown = BreakdownSerializer()
    case = serializers.CharField(source="case.reference")

    class Meta(SurveyResponseSerializer.Meta):
        fields = [*SurveyResponseSerializer.Meta.fields, "case", "weights_provisional",
                  "answers", "breakdown"]
        read_only_fields = fields


class SurveyResponseCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    instrument = serializers.SlugField(required=False, help_text=gettext_lazy(
        "The instrument's code: the response is recorded with its current version. Give "
        "this or version_id."))
    version_id = serializers.IntegerField(required=False, help_text=gettext_lazy(
        "A version's id, to record with a version other than the current one."))
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True),
        help_text=gettext_lazy("Question name → option name for select_one questions, or "
                               "the whole number, text or date (YYYY-MM-DD). Unanswered "
                               "questions may be left out."))
    collected_on = serializers.DateField()
    respondent = serializers.IntegerField(required=False, allow_null=True,
                                          help_text=gettext_lazy(
                                              "The person id of the case member who "
                                              "answered."))
    client_key = serializers.CharField(max_length=120, help_text=gettext_lazy(
        "An identifier you choose for this submission (e.g. a UUID): sending the same "
        "again records nothing new and returns the response already recorded."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("instrument" in attrs) == ("version_id" in attrs):
            raise serializers.ValidationError(
                {"instrument": [_("Give either the instrument's code or a version_id, "
                                  "not both and not neither.")]})
        return attrs


class VersionSerializer(serializers.ModelSerializer):
    definition = serializers.JSONField(help_text=gettext_lazy(
        "The whole definition: questions, options with their coded values, indicators, "
        "dimensions, weights and the missing-answer rule."))

    class Meta:
        model = InstrumentVersion
        fields = ["id", "number", "weights_provisional", "source_name", "loaded_at",
                  "definition"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer):
    purpose = EnumField(Purpose, name="SurveyPurpose")
    versions = VersionSerializer(many=True)

    class Meta:
        model = Instrument
        fields = ["code", "name", "purpose", "versions"]
        read_only_fields = fields
