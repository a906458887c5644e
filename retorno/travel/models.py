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
