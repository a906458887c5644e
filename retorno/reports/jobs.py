"""Building reports in the background, with their progress, and keeping them.

`request_report` (the one way in: permission, validation, the audit event, the row) is
called by the pages and the command; the build itself runs after the request's
transaction commits, in a thread of the same process (`RETORNO_REPORTS_BACKGROUND`,
on by default) or at once (off: tests, and `manage.py build_report`, which builds in the
foreground). The thread writes its progress to the row every step, and a heartbeat; a
build whose heartbeat is older than `STALE` (its process stopped: a restart, a deploy) is
shown as interrupted, and may be built again.

This suits a few builds a day on one server. A deployment with several worker processes
runs them all the same (each build stays in the process that started it).
"""

import datetime
import logging
import threading
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from retorno.accounts.models import User
from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.programmes.models import Programme
from retorno.reports import bulletin, policy, programme_report
from retorno.reports.figures import Names, period_label
from retorno.reports.models import AssistedReturn, Report, ReportKind, ReportStatus
from retorno.reports.statistics import Period, latest_confirmation

log = logging.getLogger(__name__)

STALE = datetime.timedelta(minutes=10)
MAX_DAYS = 366 * 5


def is_interrupted(report: Report, now: datetime.datetime | None = None) -> bool:
    if report.status not in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        return False
    last = report.heartbeat_at or report.requested_at
    return (now or timezone.now()) - last > STALE


def _period(parameters: dict[str, Any]) -> Period:
    try:
        period = Period(datetime.date.fromisoformat(parameters["start"]),
                        datetime.date.fromisoformat(parameters["end"]))
    except (KeyError, TypeError, ValueError) as error:
        raise Invalid(_("Give the first and the last day of the period; the last cannot "
                        "be before the first.")) from error
    if (period.end - period.start).days > MAX_DAYS:
        raise Invalid(_("Choose a period of at most five years."))
    return period


def _title(kind: str, parameters: dict[str, Any], period: Period) -> str:
    when = period_label(period)
    if kind == ReportKind.BULLETIN:
        return _("Quarterly bulletin, %(period)s") % {"period": when}
    programme = Programme.objects.get(pk=parameters["programme"])
    return _("%(programme)s: report for %(period)s") % {"programme": programme.name,
                                                        "period": when}


def request_report(*, actor: User, kind: str, parameters: dict[str, Any],
                   public: bool = True) -> Report:
    """Ask for a report to be built; it is built once the caller's transaction commits.

    A bulletin is always published figures; a programme report is published figures
    unless `public` is false (exact counts, for the organisation's own use)."""
    if not policy.can_build(actor):
        raise NotAllowed(_("You may not build reports."))
    if kind not in ReportKind.values:
        raise Invalid(_("There is no such kind of report."))
    period = _period(parameters)
    clean: dict[str, Any] = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if kind == ReportKind.PROGRAMME:
        programme = parameters.get("programme")
        if not Programme.objects.filter(pk=programme).exists():
            raise Invalid(_("Choose the programme the report is about."))
        clean["programme"] = int(programme)
    else:
        public = True
    clean["language"] = parameters.get("language") or settings.LANGUAGE_CODE
    with transaction.atomic():
        report = Report.objects.create(kind=kind, title=_title(kind, clean, period),
                                       parameters=clean, public=public, requested_by=actor,
                                       step=_("Waiting to start"))
        audit.record(AuditType.REPORT_BUILT, report, actor=actor, office_id=None,
                     kind=kind, public=public, **clean)
        if getattr(settings, "RETORNO_REPORTS_BACKGROUND", True):
            transaction.on_commit(lambda: _start_thread(report.pk))
    if not getattr(settings, "RETORNO_REPORTS_BACKGROUND", True):
        run(report.pk)
        report.refresh_from_db()
    return report


def _start_thread(report_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(report_id,), daemon=True,
                     name=f"report-{report_id}").start()


def _run_in_thread(report_id: int) -> None:
    try:
        run(report_id)
    finally:
        # The thread's own connections: nobody else will close them.
        connections.close_all()


def _update(report_id: int, **fields: Any) -> None:
    fields["heartbeat_at"] = timezone.now()
    Report.objects.filter(pk=report_id).update(**fields)


def run(report_id: int) -> None:
    """Build the report now, in this thread; its row tells how far it got."""
    report = Report.objects.get(pk=report_id)
    _update(report_id, status=ReportStatus.RUNNING, started_at=timezone.now(), progress=1,
            step=_("Starting"), error="")

    def progress(percent: int, step: str) -> None:
        _update(report_id, progress=max(1, min(percent, 99)), step=step[:200])

    try:
        with override(report.parameters.get("language")):
            files = _build(report, progress)
    except Exception as error:  # noqa: BLE001 - any failure is the build's, and is shown
        log.exception("report %s failed", report_id)
        _update(report_id, status=ReportStatus.FAILED, finished_at=timezone.now(),
                error=f"{type(error).__name__}: {error}"[:2000])
        return
    report.refresh_from_db()
    report.snapshot, report.html = files["snapshot"], files["html"]
    report.data_as_of, report.data_rows = files["data_as_of"], files["data_rows"]
    report.snapshot["data_state"] = files["data_state"]
    report.pdf.save(f"{report.kind}-{report.pk}.pdf", ContentFile(files["pdf"]), save=False)
    if files.get("xlsx"):
        report.xlsx.save(f"{report.kind}-{report.pk}.xlsx", ContentFile(files["xlsx"]),
                         save=False)
    report.status, report.progress, report.step = ReportStatus.DONE, 100, _("Ready")
    report.finished_at = report.heartbeat_at = timezone.now()
    report.save()


def _data_state() -> tuple[datetime.datetime | None, int, int]:
    """The latest departure confirmation counted, how many rows there are and the highest
    row id: a refresh replaces a case's rows with new ones, so any change to what
    statistics count changes the last two."""
    latest = latest_confirmation()
    found = AssistedReturn.objects.aggregate(rows=Count("id"), last=Max("id"))
    return latest, found["rows"], found["last"] or 0


def _build(report: Report, progress) -> dict[str, Any]:
    period = _period(report.parameters)
    names = Names(programmes=dict(Programme.objects.values_list("pk", "name")),
                  language=report.parameters.get("language"))
    as_of, rows, last = _data_state()
    if report.kind == ReportKind.BULLETIN:
        data = bulletin.build(period, progress=progress, names=names)
        progress(85, _("Making the PDF"))
        html, pdf, xlsx = bulletin.render_html(data), bulletin.render_pdf(data), None
    else:
        data = programme_report.build(period, report.parameters["programme"],
                                      public=report.public, progress=progress, names=names)
        progress(80, _("Making the PDF and the spreadsheet"))
        html = programme_report.render_html(data)
        pdf, xlsx = programme_report.render_pdf(data), programme_report.render_xlsx(data)
    return {"snapshot": data, "html": html, "pdf": pdf, "xlsx": xlsx, "data_as_of": as_of,
            "data_rows": rows, "data_state": [rows, last]}


def data_changed_since(report: Report) -> bool:
    """Whether any figure may have changed since the report was built: a return added,
    removed or changed (its rows are then written anew)."""
    _as_of, rows, last = _data_state()
    return [rows, last] != report.snapshot.get("data_state")
