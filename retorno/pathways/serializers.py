"""Alternative pathways in the API. Input serializers validate only; the views hand
`validated_data` to pathways.services."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.lib.api_serializers import EnumField, StrictFieldsMixin
from retorno.lib.codes import validate_country
from retorno.pathways.models import Kind, Pathway, PathwayChange, PathwayStatus

_COUNTRY_HELP = gettext_lazy("ISO 3166 alpha-3 code, e.g. SWE. Required for settlement in a "
                             "third country; empty for local integration.")


class PathwayInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A proposed pathway."""

    kind = EnumField(Kind, name="PathwayKind")
    third_country = serializers.CharField(max_length=3, required=False, allow_blank=True,
                                          help_text=_COUNTRY_HELP)
    receiving_organisation = serializers.CharField(max_length=200)
    referred_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True)

    def validate_third_country(self, value: str) -> str:
        value = value.strip().upper()
        if value:
            validate_country(value)
        return value


class StatusChangeInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """The pathway's next status, and the `version` the change is based on."""

    status = EnumField(PathwayStatus, name="PathwayStatus")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("The version you read; refused with 409 if it is "
                                            "no longer the current one."))


class PathwayChangeSerializer(serializers.ModelSerializer):
    from_status = EnumField(PathwayStatus, name="PathwayStatus", allow_null=True,
                            read_only=True)
    to_status = EnumField(PathwayStatus, name="PathwayStatus", read_only=True)
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True,
                                      help_text=gettext_lazy("Username."))

    class Meta:
        model = PathwayChange
        fields = ["from_status", "to_status", "at", "by", "comment"]
        read_only_fields = fields


class PathwaySerializer(serializers.ModelSerializer):
    kind = EnumField(Kind, name="PathwayKind", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = EnumField(PathwayStatus, name="PathwayStatus", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True,
                                               help_text=gettext_lazy("Username."))
    history = PathwayChangeSerializer(source="changes", many=True, read_only=True)

    class Meta:
        model = Pathway
        fields = ["id", "kind", "kind_label", "third_country", "receiving_organisation",
                  "referred_on", "notes", "status", "status_label", "proposed_by",
                  "history", "created_at", "updated_at", "version"]
        read_only_fields = fields
