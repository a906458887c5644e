"""Handover to the office of origin, the reception it plans, and the arrival it confirms.

A case is handed over when its itinerary is booked (`Case.handed_over_at`, set by
`travel.services.book_itinerary`, only with the consent of every member to that
sharing); from then on the origin office sees it. The origin office then *accepts* it,
plans the reception (who meets the returnees at the airport, temporary accommodation,
inland transport to the final destination, reception pocket money) and, once they are
there, records the arrival — what actually happened — before confirming `arrived`.
One row per case, created on acceptance.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.lib.money import validate_currency


class Reception(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reception",
                                verbose_name=_("case"))
    accepted_at = models.DateTimeField(_("accepted at"), editable=False)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", editable=False,
                                    verbose_name=_("accepted by"))
    # The plan.
    meet_at_airport = models.BooleanField(_("meet at the airport"), default=True)
    met_by = models.CharField(_("who meets them"), max_length=200, blank=True,
                              help_text=_("Name and organisation of whoever meets the "
                                          "returnees on arrival."))
    accommodation = models.TextField(
        _("temporary accommodation"), blank=True,
        help_text=_("Where the returnees stay on arrival, and for how long."))
    inland_transport = models.TextField(
        _("inland transport"), blank=True,
        help_text=_("How the returnees travel on from the airport to their final "
                    "destination."))
    final_destination = models.CharField(
        _("final destination"), max_length=200, blank=True,
        help_text=_("Town or village within the country of origin."))
    pocket_money = models.DecimalField(_("reception pocket money"), max_digits=12,
                                       decimal_places=3, null=True, blank=True)
    pocket_money_currency = models.CharField(_("currency"), max_length=3, blank=True,
                                             validators=[validate_currency])
    # The arrival, as it happened.
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    met_on_arrival = models.BooleanField(_("met at the airport"), null=True, blank=True)
    pocket_money_paid_on = models.DateField(_("pocket money paid on"), null=True,
                                            blank=True)
    arrival_notes = models.TextField(_("notes on arrival"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("reception")

    def __str__(self) -> str:
        return f"reception {self.case_id}"
