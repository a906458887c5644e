from django import template
from django.utils.html import format_html

from retorno.lib.codes import country_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    """ISO 3166 alpha-3 code → country name ("IRQ" → "Iraq")."""
    return country_name(code) if code else ""


@register.filter
def name(person) -> str:
    """A person's name in Latin letters, then in the original script, each isolated so
    right-to-left names do not reorder the brackets around them."""
    latin = " ".join(p for p in (person.given_name, person.family_name) if p)
    original = " ".join(p for p in (person.given_name_original, person.family_name_original)
                        if p)
    if original and original != latin:
        return format_html("<bdi>{}</bdi> (<bdi>{}</bdi>)", latin, original)
    return format_html("<bdi>{}</bdi>", latin)
