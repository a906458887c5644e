"""What fills a declaration's placeholders: plain strings from the case, in the
declaration's language (dates by its locale formats, country names and relationships
translated). See `placeholders` for the list."""

import datetime
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _

from retorno.cases.models import Case, CaseMember, Relationship
from retorno.lib.codes import country_name
from retorno.people.models import Person
from retorno.privacy.consent import is_child

# Unicode isolates around a name in another script, so that a right-to-left name does
# not reorder the brackets and words around it.
_FSI, _PDI = "\u2068", "\u2069"


def person_name(person: Person) -> str:
    latin = " ".join(p for p in (person.given_name, person.family_name) if p)
    original = " ".join(p for p in (person.given_name_original, person.family_name_original)
                        if p)
    if original and original != latin:
        return f"{latin} ({_FSI}{original}{_PDI})"
    return latin


def _date_of_birth(person: Person) -> str:
    if person.date_of_birth is None:
        return _("unknown")
    day = formats.date_format(person.date_of_birth, "DATE_FORMAT")
    if person.date_of_birth_approximate:
        return _("%(date)s (approximate)") % {"date": day}
    return day


def members_in_order(case: Case) -> list[CaseMember]:
    """The principal applicant first, then the family in the order they were added."""
    members = list(case.members.select_related("person").order_by("id"))
    return sorted(members, key=lambda m: m.relationship != Relationship.PRINCIPAL)


def context(case: Case, members: list[CaseMember], language: str,
            day: datetime.date) -> dict[str, Any]:
    """The placeholders' values for `case` printed on `day` in `language`."""
    principal = next(m for m in members if m.relationship == Relationship.PRINCIPAL)
    family = [m for m in members if m is not principal]
    with translation.override(language):
        person = principal.person
        return {
            "principal_name": person_name(person),
            "principal_date_of_birth": _date_of_birth(person),
            "principal_nationality": country_name(person.nationality)
            if person.nationality else "",
            "destination_country": country_name(case.destination_country),
            "destination_area": case.destination_area,
            "case_reference": case.reference,
            "programme_name": case.programme.name if case.programme_id else "",
            "office_name": case.host_office.name,
            "date": formats.date_format(day, "DATE_FORMAT"),
            "family_members": [
                {"name": person_name(m.person), "date_of_birth": _date_of_birth(m.person),
                 "relationship": str(m.get_relationship_display())} for m in family],
            "adult_family_members": [{"name": person_name(m.person)} for m in family
                                     if not is_child(m, day)],
        }
