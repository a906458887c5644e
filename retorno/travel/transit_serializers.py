"""Transit requests and departure manifests in the API. Output only, plus the confirm
body: the views hand `validated_data` to `travel.transit.confirm_transit`.

A transit request carries the movement data of its case and nothing else: names, the
legs, escorts, special needs for the journey. A cancelled one carries names and legs
only (no special needs, escorts or booking reference)."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.lib.api_serializers import EnumField, StrictFieldsMixin
from retorno.medical.models import SpecialNeed
from retorno.travel.models import EscortKind, Mode, TransitStatus

_PLACE = gettext_lazy("IATA code of the transit airport (or the place, for road and sea).")


class LocalTimeField(serializers.DateTimeField):
    """An aware datetime as the local time of its place, ISO 8601 with the UTC offset."""

    def to_representation(self, value):  # type: ignore[no-untyped-def]
        return value.isoformat()


class ConfirmInputSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text=gettext_lazy("What was done at the connection."))
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("The version you read; refused with 409 if it is "
                                            "no longer the current one."))


class TransitListItemSerializer(serializers.Serializer):
    """One line of the transit office's list."""

    id = serializers.IntegerField(source="request.pk")
    status = EnumField(TransitStatus, name="TransitStatus", source="request.status")
    office = serializers.CharField(source="request.office.code",
                                   help_text=gettext_lazy("The transit office's code."))
    place = serializers.CharField(help_text=_PLACE)
    connection_arrives_at = serializers.DateTimeField(
        source="request.leg.arrives_at",
        help_text=gettext_lazy("When the arriving leg lands at the transit point."))
    travellers = serializers.ListField(child=serializers.CharField(),
                                       help_text=gettext_lazy("Display names."))
    case_reference = serializers.CharField(help_text=gettext_lazy(
        "For reference when talking to the host office; it opens nothing here."))
    version = serializers.IntegerField(source="request.version")


class TravellerSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    display_name = serializers.CharField(source="name")
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    child = serializers.BooleanField(help_text=gettext_lazy("Under 18 on the day of the "
                                                            "connection."))
    special_needs = serializers.ListField(
        child=EnumField(SpecialNeed, name="FitnessSpecialNeed"),
        help_text=gettext_lazy("From the current fitness to travel assessment; empty for a "
                               "cancelled request."))
    special_needs_other = serializers.CharField()
    escort_required = serializers.BooleanField()


class MovementEscortSerializer(serializers.Serializer):
    kind = EnumField(EscortKind, name="EscortKind")
    name = serializers.CharField()
    organisation = serializers.CharField()


class MovementLegSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="leg.order")
    mode = EnumField(Mode, name="LegMode", source="leg.mode")
    from_code = serializers.CharField(source="leg.from_code")
    to_code = serializers.CharField(source="leg.to_code")
    from_place = serializers.CharField(source="leg.from_place")
    to_place = serializers.CharField(source="leg.to_place")
    from_country = serializers.CharField(source="leg.from_country")
    to_country = serializers.CharField(source="leg.to_country")
    from_tz = serializers.CharField(source="leg.from_tz")
    to_tz = serializers.CharField(source="leg.to_tz")
    carrier = serializers.CharField(source="leg.carrier")
    flight_number = serializers.CharField(source="leg.flight_number")
    departs_local = LocalTimeField(
        source="leg.departs_local",
        help_text=gettext_lazy("Local time at the departure place, with its offset."))
    arrives_local = LocalTimeField(
        source="leg.arrives_local",
        help_text=gettext_lazy("Local time at the arrival place, with its offset."))
    escorts = MovementEscortSerializer(many=True)
    connection = serializers.BooleanField(help_text=gettext_lazy(
        "The leg arriving at the transit point."))


class MovementSerializer(TransitListItemSerializer):
    """The movement data of a transit request."""

    status_label = serializers.CharField(source="request.get_status_display")
    booking_reference = serializers.CharField(help_text=gettext_lazy(
        "Empty for a cancelled request."))
    requested_at = serializers.DateTimeField(source="request.requested_at")
    assisted_at = serializers.DateTimeField(source="request.assisted_at", allow_null=True)
    assisted_by = serializers.CharField(source="request.assisted_by.username",
                                        allow_null=True, default=None,
                                        help_text=gettext_lazy("Username."))
    note = serializers.CharField(source="request.note")
    travellers = TravellerSerializer(many=True)  # type: ignore[assignment]
    legs = MovementLegSerializer(many=True)


class ManifestFlightSerializer(serializers.Serializer):
    carrier = serializers.CharField()
    flight_number = serializers.CharField()
    departs = serializers.CharField(help_text=gettext_lazy("Local time with the zone."))

    def get_fields(self):  # "from" is a Python keyword: declared here
        fields = super().get_fields()
        fields["from"] = serializers.CharField(help_text=gettext_lazy("IATA code."))
        fields["to"] = serializers.CharField(help_text=gettext_lazy("IATA code."))
        return fields


class ManifestRowSerializer(serializers.Serializer):
    departs_at = serializers.DateTimeField()
    departs = serializers.CharField(help_text=gettext_lazy("Local time with the zone."))
    name = serializers.CharField()
    document_kind = serializers.CharField()
    document_number = serializers.CharField(help_text=gettext_lazy(
        "The issued or collected travel document valid on the day, latest expiry first; "
        "empty when there is none."))
    flights = ManifestFlightSerializer(many=True, help_text=gettext_lazy(
        "This flight and the onward ones."))
    special_needs = serializers.ListField(child=serializers.CharField(), help_text=(
        gettext_lazy("Labels, in the reader's language.")))
    escort_required = serializers.BooleanField()
    escorts = serializers.ListField(child=serializers.CharField())
