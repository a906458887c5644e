"""Alternative pathways (durable solutions other than return): local integration in the
host country, or settlement in a third country (resettlement, family reunification, work
or study visa, humanitarian admission). A case is referred to one through the lifecycle's
`referred_alternative` step, which needs a pathway that is neither withdrawn nor declined
(`pathways.current.has_live_pathway`).

A pathway has its own status (`transitions.ALLOWED`); every change is a `PathwayChange`
row: from, to, who, when and an optional comment.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.lib.codes import country_name, validate_country


class Kind(models.TextChoices):
    LOCAL_INTEGRATION = "local_integration", _("Local integration")
    RESETTLEMENT = "resettlement", _("Resettlement")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    WORK_VISA = "work_visa", _("Work visa")
    STUDY_VISA = "study_visa", _("Study visa")
    HUMANITARIAN_ADMISSION = "humanitarian_admission", _("Humanitarian admission")


# Every kind but local integration settles the person in a third country.
THIRD_COUNTRY_KINDS = frozenset(Kind) - {Kind.LOCAL_INTEGRATION}


class PathwayStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A pathway in one of these no longer carries a referral.
DEAD = frozenset({PathwayStatus.WITHDRAWN, PathwayStatus.DECLINED})


def validate_not_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(gettext("The referral date cannot be in the future."))


class Pathway(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pathways",
                             verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    third_country = models.CharField(
        _("third country"), max_length=3, blank=True, validators=[validate_country],
        help_text=_("ISO 3166 alpha-3 code, e.g. SWE. Required for settlement in a third "
                    "country; empty for local integration."))
    receiving_organisation = models.CharField(
        _("receiving organisation or authority"), max_length=200)
    referred_on = models.DateField(_("referred on"), validators=[validate_not_future])
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PathwayStatus.choices,
                              default=PathwayStatus.PROPOSED, editable=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alternative pathway")
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="pathway_case_status")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def clean(self) -> None:
        if self.kind in THIRD_COUNTRY_KINDS and not self.third_country:
            raise ValidationError({"third_country": gettext(
                "Give the third country for settlement in a third country.")})
        if self.kind == Kind.LOCAL_INTEGRATION and self.third_country:
            raise ValidationError({"third_country": gettext(
                "Local integration happens in the host country: leave the third country "
                "empty.")})

    def third_country_name(self) -> str:
        return country_name(self.third_country) if self.third_country else ""


class PathwayChange(models.Model):
    """One status change of a pathway (the first: its proposal, from no status)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, choices=PathwayStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PathwayStatus.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+", null=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.pathway_id} {self.from_status}->{self.to_status}"
