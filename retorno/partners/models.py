"""Partner organisations, their data-sharing agreements and users, and referrals to them.

A **partner** is a local organisation (NGO, service provider, training centre) in a
country of origin that delivers services to returnees: it is listed in a directory by
country, areas and the services it offers. Data goes to a partner only under a
**data-sharing agreement** that is signed and still valid, and only about a person who
consented to sharing with that partner (`privacy.Consent`, purpose "partner", naming the
partner by its name — which is why a partner's name is unique).

A **referral** sends one returnee to a partner for one service, with the minimum the
service needs: the fields in `shared` are copied from the case when it is sent, and are
all the partner ever sees. **Partner users** (`PartnerUser`) sign in and see only their
organisation's referrals (`partners.policy`): they accept or decline them, record the
service given and close them with feedback. They never reach a case or a person.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office
from retorno.cases.models import Case
from retorno.lib.codes import validate_country


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=3, validators=[validate_country])
    # ISO 3166-2 subdivision codes where it works; empty: the whole country.
    areas = models.JSONField(_("areas"), default=list, blank=True)
    # `reintegration.ItemKind` values.
    services = models.JSONField(_("services"), default=list)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The office that keeps the entry up to date.
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="partners",
                               verbose_name=_("office"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("partner organisation")

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A data-sharing agreement: what may be shared with the partner, from when to when."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements",
                                verbose_name=_("partner"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"))
    scope = models.TextField(_("what it covers"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "-valid_until"]
        verbose_name = _("data-sharing agreement")

    def __str__(self) -> str:
        return f"{self.partner} {self.signed_on}–{self.valid_until}"


class PartnerUser(models.Model):
    """A user who works for a partner organisation (one organisation per user)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="partner_link")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="users")

    class Meta:
        verbose_name = _("partner user")

    def __str__(self) -> str:
        return f"{self.user} — {self.partner}"


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SERVICE_GIVEN = "service_given", _("Service given")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.SERVICE_GIVEN)


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals",
                             verbose_name=_("case"))
    person_id = models.BigIntegerField(_("person"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals",
                                verbose_name=_("partner"))
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("data-sharing agreement"))
    item = models.ForeignKey("reintegration.AssistanceItem", on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="referrals",
                             verbose_name=_("assistance item"))
    service = models.CharField(_("service"), max_length=30)  # reintegration.ItemKind
    # What the partner sees: the service's minimum fields, copied when sent.
    shared = models.JSONField(_("shared with the partner"), default=dict)
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("referring office"))
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    decline_reason = models.TextField(_("why declined"), blank=True)
    service_given = models.TextField(_("service given"), blank=True)
    service_on = models.DateField(_("service given on"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        indexes = [models.Index(fields=["partner", "status"], name="referral_partner_status")]

    def __str__(self) -> str:
        return f"referral {self.pk}"
