import datetime
import hashlib
import os
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from retorno.cases import services as case_services
from retorno.cases.models import TimelineKind
from retorno.declarations import services
from retorno.declarations.models import Declaration
from retorno.declarations.scans import MAX_BYTES
from retorno.declarations.tests.builders import (
    TINY_PDF,
    days_ago,
    image_bytes,
    printed,
    signed,
    signed_data,
    upload,
)
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _files(case) -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "declarations" / case.reference
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _record(declaration, actor, content=TINY_PDF, name="scan.pdf", version=None, **data):
    return services.record_signed_declaration(
        actor=actor, declaration=declaration, data=signed_data(**data),
        scan=upload(content, name), version=version or declaration.version)


def test_it_records_the_signed_copy_with_audit_and_timeline(world):
    case = open_case(world)
    declaration = _record(printed(case, world.carla), world.carla)
    stored = Declaration.objects.get(pk=declaration.pk)
    assert stored.is_signed and stored.signed_on == timezone.localdate()
    assert (stored.place, stored.interpreter_name, stored.interpreter_language) == (
        "Berlin", "Layla Haddad", "arb")
    assert (stored.recorded_by, stored.version) == (world.carla, 2)
    assert stored.scan_content_type == "application/pdf"
    assert stored.scan_size == len(TINY_PDF)
    assert stored.scan_sha256 == hashlib.sha256(TINY_PDF).hexdigest()
    # Named by the case and a random part, under MEDIA_ROOT, readable by the server only.
    assert stored.scan.name.startswith(f"declarations/{case.reference}/{stored.pk}-")
    assert stored.scan.name.endswith(".pdf")
    path = Path(settings.MEDIA_ROOT) / stored.scan.name
    assert path.read_bytes() == TINY_PDF
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    event = AuditEvent.objects.get(event_type=AuditType.DECLARATION_SIGNED)
    assert (event.case_id, event.actor, event.target_id) == (case.pk, world.carla, stored.pk)
    assert event.extra["new"]["scan_sha256"] == stored.scan_sha256
    assert event.extra["new"]["place"] == "Berlin" and "old" not in event.extra
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED
    assert entry.summary.startswith("Signed voluntary return declaration recorded: signed on")
    assert "interpreted into Standard Arabic by Layla Haddad" in entry.summary


def test_it_takes_a_file_for_what_it_contains_not_what_it_is_called(world):
    case = open_case(world)
    png = _record(printed(case, world.carla), world.carla, image_bytes("PNG"), "scan.pdf")
    assert png.scan_content_type == "image/png" and png.scan.name.endswith(".png")
    jpeg = _record(printed(case, world.carla), world.carla, image_bytes("JPEG"), "scan.png")
    assert jpeg.scan_content_type == "image/jpeg" and jpeg.scan.name.endswith(".jpg")
    pdf = _record(printed(case, world.carla), world.carla, TINY_PDF, "photo.jpg")
    assert pdf.scan_content_type == "application/pdf"


@pytest.mark.parametrize(("content", "message"), [
    (b"I signed it, honestly.\n", "This file is not a PDF, JPEG or PNG"),
    (b"", "The file is empty."),
    (image_bytes("GIF"), "This file is not a PDF, JPEG or PNG"),
    # A PNG's header on a broken body: Pillow's verify() refuses it.
    (image_bytes("PNG")[:40], "This file is not a PDF, JPEG or PNG"),
    (b"%PDF-1.4\n" + b"0" * MAX_BYTES, "the limit is 10 MB"),
])
def test_it_refuses_a_file_that_is_not_a_scan_and_stores_nothing(world, content, message):
    case = open_case(world)
    declaration = printed(case, world.carla)
    with pytest.raises(Invalid) as exc:
        _record(declaration, world.carla, content)
    assert message in exc.value.field_errors["scan"][0]
    assert not Declaration.objects.get(pk=declaration.pk).is_signed
    assert _files(case) == set()
    assert not AuditEvent.objects.filter(event_type=AuditType.DECLARATION_SIGNED).exists()


def test_it_accepts_a_scan_of_exactly_ten_megabytes(world):
    case = open_case(world)
    content = b"%PDF-1.4\n" + b"0" * (MAX_BYTES - 9)
    assert _record(printed(case, world.carla), world.carla, content).scan_size == MAX_BYTES


def test_it_reports_every_mistake_at_once(world):
    case = open_case(world)
    declaration = printed(case, world.carla)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(Invalid) as exc:
        _record(declaration, world.carla, b"not a scan", signed_on=tomorrow, place=" ",
                interpreter_name="Layla Haddad", interpreter_language="")
    assert set(exc.value.field_errors) == {"signed_on", "place", "interpreter_language",
                                           "scan"}
    assert exc.value.field_errors["signed_on"] == [
        "The declaration cannot have been signed in the future."]
    with pytest.raises(Invalid) as exc:
        _record(declaration, world.carla, signed_on=None, interpreter_name="",
                interpreter_language="arb")
    assert set(exc.value.field_errors) == {"signed_on", "interpreter_name"}
    with pytest.raises(Invalid) as exc:
        _record(declaration, world.carla, interpreter_language="xx1")
    assert set(exc.value.field_errors) == {"interpreter_language"}
    with pytest.raises(Invalid, match="Unknown fields: recorded_by"):
        services.record_signed_declaration(
            actor=world.carla, declaration=declaration, scan=upload(TINY_PDF),
            data={**signed_data(), "recorded_by": world.sam}, version=1)
    assert _files(case) == set()
    assert not Declaration.objects.get(pk=declaration.pk).is_signed


def test_it_refuses_a_signature_before_the_printing(world):
    case = open_case(world)
    declaration = printed(case, world.carla)
    with pytest.raises(Invalid) as exc:
        _record(declaration, world.carla, signed_on=days_ago(1))
    assert exc.value.field_errors["signed_on"][0].startswith(
        "The declaration was printed on ")


def test_it_keeps_no_file_when_someone_else_recorded_first(world):
    case = open_case(world)
    declaration = printed(case, world.carla)
    first = _record(Declaration.objects.get(pk=declaration.pk), world.carla)
    stale = Declaration.objects.select_related("case").get(pk=declaration.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        _record(stale, world.sam, image_bytes("PNG"), version=1)
    assert _files(case) == {Path(first.scan.name).name}
    stored = Declaration.objects.get(pk=declaration.pk)
    assert (stored.scan.name, stored.recorded_by, stored.version) == (
        first.scan.name, world.carla, 2)
    assert AuditEvent.objects.filter(event_type=AuditType.DECLARATION_SIGNED).count() == 1


def test_it_replaces_a_signed_copy_and_deletes_the_old_file_once_committed(
        world, django_capture_on_commit_callbacks):
    case = open_case(world)
    first = _record(printed(case, world.carla), world.carla)
    old_name = first.scan.name
    with django_capture_on_commit_callbacks(execute=True):
        second = _record(first, world.sam, image_bytes("PNG"), place="Potsdam",
                         interpreter_name="", interpreter_language="")
    assert second.version == 3 and second.scan.name != old_name
    assert _files(case) == {Path(second.scan.name).name}
    event = AuditEvent.objects.filter(event_type=AuditType.DECLARATION_SIGNED).first()
    assert event.extra["replaced"] is True
    assert event.extra["old"]["place"] == "Berlin" and event.extra["new"]["place"] == "Potsdam"
    assert event.extra["new"]["scan_content_type"] == "image/png"


@pytest.mark.parametrize("persona", ["mona", "max", "pia", "dana", "otto"])
def test_only_the_host_offices_case_team_records_the_signed_copy(world, persona):
    case = open_case(world)
    declaration = printed(case, world.carla)
    with pytest.raises(NotAllowed):
        _record(declaration, world.users[persona])
    assert _files(case) == set()


def test_it_refuses_a_closed_case(world):
    case = open_case(world)
    declaration = printed(case, world.carla)
    case_services.transition_case(case, "withdrawn", actor=world.carla, reason="Stays")
    declaration.case.refresh_from_db()
    with pytest.raises(Invalid, match="can no longer be changed"):
        _record(declaration, world.carla)


# ---- reading the scan -----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["carla", "sam", "dana"])
def test_the_case_team_and_dp_focal_point_open_the_scan_which_is_audited(world, persona):
    declaration = signed(open_case(world), world.carla)
    with services.read_scan(actor=world.users[persona], declaration=declaration) as handle:
        assert handle.read() == TINY_PDF
    event = AuditEvent.objects.get(event_type=AuditType.DECLARATION_SCAN_READ)
    assert (event.actor, event.target_id) == (world.users[persona], declaration.pk)
    assert event.extra == {"sha256": declaration.scan_sha256}


@pytest.mark.parametrize("persona", ["mona", "max", "pia", "rita", "emil", "otto"])
def test_no_one_else_opens_the_scan(world, persona):
    declaration = signed(open_case(world), world.carla)
    with pytest.raises(NotAllowed):
        services.read_scan(actor=world.users[persona], declaration=declaration)
    assert not AuditEvent.objects.filter(event_type=AuditType.DECLARATION_SCAN_READ).exists()


def test_there_is_no_scan_to_open_before_it_is_recorded(world):
    declaration = printed(open_case(world), world.carla)
    with pytest.raises(Invalid, match="No signed copy"):
        services.read_scan(actor=world.carla, declaration=declaration)
