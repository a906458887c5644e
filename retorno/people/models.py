from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office
from retorno.lib.codes import validate_country, validate_languages
from retorno.lib.text import fold


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    UNKNOWN = "U", _("Not recorded")


class Person(models.Model):
    """A migrant. Names are kept as the person writes them and in Latin letters.

    `search_text` is derived (see `refresh_search_text`) and holds every name folded
    for case-, accent- and script-variant-insensitive search.
    """

    given_name = models.CharField(_("given name (Latin letters)"), max_length=100)
    family_name = models.CharField(_("family name (Latin letters)"), max_length=100, blank=True)
    given_name_original = models.CharField(_("given name (original script)"), max_length=100,
                                           blank=True)
    family_name_original = models.CharField(_("family name (original script)"),
                                            max_length=100, blank=True)
    aliases = models.CharField(_("other names and spellings"), max_length=300, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    date_of_birth_approximate = models.BooleanField(_("date of birth is approximate"),
                                                    default=False)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True,
                                   validators=[validate_country])
    languages = models.JSONField(_("languages"), default=list, blank=True,
                                 validators=[validate_languages])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    registered_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("registered by office"))
    search_text = models.TextField(editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set when retention anonymised the person with the last of their cases.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # Duplicate detection at registration and search by date of birth.
            models.Index(fields=["date_of_birth"], name="person_dob"),
            models.Index(fields=["registered_office"], name="person_office"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        latin = " ".join(p for p in (self.given_name, self.family_name) if p)
        original = " ".join(p for p in (self.given_name_original, self.family_name_original)
                            if p)
        return f"{latin} ({original})" if original and original != latin else latin

    def refresh_search_text(self) -> None:
        self.search_text = fold(" ".join((
            self.given_name, self.family_name, self.given_name_original,
            self.family_name_original, self.aliases,
        )))


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    EMERGENCY_TRAVEL_DOCUMENT = "etd", _("Emergency travel document / laissez-passer")
    OTHER = "other", _("Other")


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=50)
    issuing_country = models.CharField(_("issuing country"), max_length=3,
                                       validators=[validate_country])
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity document")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


def display_names(people: Iterable[Person]) -> str:
    """The people's display names, comma-separated: how messages list the members they
    are about."""
    return ", ".join(p.display_name for p in people)
