"""The organisation's own regional grouping of countries, for statistics by region beside
the UN M49 regions (`retorno.lib.m49`).

Each region has a code, a name and a list of countries (ISO 3166-1 alpha-3); a country
is in at most one region. The list on the region is what people edit and read;
`RegionCountry` repeats it one row per country so that the database itself refuses a
country in two regions, even when two people save at the same moment, and so that
"which region is this country in" is one indexed lookup.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.lib.codes import country_name, validate_countries
from retorno.lib.text import fold


class Region(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_(
        "Short and permanent: lower-case letters, digits and hyphens, such as mena."))
    name = models.CharField(_("name"), max_length=200)
    # Alpha-3 codes, sorted.
    countries = models.JSONField(_("countries"), default=list,
                                 validators=[validate_countries])
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True, editable=False,
                                   verbose_name=_("updated by"))

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def country_names(self) -> list[tuple[str, str]]:
        """(code, name) of each country, named and sorted in the active language."""
        return sorted(((code, country_name(code)) for code in self.countries),
                      key=lambda c: fold(c[1]))


class RegionCountry(models.Model):
    """One country of one region; written only with the region, by regions.services."""

    country = models.CharField(_("country"), max_length=3, unique=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships",
                               verbose_name=_("region"))

    class Meta:
        verbose_name = _("country of a region")

    def __str__(self) -> str:
        return f"{self.country} in {self.region_id}"
