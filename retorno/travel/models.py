"""Itineraries: how the members of a case travel, leg by leg.

An itinerary covers some or all members of a case (`people`, person ids; all members
when it is recorded without a choice). Each leg goes by air (IATA airports, carrier and
flight number), road or sea (places named, with their country and time zone). Every
leg, whatever its mode, stores its two ends the same way — place, country (alpha-3), time
zone — so validation and display never branch on the mode; for air legs they come from
the airport dataset (`airports.py`). Departure and arrival are stored as aware datetimes
(UTC in the database) and shown in the local time of their place, with the zone.
"""

import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.lib.codes import validate_country
from retorno.lib.money import validate_currency


class ItineraryStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    # The traveller did not board: the booking is spent; a new itinerary is the rebooking.
    NO_SHOW = "no_show", _("No-show")


# Once booked, an itinerary is what was bought: a change is a cancellation and a new one
# (the rebooking), so the history of what was booked stays as it was.
CLOSED_ITINERARY = frozenset({ItineraryStatus.CANCELLED, ItineraryStatus.NO_SHOW})


class Mode(models.TextChoices):
    AIR = "air", _("Air")
    ROAD = "road", _("Road")
    SEA = "sea", _("Sea")


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_tz(name: str) -> None:
    if name not in _zones():
        raise ValidationError(gettext("“%(tz)s” is not a time zone name such as "
                                      "Europe/Berlin."), params={"tz": name})


class Itinerary(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="itineraries",
                             verbose_name=_("case"))
    # Person ids of the members who travel on it. Ids, not CaseMember rows: taking
    # someone off a case deletes that row, and the itinerary stays as it was booked.
    people = models.JSONField(_("travellers"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ItineraryStatus.choices,
                              default=ItineraryStatus.PLANNED)
    booking_reference = models.CharField(_("booking reference"), max_length=50, blank=True)
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True, editable=False)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.pk} {self.status}"


class Leg(models.Model):
    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE, related_name="legs",
                                  verbose_name=_("itinerary"))
    order = models.PositiveSmallIntegerField(_("order"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    # Air legs: IATA codes; the place, country and zone below come from the airport.
    from_code = models.CharField(_("from (IATA)"), max_length=3, blank=True)
    to_code = models.CharField(_("to (IATA)"), max_length=3, blank=True)
    from_place = models.CharField(_("from"), max_length=200)
    to_place = models.CharField(_("to"), max_length=200)
    from_country = models.CharField(_("country of departure"), max_length=3,
                                    validators=[validate_country])
    to_country = models.CharField(_("country of arrival"), max_length=3,
                                  validators=[validate_country])
    from_tz = models.CharField(_("time zone of departure"), max_length=64,
                               validators=[validate_tz])
    to_tz = models.CharField(_("time zone of arrival"), max_length=64,
                             validators=[validate_tz])
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    flight_number = models.CharField(_("flight number"), max_length=10, blank=True)
    departs_at = models.DateTimeField(_("departure"))
    arrives_at = models.DateTimeField(_("arrival"))
    cost = models.DecimalField(_("ticket cost"), max_digits=12, decimal_places=3, null=True,
                               blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True,
                                validators=[validate_currency])

    class Meta:
        verbose_name = _("leg")
        ordering = ["itinerary_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["itinerary", "order"], name="travel_leg_order"),
        ]

    def __str__(self) -> str:
        return f"{self.from_place} → {self.to_place}"

    @property
    def departs_local(self):
        return self.departs_at.astimezone(zoneinfo.ZoneInfo(self.from_tz))

    @property
    def arrives_local(self):
        return self.arrives_at.astimezone(zoneinfo.ZoneInfo(self.to_tz))


class EscortKind(models.TextChoices):
    MEDICAL = "medical", _("Medical escort")
    SOCIAL = "social", _("Social escort")
    SECURITY = "security", _("Security escort")


class Escort(models.Model):
    """Someone who travels with the returnees on one leg. Recorded with the legs (part of
    an itinerary's data), so a booked itinerary keeps the escorts it was booked with."""

    leg = models.ForeignKey(Leg, on_delete=models.CASCADE, related_name="escorts",
                            verbose_name=_("leg"))
    kind = models.CharField(_("kind of escort"), max_length=20, choices=EscortKind.choices)
    name = models.CharField(_("escort's name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("escort")
        ordering = ["leg_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class Departure(models.Model):
    """What is done at the airport before a booked itinerary leaves: allowances paid and
    signed for, baggage, the pre-embarkation check. One per itinerary."""

    itinerary = models.OneToOneField(Itinerary, on_delete=models.CASCADE,
                                     related_name="departure", verbose_name=_("itinerary"))
    allowance = models.DecimalField(_("departure and travel allowance"), max_digits=12,
                                    decimal_places=3, null=True, blank=True)
    allowance_currency = models.CharField(_("currency"), max_length=3, blank=True,
                                          validators=[validate_currency])
    allowance_paid_on = models.DateField(_("allowance paid on"), null=True, blank=True)
    allowance_signed = models.BooleanField(
        _("receipt signed"), default=False,
        help_text=_("The returnee signed for the allowance received."))
    checked_bags = models.PositiveSmallIntegerField(_("checked bags"), default=0)
    checked_kg = models.DecimalField(_("checked baggage (kg)"), max_digits=6,
                                     decimal_places=1, null=True, blank=True)
    unaccompanied_bags = models.PositiveSmallIntegerField(_("unaccompanied bags"),
                                                          default=0)
    unaccompanied_kg = models.DecimalField(_("unaccompanied baggage (kg)"), max_digits=7,
                                           decimal_places=1, null=True, blank=True)
    pre_embarkation_checked_at = models.DateTimeField(_("pre-embarkation check"), null=True,
                                                      blank=True, editable=False)
    pre_embarkation_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("departure")

    def __str__(self) -> str:
        return f"departure {self.itinerary_id}"


class TransitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ASSISTED = "assisted", _("Assistance given")
    CANCELLED = "cancelled", _("Cancelled")


class TransitRequest(models.Model):
    """Sent to a transit office when a booked itinerary connects through an airport in its
    country: that office's movement staff assist the travellers at the connection."""

    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE,
                                  related_name="transit_requests",
                                  verbose_name=_("itinerary"))
    # The leg that arrives at the transit point (the next leg leaves from there).
    leg = models.ForeignKey(Leg, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("arriving leg"))
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT,
                               related_name="transit_requests", verbose_name=_("office"))
    status = models.CharField(_("status"), max_length=20, choices=TransitStatus.choices,
                              default=TransitStatus.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    assisted_at = models.DateTimeField(_("assistance confirmed at"), null=True, blank=True)
    assisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("transit request")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["office", "status"], name="travel_transit_office")]

    def __str__(self) -> str:
        return f"transit {self.pk} {self.status}"
