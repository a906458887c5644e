"""Counselling sessions: what a migrant was told, in which language, and where they stand
afterwards. A session belongs to a case; its notes are for the case team only
(`counselling.policy.can_read_notes`)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.lib.codes import language_name, validate_languages


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")


class Topic(models.TextChoices):
    RETURN_PROCESS = "return_process", _("The return process")
    REINTEGRATION = "reintegration", _("Reintegration options and what the programme offers")
    ORIGIN_LABOUR = "origin_labour", _("Labour market")
    ORIGIN_HOUSING = "origin_housing", _("Housing")
    ORIGIN_EDUCATION = "origin_education", _("Education")
    ORIGIN_HEALTH = "origin_health", _("Health")
    ORIGIN_LEGAL = "origin_legal", _("Legal matters")
    STAY_LEGALLY = "stay_legally", _("Staying legally")
    THIRD_COUNTRY = "third_country", _("Settlement in a third country")


# The checklist as counsellors see it: grouped, in this order.
TOPIC_GROUPS: list[tuple[str, list[Topic]]] = [
    (_("Return and reintegration"), [Topic.RETURN_PROCESS, Topic.REINTEGRATION]),
    (_("The situation in the country of origin"),
     [Topic.ORIGIN_LABOUR, Topic.ORIGIN_HOUSING, Topic.ORIGIN_EDUCATION, Topic.ORIGIN_HEALTH,
      Topic.ORIGIN_LEGAL]),
    (_("Alternatives to return"), [Topic.STAY_LEGALLY, Topic.THIRD_COUNTRY]),
]


class Position(models.TextChoices):
    """Where the person stands after the session."""

    WISHES_TO_RETURN = "wishes_to_return", _("Wishes to return")
    UNDECIDED = "undecided", _("Undecided")
    NOT_INTERESTED = "not_interested", _("Not interested")
    WANTS_ALTERNATIVE = "wants_alternative", _("Wants an alternative")


def validate_language(code: str) -> None:
    """One ISO 639-3 code, checked against the same list as a person's languages."""
    validate_languages([code])


def validate_topics(codes: list[str]) -> None:
    if not isinstance(codes, list) or any(c not in Topic.values for c in codes):
        raise ValidationError(gettext("Choose topics from the checklist."))
    if len(set(codes)) != len(codes):
        raise ValidationError(gettext("Each topic can be ticked once."))


def validate_not_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(gettext("A session cannot be recorded before it has taken place."))


class CounsellingSession(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE,
                             related_name="counselling_sessions", verbose_name=_("case"))
    date = models.DateField(_("date"), validators=[validate_not_future])
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    language = models.CharField(_("language"), max_length=3, validators=[validate_language],
                                help_text=_("ISO 639-3 code, e.g. arb."))
    interpreter = models.CharField(_("interpreter"), max_length=200, blank=True,
                                   help_text=_("Name of the interpreter, if there was one."))
    topics = models.JSONField(_("topics covered"), default=list, blank=True,
                              validators=[validate_topics])
    materials = models.TextField(_("materials given"), blank=True)
    position = models.CharField(_("the person's position afterwards"), max_length=20,
                                choices=Position.choices)
    notes = models.TextField(_("notes"), blank=True,
                             help_text=_("Visible to the case team only."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("counselling session")
        ordering = ["-date", "-id"]
        indexes = [
            # The case page's counselling history, newest first.
            models.Index(fields=["case", "-date"], name="counselling_case_date"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.date:%Y-%m-%d}"

    def topic_labels(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics]

    def language_name(self) -> str:
        return language_name(self.language)
