"""Handover and reception in the API. Input serializers validate only; the views hand
`validated_data` to reception.services."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.cases.models import Status
from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin
from retorno.reception.models import Reception

_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")
_MONEY_HELP = gettext_lazy("A decimal string, with at most as many decimals as the "
                           "currency has minor units; give it with its currency, or "
                           "neither.")


class ReceptionSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True,
                                 help_text=gettext_lazy("The case's reference."))
    accepted_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               help_text=gettext_lazy("Username."))
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              help_text=gettext_lazy("Username."))

    class Meta:
        model = Reception
        fields = ["case", "accepted_at", "accepted_by", "meet_at_airport", "met_by",
                  "accommodation", "inland_transport", "final_destination", "pocket_money",
                  "pocket_money_currency", "arrived_on", "met_on_arrival",
                  "pocket_money_paid_on", "arrival_notes", "version", "updated_at",
                  "updated_by"]
        read_only_fields = fields


class PlanPatchSerializer(NeverPartialMixin, StrictFieldsMixin, serializers.Serializer):
    """Send only the fields that change, and the `version` the change is based on."""

    meet_at_airport = serializers.BooleanField(required=False)
    met_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    accommodation = serializers.CharField(required=False, allow_blank=True)
    inland_transport = serializers.CharField(required=False, allow_blank=True)
    final_destination = serializers.CharField(max_length=200, required=False,
                                              allow_blank=True)
    pocket_money = serializers.DecimalField(max_digits=12, decimal_places=3, required=False,
                                            allow_null=True, help_text=_MONEY_HELP)
    pocket_money_currency = serializers.CharField(
        max_length=3, required=False, allow_blank=True,
        help_text=gettext_lazy("ISO 4217 code, e.g. IQD; empty with no pocket money."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class ArrivalPatchSerializer(NeverPartialMixin, StrictFieldsMixin, serializers.Serializer):
    """Send only the fields that change, and the `version` the change is based on."""

    arrived_on = serializers.DateField(
        required=False, allow_null=True,
        help_text=gettext_lazy("YYYY-MM-DD; not in the future, not before the departure."))
    met_on_arrival = serializers.BooleanField(required=False, allow_null=True)
    pocket_money_paid_on = serializers.DateField(required=False, allow_null=True)
    arrival_notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class IncomingSerializer(serializers.Serializer):
    """A case handed over to one of your offices, not yet in reintegration."""

    reference = serializers.CharField()
    status = EnumField(Status, name="CaseStatus")
    host_office = serializers.CharField(help_text=gettext_lazy("The host office's code."))
    origin_office = serializers.CharField(help_text=gettext_lazy("Your office's code."))
    handed_over_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("Null until the handover is accepted."))
    accepted_by = serializers.CharField(allow_null=True,
                                        help_text=gettext_lazy("Username."))
    arrived_on = serializers.DateField(allow_null=True)
    departs_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy(
            "The first leg's departure of the booked itinerary, for roles that read "
            "itineraries; null otherwise."))
    arrives_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy(
            "The last leg's arrival of the booked itinerary, for roles that read "
            "itineraries; null otherwise."))
