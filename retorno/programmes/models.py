import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.lib.codes import validate_countries
from retorno.lib.money import validate_amount, validate_currency


class MigrantCategory(models.TextChoices):
    """The category of each returning person, as AVRR statistics count them."""

    STRANDED = "stranded", _("Stranded migrant")
    IRREGULAR = "irregular", _("Irregular migrant")
    REGULAR = "regular", _("Regular migrant")
    ASYLUM_REJECTED = "asylum_rejected", _("Asylum seeker — claim rejected")
    ASYLUM_WITHDRAWN = "asylum_withdrawn", _("Asylum seeker — claim withdrawn")
    TRAFFICKING_VICTIM = "trafficking_victim", _("Victim of trafficking")
    OTHER = "other", _("Other")


class Programme(models.Model):
    """An AVRR programme: who it serves, where, and when.

    Empty `eligible_nationalities` means any nationality; empty `eligible_categories`
    means any category. The optional rules: the principal applicant's age on the day
    (`min_age`, `max_age`), the window in which applications are taken
    (`applications_open`, `applications_close`) and the number of cases it may approve
    (`max_cases`); empty means no limit. A `budget` (in `currency`) limits what approvals
    may commit: each approved returnee commits `cost_per_returnee` until reintegration
    packages (a later issue) price each case.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    host_countries = models.JSONField(_("host countries"), default=list,
                                      validators=[validate_countries])
    eligible_nationalities = models.JSONField(_("eligible nationalities"), default=list,
                                              blank=True, validators=[validate_countries])
    eligible_categories = models.JSONField(_("eligible migrant categories"), default=list,
                                           blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    applications_open = models.DateField(_("applications open"), null=True, blank=True)
    applications_close = models.DateField(_("applications close"), null=True, blank=True)
    max_cases = models.PositiveIntegerField(_("maximum approved cases"), null=True,
                                            blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True,
                                validators=[validate_currency])
    budget = models.DecimalField(_("total budget"), max_digits=16, decimal_places=3,
                                 null=True, blank=True)
    cost_per_returnee = models.DecimalField(
        _("planned cost per returnee"), max_digits=16, decimal_places=3, null=True, blank=True,
        help_text=_("What approving a case commits for each of its members."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.min_age is not None and self.max_age is not None \
                and self.min_age > self.max_age:
            errors["max_age"] = _("The maximum age cannot be below the minimum age.")
        if self.applications_open is not None and self.applications_close is not None \
                and self.applications_open > self.applications_close:
            errors["applications_close"] = _("Applications cannot close before they open.")
        errors.update(self._budget_errors())
        if errors:
            raise ValidationError(errors)

    def _budget_errors(self) -> dict[str, str]:
        if self.budget is None and self.cost_per_returnee is None:
            return {}
        if not self.currency:
            return {"currency": _("Give the currency of the budget.")}
        if self.budget is None or self.cost_per_returnee is None:
            field = "budget" if self.budget is None else "cost_per_returnee"
            return {field: _("A budget needs both a total and a planned cost per returnee.")}
        errors = {}
        for field in ("budget", "cost_per_returnee"):
            amount: Decimal = getattr(self, field)
            if amount < 0:
                errors[field] = _("An amount cannot be negative.")
                continue
            try:
                validate_amount(amount, self.currency)
            except ValidationError as error:
                errors[field] = error.messages[0]
        return errors

    def is_running(self, on: datetime.date) -> bool:
        return self.start_date <= on and (self.end_date is None or on <= self.end_date)
