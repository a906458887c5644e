"""The voluntary return declaration: the text the person signs, saying they wish to return
of their own free will, that they were informed, and that they may withdraw at any time.

`DeclarationTemplate` is the text, per language and version, as data an administrator
adds (`placeholders` says what it may contain). A template is never edited once saved: a
printed declaration names the exact version it was printed from; a correction is a new
version, which replaces the language's active one.

`Declaration` is one printing for a case, and then the signed copy recorded for it: the
date and place of signing, the interpreter if there was one, and the scan. A case may
have several (printed again after a family change); the latest signed one counts
(`current.latest_signed`). The scan is stored under MEDIA_ROOT/declarations/<case
reference>/ and never served by URL: it is read through `services.read_scan`.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Case
from retorno.declarations import languages
from retorno.declarations.placeholders import compile_body
from retorno.lib.codes import language_name, validate_languages
from retorno.lib.errors import Invalid
from retorno.lib.uploads import EXTENSIONS


def validate_body(body: str) -> None:
    try:
        compile_body(body)
    except Invalid as exc:
        raise ValidationError(exc.field_errors.get("body") or exc.messages) from None


class DeclarationTemplate(models.Model):
    language = models.CharField(
        _("language"), max_length=10, validators=[languages.validate_language],
        help_text=_("A language of the interface (en, fr…) or an ISO 639 code (e.g. fa, "
                    "prs, wol)."))
    version = models.CharField(_("version"), max_length=30,
                               help_text=_("A label of your choice, e.g. 2026-1."))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), validators=[validate_body])
    active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Declarations are printed from the active version of each language."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, editable=False,
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declaration template")
        ordering = ["language", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["language", "version"],
                                    name="declaration_template_version"),
            # One active version per language: the one declarations are printed from.
            models.UniqueConstraint(fields=["language"], condition=models.Q(active=True),
                                    name="declaration_template_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.version}"

    def language_name(self) -> str:
        return languages.display_name(self.language)


def validate_interpreter_language(code: str) -> None:
    validate_languages([code])


def scan_path(declaration: "Declaration", filename: str) -> str:
    # Named by the case and a random part, never by the uploaded file's name (which may
    # hold a person's name, and which the user chose).
    extension = EXTENSIONS.get(declaration.scan_content_type, "bin")
    return (f"declarations/{declaration.case.reference}/"
            f"{declaration.pk or 'new'}-{uuid.uuid4().hex}.{extension}")


class Declaration(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="declarations",
                             verbose_name=_("case"))
    template = models.ForeignKey(DeclarationTemplate, on_delete=models.PROTECT,
                                 related_name="declarations", verbose_name=_("template"))
    language = models.CharField(_("language"), max_length=10)
    # The people listed on the printed declaration (person ids, principal first): a family
    # change after printing means printing it again.
    members = models.JSONField(_("members listed"), default=list)
    printed_at = models.DateTimeField(_("printed at"))
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("printed by"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    place = models.CharField(_("place of signing"), max_length=200, blank=True)
    interpreter_name = models.CharField(
        _("interpreter's name"), max_length=200, blank=True,
        help_text=_("Leave empty when no interpreter was needed."))
    interpreter_language = models.CharField(
        _("interpreter's language"), max_length=3, blank=True,
        validators=[validate_interpreter_language],
        help_text=_("The language the interpreter translated into (ISO 639-3)."))
    scan = models.FileField(_("signed copy"), upload_to=scan_path, max_length=255,
                            blank=True)
    scan_content_type = models.CharField(max_length=50, blank=True, editable=False)
    scan_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    scan_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True, editable=False,
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True,
                                       editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("voluntary return declaration")
        ordering = ["-printed_at", "-id"]
        indexes = [
            # The case page and the `applied` guard: a case's declarations, newest first.
            models.Index(fields=["case", "-printed_at", "-id"], name="declaration_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.language} {self.printed_at:%Y-%m-%d}"

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None and bool(self.scan)

    def language_name(self) -> str:
        return languages.display_name(self.language)

    def interpreter_language_name(self) -> str:
        return language_name(self.interpreter_language) if self.interpreter_language else ""

    def printed_on(self) -> datetime.date:
        return timezone.localdate(self.printed_at)

    def clean(self) -> None:
        # Run by the services (through lib.models.validate) and by the form.
        errors: dict[str, str] = {}
        if isinstance(self.signed_on, datetime.date):
            if self.signed_on > timezone.localdate():
                errors["signed_on"] = gettext("The declaration cannot have been signed in "
                                              "the future.")
            elif self.printed_at and self.signed_on < self.printed_on():
                printed = formats.date_format(self.printed_on(), "SHORT_DATE_FORMAT")
                errors["signed_on"] = gettext(
                    "The declaration was printed on %(day)s: it cannot have been signed "
                    "before.") % {"day": printed}
        name = self.interpreter_name.strip()
        if name and not self.interpreter_language:
            errors["interpreter_language"] = gettext(
                "Give the language the interpreter translated into.")
        if self.interpreter_language and not name:
            errors["interpreter_name"] = gettext(
                "Give the interpreter's name, or leave the language empty too.")
        if errors:
            raise ValidationError(errors)
