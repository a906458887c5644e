"""Serializer helpers shared by every app's API. They know no domain.

API serializers only parse and validate input and shape output: writes go through the
services, so no serializer here or in an app ever calls `save()`.
"""

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class StrictFieldsMixin:
    """Refuse keys the serializer does not declare, instead of silently dropping them.

    A misspelt field (or one that can only change another way, like a case's status)
    would otherwise be ignored while the request "succeeds".
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items()  # type: ignore[attr-defined]
                        if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown field: it cannot be set here.")] for name in unknown}
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class NeverPartialMixin:
    """For PATCH bodies whose fields are each optional but whose `version` is required.

    DRF's partial mode (which drf-spectacular also applies to every PATCH body when it
    writes the schema) would make `version` optional too; these serializers declare their
    optional fields themselves and are never partial.
    """

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass


class EnumField(serializers.ChoiceField):
    """A choice from a `TextChoices`, which the schema shows as one named component.

    Every field using the same choices (a case's status, a timeline entry's from and to
    status...) then refers to the same enum, whatever the field is called. With
    `allow_null`, an empty stored value ("" on a blank=True field) is shown as null.
    """

    def __init__(self, enum: type[models.TextChoices], *, name: str | None = None,
                 **kwargs: Any) -> None:
        self.enum = enum
        self.component_name = name or enum.__name__
        super().__init__(choices=enum.choices, **kwargs)

    def to_representation(self, value: Any) -> Any:
        if value in ("", None):
            return None if self.allow_null else value
        return super().to_representation(value)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.component_name

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        enum = self.target.enum
        return {
            "type": "string",
            "enum": list(enum.values),
            "description": "\n".join(f"* `{value}` - {label}" for value, label in enum.choices),
        }


class ServiceErrorSerializer(serializers.Serializer):
    """The body of a 400, 403 or 409 refused by a service (see retorno.lib.api)."""

    detail = serializers.CharField(help_text=gettext_lazy("All messages, in one sentence."))
    errors = serializers.ListField(child=serializers.CharField())
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text=gettext_lazy("Messages per input field, when the service names the field."),
    )


class GuardsFailedSerializer(ServiceErrorSerializer):
    """A transition refused because some of its guards are unmet: all of them are listed."""

    unmet_guards = serializers.ListField(child=serializers.CharField())


class NotFoundSerializer(serializers.Serializer):
    """Missing and forbidden look the same, so a record's existence is never revealed."""

    detail = serializers.CharField()


# Answers every endpoint shares, for the schema.
REFUSED = OpenApiResponse(ServiceErrorSerializer,
                          description=gettext_lazy("Your role may not do this."))
INVALID = OpenApiResponse(description=gettext_lazy(
    "Invalid input: messages per field, or a service error (detail, errors, fields)."))


def validated(serializer: type[serializers.Serializer], request: Any) -> dict[str, Any]:
    """The request body parsed and validated by `serializer`: its validated data, or a
    400 with every field's messages (DRF's ValidationError)."""
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)
