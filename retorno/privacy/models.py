from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office


class AuditType(models.IntegerChoices):
    """Numbered by domain: 1xx people, 2xx cases (21x counselling, 22x fitness to travel,
    23x screening, 24x pathways), 3xx movement, reintegration, money and monitoring, 4xx
    consent and data protection, 5xx reads of personal data, 6xx sign-in. Gaps are
    reserved for later events."""

    PERSON_CREATED = 101, _("Person registered")
    PERSON_CHANGED = 102, _("Person changed")
    PERSON_DOCUMENT_ADDED = 103, _("Identity document added")
    CASE_CREATED = 201, _("Case opened")
    CASE_CHANGED = 202, _("Case changed")
    CASE_MEMBER_ADDED = 203, _("Case member added")
    CASE_MEMBER_REMOVED = 204, _("Case member removed")
    CASE_TRANSITIONED = 205, _("Case status changed")
    CASE_ASSIGNED = 206, _("Case assigned")
    COUNSELLING_RECORDED = 210, _("Counselling session recorded")
    COUNSELLING_CHANGED = 211, _("Counselling session changed")
    FITNESS_RECORDED = 220, _("Fitness to travel recorded")
    FITNESS_CHANGED = 221, _("Fitness to travel changed")
    SCREENING_RECORDED = 230, _("Vulnerability screening recorded")
    BID_RECORDED = 231, _("Best-interest determination recorded")
    PATHWAY_PROPOSED = 240, _("Alternative pathway proposed")
    PATHWAY_CHANGED = 241, _("Alternative pathway status changed")
    DECLARATION_PRINTED = 250, _("Voluntary return declaration printed")
    DECLARATION_SIGNED = 251, _("Signed voluntary return declaration recorded")
    DECLARATION_SCAN_READ = 252, _("Signed declaration scan opened")
    DECLARATION_TEMPLATE_SAVED = 253, _("Declaration template saved")
    TRAVEL_DOCUMENT_RECORDED = 260, _("Travel document recorded")
    TRAVEL_DOCUMENT_CHANGED = 261, _("Travel document changed")
    TASK_COMPLETED = 270, _("Task completed")
    TASK_REASSIGNED = 271, _("Task reassigned")
    ITINERARY_RECORDED = 280, _("Itinerary recorded")
    ITINERARY_CHANGED = 281, _("Itinerary changed")
    ITINERARY_BOOKED = 282, _("Itinerary booked")
    DEPARTURE_RECORDED = 283, _("Departure details recorded")
    MANIFEST_EXPORTED = 284, _("Departure manifest exported")
    TRANSIT_ASSISTED = 285, _("Transit assistance confirmed")
    SUSPENSION_SET = 290, _("Return suspension set")
    SUSPENSION_LIFTED = 291, _("Return suspension lifted")
    HANDOVER_ACCEPTED = 300, _("Handover accepted by the office of origin")
    RECEPTION_CHANGED = 301, _("Reception plan or arrival recorded")
    PLAN_CHANGED = 310, _("Reintegration plan recorded or changed")
    PLAN_APPROVED = 311, _("Reintegration plan approved")
    PLAN_REOPENED = 312, _("Reintegration plan reopened")
    ASSISTANCE_ITEM_CHANGED = 313, _("Assistance item recorded or changed")
    MILESTONE_CHANGED = 314, _("Plan milestone recorded or changed")
    COMMUNITY_PROJECT_CHANGED = 315, _("Community project recorded or changed")
    GRANT_AWARDED = 320, _("Grant awarded or changed")
    DISBURSEMENT_REQUESTED = 321, _("Disbursement requested")
    DISBURSEMENT_DECIDED = 322, _("Disbursement approved or rejected")
    DISBURSEMENT_PAID = 323, _("Disbursement paid")
    RECEIPT_READ = 324, _("Disbursement receipt opened")
    EXCHANGE_RATES_IMPORTED = 325, _("Exchange rates imported")
    PACKAGE_CHANGED = 326, _("Assistance package or programme budget changed")
    FINANCE_EXPORTED = 327, _("Finance report exported")
    PARTNER_CHANGED = 330, _("Partner organisation recorded or changed")
    AGREEMENT_RECORDED = 331, _("Data-sharing agreement recorded")
    PARTNER_USER_LINKED = 332, _("Partner user linked")
    REFERRAL_SENT = 333, _("Referral sent to a partner")
    REFERRAL_CHANGED = 334, _("Referral answered, updated or closed")
    SURVEY_VERSION_LOADED = 340, _("Survey instrument version loaded")
    SURVEY_RESPONSE_RECORDED = 341, _("Survey response recorded")
    SURVEY_SUBMISSIONS_IMPORTED = 342, _("Survey submissions imported")
    SURVEY_XLSFORM_EXPORTED = 343, _("Survey form exported as XLSForm")
    MONITORING_SCHEDULE_CHANGED = 350, _("Monitoring schedule changed")
    MONITORING_VISIT_RECORDED = 351, _("Monitoring visit or call recorded")
    MONITORING_VISIT_CHANGED = 352, _("Monitoring visit or call changed")
    FEEDBACK_RECEIVED = 360, _("Feedback or complaint received")
    FEEDBACK_CATEGORISED = 361, _("Feedback or complaint categorised")
    FEEDBACK_ASSIGNED = 362, _("Feedback or complaint assigned")
    FEEDBACK_ANSWERED = 363, _("Feedback or complaint answered")
    FEEDBACK_CLOSED = 364, _("Feedback or complaint closed")
    FEEDBACK_REOPENED = 365, _("Feedback or complaint reopened")
    REGION_CHANGED = 370, _("Region changed")
    STATISTICS_EXPORTED = 380, _("Statistics exported")
    CASE_EXTRACT_MADE = 381, _("Pseudonymised case-level extract made")
    REPORT_BUILT = 382, _("Report built")
    CONSENT_RECORDED = 401, _("Consent recorded")
    CONSENT_WITHDRAWN = 402, _("Consent withdrawn")
    PERSON_CORRECTED = 410, _("Personal data corrected at the person's request")
    SUBJECT_ACCESS_EXPORTED = 411, _("Everything held about a person exported")
    RETENTION_REVIEWED = 420, _("Retention dry run reviewed")
    CASE_ANONYMISED = 421, _("Case anonymised at the end of its retention period")
    AUDIT_ENTRY_REDACTED = 422, _("Audit entry redacted by anonymisation")
    ENCRYPTION_KEYS_ROTATED = 430, _("Encryption keys rotated")
    # Reads of personal data (5xx): who looked at what, from where.
    PERSON_VIEWED = 501, _("Person record viewed")
    CASE_VIEWED = 502, _("Case viewed")
    API_READ = 503, _("Personal data read through the API")
    EXPORT_DOWNLOADED = 504, _("Export with personal data downloaded")
    FILE_DOWNLOADED = 505, _("Document or PDF downloaded")
    AUDIT_SEARCHED = 506, _("Audit log searched")
    # Sign-in (6xx).
    SIGNED_IN = 601, _("Signed in")
    SIGN_IN_FAILED = 602, _("Sign-in failed")
    ACCOUNT_LOCKED = 603, _("Account locked after repeated failures")
    SIGNED_OUT = 604, _("Signed out")
    TWO_FACTOR_ENROLLED = 605, _("Two-factor authentication set up")
    RECOVERY_CODES_MADE = 606, _("Recovery codes made")
    TWO_FACTOR_RESET = 607, _("Two-factor authentication reset")
    RECOVERY_CODE_USED = 608, _("Recovery code used")


class AuditEvent(models.Model):
    """Who did what to which record, with the values before and after.

    Examples of what is filled:
    - a person registered: type 101, target ("person", id), extra {"new": {...fields}};
    - a case's destination changed: type 202, target ("case", id), case set,
      extra {"old": {"destination_country": "IRQ"}, "new": {"destination_country": "SYR"}};
    - a transition: type 205, extra {"old": {"status": "registered"},
      "new": {"status": "counselling"}, "reason": "..."}.
    `case` is set on every event about a case or about a person seen through one, so the
    case page can list its history with one indexed query.
    """

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", null=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", null=True)
    event_type = models.PositiveSmallIntegerField(choices=AuditType.choices)
    target_type = models.CharField(max_length=30)
    target_id = models.BigIntegerField()
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+",
                             null=True)
    extra = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The audit section of the case page.
            models.Index(fields=["case", "-at"], name="audit_case_at"),
            # "Who touched this record": the data protection focal point's review.
            models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} {self.target_type}:{self.target_id}"


class ConsentPurpose(models.TextChoices):
    """What a person may agree to, each separately (DESIGN.md: "consent")."""

    PROCESSING = "processing", _("Processing for assistance")
    ORIGIN_OFFICE = "origin_office", _("Sharing with the office in the country of origin")
    TRANSIT = "transit", _("Sharing travel details with offices in transit countries")
    PARTNER = "partner", _("Sharing with a partner organisation")
    MONITORING = "monitoring", _("Monitoring surveys after return")
    OUTREACH = "outreach", _("Use of their story or photo for outreach")


class Consent(models.Model):
    """One person's consent to one purpose (for sharing with a partner: one partner).

    Active until withdrawn; a withdrawal takes effect at once and is never undone (the
    person gives consent again, which is a new row). For a child, `guardian_name` and
    `guardian_relationship` say who gave it. `case` is the case through which it was
    recorded, whose timeline tells the story; the consent itself belongs to the person.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT,
                               related_name="consents", verbose_name=_("person"))
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="consents",
                             verbose_name=_("recorded through case"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    # Partners become their own model in a later issue; until then, the name as text.
    partner_name = models.CharField(_("partner organisation"), max_length=200, blank=True)
    given_on = models.DateField(_("date given"))
    form_version = models.CharField(_("form version"), max_length=50)
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_relationship = models.CharField(_("guardian's relationship to the child"),
                                             max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True,
                                        editable=False)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True, editable=False,
                                     verbose_name=_("withdrawn by"))
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True,
                                         editable=False)

    class Meta:
        verbose_name = _("consent")
        ordering = ["person_id", "purpose", "-recorded_at", "-id"]
        constraints = [
            # At most one active consent per person, purpose and partner.
            models.UniqueConstraint(fields=["person", "purpose", "partner_name"],
                                    condition=models.Q(withdrawn_at__isnull=True),
                                    name="consent_one_active"),
        ]
        indexes = [
            # has_consent / missing_consent: a person's active consents for a purpose.
            models.Index(fields=["person", "purpose", "withdrawn_at"], name="consent_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose} {self.given_on}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
