"""The monitoring schedule of a programme, and the visits and calls made to returnees.

A programme's schedule (`Schedule`, one per programme, versioned as a whole) is a list of
steps (`ScheduleStep`): contact the returnee so many months after arrival, by visit,
by call or either, possibly administering a survey instrument (by its code), within a
window of days either side of the due date. When a case arrives, each step becomes a
`monitoring_contact` task on the origin office's M&E officers' queue (subject: the step).

A `MonitoringVisit` is one contact, or one attempt at it, with its outcome. A conclusive
outcome (`CONCLUSIVE`) settles its step; "could not be reached" and "moved elsewhere in
the country" leave the step open and are counted as attempts.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.programmes.models import Programme


class ExpectedMode(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    EITHER = "either", _("Visit or call")


class Schedule(models.Model):
    """A programme's monitoring schedule: holds the version its steps are edited by."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE,
                                     related_name="monitoring_schedule",
                                     verbose_name=_("programme"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring schedule")
        verbose_name_plural = _("monitoring schedules")

    def __str__(self) -> str:
        return f"{self.programme_id} v{self.version}"


class ScheduleStep(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="steps",
                                 verbose_name=_("schedule"))
    months_after_arrival = models.PositiveSmallIntegerField(_("months after arrival"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    mode = models.CharField(_("expected contact"), max_length=10,
                            choices=ExpectedMode.choices, default=ExpectedMode.EITHER)
    # A survey instrument's code (`surveys.Instrument.code`), or blank for none.
    instrument = models.SlugField(_("survey instrument"), max_length=40, blank=True)
    window_days = models.PositiveSmallIntegerField(_("window in days"), default=30)

    class Meta:
        verbose_name = _("monitoring step")
        verbose_name_plural = _("monitoring steps")
        ordering = ["months_after_arrival", "id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "months_after_arrival"],
                                    name="monitoring_step_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} +{self.months_after_arrival}m"


class VisitMode(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE_VISIT = "office_visit", _("Office visit")
    PHONE_CALL = "phone_call", _("Phone call")
    VIDEO_CALL = "video_call", _("Video call")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Could not be reached")
    MIGRATED_AGAIN = "migrated_again", _("Has migrated again")
    DECLINED = "declined", _("Declined")
    MOVED_IN_COUNTRY = "moved_in_country", _("Moved elsewhere in the country")
    DECEASED = "deceased", _("Deceased")


# The outcomes that settle a step: nobody needs to try again.
CONCLUSIVE = frozenset({Outcome.REACHED, Outcome.MIGRATED_AGAIN, Outcome.DECLINED,
                        Outcome.DECEASED})


class MonitoringVisit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="monitoring_visits",
                             verbose_name=_("case"))
    # The step it was for; null for a contact outside the schedule (or a removed step).
    step = models.ForeignKey(ScheduleStep, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="visits", verbose_name=_("scheduled contact"))
    contact_on = models.DateField(_("date of contact"))
    mode = models.CharField(_("mode"), max_length=20, choices=VisitMode.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    migrated_to_country = models.CharField(_("migrated to"), max_length=3, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        ordering = ["-contact_on", "-id"]
        indexes = [models.Index(fields=["case", "contact_on"], name="monitoring_visit_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.contact_on:%Y-%m-%d} {self.outcome}"

    @property
    def conclusive(self) -> bool:
        return self.outcome in CONCLUSIVE
