"""Counselling sessions in the API. Input serializers validate only; the views hand
`validated_data` to counselling.services. `notes` are for the case team: the output
serializer shows them only when the view has put `show_notes` (from
counselling.policy.can_read_notes) in the context."""

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.counselling.models import (
    CounsellingSession,
    Mode,
    Position,
    Topic,
    validate_language,
)
from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin

_LANGUAGE_HELP = gettext_lazy("ISO 639-3 code, e.g. arb.")
_NOTES_HELP = gettext_lazy("For the case team only: present only for roles that may read "
                           "them.")


def _topics(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=EnumField(Topic, name="CounsellingTopic"), **kwargs)


class SessionInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A new counselling session."""

    date = serializers.DateField()
    mode = EnumField(Mode, name="CounsellingMode")
    language = serializers.CharField(max_length=3, validators=[validate_language],
                                     help_text=_LANGUAGE_HELP)
    interpreter = serializers.CharField(max_length=200, required=False, allow_blank=True)
    topics = _topics(required=False)
    materials = serializers.CharField(required=False, allow_blank=True)
    position = EnumField(Position, name="CounsellingPosition")
    notes = serializers.CharField(required=False, allow_blank=True, help_text=_NOTES_HELP)


class SessionPatchSerializer(NeverPartialMixin, StrictFieldsMixin, serializers.Serializer):
    """Send only the fields that change, and the `version` the change is based on."""

    date = serializers.DateField(required=False)
    mode = EnumField(Mode, name="CounsellingMode", required=False)
    language = serializers.CharField(max_length=3, validators=[validate_language],
                                     required=False, help_text=_LANGUAGE_HELP)
    interpreter = serializers.CharField(max_length=200, required=False, allow_blank=True)
    topics = _topics(required=False)
    materials = serializers.CharField(required=False, allow_blank=True)
    position = EnumField(Position, name="CounsellingPosition", required=False)
    notes = serializers.CharField(required=False, allow_blank=True, help_text=_NOTES_HELP)
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("The version you read; refused with 409 if it is "
                                            "no longer the current one."))


class SessionSerializer(serializers.ModelSerializer):
    mode = EnumField(Mode, name="CounsellingMode", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    topics = _topics(read_only=True)
    position = EnumField(Position, name="CounsellingPosition", read_only=True)
    position_label = serializers.CharField(source="get_position_display", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True,
                                               help_text=gettext_lazy("Username."))
    # Not read-only on purpose: the schema then marks it optional, as it is.
    notes = serializers.CharField(required=False, help_text=_NOTES_HELP)

    class Meta:
        model = CounsellingSession
        fields = ["id", "date", "mode", "mode_label", "language", "interpreter", "topics",
                  "materials", "position", "position_label", "notes", "recorded_by",
                  "created_at", "updated_at", "version"]
        read_only_fields = ["id", "date", "mode", "mode_label", "language", "interpreter",
                            "topics", "materials", "position", "position_label",
                            "recorded_by", "created_at", "updated_at", "version"]

    def to_representation(self, instance: CounsellingSession) -> dict[str, Any]:
        data = super().to_representation(instance)
        # Default deny: without an explicit yes from the policy, the notes are left out.
        if not self.context.get("show_notes", False):
            data.pop("notes", None)
        return data
