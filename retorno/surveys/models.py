"""Survey instruments held as data, the responses collected with them and their scores.

An *instrument* (the reintegration sustainability survey, the satisfaction survey) has
numbered *versions*; each version's whole definition — questions, answer options and the
value between 0 and 1 each answer is coded to, indicators, dimensions and weights — is one
JSON document (`InstrumentVersion.definition`, its format in `definition.py`). A response
keeps the version it was collected and scored with, forever: loading a new version never
rescores old responses.

A response's scores are computed by `scoring.py` when it is recorded and stored twice:
the full breakdown (`SurveyResponse.breakdown`: each indicator's value, weight and
contribution, which were missing) for the response page and the API, and one row per
dimension (`DimensionScore`) plus the composite on the response, for the dashboard's
aggregates in SQL.

Cases are matched to survey submissions collected offline (ODK Collect, KoboToolbox) by a
pseudonymous *survey key* (`SurveyKey`), never by a name or a case reference.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case, CaseMember


class Purpose(models.TextChoices):
    SUSTAINABILITY = "sustainability", _("Reintegration sustainability")
    SATISFACTION = "satisfaction", _("Satisfaction with the assistance")


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> "InstrumentVersion | None":
        """The version new responses are collected with: the highest number."""
        return self.versions.order_by("-number").first()


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT,
                                   related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    # The weights of the shipped instrument are an approximation of the published
    # structure, not an organisation's official table: the pages say so until a version
    # whose weights are declared official is loaded.
    weights_provisional = models.BooleanField(_("weights are provisional"), default=True)
    source_name = models.CharField(_("loaded from"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"],
                                               name="surveys_one_number_per_version")]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"


class SurveyKey(models.Model):
    """The pseudonym a case's survey submissions carry: random, meaningless, unique."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="survey_key")
    key = models.CharField(_("survey key"), max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class Round(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    FOLLOW_UP = "follow_up", _("Follow-up")
    SINGLE = "single", _("Single survey")  # a satisfaction survey has no baseline


class Source(models.TextChoices):
    WEB = "web", _("Entered in Retorno")
    API = "api", _("API")
    KOBO = "kobo", _("KoboToolbox export")
    ODK_CENTRAL = "odk_central", _("ODK Central export")


class SurveyResponse(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="survey_responses")
    respondent = models.ForeignKey(CaseMember, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("respondent"))
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT,
                                related_name="responses")
    round = models.CharField(_("round"), max_length=10, choices=Round.choices)
    collected_on = models.DateField(_("collected on"))
    # Whole months from the arrival to the collection; None when the arrival is unknown.
    months_since_return = models.PositiveSmallIntegerField(null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict)  # question name -> option name
    breakdown = models.JSONField(default=dict)  # scoring.py's full result
    composite = models.FloatField(_("composite score"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # The submission's own identifier (KoboToolbox `_uuid`, ODK Central `KEY` / instanceID)
    # for imports; a client key for the browser and the API. Unique per instrument: the
    # same submission imported twice is recorded once.
    submission_id = models.CharField(max_length=120)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["case", "collected_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "submission_id"],
                                               name="surveys_submission_once")]
        indexes = [models.Index(fields=["collected_on"])]

    def __str__(self) -> str:
        return f"{self.version} {self.collected_on}"


class DimensionScore(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE,
                                 related_name="dimension_scores")
    dimension = models.CharField(max_length=40)  # the code in the version's definition
    score = models.FloatField(null=True, blank=True)  # None: too few answers (the rule)

    class Meta:
        ordering = ["response", "dimension"]
        constraints = [models.UniqueConstraint(fields=["response", "dimension"],
                                               name="surveys_one_score_per_dimension")]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.score}"
