"""Bulletins and programme reports: asked for on the page, built (in the request in tests,
in a thread otherwise), kept with their parameters and data time, drawn as a PDF whose
pages are looked at as pictures, and built again to the same figures."""

import datetime
import io
import re
import time

import numpy
import openpyxl
import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from retorno.finance.tests.builders import departed
from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy.models import AuditEvent, AuditType
from retorno.reports import jobs
from retorno.reports.forms import last_quarter
from retorno.reports.models import Report, ReportKind, ReportStatus
from retorno.reports.report_forms import quarter_code
from retorno.reports.statistics import compute
from retorno.reports.tests.builders import client_for, generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    generate(4000)
    return world


def _bulletin(world, who: str = "emil") -> Report:
    quarter = last_quarter(timezone.localdate())
    response = client_for(world, who).post(reverse("reports:bulletin_new"),
                                        {"quarter": quarter_code(quarter)})
    assert response.status_code == 302
    return Report.objects.get(pk=re.search(r"/(\d+)/$", response["Location"]).group(1))


def _pages(pdf: bytes) -> list:
    document = pypdfium2.PdfDocument(pdf)
    return [document[i].render(scale=1).to_pil().convert("RGB") for i in range(len(document))]


def _blue_pixels(image) -> int:
    """Pixels of the maps' and charts' blues (strongly blue, not grey or black)."""
    pixels = numpy.asarray(image, dtype=numpy.int32)
    red, blue = pixels[..., 0], pixels[..., 2]
    return int(((blue > 120) & (blue - red > 60)).sum())


def test_a_bulletin_is_built_kept_and_reads_as_published(data):
    report = _bulletin(data)
    assert report.status == ReportStatus.DONE and report.progress == 100
    quarter = last_quarter(timezone.localdate())
    summary = compute(quarter)
    assert summary.individuals > 20
    assert report.public and report.kind == ReportKind.BULLETIN
    assert report.parameters["start"] == quarter.start.isoformat()
    assert report.data_rows and report.data_as_of is not None
    # The snapshot holds the published figures.
    heads = {h["key"]: h["value"] for h in report.snapshot["headlines"]}
    assert heads["individuals"] == summary.individuals
    assert report.snapshot["text"][0].startswith(f"In Q{(quarter.start.month - 1) // 3 + 1}")
    assert f"{summary.individuals:,}" in report.snapshot["text"][0]
    for section in report.snapshot["sections"].values():
        for row in section["table"]["rows"]:
            assert not any(isinstance(v, int) and 1 <= v <= 4 for v in row
                           if not isinstance(v, bool)), section["table"]["slug"]
    event = AuditEvent.objects.get(event_type=AuditType.REPORT_BUILT)
    assert event.actor == data.users["emil"] and event.extra["kind"] == "bulletin"


def test_the_bulletin_pdf_has_its_figures_maps_and_charts(data):
    report = _bulletin(data)
    pdf = client_for(data, "stella").get(reverse("reports:pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Assisted voluntary return and reintegration" in text
    assert "Top countries of origin" in text and "Sex and age at departure" in text
    summary = compute(last_quarter(timezone.localdate()))
    assert f"{summary.individuals:,}" in text
    pages = _pages(content)
    assert len(pages) >= 3
    # Every page has something printed on it; the pages with the maps and charts are
    # full of their blues, the first (figures and summary) much less so.
    for image in pages:
        assert image.convert("L").getextrema()[0] < 100
    blues = [_blue_pixels(image) for image in pages]
    assert max(blues) > 20_000
    assert sum(1 for b in blues if b > 5_000) >= 2


def test_a_bulletin_built_again_gives_the_same_figures_until_the_data_changes(data):
    first = _bulletin(data)
    page = client_for(data, "emil").get(reverse("reports:report", args=[first.pk]))
    assert page.context["changed"] is False
    response = client_for(data, "emil").post(reverse("reports:rebuild", args=[first.pk]))
    second = Report.objects.get(pk=re.search(r"/(\d+)/$", response["Location"]).group(1))
    assert second.pk != first.pk and second.parameters == first.parameters
    for key in ("headlines", "sections", "text"):
        assert second.snapshot[key] == first.snapshot[key]
    assert second.snapshot["data_state"] == first.snapshot["data_state"]
    departed(data, data.programme)  # one more return, confirmed now
    page = client_for(data, "emil").get(reverse("reports:report", args=[first.pk]))
    assert page.context["changed"] is True
    assert 'data-testid="data-changed"' in page.content.decode()
    # The kept page is what was published, not a new count.
    kept = client_for(data, "stella").get(reverse("reports:document", args=[first.pk]))
    assert kept.content.decode() == first.html


def test_who_builds_and_who_reads_reports(data):
    for who in ("stella", "carla", "sam"):
        response = client_for(data, who).post(reverse("reports:bulletin_new"),
                                           {"quarter": "2025-Q1"})
        assert response.status_code == 403, who
    with pytest.raises(NotAllowed):
        jobs.request_report(actor=data.users["sam"], kind="bulletin",
                            parameters={"start": "2025-01-01", "end": "2025-03-31"})
    with pytest.raises(Invalid):
        jobs.request_report(actor=data.users["emil"], kind="bulletin",
                            parameters={"start": "2025-04-01", "end": "2025-03-31"})
    with pytest.raises(Invalid):
        jobs.request_report(actor=data.users["emil"], kind="programme",
                            parameters={"start": "2025-01-01", "end": "2025-03-31",
                                        "programme": 0})
    exact = jobs.request_report(actor=data.users["pia"], kind="programme", public=False,
                                parameters={"start": "2021-01-01", "end": "2025-12-31",
                                            "programme": data.programme.pk})
    assert exact.status == ReportStatus.DONE
    listing = client_for(data, "stella").get(reverse("reports:report_list")).content.decode()
    assert exact.title not in listing
    assert client_for(data, "stella").get(reverse("reports:report", args=[exact.pk])).status_code \
        == 404
    assert client_for(data, "sam").get(reverse("reports:report", args=[exact.pk])).status_code \
        == 200
    assert client_for(data, "carla").get(reverse("reports:report_list")).status_code == 403


def test_a_programme_report_as_pdf_and_workbook(data):
    from retorno.reports.models import AssistedReturn

    programme_id = AssistedReturn.objects.values_list("programme_id", flat=True).first()
    response = client_for(data, "pia").post(reverse("reports:programme_report_new"), {
        "programme": programme_id, "start": "2016-01-01", "end": "2020-12-31",
        "public": "on"})
    assert response.status_code == 302
    report = Report.objects.latest("id")
    assert report.status == ReportStatus.DONE and report.public
    xlsx = client_for(data, "emil").get(reverse("reports:xlsx", args=[report.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    titles = [sheet["A1"].value for sheet in book.worksheets]
    assert "Monitoring contacts by outcome" in titles
    assert "Grant spending against budget" in titles
    assert len(book.worksheets) == 10
    # The labels row, then the hashtags row.
    assert book.worksheets[0]["A3"].value.startswith("#")
    pdf = client_for(data, "emil").get(reverse("reports:pdf", args=[report.pk]))
    text = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    assert report.snapshot["programme"]["name"] in text
    refused = client_for(data, "pia").post(reverse("reports:programme_report_new"), {
        "programme": programme_id, "start": "2020-12-31", "end": "2020-01-01"})
    assert "The period cannot end before it starts." in refused.content.decode()


def _in_memory_sqlite() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_a_report_is_built_in_the_background_with_its_progress(world, settings):
    if _in_memory_sqlite():
        # The in-memory test database is shared between threads through SQLite's shared
        # cache, which answers "table is locked" at once instead of waiting as a file
        # database does: the thread is tested on PostgreSQL (make test runs both).
        pytest.skip("needs a database the thread can wait on (PostgreSQL)")
    settings.RETORNO_REPORTS_BACKGROUND = True
    client = client_for(world, "emil")
    response = client.post(reverse("reports:bulletin_new"), {"quarter": "2026-Q1"})
    report_id = int(re.search(r"/(\d+)/$", response["Location"]).group(1))
    # The request came back at once; the thread writes its progress as it goes.
    for _attempt in range(600):
        panel = client.get(reverse("reports:progress", args=[report_id])).content.decode()
        if "report-ready" in panel or "The build failed" in panel:
            break
        # While it runs, the panel asks for itself again every second.
        assert 'hx-trigger="every 1s"' in panel
        time.sleep(0.1)
    report = Report.objects.get(pk=report_id)
    assert report.status == ReportStatus.DONE, report.error
    assert report.pdf and report.finished_at is not None
    panel = client.get(reverse("reports:progress", args=[report_id])).content.decode()
    assert "hx-trigger" not in panel and 'data-testid="report-ready"' in panel


def test_a_build_whose_server_stopped_shows_as_interrupted(world):
    report = Report.objects.create(kind="bulletin", title="Stuck", requested_by=world.pia,
                                   parameters={"start": "2026-01-01", "end": "2026-03-31"},
                                   status=ReportStatus.RUNNING)
    Report.objects.filter(pk=report.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=11))
    report.refresh_from_db()
    assert jobs.is_interrupted(report)
    page = client_for(world, "emil").get(reverse("reports:report", args=[report.pk]))
    assert "interrupted" in page.content.decode()
    assert not jobs.is_interrupted(Report(status=ReportStatus.DONE))
