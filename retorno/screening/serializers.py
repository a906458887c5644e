"""Screenings in the API. The input serializer validates only; the view hands its data to
screening.services. Answers, flags, proposals and observations are protection detail: the
output serializer shows them only when the view has put `show_detail` (from
screening.policy.can_read_detail) in the context."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.cases.models import Vulnerability
from retorno.lib.api_serializers import EnumField, StrictFieldsMixin
from retorno.screening import questionnaire as q
from retorno.screening.models import (
    BestInterestDetermination,
    BidDecision,
    Screening,
    validate_decided_not_future,
    validate_not_future,
)

_DETAIL_HELP = gettext_lazy("Protection detail: present only for roles that may read it.")


def _answer(**kwargs: Any) -> EnumField:
    return EnumField(q.Answer, name="ScreeningAnswer", **kwargs)


class ScreeningAnswersSerializer(StrictFieldsMixin, serializers.Serializer):
    """One answer per question of the questionnaire (yes, no or unknown)."""

    answers_read_only = False

    def get_fields(self) -> dict[str, serializers.Field]:
        return {question.code: _answer(help_text=question.text,
                                       read_only=self.answers_read_only)
                for question in q.QUESTIONS}


class ScreeningAnswersOutSerializer(ScreeningAnswersSerializer):
    """The answers of a screening, by question code."""

    answers_read_only = True


class ScreeningInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A screening of one member of the case."""

    person_id = serializers.IntegerField(help_text=gettext_lazy("The member screened."))
    screened_on = serializers.DateField(required=False, validators=[validate_not_future],
                                        help_text=gettext_lazy("Default: today."))
    answers = ScreeningAnswersSerializer()
    notes = serializers.CharField(required=False, allow_blank=True,
                                  help_text=gettext_lazy("Observations. ") + _DETAIL_HELP)


class ScreeningProposalSerializer(serializers.Serializer):
    flag = EnumField(Vulnerability, read_only=True)
    kind = EnumField(q.ProposalKind, name="ScreeningProposalKind", read_only=True)
    action = serializers.CharField(read_only=True)


class ScreeningSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(source="person.display_name", read_only=True)
    screened_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               help_text=gettext_lazy("Username."))
    # Not read-only on purpose: the schema then marks them optional, as they are.
    answers = ScreeningAnswersOutSerializer(required=False, help_text=_DETAIL_HELP)
    flags = serializers.ListField(child=EnumField(Vulnerability), required=False,
                                  help_text=_DETAIL_HELP)
    proposals = serializers.SerializerMethodField(help_text=_DETAIL_HELP)
    notes = serializers.CharField(required=False, help_text=_DETAIL_HELP)

    class Meta:
        model = Screening
        fields = ["id", "person_id", "display_name", "screened_on", "screened_by", "answers",
                  "flags", "proposals", "notes", "created_at"]
        read_only_fields = ["id", "person_id", "display_name", "screened_on", "screened_by",
                            "created_at"]

    @extend_schema_field(ScreeningProposalSerializer(many=True, required=False))
    def get_proposals(self, screening: Screening) -> list[dict[str, str]]:
        return [{"flag": p["flag"], "kind": p["kind"], "action": p["action"]}
                for p in screening.proposal_rows()]

    def to_representation(self, instance: Screening) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Default deny: without an explicit yes from the policy, the detail is left out.
        if not self.context.get("show_detail", False):
            for name in ("answers", "flags", "proposals", "notes"):
                data.pop(name, None)
        return data


class BidInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A best-interest determination for one unaccompanied or separated child."""

    person_id = serializers.IntegerField(help_text=gettext_lazy("The child."))
    decided_on = serializers.DateField(required=False,
                                       validators=[validate_decided_not_future],
                                       help_text=gettext_lazy("Default: today."))
    decision = EnumField(BidDecision, name="BidDecision")
    panel = serializers.CharField(max_length=200, help_text=gettext_lazy(
        "The panel or decision-maker."))
    guardian_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                          help_text=gettext_lazy("The child's guardian."))
    reasons = serializers.CharField(required=False, allow_blank=True,
                                    help_text=gettext_lazy("Summary of reasons. ")
                                    + _DETAIL_HELP)


class BidSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(source="person.display_name", read_only=True)
    decision = EnumField(BidDecision, name="BidDecision", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               help_text=gettext_lazy("Username."))
    # Not read-only on purpose: the schema then marks it optional, as it is.
    reasons = serializers.CharField(required=False, help_text=_DETAIL_HELP)

    class Meta:
        model = BestInterestDetermination
        fields = ["id", "person_id", "display_name", "decided_on", "decision", "panel",
                  "guardian_name", "reasons", "recorded_by", "version", "created_at"]
        read_only_fields = ["id", "person_id", "display_name", "decided_on", "panel",
                            "guardian_name", "recorded_by", "version", "created_at"]

    def to_representation(self, instance: BestInterestDetermination) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Default deny: without an explicit yes from the policy, the reasons are left out.
        if not self.context.get("show_detail", False):
            data.pop("reasons", None)
        return data
