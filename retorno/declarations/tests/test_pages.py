import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from retorno.cases import services as case_services
from retorno.declarations.models import Declaration, DeclarationTemplate
from retorno.declarations.tests.builders import TINY_PDF, image_bytes, pdf_text, printed, signed
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def _section(client, case) -> str:
    body = client.get(f"/cases/{case.reference}/").content.decode()
    return body.split('id="declaration"')[1].split("</section>")[0]


def _form(**overrides):
    return {"signed_on": str(timezone.localdate()), "place": "Berlin",
            "interpreter_name": "", "interpreter_language": "",
            "scan": SimpleUploadedFile("scan.pdf", TINY_PDF), "version": 1, **overrides}


def test_the_case_page_offers_printing_and_says_the_person_may_withdraw(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    section = _section(client, case)
    assert "Not printed yet." in section
    assert "may withdraw from the programme at any time before departure" in section
    assert "Withdraw (the migrant changed their mind)" in section
    assert f'action="/cases/{case.reference}/declarations/print/"' in section
    assert '<option value="en" selected>' in section and '<option value="fr">' in section
    assert "Record the signed copy" not in section  # nothing printed yet


def test_it_shows_the_printed_then_signed_declaration(world, client):
    case = open_case(world)
    declaration = printed(case, world.carla, "fr")
    client.force_login(world.carla)
    section = _section(client, case)
    assert "printed, not signed yet" in section and "in French" in section
    assert f"/declarations/{declaration.pk}/signed/" in section
    signed_one = signed(case, world.carla, "fr")
    section = _section(client, case)
    assert "Signed on" in section and "in Berlin, in French" in section
    assert "Interpreter: Layla Haddad (Standard Arabic)." in section
    assert f"/declarations/{signed_one.pk}/scan/" in section
    assert "Replace the signed copy" in section and "Every printing" in section


def test_other_roles_see_the_status_but_neither_forms_nor_scan(world, client):
    case = open_case(world)
    declaration = signed(case, world.carla)
    for persona in ("max", "mona", "pia"):
        client.force_login(world.users[persona])
        section = _section(client, case)
        assert "Signed on" in section, persona
        assert "/scan/" not in section and "/print/" not in section, persona
        assert "/signed/" not in section, persona
    client.force_login(world.dana)
    assert f"/declarations/{declaration.pk}/scan/" in _section(client, case)
    assert "/declarations/templates/" not in _section(client, case)
    client.force_login(world.pia)
    assert "/declarations/templates/" in _section(client, case)


def test_it_prints_a_pdf_to_download(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/declarations/print/", {"language": "fr"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="declaration-{case.reference}-fr.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Je soussigné(e), Ahmed Al-Rashid" in pdf_text(response.content)
    assert Declaration.objects.get(case=case).language == "fr"


def test_a_refused_printing_goes_back_to_the_case_page_with_the_message(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    response = client.post(f"/cases/{case.reference}/declarations/print/", {"language": "ru"},
                           follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/{case.reference}/#declaration"
    assert "There is no declaration template in “ru”." in response.content.decode()
    assert not Declaration.objects.exists()


def test_it_records_the_signed_copy_from_the_form(world, client):
    case = open_case(world)
    declaration = printed(case, world.carla)
    url = f"/cases/{case.reference}/declarations/{declaration.pk}/signed/"
    client.force_login(world.sam)
    assert client.get(url).status_code == 200
    response = client.post(url, _form(scan=SimpleUploadedFile("scan.pdf", image_bytes())))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#declaration"
    stored = Declaration.objects.get(pk=declaration.pk)
    assert stored.is_signed and stored.scan_content_type == "image/png"
    assert stored.recorded_by == world.sam


def test_it_shows_what_is_wrong_next_to_the_fields(world, client):
    case = open_case(world)
    declaration = printed(case, world.carla)
    url = f"/cases/{case.reference}/declarations/{declaration.pk}/signed/"
    client.force_login(world.carla)
    response = client.post(url, _form(scan=SimpleUploadedFile("scan.pdf", b"plain text"),
                                      interpreter_name="Layla Haddad"))
    assert response.status_code == 422
    body = response.content.decode()
    assert "This file is not a PDF, JPEG or PNG" in body
    assert "Give the language the interpreter translated into." in body
    assert not Declaration.objects.get(pk=declaration.pk).is_signed
    response = client.post(url, _form(scan=""))
    assert response.status_code == 422 and "This field is required." in response.content.decode()


def test_it_refuses_a_stale_form(world, client):
    case = open_case(world)
    declaration = signed(case, world.carla)
    url = f"/cases/{case.reference}/declarations/{declaration.pk}/signed/"
    client.force_login(world.carla)
    response = client.post(url, _form(version=1))
    assert response.status_code == 422
    assert "Someone else changed this record" in response.content.decode()


def test_it_serves_the_scan_as_an_attachment_and_audits_it(world, client):
    case = open_case(world)
    declaration = signed(case, world.carla)
    client.force_login(world.dana)
    response = client.get(f"/cases/{case.reference}/declarations/{declaration.pk}/scan/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="declaration-{case.reference}-{declaration.pk}-signed.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(event_type=AuditType.DECLARATION_SCAN_READ,
                                     actor=world.dana).count() == 1


def test_the_pages_answer_404_to_outsiders_and_403_to_other_roles(world, client):
    case = open_case(world)
    declaration = signed(case, world.carla)
    other = open_case(world)
    base = f"/cases/{case.reference}/declarations"
    for persona, status in [("otto", 404), ("paul", 404), ("max", 403), ("mona", 403),
                            ("pia", 403)]:
        client.force_login(world.users[persona])
        assert client.post(f"{base}/print/").status_code == status, persona
        assert client.get(f"{base}/{declaration.pk}/signed/").status_code == status
        assert client.post(f"{base}/{declaration.pk}/signed/", _form()).status_code == status
        assert client.get(f"{base}/{declaration.pk}/scan/").status_code == status, persona
    client.force_login(world.carla)
    # A declaration of another case, through this one: not found.
    elsewhere = printed(other, world.carla)
    assert client.get(f"{base}/{elsewhere.pk}/scan/").status_code == 404
    assert client.get(f"{base}/{elsewhere.pk}/signed/").status_code == 404
    assert Declaration.objects.get(pk=declaration.pk).version == 2


def test_the_scan_is_not_found_before_it_is_recorded(world, client):
    case = open_case(world)
    declaration = printed(case, world.carla)
    client.force_login(world.carla)
    assert client.get(f"/cases/{case.reference}/declarations/{declaration.pk}/scan/"
                      ).status_code == 404


def test_a_closed_case_offers_no_printing(world, client):
    case = open_case(world)
    case_services.transition_case(case, "withdrawn", actor=world.carla, reason="Stays")
    client.force_login(world.carla)
    section = _section(client, case)
    assert "/print/" not in section
    assert client.post(f"/cases/{case.reference}/declarations/print/").status_code == 403


# ---- templates --------------------------------------------------------------------------


def test_the_programme_manager_manages_templates(world, client):
    client.force_login(world.pia)
    page = client.get("/declarations/templates/").content.decode()
    assert "English (en)" in page and "French (fr)" in page and "2026-1" in page
    english = DeclarationTemplate.objects.get(language="en")
    response = client.get(f"/declarations/templates/new/?from={english.pk}")
    assert response.status_code == 200 and "I, the undersigned" in response.content.decode()
    response = client.post("/declarations/templates/new/", {
        "language": "en", "version": "2026-2", "title": "Declaration",
        "body": english.body.replace("I, the undersigned", "I, who sign below"),
        "active": "on"})
    assert response.status_code == 302 and response["Location"] == "/declarations/templates/"
    new = DeclarationTemplate.objects.get(language="en", version="2026-2")
    assert new.active and not DeclarationTemplate.objects.get(pk=english.pk).active
    response = client.post("/declarations/templates/active/",
                           {"template": english.pk, "active": "1"}, follow=True)
    assert "Declarations are now printed from en 2026-1." in response.content.decode()
    assert DeclarationTemplate.objects.get(pk=english.pk).active
    response = client.post("/declarations/templates/active/",
                           {"template": english.pk, "active": "0"}, follow=True)
    assert "en 2026-1 is retired" in response.content.decode()


def test_the_template_form_names_what_is_wrong(world, client):
    client.force_login(world.pia)
    response = client.post("/declarations/templates/new/", {
        "language": "fr", "version": "2026-1", "title": "Déclaration",
        "body": "{{ nom_complet }}", "active": "on"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Unknown placeholder “nom_complet” on line 1." in body
    response = client.post("/declarations/templates/new/", {
        "language": "fra", "version": "2026-1", "title": "Déclaration",
        "body": "{{ principal_name }}", "active": "on"})
    assert response.status_code == 422
    assert "There is already a version “2026-1” in French" in response.content.decode()
    assert DeclarationTemplate.objects.filter(language="fr").count() == 1


@pytest.mark.parametrize("persona", ["carla", "sam", "dana", "otto", "paul"])
def test_only_the_programme_manager_opens_the_templates_pages(world, client, persona):
    client.force_login(world.users[persona])
    english = DeclarationTemplate.objects.get(language="en")
    assert client.get("/declarations/templates/").status_code == 403
    assert client.get("/declarations/templates/new/").status_code == 403
    assert client.post("/declarations/templates/active/",
                       {"template": english.pk, "active": "0"}).status_code == 403
    assert DeclarationTemplate.objects.get(pk=english.pk).active
