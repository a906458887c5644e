"""Money paid to returnees: grants, their disbursements, and the exchange rates used.

A **grant** is what a case is awarded of one package component kind (the reinstallation
grant, the reintegration budget that the approved plan spends), in the programme's
currency; its amount never exceeds the case's entitlement under the programme's package
(`programmes.package`). A **disbursement** is one payment out of a grant: the amount in
the programme's currency and, when paid in another currency, the amount in that local
currency with the rate used — the finance team's rate for the month it is paid in
(`ExchangeRate`). The disbursements of a grant that are not rejected never add up to more
than the grant (`finance.services` checks it with the grant row locked). Above the
programme's threshold a disbursement waits for a second person's approval before it can
be paid. A form or API call carries a client key (`client_key`), unique, so submitting
the same payment twice records it once.

Amounts are `Decimal` with the currency's minor units (`lib.money`), never floats.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.lib.money import validate_currency
from retorno.programmes.models import ComponentKind, Modality


class ExchangeRate(models.Model):
    """How many units of `currency` one unit of `base` bought in `month` (the first day
    of the month), as finance set it for the month's payments."""

    month = models.DateField(_("month"))
    base = models.CharField(_("programme currency"), max_length=3,
                            validators=[validate_currency])
    currency = models.CharField(_("local currency"), max_length=3,
                                validators=[validate_currency])
    rate = models.DecimalField(_("rate"), max_digits=24, decimal_places=10)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", editable=False)

    class Meta:
        ordering = ["-month", "base", "currency"]
        verbose_name = _("exchange rate")
        constraints = [
            models.UniqueConstraint(fields=["month", "base", "currency"],
                                    name="exchange_rate_unique"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 1 {self.base} = {self.rate} {self.currency}"


class Grant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants",
                             verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=ComponentKind.choices)
    amount = models.DecimalField(_("amount awarded"), max_digits=14, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    modality = models.CharField(_("paid"), max_length=10, choices=Modality.choices,
                                default=Modality.CASH)
    awarded_at = models.DateTimeField(_("awarded at"), auto_now_add=True)
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["case", "kind"]
        verbose_name = _("grant")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="grant_one_per_kind"),
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="grant_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    MOBILE_MONEY = "mobile_money", _("Mobile money")
    VOUCHER = "voucher", _("Voucher")
    IN_KIND = "in_kind", _("In kind")


class DisbursementStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved, to pay")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


# What still counts against the grant's ceiling.
COUNTING = (DisbursementStatus.AWAITING_APPROVAL, DisbursementStatus.APPROVED,
            DisbursementStatus.PAID)


class Disbursement(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="disbursements",
                              verbose_name=_("grant"))
    # The plan's assistance item this pays for, if any (a business grant paid to the
    # returnee, a provider's invoice for training).
    item = models.ForeignKey("reintegration.AssistanceItem", on_delete=models.PROTECT,
                             null=True, blank=True, related_name="disbursements",
                             verbose_name=_("assistance item"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=3)
    local_currency = models.CharField(_("paid in"), max_length=3, blank=True,
                                      validators=[validate_currency])
    local_amount = models.DecimalField(_("amount paid"), max_digits=18, decimal_places=3,
                                       null=True, blank=True)
    rate = models.DecimalField(_("exchange rate"), max_digits=24, decimal_places=10,
                               null=True, blank=True)
    rate_month = models.DateField(_("rate of the month"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    payee = models.CharField(_("paid to"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DisbursementStatus.choices)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    receipt = models.FileField(_("receipt"), upload_to="receipts/", blank=True,
                               max_length=300)
    receipt_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    receipt_content_type = models.CharField(max_length=60, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    client_key = models.CharField(max_length=64, unique=True, editable=False)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", editable=False,
                                     verbose_name=_("requested by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+", editable=False,
                                   verbose_name=_("approved or rejected by"))
    decision_note = models.TextField(_("decision note"), blank=True)
    recorded_paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+",
                                         editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["grant", "requested_at", "id"]
        verbose_name = _("disbursement")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0),
                                   name="disbursement_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"disbursement {self.pk} {self.amount}"
