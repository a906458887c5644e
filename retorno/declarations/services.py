"""Printing voluntary return declarations, recording their signed copies, opening the
scans, and managing the declaration's texts. The only way their rows (and the scan
files) are written.

Each public function checks permission through `declarations.policy`, validates, writes,
records the audit event (and, for a case, the timeline entry), all in one transaction,
and raises a `retorno.lib.errors.ServiceError` with a translated message when it
refuses. Slow work (filling in the text, drawing the PDF, checking an upload) is done
before the transaction opens.

A scan file is written before the transaction and deleted again if the transaction
fails, so a refused or failed recording leaves neither a row nor a file behind. A scan
replaced by a new one is deleted once the new one is committed. (If a caller wraps a
service in its own transaction and rolls that back afterwards, the file written stays
on disk, named by nothing.)
"""

from typing import IO, Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.cases.models import Case, Relationship, TimelineKind
from retorno.cases.services import record_timeline
from retorno.declarations import current, languages, placeholders, policy
from retorno.declarations.content import context, members_in_order
from retorno.declarations.models import Declaration, DeclarationTemplate, scan_path
from retorno.declarations.pdf import render_pdf
from retorno.declarations.scans import read_scan as check_scan
from retorno.lib.codes import language_name
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate, validate_together
from retorno.lib.uploads import EXTENSIONS
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType

TEMPLATE_FIELDS = ["language", "version", "title", "body", "active"]
SIGNED_FIELDS = ["signed_on", "place", "interpreter_name", "interpreter_language"]
# What the audit log shows of a signed copy: the fields, and the file by its fingerprint.
SIGNED_AUDITED = [*SIGNED_FIELDS, "scan_content_type", "scan_size", "scan_sha256"]


# ---- templates --------------------------------------------------------------------------


def _require_manage(actor: User | None) -> None:
    # No actor: the command line (load_declaration_template), run by whoever installs
    # Retorno on the server.
    if actor is not None and not policy.can_manage_templates(actor):
        raise NotAllowed(_("Only a programme manager may add or retire declaration "
                           "templates."))


def _retire_others(template: DeclarationTemplate) -> list[int]:
    """Deactivate the language's other active versions; their ids."""
    others = list(DeclarationTemplate.objects.filter(language=template.language, active=True)
                  .exclude(pk=template.pk).values_list("pk", flat=True))
    DeclarationTemplate.objects.filter(pk__in=others).update(active=False)
    return others


def save_template(*, actor: User | None, data: dict[str, Any]) -> DeclarationTemplate:
    """Add a declaration template: a new language, or a new version of one. It is active
    unless `active` is False, and then replaces the language's active version, which is
    kept (printed declarations name it) but no longer printed. Audit event 253.

    `actor` None is the command line (`manage.py load_declaration_template`)."""
    _require_manage(actor)
    refuse_unknown_fields(data, TEMPLATE_FIELDS)
    template = DeclarationTemplate(created_by=actor, **data)
    template.language = languages.canonical(template.language)
    template.version = (template.version or "").strip()
    template.title = (template.title or "").strip()
    validate(template, exclude=["created_by"])
    taken = _("There is already a version “%(version)s” in %(language)s: give the new one "
              "another label.") % {"version": template.version,
                                   "language": template.language_name()}
    if DeclarationTemplate.objects.filter(language=template.language,
                                          version=template.version).exists():
        raise Invalid(taken, field_errors={"version": [taken]})
    try:
        with transaction.atomic():
            retired = _retire_others(template) if template.active else []
            template.save()
            audit.record(AuditType.DECLARATION_TEMPLATE_SAVED, template, actor=actor,
                         office_id=None,
                         new=audit.snapshot(template, ["language", "version", "title",
                                                       "active"]),
                         retired=retired or None,
                         via="command line" if actor is None else None)
    except IntegrityError:
        # Someone saved the same version, or activated another, at the same moment.
        raise Invalid(taken, field_errors={"version": [taken]}) from None
    return template


def set_template_active(*, actor: User | None, template: DeclarationTemplate,
                        active: bool) -> DeclarationTemplate:
    """Retire a template (no longer printed) or bring it back; bringing it back retires
    the language's other active version. Audit event 253 with the old and new state."""
    _require_manage(actor)
    # As stored now: another version may have been activated since `template` was read.
    template.active = DeclarationTemplate.objects.filter(pk=template.pk).values_list(
        "active", flat=True).get()
    if template.active == active:
        return template
    try:
        with transaction.atomic():
            retired = _retire_others(template) if active else []
            DeclarationTemplate.objects.filter(pk=template.pk).update(active=active)
            template.active = active
            audit.record(AuditType.DECLARATION_TEMPLATE_SAVED, template, actor=actor,
                         office_id=None, old={"active": not active}, new={"active": active},
                         retired=retired or None)
    except IntegrityError:
        raise Invalid(_("Someone else changed the templates of this language at the same "
                        "moment. Reload the page and try again.")) from None
    return template


# ---- printing ---------------------------------------------------------------------------


def require_record(actor: User, case: Case) -> None:
    """Refuse unless `actor` may print declarations and record signed copies on `case`
    now."""
    if not policy.may_record(actor, case):
        raise NotAllowed(_("Only the caseworkers and supervisors of the host office may "
                           "print declarations and record signed copies on case %(ref)s.")
                         % {"ref": case.reference})
    if not case.is_open:
        raise Invalid(_("Case %(ref)s is %(status)s and can no longer be changed.")
                      % {"ref": case.reference, "status": case.get_status_display()})


def _template_for(language: str) -> DeclarationTemplate:
    template = policy.active_templates().filter(language=language).first()
    if template is None:
        available = ", ".join(f"{t.language_name()} ({t.language})"
                              for t in policy.active_templates()) or _("none")
        message = _("There is no declaration template in “%(language)s”. Templates exist "
                    "in: %(available)s.") % {"language": language, "available": available}
        raise Invalid(message, field_errors={"language": [message]})
    return template


def print_declaration(actor: User, case: Case, language: str | None = None, *,
                      render: bool = True) -> tuple[Declaration, bytes | None]:
    """Fill in the active template of `language` (by default `current.default_language`)
    for `case` and draw it as a PDF; record that it was printed, from which template
    version, listing whom. Audit event 250, timeline entry. Returns the new declaration
    and the PDF's bytes; with `render=False` (the demo seed and tests, which need the
    record, not the drawing) the text is still filled in and checked but not drawn, and
    the bytes are None."""
    require_record(actor, case)
    code = languages.canonical(language) if language else current.default_language(case,
                                                                                   actor)
    template = _template_for(code)
    members = members_in_order(case)
    if not any(m.relationship == Relationship.PRINCIPAL for m in members):
        raise Invalid(_("Add the principal applicant to the case before printing the "
                        "declaration."))
    now = timezone.now()
    day = timezone.localdate(now)
    text = placeholders.render_body(template.body, context(case, members, code, day))
    blocks = placeholders.layout(text)
    pdf = render_pdf(title=template.title, text_blocks=blocks, language=code,
                     reference=case.reference, printed_on=day,
                     template_label=f"{template.language} {template.version}") if render else None
    declaration = Declaration(case=case, template=template, language=code,
                              members=[m.person_id for m in members], printed_at=now,
                              printed_by=actor)
    with transaction.atomic():
        declaration.save()
        audit.record(AuditType.DECLARATION_PRINTED, declaration, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     new={"template": template.pk, "language": code,
                          "template_version": template.version,
                          "members": declaration.members})
        record_timeline(case, actor, TimelineKind.CHANGED,
                        _("Voluntary return declaration printed (%(language)s, version "
                          "%(version)s)") % {"language": template.language_name(),
                                             "version": template.version})
    return declaration, pdf


# ---- the signed copy --------------------------------------------------------------------


def _required(declaration: Declaration) -> None:
    errors = {}
    if declaration.signed_on is None:
        errors["signed_on"] = [_("Give the date the declaration was signed.")]
    if not declaration.place:
        errors["place"] = [_("Give the place where the declaration was signed.")]
    if errors:
        raise Invalid(*[m for msgs in errors.values() for m in msgs], field_errors=errors)


def record_signed_declaration(*, actor: User, declaration: Declaration, data: dict[str, Any],
                              scan: IO[bytes] | None, version: int) -> Declaration:
    """Record the signed copy of a printed declaration: the date and place of signing,
    the interpreter (name and language, or neither) and the scan (PDF, JPEG or PNG, up to
    10 MB, checked by its content). Recording again replaces the previous signed copy, if
    nobody else changed it since `version` (else StaleVersion). Audit event 251 with the
    old and new values (the scan by type, size and SHA-256), timeline entry."""
    case = declaration.case
    require_record(actor, case)
    refuse_unknown_fields(data, SIGNED_FIELDS)
    before = audit.snapshot(declaration, SIGNED_AUDITED)
    for name, value in data.items():
        setattr(declaration, name, value)
    declaration.place = (declaration.place or "").strip()
    declaration.interpreter_name = (declaration.interpreter_name or "").strip()
    declaration.interpreter_language = (declaration.interpreter_language or "").strip().lower()
    _valid, _required_ok, upload = validate_together(
        lambda: validate(declaration, exclude=["case", "template", "printed_by", "scan"]),
        lambda: _required(declaration),
        lambda: check_scan(scan),
    )
    declaration.scan_content_type = upload.content_type
    declaration.scan_size = upload.size
    declaration.scan_sha256 = upload.sha256
    old_name = declaration.scan.name
    name = default_storage.save(scan_path(declaration, ""), ContentFile(upload.content))
    declaration.scan.name = name
    declaration.recorded_by = actor
    declaration.recorded_at = timezone.now()
    old, new = audit.diff(before, audit.snapshot(declaration, SIGNED_AUDITED))
    try:
        with transaction.atomic():
            save_versioned(declaration, version,
                           [*SIGNED_FIELDS, "scan", "scan_content_type", "scan_size",
                            "scan_sha256", "recorded_by", "recorded_at"])
            audit.record(AuditType.DECLARATION_SIGNED, declaration, actor=actor,
                         office_id=case.host_office_id, case_id=case.pk,
                         old=old if old_name else None, new=new,
                         replaced=bool(old_name) or None)
            interpreter = (_(", interpreted into %(language)s by %(name)s") % {
                "language": language_name(declaration.interpreter_language),
                "name": declaration.interpreter_name} if declaration.interpreter_name else "")
            record_timeline(case, actor, TimelineKind.CHANGED, _(
                "Signed voluntary return declaration recorded: signed on %(day)s in "
                "%(place)s%(interpreter)s") % {
                    "day": formats.date_format(declaration.signed_on, "SHORT_DATE_FORMAT"),
                    "place": declaration.place, "interpreter": interpreter})
            if old_name:
                transaction.on_commit(lambda: default_storage.delete(old_name))
    except BaseException:
        default_storage.delete(name)
        declaration.scan.name = old_name
        raise
    return declaration


# ---- reading the scan ---------------------------------------------------------------------


def scan_filename(declaration: Declaration) -> str:
    extension = EXTENSIONS.get(declaration.scan_content_type, "bin")
    return f"declaration-{declaration.case.reference}-{declaration.pk}-signed.{extension}"


def read_scan(*, actor: User, declaration: Declaration) -> File:
    """Open the signed copy of `declaration` for `actor`, if they may read it (the host
    office's case team and DP focal point). Audit event 252. The caller closes the file."""
    case = declaration.case
    if not policy.can_read_scan(actor, case):
        raise NotAllowed(_("Only the host office's caseworkers, supervisors and data "
                           "protection focal point may open the signed declaration."))
    if not declaration.scan:
        raise Invalid(_("No signed copy of this declaration has been recorded."))
    try:
        handle = default_storage.open(declaration.scan.name, "rb")
    except FileNotFoundError:
        raise Invalid(_("The file of this signed declaration is missing from the server. "
                        "Tell your administrator, and record the signed copy again.")) from None
    with transaction.atomic():
        audit.record(AuditType.DECLARATION_SCAN_READ, declaration, actor=actor,
                     office_id=case.host_office_id, case_id=case.pk,
                     sha256=declaration.scan_sha256)
    return handle

