"""Vulnerability screenings: a structured questionnaire per case member, the flags it
suggests and the assistance or referral proposed for each. Answers, flags and proposals
are protection detail (`cases.policy.can_view_protection`)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case, Vulnerability, validate_vulnerabilities
from retorno.people.models import Person
from retorno.screening import questionnaire as q
from retorno.screening import rules


def validate_answers(answers: dict) -> None:
    if not isinstance(answers, dict):
        raise ValidationError(gettext("Answer the questions of the questionnaire."))
    unknown = sorted(set(answers) - set(q.BY_CODE))
    if unknown:
        raise ValidationError(gettext("Unknown questions: %(codes)s.")
                              % {"codes": ", ".join(unknown)})
    if any(a not in q.Answer.values for a in answers.values()):
        raise ValidationError(gettext("Answer each question with yes, no or unknown."))
    missing = [c for c in q.BY_CODE if c not in answers]
    if missing:
        raise ValidationError(gettext("Answer every question (yes, no or unknown); missing: "
                                 "%(codes)s.") % {"codes": ", ".join(missing)})


def validate_not_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(gettext("A screening cannot be recorded before it has taken place."))


class Screening(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings",
                             verbose_name=_("case"))
    # The person, not the membership: the screening stays if they leave the case.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings",
                               verbose_name=_("person"))
    screened_on = models.DateField(_("screened on"), validators=[validate_not_future])
    answers = models.JSONField(_("answers"), default=dict, validators=[validate_answers])
    flags = models.JSONField(_("vulnerabilities suggested"), default=list, blank=True,
                             validators=[validate_vulnerabilities])
    # [{"flag": "trafficking", "kind": "referral"}, ...]; the text is in questionnaire.py.
    proposals = models.JSONField(_("proposed actions"), default=list, blank=True)
    notes = models.TextField(_("observations"), blank=True,
                             help_text=_("Protection detail: read only by roles that may."))
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("screened by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vulnerability screening")
        ordering = ["-screened_on", "-id"]
        indexes = [
            # The case page's screening section and the API list: a case's, newest first.
            models.Index(fields=["case", "-screened_on"], name="screening_case_on"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person_id} {self.screened_on:%Y-%m-%d}"

    def flag_labels(self) -> list[str]:
        return [str(Vulnerability(f).label) for f in self.flags]

    def proposal_rows(self) -> list[dict[str, str]]:
        return [{"flag": p["flag"], "flag_label": str(Vulnerability(p["flag"]).label),
                 "kind": p["kind"], "kind_label": str(q.ProposalKind(p["kind"]).label),
                 "action": rules.proposal_text(p["flag"])} for p in self.proposals]

    def answer_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The answers by factor: (factor label, [(question, answer label)])."""
        return [(str(factor.label),
                 [(str(question.text), str(q.Answer(self.answers[question.code]).label))
                  for question in questions if question.code in self.answers])
                for factor, questions in q.grouped()]


class BidDecision(models.TextChoices):
    RETURN_IN_BEST_INTEREST = "in_best_interest", _("Return is in the child's best interest")
    NOT_IN_BEST_INTEREST = "not_in_best_interest", _("Return is not in the child's best "
                                                     "interest")
    PENDING = "pending", _("Pending")


def validate_decided_not_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("A best-interest determination cannot be dated in the "
                                "future."))


class BestInterestDetermination(models.Model):
    """A documented best-interest determination (BID) for an unaccompanied or separated
    child (screening.bid). Appended, never changed: the latest per child counts. The
    reasons are protection detail (`cases.policy.can_view_protection`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bids",
                             verbose_name=_("case"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bids",
                               verbose_name=_("child"))
    decided_on = models.DateField(_("decided on"), validators=[validate_decided_not_future])
    decision = models.CharField(_("decision"), max_length=24, choices=BidDecision.choices)
    panel = models.CharField(_("panel or decision-maker"), max_length=200)
    reasons = models.TextField(_("summary of reasons"), blank=True,
                               help_text=_("Protection detail: read only by roles that "
                                           "may."))
    guardian_name = models.CharField(_("guardian"), max_length=200, blank=True,
                                     help_text=_("The child's guardian or legal "
                                                 "representative."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("best-interest determination")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["case", "-decided_on"], name="bid_case_on"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person_id} {self.decided_on:%Y-%m-%d}"

    @property
    def is_positive(self) -> bool:
        return self.decision == BidDecision.RETURN_IN_BEST_INTEREST
