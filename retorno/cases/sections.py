"""Sections other apps add to the case page (counselling, consent, travel documents...).

An app registers a section in its AppConfig.ready():

    sections.register(Section(template="consent/_case_section.html", context=consent_context,
                              order=20))

`context(request, case)` returns the section's template variables, or None to leave the
section out (for a role that may not read it). It must read through the policy.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[[HttpRequest, Case], dict[str, Any] | None]
    order: int = 50


_SECTIONS: list[Section] = []


def register(section: Section) -> None:
    if section.template not in {s.template for s in _SECTIONS}:
        _SECTIONS.append(section)
        _SECTIONS.sort(key=lambda s: s.order)


def render_context(request: HttpRequest, case: Case) -> list[dict[str, Any]]:
    """For each section the user may read: its template and variables."""
    shown = []
    for section in _SECTIONS:
        context = section.context(request, case)
        if context is not None:
            shown.append({"template": section.template, **context})
    return shown
