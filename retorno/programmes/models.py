import datetime

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
        help_text=_("What approving a case commits for each of its members, when the "
                    "programme has no assistance package."))
    approval_threshold = models.DecimalField(
        _("second approval above"), max_digits=16, decimal_places=3, null=True, blank=True,
        help_text=_("A disbursement above this amount (in the programme's currency) waits "
                    "for a second person's approval. Empty: every disbursement does."))
    retention_months = models.PositiveSmallIntegerField(
        _("keep personal data for (months after closure)"), null=True, blank=True,
        help_text=_("After this many months from a case's closure its personal data are "
                    "anonymised; the figures statistics need are kept. Empty: kept until "
                    "a period is set."))
    # Budget, currency, quota, threshold and package are edited together
    # (`programmes.services.set_package`), based on the version read.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

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
        # A budget is checked against what approvals commit: the assistance package's
        # total for each case, or (for a programme without a package) members × the
        # planned cost per returnee. Without either, the budget limits nothing.
        amounts = {f: getattr(self, f) for f in ("budget", "cost_per_returnee",
                                                   "approval_threshold")}
        if all(v is None for v in amounts.values()):
            return {}
        if not self.currency:
            return {"currency": _("Give the currency of the budget.")}
        errors = {}
        for field, amount in amounts.items():
            if amount is None:
                continue
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


class ComponentKind(models.TextChoices):
    """The parts of an assistance package."""

    # Cash (or in kind) to restart life at home: per adult and per child, typically.
    REINSTALLATION = "reinstallation", _("Reinstallation grant")
    # What the reintegration plan spends: per person or per family.
    REINTEGRATION = "reintegration", _("Reintegration budget")
    # Added to the reintegration budget for each person with a vulnerability flag.
    TOP_UP = "top_up", _("Vulnerability top-up")


class Basis(models.TextChoices):
    PER_ADULT = "per_adult", _("per adult")
    PER_CHILD = "per_child", _("per child")
    PER_PERSON = "per_person", _("per person")
    PER_FAMILY = "per_family", _("per family (case)")


class Modality(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")


class PackageComponent(models.Model):
    """One line of a programme's assistance package, in the programme's currency.

    A case is entitled to `amount` times the number of its members the basis counts
    (adults, children, everyone, or once per case); a top-up counts only the members
    flagged with its `vulnerability` (or, per family, once when any member is).
    `before_departure_percent` of it is paid before departure and the rest after
    arrival, `after_arrival_months` months after it (0: on arrival) — "half before and
    half six months later" is 50 and 6.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE,
                                  related_name="package", verbose_name=_("programme"))
    kind = models.CharField(_("component"), max_length=20, choices=ComponentKind.choices)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    vulnerability = models.CharField(_("vulnerability"), max_length=30, blank=True,
                                     help_text=_("For a top-up: the flag it is paid for."))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=3)
    modality = models.CharField(_("paid"), max_length=10, choices=Modality.choices,
                                default=Modality.CASH)
    before_departure_percent = models.PositiveSmallIntegerField(
        _("share paid before departure (%)"), default=0)
    after_arrival_months = models.PositiveSmallIntegerField(
        _("rest paid months after arrival"), default=0)

    class Meta:
        ordering = ["programme", "kind", "basis", "vulnerability", "id"]
        verbose_name = _("assistance package component")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind", "basis", "vulnerability"],
                                    name="package_component_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.get_basis_display()}"
