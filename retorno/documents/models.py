"""Travel documents: the passport, identity card or emergency travel document
(laissez-passer) each member of a case travels on, and where obtaining it stands.

A document has a status (`workflow.MOVES` says where each status may go): to request →
requested from the consulate → issued → collected, or refused (and then requested
again). A document the person already holds is recorded straight as issued or
collected. The ready_to_travel guard (`guards.travel_documents_valid`) wants, for every
member, an issued or collected document that is still valid on the case's planned
departure date.

The issuing country is an ISO 3166 alpha-3 code, like the other countries Retorno
stores. A machine-readable zone may name states that are not ISO countries (the ICAO
specimen state UTO, the United Nations' UNO, stateless XXA…): `mrz.py` reads them, but
a document recorded here needs a real issuing country, which the user then chooses.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.lib.codes import country_name, validate_country
from retorno.people.models import Person


class Kind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    EMERGENCY_TRAVEL_DOCUMENT = "emergency_travel_document", _(
        "Emergency travel document / laissez-passer")


class DocumentStatus(models.TextChoices):
    TO_REQUEST = "to_request", _("To request")
    REQUESTED = "requested", _("Requested from the consulate")
    ISSUED = "issued", _("Issued")
    COLLECTED = "collected", _("Collected")
    REFUSED = "refused", _("Refused")


# A document in one of these is in the person's (or the office's) hands and can be
# travelled on, if it has not expired.
HELD = frozenset({DocumentStatus.ISSUED, DocumentStatus.COLLECTED})

validate_number = RegexValidator(
    r"^[A-Z0-9]+\Z",
    _("Use capital letters A–Z and digits only, as in the machine-readable zone (no "
      "spaces, dashes or other signs)."))


def validate_not_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(gettext("This date cannot be in the future."))


class TravelDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="travel_documents",
                             verbose_name=_("case"))
    # The person, not the CaseMember row: taking someone off a case deletes that row,
    # and the documents are kept.
    person = models.ForeignKey(Person, on_delete=models.PROTECT,
                               related_name="travel_documents", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    number = models.CharField(
        _("document number"), max_length=30, blank=True, validators=[validate_number],
        help_text=_("As printed on the document. Required once the document is issued."))
    issuing_country = models.CharField(
        _("issuing country"), max_length=3, validators=[validate_country],
        help_text=_("ISO 3166 alpha-3 code of the country that issues the document, e.g. "
                    "IRQ."))
    issued_on = models.DateField(_("issued on"), null=True, blank=True,
                                 validators=[validate_not_future])
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True,
        help_text=_("Required once the document is issued. It must cover the planned "
                    "departure date."))
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.TO_REQUEST, editable=False)
    authority = models.CharField(
        _("issuing authority"), max_length=200, blank=True,
        help_text=_("Who issues it or was asked for it, e.g. “Consulate of Iraq, Berlin”."))
    requested_on = models.DateField(_("requested on"), null=True, blank=True,
                                    validators=[validate_not_future])
    follow_up_on = models.DateField(
        _("follow up on"), null=True, blank=True,
        help_text=_("When to ask the consulate again. Two weeks after the request unless "
                    "you choose another date."))
    status_changed_on = models.DateField(_("status changed on"), editable=False)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("travel document")
        ordering = ["person_id", "id"]
        indexes = [
            # The case page's section and the ready_to_travel guard: one case's documents,
            # per member.
            models.Index(fields=["case", "person"], name="travel_document_case_person"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person_id} {self.kind}"

    def clean(self) -> None:
        # What each status needs, and dates in order. Run by the services (through
        # lib.models.validate) and so shown next to the fields of the form.
        errors: dict[str, str] = {}
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            errors["expires_on"] = gettext("The expiry date must be after the issue date.")
        if self.requested_on and self.follow_up_on and self.follow_up_on < self.requested_on:
            errors["follow_up_on"] = gettext("The follow-up cannot come before the request.")
        if self.status == DocumentStatus.REQUESTED and not self.requested_on:
            errors["requested_on"] = gettext("Give the date the document was requested.")
        if self.status in HELD:
            if not self.number:
                errors["number"] = gettext("An issued document needs its number.")
            if not self.expires_on:
                errors.setdefault("expires_on", gettext(
                    "An issued document needs its expiry date."))
        if self.status == DocumentStatus.REFUSED and not self.refusal_reason.strip():
            errors["refusal_reason"] = gettext("Say why the document was refused.")
        if self.status != DocumentStatus.REFUSED and self.refusal_reason.strip():
            errors["refusal_reason"] = gettext("Only a refused document has a reason for "
                                               "the refusal.")
        if errors:
            raise ValidationError(errors)

    def issuing_country_name(self) -> str:
        return country_name(self.issuing_country)
