import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.declarations.models import Declaration
from retorno.declarations.tests.builders import TINY_PDF, image_bytes, pdf_text, printed, signed
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case, name="case_declarations", *args):
    return reverse(f"api:{name}", args=[case.reference, *args])


def signed_body(version=1, content=TINY_PDF, **overrides):
    return {"signed_on": str(timezone.localdate()), "place": "Berlin",
            "interpreter_name": "Layla Haddad", "interpreter_language": "arb",
            "scan": SimpleUploadedFile("scan.pdf", content), "version": version, **overrides}


def test_it_lists_the_declarations_and_marks_the_one_that_counts(world):
    case = open_case(world)
    first = signed(case, world.carla)
    second = printed(case, world.carla, "fr")
    for persona in ("carla", "max", "dana"):
        rows = api(world.users[persona]).get(url(case)).json()
        assert [(r["id"], r["current"], r["signed"]) for r in rows] == [
            (second.pk, False, False), (first.pk, True, True)], persona
    row = rows[1]
    assert row["language"] == "en" and row["template_version"] == "2026-1"
    assert row["printed_by"] == "carla" and row["members"] == [case.principal.person_id]
    assert row["interpreter_language"] == "arb" and row["recorded_by"] == "carla"
    assert row["scan"] == {"content_type": "application/pdf", "size": len(TINY_PDF),
                           "sha256": first.scan_sha256}
    assert rows[0]["scan"] is None
    detail = api(world.max).get(url(case, "case_declaration", first.pk)).json()
    assert detail == row


def test_it_prints_the_pdf_and_says_where_the_declaration_is(world):
    case = open_case(world)
    client = api(world.carla)
    response = client.post(url(case, "case_declaration_print"), {"language": "fr"},
                           format="json")
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="declaration-{case.reference}-fr.pdf"')
    assert "Déclaration de retour volontaire" in pdf_text(response.content)
    declaration = Declaration.objects.get(case=case)
    assert response["Location"] == url(case, "case_declaration", declaration.pk)
    # A client that asks for a PDF gets it, and gets a refusal as JSON.
    response = client.post(url(case, "case_declaration_print"), {},
                           format="json", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 201 and Declaration.objects.get(
        pk=response["Location"].rstrip("/").rsplit("/", 1)[1]).language == "en"
    response = client.post(url(case, "case_declaration_print"), {"language": "ru"},
                           format="json", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["fields"]["language"][0].startswith(
        "There is no declaration template in “ru”.")
    response = client.post(url(case, "case_declaration_print"), {"lang": "fr"},
                           format="json")
    assert response.status_code == 400 and set(response.json()) == {"lang"}
    assert Declaration.objects.filter(case=case).count() == 2


def test_it_records_the_signed_copy_as_multipart(world):
    case = open_case(world)
    declaration = printed(case, world.carla)
    client = api(world.sam)
    target = url(case, "case_declaration_signed", declaration.pk)
    response = client.post(target, signed_body(content=image_bytes("JPEG")),
                           format="multipart")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["signed"] and data["current"] and data["version"] == 2
    assert data["scan"]["content_type"] == "image/jpeg" and data["recorded_by"] == "sam"
    response = client.post(target, signed_body(version=1), format="multipart")
    assert response.status_code == 409
    assert Declaration.objects.get(pk=declaration.pk).scan_content_type == "image/jpeg"


def test_it_refuses_a_bad_signed_copy_with_messages_per_field(world):
    case = open_case(world)
    declaration = printed(case, world.carla)
    target = url(case, "case_declaration_signed", declaration.pk)
    client = api(world.carla)
    response = client.post(target, signed_body(content=b"just text"), format="multipart")
    assert response.status_code == 400
    assert "This file is not a PDF, JPEG or PNG" in response.json()["fields"]["scan"][0]
    response = client.post(target, {"place": "Berlin", "version": 1}, format="multipart")
    assert response.status_code == 400 and set(response.json()) == {"signed_on", "scan"}
    response = client.post(target, signed_body(stamp="x"), format="multipart")
    assert response.status_code == 400 and set(response.json()) == {"stamp"}
    response = client.post(target, {"signed_on": "2026-03-02", "place": "Berlin",
                                    "version": 1}, format="json")
    assert response.status_code == 415
    assert not Declaration.objects.get(pk=declaration.pk).is_signed


def test_it_serves_the_scan_to_those_who_may_read_it(world):
    case = open_case(world)
    declaration = signed(case, world.carla, scan=image_bytes("PNG"))
    target = url(case, "case_declaration_scan", declaration.pk)
    response = api(world.dana).get(target, HTTP_ACCEPT="image/png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == image_bytes("PNG")
    assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.filter(event_type=AuditType.DECLARATION_SCAN_READ).count() == 1
    response = api(world.max).get(target, HTTP_ACCEPT="image/png")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert AuditEvent.objects.filter(event_type=AuditType.DECLARATION_SCAN_READ).count() == 1


def test_it_refuses_other_roles_and_hides_the_case_from_outsiders(world):
    case = open_case(world)
    declaration = signed(case, world.carla)
    for persona in ("max", "mona", "pia"):
        client = api(world.users[persona])
        assert client.post(url(case, "case_declaration_print"), {}, format="json"
                           ).status_code == 403, persona
        assert client.post(url(case, "case_declaration_signed", declaration.pk),
                           signed_body(version=2), format="multipart").status_code == 403
    for persona in ("otto", "paul", "stella"):
        client = api(world.users[persona])
        for name, args in [("case_declarations", ()), ("case_declaration", (declaration.pk,)),
                           ("case_declaration_scan", (declaration.pk,))]:
            assert client.get(url(case, name, *args)).status_code == 404, (persona, name)
        assert client.post(url(case, "case_declaration_print"), {}, format="json"
                           ).status_code == 404
        assert client.post(url(case, "case_declaration_signed", declaration.pk),
                           signed_body(version=2), format="multipart").status_code == 404
    assert Declaration.objects.get(pk=declaration.pk).version == 2
    assert Declaration.objects.count() == 1


def test_it_lists_the_templates_for_those_who_print_or_manage_them(world):
    for persona in ("pia", "carla", "otto"):
        rows = api(world.users[persona]).get(reverse("api:declaration_templates")).json()
        assert [(r["language"], r["version"], r["active"]) for r in rows] == [
            ("en", "2026-1", True), ("fr", "2026-1", True)], persona
        assert "{{ principal_name }}" in rows[0]["body"]
    for persona in ("max", "dana", "paul", "stella"):
        response = api(world.users[persona]).get(reverse("api:declaration_templates"))
        assert response.status_code == 403, persona
