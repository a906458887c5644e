import datetime

import pytest
from django.utils import timezone

from retorno.cases import services as case_services
from retorno.cases.models import TimelineKind
from retorno.declarations import services
from retorno.declarations.models import Declaration, DeclarationTemplate
from retorno.declarations.tests.builders import pdf_text, printed
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.pdf import LocalFilesOnly
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case, person_data

pytestmark = pytest.mark.django_db


def _family(world, **case):
    case = open_case(world, destination_area="Basra", **case)
    for given, original, born, relationship in [
            ("Huda", "هدى", datetime.date(1993, 8, 1), "spouse"),
            ("Noor", "نور", datetime.date(2016, 2, 3), "child")]:
        case_services.register_and_add_member(
            actor=world.carla, case=case,
            person=person_data(given_name=given, given_name_original=original,
                               date_of_birth=born),
            member={"relationship": relationship, "category": "asylum_rejected"})
    return case


def test_it_prints_the_declaration_in_english_with_the_family(world):
    case = _family(world)
    declaration, pdf = services.print_declaration(world.carla, case, "en")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Declaration of voluntary return" in text
    assert "I, the undersigned, Ahmed Al-Rashid" in text
    assert "born on May 17, 1990, national of Iraq" in text
    assert "return voluntarily to Iraq (Basra)" in text
    assert "withdraw from the programme at any time before departure" in text
    assert "1. Huda Al-Rashid" in text and "2. Noor Al-Rashid" in text
    # Each adult signs: the spouse does, the child does not.
    assert "Family member: Huda Al-Rashid" in text
    assert "Family member: Noor" not in text
    assert case.reference in text and "en 2026-1" in text
    stored = Declaration.objects.get(pk=declaration.pk)
    assert stored.template == DeclarationTemplate.objects.get(language="en", version="2026-1")
    assert (stored.language, stored.printed_by, stored.signed_on) == ("en", world.carla, None)
    assert stored.members == [m.person_id for m in case.members.order_by("id")]
    assert not stored.is_signed


def test_it_prints_in_french_with_french_dates_and_country_names(world):
    case = _family(world)
    _declaration, pdf = services.print_declaration(world.carla, case, "fr")
    text = pdf_text(pdf)
    assert "Déclaration de retour volontaire" in text
    assert "Je soussigné(e), Ahmed Al-Rashid" in text
    assert "né(e) le 17 mai 1990" in text
    assert "ressortissant(e) du pays suivant : Irak" in text
    assert "retourner volontairement dans le pays suivant : Irak (Basra)" in text
    assert "me retirer du programme à tout moment" in text
    assert "Membre de la famille : Huda Al-Rashid" in text
    assert "Iraq" not in text and "May" not in text


def test_it_records_the_printing_in_the_audit_log_and_on_the_timeline(world):
    case = open_case(world)
    declaration = printed(case, world.sam, "fr")
    event = AuditEvent.objects.get(event_type=AuditType.DECLARATION_PRINTED)
    assert (event.case_id, event.actor, event.office) == (case.pk, world.sam, world.berlin)
    assert (event.target_type, event.target_id) == ("declaration", declaration.pk)
    assert event.extra["new"] == {"template": declaration.template_id, "language": "fr",
                                  "template_version": "2026-1",
                                  "members": [case.principal.person_id]}
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED and entry.actor == world.sam
    assert entry.summary == "Voluntary return declaration printed (French, version 2026-1)"


def test_it_shows_the_text_an_administrator_wrote_as_text(world):
    services.save_template(actor=world.pia, data={
        "language": "en", "version": "2026-2", "title": "Declaration <b>bold</b>",
        "body": "<img src=\"http://example.org/x.png\"> {{ principal_name }} & <i>co</i>"})
    _declaration, pdf = services.print_declaration(world.carla, open_case(world), "en")
    text = pdf_text(pdf)
    assert "Declaration <b>bold</b>" in text
    assert '<img src="http://example.org/x.png"> Ahmed Al-Rashid' in text


def test_it_never_fetches_anything_from_the_network():
    fetcher = LocalFilesOnly(allowed_protocols=["file"])
    for url in ("http://example.org/font.woff", "https://example.org/a.css",
                "data:text/css,body{}", "ftp://example.org/x"):
        with pytest.raises(ValueError, match="rendered offline"):
            fetcher.fetch(url)


def test_it_offers_the_principals_language_then_the_users_then_english(world):
    from retorno.declarations.current import default_language

    speaks_french = open_case(world, person=person_data(languages=["wol", "fra"]))
    assert default_language(speaks_french, world.carla) == "fr"
    speaks_arabic = open_case(world)  # Arabic: no template
    assert default_language(speaks_arabic, world.carla) == "en"
    world.carla.language = "fr"
    assert default_language(speaks_arabic, world.carla) == "fr"
    declaration, _pdf = services.print_declaration(world.carla, speaks_arabic)
    assert declaration.language == "fr"
    services.save_template(actor=world.pia, data={
        "language": "arb", "version": "2026-1", "title": "إقرار",
        "body": "أنا، {{ principal_name }}"})
    # Standard Arabic (arb), which the person speaks, is printed from the Arabic template.
    assert DeclarationTemplate.objects.filter(language="ar").exists()
    assert default_language(speaks_arabic, world.carla) == "ar"


def test_it_refuses_a_language_without_a_template(world):
    case = open_case(world)
    with pytest.raises(Invalid) as exc:
        services.print_declaration(world.carla, case, "es")
    assert exc.value.field_errors["language"] == [
        "There is no declaration template in “es”. Templates exist in: English (en), "
        "French (fr)."]
    english = DeclarationTemplate.objects.get(language="en")
    services.set_template_active(actor=world.pia, template=english, active=False)
    with pytest.raises(Invalid):
        services.print_declaration(world.carla, case, "en")
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("persona", ["mona", "max", "pia", "dana"])
def test_only_the_host_offices_case_team_prints(world, persona):
    case = open_case(world)
    with pytest.raises(NotAllowed):
        services.print_declaration(world.users[persona], case, "en")
    assert not Declaration.objects.exists()


def test_the_outsiders_case_team_does_not_print_berlins_declarations(world):
    with pytest.raises(NotAllowed):
        services.print_declaration(world.otto, open_case(world), "en")


def test_it_refuses_a_closed_case(world):
    case = open_case(world)
    case_services.transition_case(case, "withdrawn", actor=world.carla, reason="Stays")
    with pytest.raises(Invalid, match="can no longer be changed"):
        services.print_declaration(world.carla, case, "en")


def test_the_printed_on_date_is_today(world):
    declaration = printed(open_case(world), world.carla)
    assert declaration.printed_on() == timezone.localdate()
