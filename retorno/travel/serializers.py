"""Itineraries and departure details in the API. Input serializers parse and type the
input only; the views hand `validated_data` to travel.services, which validates the legs
(airports, zones, connections, destination) and names the leg in every message.

Times go in and out as the local time at each place *with* its zone: `departs_local`
"2026-06-01T10:00:00+02:00" and `from_tz` "Europe/Berlin". In input, a local time without
an offset is read in the place's zone (the airport's for a flight)."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin
from retorno.travel.models import (
    Departure,
    Escort,
    EscortKind,
    Itinerary,
    ItineraryStatus,
    Leg,
    Mode,
    TransitRequest,
    TransitStatus,
)

_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")
_LOCAL_HELP = gettext_lazy("The local date and time at the place, ISO 8601. Without an "
                           "offset it is read in the place's time zone (the airport's for a "
                           "flight); with one, it is taken as that instant.")
_SURFACE_HELP = gettext_lazy("Road and sea legs only.")
_AIR_HELP = gettext_lazy("Flights only.")


class LocalDateTimeField(serializers.DateTimeField):
    """A datetime kept as given: naive stays naive (a local time the service reads in the
    place's zone), an offset is kept."""

    def enforce_timezone(self, value: Any) -> Any:
        return value


def _text(max_length: int, help_text: Any = None) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True,
                                 help_text=help_text)


class EscortInputSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = EnumField(EscortKind, name="EscortKind")
    name = serializers.CharField(max_length=200)
    organisation = _text(200)


class LegInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A flight takes `from_code`, `to_code`, `carrier` and `flight_number`; a road or sea
    leg takes the places with their country (ISO alpha-3) and time zone, and optionally a
    carrier."""

    mode = EnumField(Mode, name="LegMode")
    from_code = _text(3, gettext_lazy("IATA airport code, e.g. BER. Flights only."))
    to_code = _text(3, gettext_lazy("IATA airport code, e.g. IST. Flights only."))
    from_place = _text(200, _SURFACE_HELP)
    to_place = _text(200, _SURFACE_HELP)
    from_country = _text(3, gettext_lazy("ISO 3166 alpha-3, e.g. TUR. Road and sea legs "
                                         "only."))
    to_country = _text(3, gettext_lazy("ISO 3166 alpha-3, e.g. IRQ. Road and sea legs "
                                       "only."))
    from_tz = _text(64, gettext_lazy("Time zone name, e.g. Europe/Istanbul. Road and sea "
                                     "legs only."))
    to_tz = _text(64, gettext_lazy("Time zone name, e.g. Asia/Baghdad. Road and sea legs "
                                   "only."))
    carrier = _text(100)
    flight_number = _text(10, _AIR_HELP)
    departs_local = LocalDateTimeField(help_text=_LOCAL_HELP)
    arrives_local = LocalDateTimeField(help_text=_LOCAL_HELP)
    cost = serializers.DecimalField(max_digits=12, decimal_places=3, required=False,
                                    allow_null=True, help_text=gettext_lazy(
                                        "Ticket cost, with its `currency`."))
    currency = _text(3, gettext_lazy("ISO 4217, e.g. EUR."))
    escorts = EscortInputSerializer(many=True, required=False)

    def to_leg(self, data: dict[str, Any]) -> dict[str, Any]:
        """The leg as travel.services takes it."""
        leg = {name: value for name, value in data.items()
               if name not in ("departs_local", "arrives_local")}
        leg["departs"] = data["departs_local"]
        leg["arrives"] = data["arrives_local"]
        if "escorts" in leg:
            leg["escorts"] = [dict(e) for e in leg["escorts"]]
        return leg


def legs_for_service(legs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [LegInputSerializer().to_leg(dict(leg)) for leg in legs]


def _people(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(), help_text=gettext_lazy(
        "Person ids of the members who travel on it; every member when left out."), **kwargs)


class ItineraryInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A new itinerary of the case, recorded as planned. The legs in travel order."""

    people = _people(required=False)
    booking_reference = _text(50, gettext_lazy("Can be given later, when booking."))
    legs = LegInputSerializer(many=True)


class ItineraryPatchSerializer(NeverPartialMixin, StrictFieldsMixin, serializers.Serializer):
    """Change a planned itinerary: send only what changes (`legs` replaces all of them),
    and the `version` the change is based on."""

    people = _people(required=False)
    booking_reference = _text(50)
    legs = LegInputSerializer(many=True, required=False)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class BookInputSerializer(StrictFieldsMixin, serializers.Serializer):
    booking_reference = _text(50, gettext_lazy("Required unless the itinerary has one."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class CancelInputSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class NoShowInputSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text=gettext_lazy(
        "What happened: why the travellers did not board. Required."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class EscortSerializer(serializers.ModelSerializer):
    kind = EnumField(EscortKind, name="EscortKind", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Escort
        fields = ["kind", "kind_label", "name", "organisation"]
        read_only_fields = fields


class LegSerializer(serializers.ModelSerializer):
    mode = EnumField(Mode, name="LegMode", read_only=True)
    departs_local = serializers.SerializerMethodField(help_text=gettext_lazy(
        "Local time at the place of departure, ISO 8601 with its UTC offset; the zone is "
        "`from_tz`."))
    arrives_local = serializers.SerializerMethodField(help_text=gettext_lazy(
        "Local time at the place of arrival, ISO 8601 with its UTC offset; the zone is "
        "`to_tz`."))
    escorts = EscortSerializer(many=True, read_only=True)

    class Meta:
        model = Leg
        fields = ["order", "mode", "from_code", "from_place", "from_country", "from_tz",
                  "to_code", "to_place", "to_country", "to_tz", "carrier", "flight_number",
                  "departs_local", "arrives_local", "departs_at", "arrives_at", "cost",
                  "currency", "escorts"]
        read_only_fields = fields
        extra_kwargs = {"departs_at": {"help_text": gettext_lazy("The same instant in UTC.")},
                        "arrives_at": {"help_text": gettext_lazy("The same instant in UTC.")}}

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_departs_local(self, leg: Leg) -> str:
        return leg.departs_local.isoformat()

    @extend_schema_field({"type": "string", "format": "date-time"})
    def get_arrives_local(self, leg: Leg) -> str:
        return leg.arrives_local.isoformat()


class TransitRequestSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)
    at = serializers.SerializerMethodField(help_text=gettext_lazy(
        "Where the travellers connect: the airport code, or the place."))
    status = EnumField(TransitStatus, name="TransitStatus", read_only=True)

    class Meta:
        model = TransitRequest
        fields = ["id", "office", "office_name", "at", "status", "requested_at",
                  "assisted_at"]
        read_only_fields = fields

    def get_at(self, request: TransitRequest) -> str:
        return request.leg.to_code or request.leg.to_place


class ItinerarySerializer(serializers.ModelSerializer):
    status = EnumField(ItineraryStatus, name="ItineraryStatus", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    people = serializers.ListField(child=serializers.IntegerField(), read_only=True,
                                   help_text=gettext_lazy("Person ids of the travellers."))
    legs = LegSerializer(many=True, read_only=True)
    transit_requests = TransitRequestSerializer(many=True, read_only=True)
    booked_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                             help_text=gettext_lazy("Username."))
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              help_text=gettext_lazy("Username."))
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              help_text=gettext_lazy("Username."))

    class Meta:
        model = Itinerary
        fields = ["id", "status", "status_label", "people", "booking_reference", "legs",
                  "transit_requests", "booked_at", "booked_by", "created_at", "created_by",
                  "updated_at", "updated_by", "version"]
        read_only_fields = fields


class DepartureInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """What is done at departure; send what changes. `version` is required once the
    record exists (the first PUT creates it)."""

    allowance = serializers.DecimalField(max_digits=12, decimal_places=3, required=False,
                                         allow_null=True, help_text=gettext_lazy(
                                             "Departure and travel allowance, with its "
                                             "`allowance_currency`."))
    allowance_currency = _text(3, gettext_lazy("ISO 4217, e.g. EUR."))
    allowance_paid_on = serializers.DateField(required=False, allow_null=True)
    allowance_signed = serializers.BooleanField(required=False, help_text=gettext_lazy(
        "The returnee signed for the allowance received."))
    checked_bags = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    checked_kg = serializers.DecimalField(max_digits=6, decimal_places=1, required=False,
                                          allow_null=True)
    unaccompanied_bags = serializers.IntegerField(min_value=0, max_value=32767,
                                                  required=False)
    unaccompanied_kg = serializers.DecimalField(max_digits=7, decimal_places=1,
                                                required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    pre_embarkation_checked = serializers.BooleanField(required=False, help_text=gettext_lazy(
        "True records who did the pre-embarkation check, and when; false clears it."))
    version = serializers.IntegerField(min_value=1, required=False, help_text=gettext_lazy(
        "The version you read, once the record exists; refused with 409 if it is no "
        "longer the current one."))


class DepartureSerializer(serializers.ModelSerializer):
    itinerary_id = serializers.IntegerField(read_only=True)
    pre_embarkation_checked = serializers.SerializerMethodField()
    pre_embarkation_checked_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text=gettext_lazy("Username."))
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              allow_null=True,
                                              help_text=gettext_lazy("Username."))
    version = serializers.IntegerField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "null while no departure details are recorded."))

    class Meta:
        model = Departure
        fields = ["itinerary_id", "allowance", "allowance_currency", "allowance_paid_on",
                  "allowance_signed", "checked_bags", "checked_kg", "unaccompanied_bags",
                  "unaccompanied_kg", "notes", "pre_embarkation_checked",
                  "pre_embarkation_checked_at", "pre_embarkation_checked_by", "updated_at",
                  "updated_by", "version"]
        read_only_fields = fields

    def get_pre_embarkation_checked(self, departure: Departure) -> bool:
        return departure.pre_embarkation_checked_at is not None
