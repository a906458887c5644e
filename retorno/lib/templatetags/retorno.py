from django import template

from retorno.lib.codes import country_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    """ISO 3166 alpha-3 code → country name ("IRQ" → "Iraq")."""
    return country_name(code) if code else ""
