"""Fitness to travel: per member of a case, whether they may travel, with which special
needs and whether a medical escort must go with them.

Each assessment is a row; the newest (by date assessed, then by when it was recorded) of
a member is their current one, the others are its history. The medical detail
(diagnosis, medication, clinician's notes) is read by the medical officer only
(`medical.policy.can_view_detail`); everyone else who sees the case sees the outcome,
special needs and escort flag.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.people.models import Person


class Outcome(models.TextChoices):
    FIT = "fit", _("Fit to travel")
    FIT_WITH_ESCORT = "fit_with_escort", _("Fit to travel with a medical escort")
    UNFIT = "unfit", _("Unfit to travel")
    PENDING = "pending", _("Pending")


class SpecialNeed(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Wheelchair")
    STRETCHER = "stretcher", _("Stretcher")
    OXYGEN = "oxygen", _("Oxygen")
    OTHER = "other", _("Other")


def validate_special_needs(codes: list[str]) -> None:
    if not isinstance(codes, list) or any(c not in SpecialNeed.values for c in codes):
        raise ValidationError(gettext("Choose special needs from the list."))
    if len(set(codes)) != len(codes):
        raise ValidationError(gettext("Each special need can be ticked once."))


def validate_not_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(gettext("An assessment cannot be recorded before it has taken "
                                 "place."))


class FitnessAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE,
                             related_name="fitness_assessments", verbose_name=_("case"))
    # The person, not the CaseMember row: taking someone off a case deletes that row,
    # and their assessments are kept.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    special_needs = models.JSONField(_("special needs"), default=list, blank=True,
                                     validators=[validate_special_needs])
    special_needs_other = models.CharField(
        _("other special needs"), max_length=200, blank=True,
        help_text=_("Required when “Other” is ticked. Seen by everyone who sees the case."))
    escort_required = models.BooleanField(
        _("medical escort required"), default=False,
        help_text=_("Always required when the outcome is “fit to travel with a medical "
                    "escort”."))
    assessed_on = models.DateField(_("assessed on"), validators=[validate_not_future])
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", editable=False,
                                    verbose_name=_("assessed by"))
    detail = models.TextField(
        _("medical detail"), blank=True,
        help_text=_("Diagnosis, medication, clinician's notes. Read by the medical officer "
                    "only."))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fitness to travel assessment")
        ordering = ["person_id", "-assessed_on", "-id"]
        indexes = [
            # current_fitness: each member's newest assessment on one case.
            models.Index(fields=["case", "person", "-assessed_on", "-id"],
                         name="fitness_case_person"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person_id} {self.assessed_on:%Y-%m-%d}"

    def clean(self) -> None:
        # "Other" special needs are described, and only then. Run by the services (through
        # lib.models.validate) and by the form, so both messages show at once.
        needs = self.special_needs if isinstance(self.special_needs, list) else []
        other = SpecialNeed.OTHER in needs
        if other and not self.special_needs_other.strip():
            raise ValidationError({"special_needs_other": gettext(
                "Describe the other special needs.")})
        if not other and self.special_needs_other.strip():
            raise ValidationError({"special_needs_other": gettext(
                "Tick “Other” to describe other special needs, or leave this empty.")})

    def special_need_labels(self) -> list[str]:
        labels = [str(SpecialNeed(n).label) for n in self.special_needs
                  if n != SpecialNeed.OTHER]
        if SpecialNeed.OTHER in self.special_needs:
            labels.append(self.special_needs_other or str(SpecialNeed.OTHER.label))
        return labels
