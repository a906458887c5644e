"""Return suspensions: no return to a country, or to one of its subdivisions (ISO
3166-2), while one is active.

A suspension is active on a day from `starts_on` to `ends_on` (no end: until lifted),
unless it was lifted before that day. Lifting keeps the row: the list shows past
suspensions with who lifted them and why.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.lib.codes import country_name, validate_country
from retorno.lib.subdivisions import subdivision_error, subdivision_name, validate_subdivision


class SuspensionQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "SuspensionQuerySet":
        """Those in force on `day`: started, not ended, not lifted by then."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day,
                           lifted_at__isnull=True)

    def for_destination(self, country: str, subdivision: str = "") -> "SuspensionQuerySet":
        """Those covering a return to `country` (alpha-3) and, when given, `subdivision`:
        suspensions of the whole country, and of that subdivision."""
        where = Q(subdivision="")
        if subdivision:
            where |= Q(subdivision=subdivision)
        return self.filter(where, country=country)


class ReturnSuspension(models.Model):
    country = models.CharField(_("country"), max_length=3, validators=[validate_country])
    subdivision = models.CharField(
        _("subdivision"), max_length=10, blank=True, validators=[validate_subdivision],
        help_text=_("ISO 3166-2 code of a region of the country, such as IQ-BG for "
                    "Baghdad. Leave empty to suspend returns to the whole country."))
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True,
                               help_text=_("Leave empty: until the suspension is lifted."))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", editable=False, verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"), default=timezone.now, editable=False)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True, editable=False)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True, editable=False,
                                  verbose_name=_("lifted by"))
    lift_reason = models.TextField(_("reason for lifting"), blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        verbose_name = _("return suspension")
        ordering = ["-starts_on", "-id"]
        indexes = [
            # The ready_to_travel guard: the suspensions of one country not yet lifted.
            models.Index(fields=["country", "lifted_at"], name="suspension_country"),
        ]

    def __str__(self) -> str:
        return self.destination_label()

    def clean(self) -> None:
        errors = {}
        if self.country and (problem := subdivision_error(self.subdivision, self.country)):
            errors["subdivision"] = problem
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = gettext("A suspension cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def destination_label(self) -> str:
        country = country_name(self.country)
        if not self.subdivision:
            return country
        return f"{subdivision_name(self.subdivision)} ({self.subdivision}), {country}"

    def until_label(self) -> str:
        if self.ends_on is None:
            return gettext("until lifted")
        return gettext("until %(date)s") % {"date": date_format(self.ends_on, "DATE_FORMAT")}

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.lifted_at is None and self.starts_on <= day
                and (self.ends_on is None or self.ends_on >= day))

    def state(self, day: datetime.date | None = None) -> str:
        """"lifted", "ended", "scheduled" or "active" on `day` (today)."""
        day = day or timezone.localdate()
        if self.lifted_at is not None:
            return "lifted"
        if self.ends_on is not None and self.ends_on < day:
            return "ended"
        return "scheduled" if self.starts_on > day else "active"
