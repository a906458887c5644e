from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from retorno.declarations import services
from retorno.declarations.models import DeclarationTemplate
from retorno.declarations.placeholders import layout, render_body
from retorno.declarations.shipped import SHIPPED, body
from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy.models import AuditEvent, AuditType

pytestmark = pytest.mark.django_db

VALUES = {
    "principal_name": "Ahmed Al-Rashid", "principal_date_of_birth": "17 May 1990",
    "principal_nationality": "Iraq", "destination_country": "Iraq",
    "destination_area": "Basra", "case_reference": "DEU-2026-000001",
    "programme_name": "ERIN", "office_name": "Berlin", "date": "2 March 2026",
    "family_members": [{"name": "Noor", "date_of_birth": "3 Feb 2016",
                        "relationship": "Child"},
                       {"name": "Huda", "date_of_birth": "1 Jan 1992",
                        "relationship": "Spouse"}],
    "adult_family_members": [{"name": "Huda"}],
}


def template_data(**overrides):
    return {"language": "de", "version": "2026-1", "title": "Erklärung",
            "body": "Ich, {{ principal_name }}, kehre nach {{ destination_country }} zurück.",
            **overrides}


def refused(text):
    with pytest.raises(Invalid) as exc:
        render_body(text, VALUES)
    return " ".join(exc.value.messages)


def test_the_shipped_templates_are_installed_valid_and_active():
    for language, version, title, filename in SHIPPED:
        template = DeclarationTemplate.objects.get(language=language, version=version)
        assert template.active and template.title == title
        assert template.body == body(filename)
        text = render_body(template.body, VALUES)
        assert "Ahmed Al-Rashid" in text and "Huda" in text and "{" not in text


def test_it_fills_in_placeholders_loops_and_conditions():
    text = render_body(
        "I, {{ principal_name }}, return to {{ destination_country }}"
        "{% if destination_area %} ({{ destination_area }}){% endif %}.\n\n"
        "# Family\n\n"
        "{% for member in family_members %}\n"
        "{{ forloop.counter }}. {{ member.name|upper }}, {{ member.relationship|lower }}\n"
        "{% empty %}\nNobody.\n{% endfor %}\n\n"
        "{# a note for the author #}\n"
        "{% for adult in adult_family_members %}\nSigned: {{ adult.name }} ____\n\n"
        "{% endfor %}\n", VALUES)
    # Lines holding only tags leave no empty line behind.
    assert text == ("I, Ahmed Al-Rashid, return to Iraq (Basra).\n\n# Family\n\n"
                    "1. NOOR, child\n2. HUDA, spouse\n\nSigned: Huda ____\n\n")
    assert [(b.heading, b.text) for b in layout(text)] == [
        (False, "I, Ahmed Al-Rashid, return to Iraq (Basra)."), (True, "Family"),
        (False, "1. NOOR, child\n2. HUDA, spouse"), (False, "Signed: Huda ____")]


def test_it_keeps_the_text_as_text():
    # Rendered without escaping: the PDF's HTML template escapes the whole text.
    assert render_body("<b>{{ principal_name }}</b> & co", {**VALUES,
                                                              "principal_name": "A<B"}) \
        == "<b>A<B</b> & co"


@pytest.mark.parametrize(("text", "message"), [
    ("Hello {{ name }}", "Unknown placeholder “name” on line 1."),
    ("Hello\n\n{{ principal_name.upper }}", "Unknown placeholder “principal_name.upper” on "
                                             "line 3."),
    ("{% for m in family_members %}{{ m.passport }}{% endfor %}",
     "Unknown placeholder “m.passport” on line 1."),
    ("{% for m in adult_family_members %}{{ m.date_of_birth }}{% endfor %}",
     "Unknown placeholder “m.date_of_birth” on line 1."),
    ("{{ forloop.counter }}", "Unknown placeholder “forloop.counter” on line 1."),
    ("{% if secret %}x{% endif %}", "Unknown placeholder “secret” on line 1."),
    ("{{ principal_name|default:office.name }}", "Unknown placeholder “office.name”"),
    ("\n{% for m in principal_name %}x{% endfor %}", "Line 2: {% for %} goes over "
                                                      "family_members or "
                                                      "adult_family_members only."),
    ("a\nb\n{% include 'base.html' %}", "The tag {% include %} on line 3 cannot be used"),
    ("{% load static %}", "The tag {% load %} on line 1 cannot be used"),
    ("{% url 'cases:search' %}", "The tag {% url %} on line 1 cannot be used"),
    ("line\n{% if principal_name %}open", "The text cannot be read as a template (line 2)"),
    ("{{ principal_name|safe }}", "Invalid filter: 'safe'"),
])
def test_it_refuses_what_a_template_may_not_contain_and_says_where(text, message):
    assert message in refused(text)


def test_the_form_message_lists_the_placeholders():
    message = refused("{{ nom }}")
    assert "The placeholders are: principal_name, principal_date_of_birth" in message
    assert "adult_family_members" in message


def test_a_programme_manager_adds_a_language_and_a_new_version(world):
    first = services.save_template(actor=world.pia, data=template_data(language="deu"))
    assert (first.language, first.active, first.created_by) == ("de", True, world.pia)
    event = AuditEvent.objects.get(event_type=AuditType.DECLARATION_TEMPLATE_SAVED)
    assert event.actor == world.pia and event.target_id == first.pk
    assert event.extra["new"] == {"language": "de", "version": "2026-1",
                                  "title": "Erklärung", "active": True}
    second = services.save_template(actor=world.pia, data=template_data(version="2026-2"))
    first.refresh_from_db()
    assert second.active and not first.active
    event = AuditEvent.objects.filter(event_type=AuditType.DECLARATION_TEMPLATE_SAVED).first()
    assert event.target_id == second.pk and event.extra["retired"] == [first.pk]


def test_it_retires_a_template_and_brings_it_back(world):
    old = services.save_template(actor=world.pia, data=template_data())
    new = services.save_template(actor=world.pia, data=template_data(version="2026-2"))
    services.set_template_active(actor=world.pia, template=old, active=True)
    new.refresh_from_db()
    assert DeclarationTemplate.objects.get(pk=old.pk).active and not new.active
    services.set_template_active(actor=world.pia, template=old, active=False)
    assert not DeclarationTemplate.objects.filter(language="de", active=True).exists()
    events = AuditEvent.objects.filter(event_type=AuditType.DECLARATION_TEMPLATE_SAVED,
                                       target_id=old.pk)
    assert [e.extra["new"] for e in events][:2] == [{"active": False}, {"active": True}]


@pytest.mark.parametrize("persona", ["carla", "sam", "dana", "mona", "otto"])
def test_only_a_programme_manager_manages_templates(world, persona):
    with pytest.raises(NotAllowed):
        services.save_template(actor=world.users[persona], data=template_data())
    english = DeclarationTemplate.objects.get(language="en", active=True)
    with pytest.raises(NotAllowed):
        services.set_template_active(actor=world.users[persona], template=english,
                                     active=False)
    assert not DeclarationTemplate.objects.filter(language="de").exists()
    assert DeclarationTemplate.objects.get(pk=english.pk).active


def test_it_refuses_a_bad_template_with_messages_per_field(world):
    with pytest.raises(Invalid) as exc:
        services.save_template(actor=world.pia, data=template_data(
            language="xx", version="", title="", body="{{ oops }}"))
    assert set(exc.value.field_errors) == {"language", "version", "title", "body"}
    assert "“xx” is neither a language of the interface nor an ISO 639 language code." \
        in exc.value.messages
    with pytest.raises(Invalid) as exc:
        services.save_template(actor=world.pia, data=template_data(language="fra",
                                                                   version="2026-1"))
    assert exc.value.field_errors["version"] == [
        "There is already a version “2026-1” in French: give the new one another label."]
    with pytest.raises(Invalid):
        services.save_template(actor=world.pia, data={**template_data(), "created_by": 1})
    assert not DeclarationTemplate.objects.filter(language__in=["de", "xx"]).exists()
    assert not AuditEvent.objects.filter(
        event_type=AuditType.DECLARATION_TEMPLATE_SAVED).exists()


def test_the_command_loads_a_template_from_a_file(tmp_path):
    path = tmp_path / "wolof.txt"
    path.write_text("Man {{ principal_name }} ...\n", encoding="utf-8")
    out = StringIO()
    call_command("load_declaration_template", "--language", "wol", "--version", "2026-1",
                 "--title", "Déclaration", "--file", str(path), stdout=out)
    # Wolof has a two-letter code: templates are stored under it.
    assert "Declaration template wo 2026-1 saved (active)." in out.getvalue()
    template = DeclarationTemplate.objects.get(language="wo")
    assert template.body == "Man {{ principal_name }} ...\n" and template.created_by is None
    event = AuditEvent.objects.get(event_type=AuditType.DECLARATION_TEMPLATE_SAVED)
    assert event.actor is None and event.extra["via"] == "command line"
    path.write_text("{{ principal_name }}\n{% include 'x' %}", encoding="utf-8")
    with pytest.raises(CommandError, match=r"The tag \{% include %\} on line 2"):
        call_command("load_declaration_template", "--language", "wol", "--version", "2",
                     "--title", "D", "--file", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_declaration_template", "--language", "wol", "--version", "3",
                     "--title", "D", "--file", str(tmp_path / "missing.txt"))
    assert DeclarationTemplate.objects.filter(language="wo").count() == 1
