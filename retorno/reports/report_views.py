"""Kept reports: the list, asking for a bulletin or a programme report, following a build's
progress, and opening what was built (page, PDF, workbook)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from retorno.lib.errors import Invalid
from retorno.reports import jobs, policy
from retorno.reports.models import Report, ReportKind, ReportStatus
from retorno.reports.report_forms import BulletinForm, ProgrammeReportForm

LIST_SIZE = 50


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_view(request.user):
        raise PermissionDenied
    reports = list(policy.visible_reports(request.user).select_related("requested_by")
                   [:LIST_SIZE])
    builder = policy.can_build(request.user)
    return render(request, "reports/report_list.html", {
        "reports": reports, "can_build": builder,
        "bulletin_form": BulletinForm() if builder else None,
        "programme_form": ProgrammeReportForm() if builder else None,
    })


def _request(request: HttpRequest, kind: str, parameters: dict, public: bool) -> HttpResponse:
    try:
        report = jobs.request_report(actor=request.user, kind=kind, public=public,
                                     parameters={**parameters, "language": get_language()})
    except Invalid as error:
        messages.error(request, str(error))
        return redirect("reports:report_list")
    return redirect("reports:report", report_id=report.pk)


@login_required
@require_POST
def bulletin_new(request: HttpRequest) -> HttpResponse:
    if not policy.can_build(request.user):
        raise PermissionDenied
    form = BulletinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a quarter."))
        return redirect("reports:report_list")
    period = form.period()
    return _request(request, ReportKind.BULLETIN,
                    {"start": period.start.isoformat(), "end": period.end.isoformat()}, True)


@login_required
@require_http_methods(["GET", "POST"])
def programme_report_new(request: HttpRequest) -> HttpResponse:
    if not policy.can_build(request.user):
        raise PermissionDenied
    form = ProgrammeReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return _request(request, ReportKind.PROGRAMME, {
            "programme": data["programme"].pk, "start": data["start"].isoformat(),
            "end": data["end"].isoformat()}, data["public"])
    return render(request, "reports/programme_report_form.html", {"form": form})


def _context(request: HttpRequest, report: Report) -> dict:
    return {"report": report, "interrupted": jobs.is_interrupted(report),
            "running": report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
            and not jobs.is_interrupted(report),
            "can_build": policy.can_build(request.user)}


@login_required
@require_GET
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    found = policy.access_report(request.user, report_id)
    context = _context(request, found)
    if found.status == ReportStatus.DONE:
        context["changed"] = jobs.data_changed_since(found)
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def progress(request: HttpRequest, report_id: int) -> HttpResponse:
    """The progress panel alone, which the page asks for every second while building."""
    found = policy.access_report(request.user, report_id)
    return render(request, "reports/_progress.html", _context(request, found))


@login_required
@require_POST
def rebuild(request: HttpRequest, report_id: int) -> HttpResponse:
    """Build the report again with the same parameters (a new kept report)."""
    found = policy.access_report(request.user, report_id)
    if not policy.can_build(request.user):
        raise PermissionDenied
    return _request(request, found.kind, found.parameters, found.public)


@login_required
@require_GET
def document(request: HttpRequest, report_id: int) -> HttpResponse:
    found = policy.access_report(request.user, report_id)
    if found.status != ReportStatus.DONE:
        raise Http404
    return HttpResponse(found.html)


def _file(report: Report, field: str, content_type: str) -> FileResponse:
    stored = getattr(report, field)
    if report.status != ReportStatus.DONE or not stored:
        raise Http404
    extension = "pdf" if field == "pdf" else "xlsx"
    name = f"{report.kind}-{report.parameters.get('start', '')}-{report.pk}.{extension}"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name,
                        content_type=content_type)


@login_required
@require_GET
def pdf(request: HttpRequest, report_id: int) -> FileResponse:
    return _file(policy.access_report(request.user, report_id), "pdf", "application/pdf")


@login_required
@require_GET
def xlsx(request: HttpRequest, report_id: int) -> FileResponse:
    return _file(policy.access_report(request.user, report_id), "xlsx",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
