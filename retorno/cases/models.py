from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office
from retorno.lib.codes import validate_country
from retorno.lib.subdivisions import subdivision_error, validate_subdivision
from retorno.people.models import Person
from retorno.programmes.models import MigrantCategory, Programme


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    COUNSELLING = "counselling", _("Counselling")
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    PREPARING_DEPARTURE = "preparing_departure", _("Preparing departure")
    READY_TO_TRAVEL = "ready_to_travel", _("Ready to travel")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
    REINTEGRATION = "reintegration", _("Reintegration")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")
    ON_HOLD = "on_hold", _("On hold")
    REFERRED_ALTERNATIVE = "referred_alternative", _("Referred to an alternative pathway")
    CANCELLED = "cancelled", _("Cancelled")


# The main road, in order. Side exits and `on_hold` are off it.
MAIN_ROAD = [
    Status.REGISTERED, Status.COUNSELLING, Status.APPLIED, Status.APPROVED,
    Status.PREPARING_DEPARTURE, Status.READY_TO_TRAVEL, Status.DEPARTED, Status.ARRIVED,
    Status.REINTEGRATION, Status.MONITORING, Status.CLOSED,
]
FINAL = frozenset({Status.CLOSED, Status.WITHDRAWN, Status.REJECTED,
                   Status.REFERRED_ALTERNATIVE, Status.CANCELLED})
OPEN = frozenset(Status) - FINAL


class Relationship(models.TextChoices):
    PRINCIPAL = "principal", _("Principal applicant")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Other")


class Vulnerability(models.TextChoices):
    """Coded vulnerability flags, screened per person."""

    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied child")
    SEPARATED_CHILD = "separated_child", _("Separated child")
    SINGLE_PARENT = "single_parent", _("Single parent with children")
    ELDERLY = "elderly", _("Older person")
    PREGNANT = "pregnant", _("Pregnant or nursing")
    DISABILITY = "disability", _("Person with a disability")
    MEDICAL = "medical", _("Serious medical condition")
    MENTAL_HEALTH = "mental_health", _("Mental health or psychosocial needs")
    TRAFFICKING = "trafficking", _("Victim of trafficking")
    GBV = "gbv", _("Survivor of gender-based violence")
    TORTURE = "torture", _("Survivor of torture or violence")
    OTHER = "other", _("Other vulnerability")


def validate_vulnerabilities(codes: list[str]) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    if not isinstance(codes, list) or any(c not in Vulnerability.values for c in codes):
        raise ValidationError(gettext("Choose vulnerabilities from the coded list."))


class Case(models.Model):
    """One return: a principal applicant and the family members who return with them."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    host_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("host office"))
    origin_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+",
                                      null=True, blank=True, verbose_name=_("origin office"))
    destination_country = models.CharField(_("destination country"), max_length=3,
                                           validators=[validate_country])
    destination_area = models.CharField(_("destination area"), max_length=200, blank=True)
    # ISO 3166-2 code of a subdivision of the destination country: return suspensions may
    # cover one subdivision only.
    destination_subdivision = models.CharField(
        _("destination subdivision"), max_length=10, blank=True, default="",
        db_default="",  # rows bulk-loaded without the column (demo/bulk.py) get none
        validators=[validate_subdivision],
        help_text=_("ISO 3166-2 code of the region returned to, such as IQ-BG for Baghdad. "
                    "Optional."))
    # The date the return is planned for, before an itinerary is booked: travel documents
    # must be valid on it.
    planned_departure_on = models.DateField(_("planned departure date"), null=True,
                                            blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases",
                                  null=True, blank=True, verbose_name=_("programme"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="assigned_cases", null=True, blank=True,
                                 verbose_name=_("assigned caseworker"))
    status = models.CharField(_("status"), max_length=30, choices=Status.choices,
                              default=Status.REGISTERED, editable=False)
    # Where to go back to when a hold is lifted.
    held_from = models.CharField(max_length=30, choices=Status.choices, blank=True,
                                 editable=False)
    status_changed_at = models.DateTimeField(editable=False)
    # Set when the case is handed over to the origin office (on booking, with consent);
    # from then on the origin office sees it.
    handed_over_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What approval committed against the programme's budget (its currency): the
    # assistance package's total for the case, or members × the planned cost per returnee
    # (`programmes.package.commitment`). Set by the approval step; released when the case
    # ends before it is handed over (`programmes.eligibility.committed_amount`).
    commitment = models.DecimalField(max_digits=16, decimal_places=3, null=True, blank=True,
                                     editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set when retention anonymised the case (`privacy.retention`): its personal data are
    # gone, its facts for statistics kept.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True)
    updated_at = models.DateTimeField(auto_now=True)
    people = models.ManyToManyField(Person, through="CaseMember", related_name="cases")

    class Meta:
        verbose_name = _("case")
        indexes = [
            # "My work": a caseworker's open cases by status.
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            # Office-scoped lists and search.
            models.Index(fields=["host_office", "status"], name="case_office_status"),
            models.Index(fields=["origin_office", "handed_over_at"], name="case_origin"),
        ]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        problem = self.destination_country and subdivision_error(
            self.destination_subdivision, self.destination_country)
        if problem:
            raise ValidationError({"destination_subdivision": problem})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def principal(self) -> "CaseMember | None":
        return next((m for m in self.members.all()
                     if m.relationship == Relationship.PRINCIPAL), None)


class CaseMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(_("relationship to the principal applicant"),
                                    max_length=20, choices=Relationship.choices)
    category = models.CharField(_("migrant category"), max_length=20,
                                choices=MigrantCategory.choices)
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True,
                                       validators=[validate_vulnerabilities])

    class Meta:
        verbose_name = _("case member")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_member_unique"),
            models.UniqueConstraint(fields=["case"], condition=models.Q(relationship="principal"),
                                    name="case_one_principal"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"

    def vulnerability_labels(self) -> list[str]:
        return [str(Vulnerability(v).label) for v in self.vulnerabilities]


class ReferenceCounter(models.Model):
    """The last case number used per host country and year (DEU-2026-000123)."""

    country = models.CharField(max_length=3)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="refcounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.country}-{self.year}: {self.last}"


class TimelineKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    TRANSITION = "transition", _("Status changed")
    CHANGED = "changed", _("Case details changed")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    ASSIGNED = "assigned", _("Assigned")
    COUNSELLING = "counselling", _("Counselling session")
    CONSENT = "consent", _("Consent")


class TimelineEntry(models.Model):
    """What happened to a case, in order. Transitions carry from, to and reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", null=True)
    kind = models.CharField(max_length=20, choices=TimelineKind.choices)
    from_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    reason = models.TextField(blank=True)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The case page reads the newest entries of one case.
            models.Index(fields=["case", "-at"], name="timeline_case_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d}"
