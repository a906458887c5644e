"""What a partner is told about a person: the minimum each service needs, and nothing else.

A referral copies these fields into `Referral.shared` when it is sent; they are all the
partner ever sees. Every service gets the person's name as they use it, their sex, their
age in years (never the date of birth), their preferred language, their phone if any, the
place they live now and the officer's note on what they need. Legal help adds their
nationality. Medical care and psychosocial support get no diagnosis and nothing from the
medical or screening apps; no service gets vulnerability flags, the case reference,
documents or history.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from retorno.cases.models import Case
from retorno.lib.codes import country_name, language_name
from retorno.lib.subdivisions import subdivision_name
from retorno.people.models import Person, Sex
from retorno.privacy.consent import age_on
from retorno.reintegration.models import ItemKind

COMMON = ("name", "sex", "age", "language", "phone", "lives_in", "need")

# Service -> the fields copied for it, in the order the partner reads them.
MINIMUM: dict[str, tuple[str, ...]] = {
    ItemKind.BUSINESS: COMMON,
    ItemKind.EDUCATION: COMMON,
    ItemKind.VOCATIONAL_TRAINING: COMMON,
    ItemKind.JOB_PLACEMENT: COMMON,
    ItemKind.HOUSING: COMMON,
    ItemKind.MEDICAL: COMMON,
    ItemKind.PSYCHOSOCIAL: COMMON,
    ItemKind.LEGAL: (*COMMON, "nationality"),
    ItemKind.IN_KIND: COMMON,
}

LABELS = {
    "name": gettext_lazy("Name"),
    "sex": gettext_lazy("Sex"),
    "age": gettext_lazy("Age (years)"),
    "language": gettext_lazy("Preferred language"),
    "phone": gettext_lazy("Phone"),
    "lives_in": gettext_lazy("Lives in"),
    "need": gettext_lazy("What they need"),
    "nationality": gettext_lazy("Nationality"),
}

# What is kept of a referral's shared copy once the person withdraws their consent.
KEPT_AFTER_WITHDRAWAL = ("name",)


def _lives_in(case: Case) -> str:
    from retorno.reception.models import Reception

    reception = Reception.objects.filter(case_id=case.pk).only("final_destination").first()
    if reception is not None and reception.final_destination:
        return reception.final_destination
    if case.destination_area:
        return case.destination_area
    if case.destination_subdivision:
        return subdivision_name(case.destination_subdivision)
    return country_name(case.destination_country) if case.destination_country else ""


def _value(field: str, case: Case, person: Person, need: str) -> Any:
    if field == "name":
        return person.display_name
    if field == "sex":
        return person.sex or Sex.UNKNOWN
    if field == "age":
        born = person.date_of_birth
        return age_on(born, timezone.localdate()) if born else None
    if field == "language":
        return person.languages[0] if person.languages else ""
    if field == "phone":
        return person.phone
    if field == "lives_in":
        return _lives_in(case)
    if field == "need":
        return need
    if field == "nationality":
        return person.nationality
    raise KeyError(field)


def shared_fields(service: str, case: Case, person: Person, need: str) -> dict[str, Any]:
    """The copy a referral for `service` carries: exactly the table's fields."""
    return {field: _value(field, case, person, need) for field in MINIMUM[service]}


def readable(shared: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for each shared field, as the partner reads it."""
    rows = []
    for field, value in shared.items():
        if field == "sex":
            shown = str(Sex(value).label) if value in Sex.values else str(value)
        elif field == "language":
            shown = language_name(value) if value else ""
        elif field == "nationality":
            shown = country_name(value) if value else ""
        else:
            shown = "" if value is None else str(value)
        rows.append((str(LABELS.get(field, field)), shown))
    return rows
