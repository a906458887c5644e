"""Return suspensions in the API. Input serializers validate only; the views hand
`validated_data` to suspensions.services."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.lib.api_serializers import StrictFieldsMixin
from retorno.lib.codes import validate_country
from retorno.suspensions.models import ReturnSuspension


class SuspensionInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A new suspension of returns to a country, or to one of its subdivisions."""

    country = serializers.CharField(max_length=3, validators=[validate_country],
                                    help_text=gettext_lazy("ISO 3166-1 alpha-3 code, e.g. "
                                                           "IRQ."))
    subdivision = serializers.CharField(
        max_length=10, required=False, allow_blank=True,
        help_text=gettext_lazy("ISO 3166-2 code of a subdivision of the country, e.g. "
                               "IQ-BG; empty or left out: the whole country."))
    reason = serializers.CharField(max_length=2000)
    starts_on = serializers.DateField(required=False, help_text=gettext_lazy(
        "YYYY-MM-DD; today when left out."))
    ends_on = serializers.DateField(required=False, allow_null=True, help_text=gettext_lazy(
        "YYYY-MM-DD, the last day of the suspension; null or left out: until lifted."))


class LiftInputSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=gettext_lazy(
        "Why the suspension is lifted."))
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("The version you read; refused with 409 if it is "
                                            "no longer the current one."))


class SuspensionSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(
        choices=["active", "scheduled", "ended", "lifted"], read_only=True,
        help_text=gettext_lazy("Today: `active` blocks ready_to_travel; `scheduled` has not "
                               "started yet; `ended` and `lifted` are past."))
    destination = serializers.CharField(source="destination_label", read_only=True)
    set_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                          help_text=gettext_lazy("Username."))
    lifted_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                             allow_null=True,
                                             help_text=gettext_lazy("Username."))

    class Meta:
        model = ReturnSuspension
        fields = ["id", "country", "subdivision", "destination", "reason", "starts_on",
                  "ends_on", "state", "set_by", "set_at", "lifted_at", "lifted_by",
                  "lift_reason", "updated_at", "version"]
        read_only_fields = fields
