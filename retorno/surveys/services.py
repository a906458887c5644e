"""Instrument versions, survey keys, survey responses and imports of submissions: the only
way the rows of this app are written.

Each public function takes `actor` keyword-only (where there is one), checks permission
through `surveys.policy`, validates (every problem at once), writes, and records the
audit event and, for a case, the timeline entry, in one transaction; it raises a
`retorno.lib.errors.ServiceError` with translated messages when it refuses.

Audit events: 340 a version loaded (or a shipped one installed), 341 a response
recorded, 342 submissions imported (only when the import created something), 343 an
XLSForm exported. The timeline names the instrument and the composite score, never an
answer.
"""

import datetime
import secrets
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case, CaseMember, TimelineKind
from retorno.cases.services import record_timeline
from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy import services as audit
from retorno.privacy.consent import require_consent
from retorno.privacy.models import AuditType, ConsentPurpose
from retorno.surveys import policy
from retorno.surveys.definition import check_answers, text, validate
from retorno.surveys.models import (
    DimensionScore,
    Instrument,
    InstrumentVersion,
    Purpose,
    Round,
    Source,
    SurveyKey,
    SurveyResponse,
)
from retorno.surveys.scoring import score
from retorno.surveys.shipped import shipped_documents

# Survey keys: two groups of four, from letters and digits that cannot be misread
# (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
KEY_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
KEY_PATTERN = r"^[34679ACDEFGHJKMNPQRTUVWXY]{4}-[34679ACDEFGHJKMNPQRTUVWXY]{4}$"


def _first_office(actor: User | None, action: str) -> int | None:
    if actor is None:
        return None
    offices = sorted(perms.office_ids(actor, action))
    return offices[0] if offices else None


# ---- instruments ---------------------------------------------------------------------------


def install_shipped(*, actor: User | None = None) -> list[InstrumentVersion]:
    """Install the shipped instruments (the sustainability and satisfaction surveys) and
    their shipped versions, unless they are there: running it again changes nothing.
    Returns the shipped versions, installed now or before."""
    versions = []
    with transaction.atomic():
        for doc in shipped_documents():
            problems = validate(doc["definition"])
            if problems:  # a shipped file is ours: a broken one is a bug, said loudly
                raise ValueError(f"{doc['code']}: {problems}")
            instrument, _created = Instrument.objects.get_or_create(
                code=doc["code"], defaults={"name": doc["name"], "purpose": doc["purpose"]})
            version = instrument.versions.filter(number=doc["number"]).first()
            if version is None:
                version = InstrumentVersion.objects.create(
                    instrument=instrument, number=doc["number"],
                    definition=doc["definition"],
                    weights_provisional=doc["definition"]["weights_status"] != "official",
                    source_name=_("Shipped with Retorno"), loaded_by=actor)
                audit.record(AuditType.SURVEY_VERSION_LOADED, version, actor=actor,
                             office_id=_first_office(actor, perms.SURVEY_MANAGE),
                             instrument=instrument.code, number=version.number,
                             source="shipped")
            versions.append(version)
    return versions


def load_version(*, actor: User, instrument_code: str, upload: IO[bytes]) -> InstrumentVersion:
    """A new version of an instrument, read from a spreadsheet (the layout of
    `spreadsheet.py`), numbered after the highest one. Earlier versions and the responses
    scored with them stay as they are. `survey.manage`. Raises Invalid listing every
    problem of the file; audit event 340."""
    from retorno.surveys.spreadsheet import read_definition

    if not policy.can_manage_instruments(actor):
        raise NotAllowed(_("Only those who keep the survey instruments (M&E officers, "
                           "programme managers) may load a new version."))
    instrument = Instrument.objects.filter(code=instrument_code).first()
    if instrument is None:
        raise Invalid(_("There is no survey instrument “%(code)s”.")
                      % {"code": instrument_code})
    definition, problems = read_definition(upload)
    if definition:
        problems += [p for p in validate(definition) if p not in problems]
    if not problems and definition.get("instrument") not in (None, "", instrument.code):
        problems = [_("The spreadsheet is a version of “%(other)s”, not of “%(code)s”.")
                    % {"other": definition.get("instrument"), "code": instrument.code}]
    if problems:
        raise Invalid(*problems, field_errors={"file": problems})
    definition.pop("instrument", None)
    with transaction.atomic():
        locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
        last = locked.versions.order_by("-number").first()
        version = InstrumentVersion.objects.create(
            instrument=locked, number=(last.number + 1) if last else 1, definition=definition,
            weights_provisional=definition["weights_status"] != "official",
            source_name=str(getattr(upload, "name", "") or "")[:200], loaded_by=actor)
        audit.record(AuditType.SURVEY_VERSION_LOADED, version, actor=actor,
                     office_id=_first_office(actor, perms.SURVEY_MANAGE),
                     instrument=locked.code, number=version.number,
                     source=version.source_name,
                     weights_status=definition["weights_status"])
    return version


def record_xlsform_export(*, actor: User, version: InstrumentVersion) -> None:
    """Audit event 343: who took the form out (it carries no personal data, but the
    forms in the field should be traceable)."""
    if not policy.can_read_instruments(actor):
        raise NotAllowed(_("You may not export the survey forms."))
    audit.record(AuditType.SURVEY_XLSFORM_EXPORTED, version, actor=actor,
                 office_id=_first_office(actor, perms.SURVEY_RECORD),
                 instrument=version.instrument.code, number=version.number)


# ---- survey keys ---------------------------------------------------------------------------


def _new_key() -> str:
    chars = "".join(secrets.choice(KEY_ALPHABET) for _i in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def survey_key_for(case: Case) -> SurveyKey:
    """The case's survey key, created on first use: random (`secrets`), meaningless and
    unique, e.g. "K7M2-Q9XD". It is what offline forms carry instead of a name."""
    existing = SurveyKey.objects.filter(case_id=case.pk).first()
    if existing is not None:
        return existing
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return SurveyKey.objects.create(case_id=case.pk, key=_new_key())
        except IntegrityError:
            existing = SurveyKey.objects.filter(case_id=case.pk).first()
            if existing is not None:  # someone else created it at the same moment
                return existing
    raise RuntimeError("no free survey key found")  # 25^8 keys: never in practice


# ---- responses -----------------------------------------------------------------------------


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (0 when `end` is within a month of it)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _arrived_on(case: Case) -> datetime.date | None:
    from retorno.reception.policy import reception_of

    reception = reception_of(case)
    return reception.arrived_on if reception is not None else None


def _plan_approved_on(case: Case) -> datetime.date | None:
    from retorno.reintegration.policy import plan_of

    plan = plan_of(case)
    if plan is None or plan.approved_at is None:
        return None
    return timezone.localdate(plan.approved_at)


def _round_of(case: Case, version: InstrumentVersion, collected_on: datetime.date) -> str:
    if version.instrument.purpose != Purpose.SUSTAINABILITY:
        return Round.SINGLE
    has_baseline = SurveyResponse.objects.filter(
        case_id=case.pk, round=Round.BASELINE,
        version__instrument__purpose=Purpose.SUSTAINABILITY).exists()
    if has_baseline:
        return Round.FOLLOW_UP
    approved_on = _plan_approved_on(case)
    if approved_on is None or collected_on <= approved_on:
        return Round.BASELINE
    return Round.FOLLOW_UP


def _existing(version: InstrumentVersion, submission_id: str,
              case: Case) -> SurveyResponse | None:
    response = SurveyResponse.objects.filter(version=version,
                                             submission_id=submission_id).first()
    if response is not None and response.case_id != case.pk:
        raise Invalid(_("Submission %(id)s is already recorded for another case.")
                      % {"id": submission_id})
    return response


def _same_content(case: Case, version: InstrumentVersion, answers: dict[str, str],
                  collected_on: datetime.date,
                  respondent: CaseMember | None) -> SurveyResponse | None:
    """A response already recorded on `case` with `version`, on the same day, from the
    same respondent, with exactly these answers: the same survey sent again (a form sent
    a second time after going back in the browser draws a new client key, but it is the
    same interview)."""
    for response in SurveyResponse.objects.filter(
            case_id=case.pk, version=version, collected_on=collected_on,
            respondent=respondent):
        if response.answers == answers:
            return response
    return None


def _check_response(case: Case, version: InstrumentVersion, answers: Any,
                    collected_on: Any, respondent: CaseMember | None,
                    submission_id: str) -> tuple[dict[str, str], datetime.date | None]:
    clean, problems = check_answers(version.definition, answers)
    arrived_on = _arrived_on(case)
    if not isinstance(collected_on, datetime.date) or isinstance(collected_on,
                                                                 datetime.datetime):
        problems.append(_("The date the survey was collected on is missing or is not a "
                          "date."))
    elif collected_on > timezone.localdate():
        problems.append(_("The survey cannot have been collected in the future (%(day)s).")
                        % {"day": date_format(collected_on)})
    elif arrived_on is not None and collected_on < arrived_on:
        problems.append(_("The survey was collected on %(day)s, before the arrival on "
                          "%(arrived)s.") % {"day": date_format(collected_on),
                                             "arrived": date_format(arrived_on)})
    if respondent is not None and respondent.case_id != case.pk:
        problems.append(_("The respondent is not a member of case %(ref)s.")
                        % {"ref": case.reference})
    if not submission_id or len(submission_id) > 120:
        problems.append(_("The submission has no identifier (or one longer than 120 "
                          "characters)."))
    if problems:
        raise Invalid(*problems)
    return clean, arrived_on


def _record(*, actor: User, case: Case, version: InstrumentVersion, answers: dict,
            collected_on: datetime.date, respondent: CaseMember | None, source: str,
            submission_id: str) -> tuple[SurveyResponse, bool]:
    if not policy.may_record(actor, case):
        raise NotAllowed(_("Only the M&E officers, reintegration officers and supervisors "
                           "of the office of origin may record surveys on case %(ref)s, "
                           "once the returnees have arrived.") % {"ref": case.reference})
    submission_id = str(submission_id or "").strip()
    existing = _existing(version, submission_id, case) if submission_id else None
    if existing is not None:
        return existing, False
    # A survey is processing for monitoring: the respondent (the principal applicant
    # when none is named) must have consented to monitoring surveys after return.
    member = respondent or case.principal
    if member is not None:
        require_consent(case, ConsentPurpose.MONITORING, people=[member.person])
    clean, arrived_on = _check_response(case, version, answers, collected_on, respondent,
                                        submission_id)
    same = _same_content(case, version, clean, collected_on, respondent)
    if same is not None:
        return same, False
    breakdown = score(version.definition, clean)
    try:
        with transaction.atomic():
            Case.objects.select_for_update().filter(pk=case.pk).first()  # one round at once
            response = SurveyResponse.objects.create(
                case_id=case.pk, respondent=respondent, version=version,
                round=_round_of(case, version, collected_on), collected_on=collected_on,
                months_since_return=(months_between(arrived_on, collected_on)
                                     if arrived_on else None),
                answers=clean, breakdown=breakdown, composite=breakdown["composite"],
                source=source, submission_id=submission_id, recorded_by=actor)
            DimensionScore.objects.bulk_create(
                DimensionScore(response=response, dimension=code, score=dim["score"])
                for code, dim in breakdown["dimensions"].items())
            audit.record(AuditType.SURVEY_RESPONSE_RECORDED, response, actor=actor,
                         office_id=case.origin_office_id, case_id=case.pk,
                         instrument=version.instrument.code, number=version.number,
                         round=response.round, source=source, submission_id=submission_id,
                         composite=breakdown["composite"])
            name = text(version.definition.get("title")) or version.instrument.name
            if breakdown["composite"] is None:
                summary = _("Survey recorded: %(name)s, no composite score (not enough "
                            "answers)") % {"name": name}
            else:
                summary = _("Survey recorded: %(name)s, composite %(score)s") % {
                    # Rounded as the pages round it (half up, from the stored 4 places).
                    "name": name, "score": floatformat(breakdown["composite"], 2)}
            record_timeline(case, actor, TimelineKind.CHANGED, summary)
    except IntegrityError:
        # The same submission recorded at the same moment by someone else: theirs stands.
        existing = _existing(version, submission_id, case)
        if existing is None:
            raise
        return existing, False
    return response, True


def record_response(*, actor: User, case: Case, version: InstrumentVersion, answers: dict,
                    collected_on: datetime.date, respondent: CaseMember | None = None,
                    source: str = Source.WEB, submission_id: str) -> SurveyResponse:
    """Record and score one survey response on `case` (see `policy.may_record`).

    `answers` maps question names to option names (select_one), whole numbers, texts or
    ISO dates; empty answers are dropped, an unknown question or option is refused. The
    round is the baseline for the first sustainability survey collected on or before the
    reintegration plan's approval (or while no plan is approved), follow-up after;
    a satisfaction survey is a single survey. The same (version, submission_id) again,
    or the same answers from the same respondent on the same day again, returns the
    response already recorded, unchanged."""
    return _record(actor=actor, case=case, version=version, answers=answers,
                   collected_on=collected_on, respondent=respondent, source=source,
                   submission_id=submission_id)[0]


# ---- imports -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.unchanged + len(self.rejected)


def import_submissions(*, actor: User, version: InstrumentVersion, upload: IO[bytes],
                       fmt: str | None = None) -> ImportReport:
    """Import the submissions of a KoboToolbox or ODK Central export (CSV or JSON; `fmt`
    guessed from the name or the content when None) collected with `version`, each
    matched to its case by the survey key. Each row is recorded on its own
    (`record_response`, source KoboToolbox or ODK Central): a bad row is reported with
    its number and reason and never stops the others; a row already imported counts as
    unchanged, so the same file twice changes nothing. `survey.record`; audit event 342
    when something was created."""
    from retorno.surveys.submissions import parse

    if not policy.can_import(actor):
        raise NotAllowed(_("Only M&E officers, reintegration officers and supervisors may "
                           "import survey submissions."))
    parsed = parse(upload, version.definition, version_number=version.number, fmt=fmt)
    report = ImportReport(rejected=list(parsed.rejected))
    keys = dict(SurveyKey.objects.filter(
        key__in={row.key for row in parsed.rows},
        case__in=policy.recordable_cases(actor)).values_list("key", "case_id"))
    cases = {c.pk: c for c in policy.recordable_cases(actor).filter(pk__in=keys.values())}
    for row in parsed.rows:
        case = cases.get(keys.get(row.key, -1))
        if case is None:
            report.rejected.append((row.number, _("Unknown survey key “%(key)s”.")
                                    % {"key": row.key}))
            continue
        try:
            with transaction.atomic():
                _response, created = _record(
                    actor=actor, case=case, version=version, answers=row.answers,
                    collected_on=row.collected_on, respondent=None, source=parsed.source,
                    submission_id=row.submission_id)
        except (Invalid, NotAllowed) as exc:
            report.rejected.append((row.number, " ".join(exc.messages)))
            continue
        if created:
            report.created += 1
        else:
            report.unchanged += 1
    report.rejected.sort()
    if report.created:
        audit.record(AuditType.SURVEY_SUBMISSIONS_IMPORTED, version, actor=actor,
                     office_id=_first_office(actor, perms.SURVEY_RECORD),
                     instrument=version.instrument.code, number=version.number,
                     file=str(getattr(upload, "name", "") or "")[:200],
                     created=report.created, unchanged=report.unchanged,
                     rejected=len(report.rejected))
    return report
