"""Feedback and complaints from migrants and returnees.

An item is received through any channel: in person, on the phone or the hotline, by email
or letter (recorded by a member of staff), or through the public web form, which needs
no sign-in. Whoever gave it gets a **reference** ("FB-" and 8 characters from an
unambiguous alphabet, drawn with `secrets`): it reveals neither the order nor the volume
of items and cannot be guessed.

Each item belongs to the **receiving office**, is categorised, assigned to a handler and
answered by a deadline (`deadlines.py`). Complaints of sexual exploitation and abuse and
of fraud or corruption are **sensitive** (`SENSITIVE_CATEGORIES`; the service derives the
flag from the category, nobody sets it): only the office's designated focal points read
and handle them, and never a member of staff the complaint `concerns`
(`feedback.policy`). A sensitive item never reaches a case's timeline or audit page: its
audit events name the item, never the case.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    HOTLINE = "hotline", _("Hotline")
    EMAIL = "email", _("Email")
    WEB = "web", _("Public web form")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    FEEDBACK = "feedback", _("Feedback or suggestion")
    COMPLIMENT = "compliment", _("Compliment")
    QUESTION = "question", _("Question")


class Category(models.TextChoices):
    INFORMATION = "information", _("Information and counselling")
    DELAYS = "delays", _("Delays")
    GRANTS = "grants", _("Grants and payments")
    TRAVEL = "travel", _("Travel")
    REINTEGRATION = "reintegration", _("Reintegration assistance")
    PARTNERS = "partners", _("Partner services")
    STAFF_CONDUCT = "staff_conduct", _("Staff conduct")
    DATA_PROTECTION = "data_protection", _("Data protection")
    SEA = "sea", _("Sexual exploitation and abuse")
    FRAUD = "fraud", _("Fraud or corruption")
    OTHER = "other", _("Other")


# Read and handled by the designated focal points only.
SENSITIVE_CATEGORIES = frozenset({Category.SEA, Category.FRAUD})


def is_sensitive(category: str) -> bool:
    return category in SENSITIVE_CATEGORIES


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)


class Feedback(models.Model):
    reference = models.CharField(_("reference"), max_length=11, unique=True, editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("receiving office"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # Derived from the category by the services; never chosen.
    sensitive = models.BooleanField(_("sensitive"), default=False, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("case"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    name = models.CharField(_("name"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    # One of the interface languages (settings.LANGUAGES), checked by the services.
    language = models.CharField(_("preferred language"), max_length=10, blank=True)
    description = models.TextField(_("description"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+", editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.RECEIVED, editable=False)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("assigned to"))
    due_on = models.DateField(_("answer due on"))
    response = models.TextField(_("response"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True,
                                       editable=False)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+", editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # The members of staff the complaint is about: they never see it.
    concerns = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                      verbose_name=_("staff concerned"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "-received_at", "-id"]
        verbose_name = _("feedback or complaint")
        verbose_name_plural = _("feedback and complaints")
        indexes = [
            # The inbox: an office's items of one sensitivity, by status and deadline.
            models.Index(fields=["office", "sensitive", "status", "due_on"],
                         name="feedback_inbox"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def language_name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()
