from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office


class AuditType(models.IntegerChoices):
    """Numbered by domain: 1xx people, 2xx cases (21x counselling), 4xx consent. Gaps are
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
    CONSENT_RECORDED = 401, _("Consent recorded")
    CONSENT_WITHDRAWN = 402, _("Consent withdrawn")


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
