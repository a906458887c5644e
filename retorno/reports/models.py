"""The facts return statistics count, kept beside the records they come from.

`AssistedReturn` is one person's confirmed departure on one case: the unit every return
figure counts (docs/statistics.md gives the definitions). It is derived — never edited by
hand — by `reports.facts.refresh_case` from the case, its members, the people and the
booked itineraries, inside the transaction of whichever service changed one of them, so
it is never out of date; `manage.py refresh_statistics --check` recomputes every row and
names any that differ. It holds only what statistics need (no name, no document, no
place smaller than a country), so figures do not change when a case's personal data is
later removed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office
from retorno.cases.models import Case
from retorno.people.models import Person
from retorno.programmes.models import Programme


class AgeGroup(models.TextChoices):
    """Age in completed years on the day of departure."""

    A0_4 = "0-4", _("0–4")
    A5_11 = "5-11", _("5–11")
    A12_17 = "12-17", _("12–17")
    A18_24 = "18-24", _("18–24")
    A25_34 = "25-34", _("25–34")
    A35_49 = "35-49", _("35–49")
    A50_64 = "50-64", _("50–64")
    A65 = "65+", _("65 and over")
    UNKNOWN = "unknown", _("Age not known")


class AssistedReturn(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    # The day the person left: the local date their booked itinerary's first leg left,
    # or, without one, the day the case's departure was confirmed.
    departed_on = models.DateField()
    # The member whose departure began the case's return (earliest day; the principal,
    # then the lowest person id, on a tie): the case is counted on this row.
    first_of_case = models.BooleanField()
    confirmed_at = models.DateTimeField()
    applied_on = models.DateField(null=True)
    host_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    origin_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+",
                                      null=True)
    host_country = models.CharField(max_length=3)
    origin_country = models.CharField(max_length=3)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+",
                                  null=True)
    sex = models.CharField(max_length=1)
    age = models.PositiveSmallIntegerField(null=True)
    age_group = models.CharField(max_length=7, choices=AgeGroup.choices)
    category = models.CharField(max_length=20)
    vulnerabilities = models.JSONField(default=list)
    vulnerable = models.BooleanField()
    principal = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="assisted_return_unique"),
        ]
        indexes = [
            # Every statistic reads one period.
            models.Index(fields=["departed_on"], name="assisted_return_day"),
            # A person's returns (refreshing after a change to the person).
            models.Index(fields=["person", "departed_on"], name="assisted_return_person"),
            # The latest confirmation: the time of the data a report counted.
            models.Index(fields=["confirmed_at"], name="assisted_return_confirmed"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.person_id} {self.departed_on}"


class ReportKind(models.TextChoices):
    BULLETIN = "bulletin", _("Quarterly bulletin")
    PROGRAMME = "programme", _("Donor and programme report")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Report(models.Model):
    """A bulletin or a programme report, built in the background and kept as it was
    built: its parameters, the time of the latest data it counted, the figures themselves
    (`snapshot`: every table, chart and sentence) and the files. Opening it later shows
    exactly what was published; building it again with the same parameters gives the
    same figures as long as the data has not changed since `data_as_of`."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=300)
    parameters = models.JSONField(_("parameters"), default=dict)
    public = models.BooleanField(_("published figures"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # per cent
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The latest departure confirmation the figures include, and how many rows they read:
    # together they tell whether the data changed since.
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    data_rows = models.PositiveIntegerField(null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True, max_length=300)
    xlsx = models.FileField(upload_to="reports/", blank=True, max_length=300)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("report")

    def __str__(self) -> str:
        return self.title
