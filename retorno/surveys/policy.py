"""Who reads the survey instruments, who keeps them, who records and imports responses.

- **Reading the instruments** (`/surveys/instruments/`, a version's whole definition, its
  XLSForm and its spreadsheet): whoever records surveys, keeps the instruments or reads
  the M&E dashboard — `survey.record`, `survey.manage` or `me.view` in any office. The
  instruments hold no personal data, but they are a tool of the M&E work: other staff
  get 403, and an unknown instrument or version 404.
- **Loading a new version** from a spreadsheet: `survey.manage` in any office
  (organisation-wide: M&E officers, programme managers).
- **Recording a response on a case** (`may_record`): `survey.record` in the case's origin
  office, the case handed over to it and arrived, in reintegration or in monitoring (or
  held in one of them). Before arrival there is nothing to survey; once closed the file
  is no longer added to.
- **Importing submissions** (`can_import`): `survey.record` in some office. Each row
  reaches only the cases the importer may record on (`recordable_cases`); a key of any
  other case is reported as an unknown survey key, never revealing that it exists.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case, Status
from retorno.cases.policy import visible_cases

# Surveys are recorded where a reintegration plan is kept: from arrival until closure.
from retorno.reintegration.policy import RECORDING, effective_status
from retorno.surveys.models import Instrument, InstrumentVersion


def may_record(user: User | AnonymousUser, case: Case) -> bool:
    return (case.origin_office_id is not None and case.handed_over_at is not None
            and perms.can(user, perms.SURVEY_RECORD, case.origin_office_id)
            and effective_status(case) in RECORDING)


def can_manage_instruments(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.SURVEY_MANAGE)


def can_import(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.SURVEY_RECORD)


def can_read_instruments(user: User | AnonymousUser) -> bool:
    return any(perms.can(user, action)
               for action in (perms.SURVEY_RECORD, perms.SURVEY_MANAGE, perms.ME_VIEW))


def recordable_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    """The cases `user` may record a survey response on (`may_record`), as a query."""
    offices = perms.office_ids(user, perms.SURVEY_RECORD)
    if not offices:
        return visible_cases(user).none()
    statuses = [str(s) for s in RECORDING]
    return visible_cases(user).filter(
        Q(status__in=statuses) | Q(status=Status.ON_HOLD, held_from__in=statuses),
        origin_office_id__in=offices, handed_over_at__isnull=False)


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.order_by("code")


def access_instrument(user: User | AnonymousUser, code: str) -> Instrument:
    """The instrument with this code; 404 when unknown. Callers check the reading right
    first (`can_read_instruments`)."""
    instrument = Instrument.objects.filter(code=code).first()
    if instrument is None:
        raise Http404
    return instrument


def access_version(user: User | AnonymousUser, code: str, number: int) -> InstrumentVersion:
    version = (InstrumentVersion.objects.select_related("instrument", "loaded_by")
               .filter(instrument__code=code, number=number).first())
    if version is None:
        raise Http404
    return version
