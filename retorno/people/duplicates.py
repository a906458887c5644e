"""People already registered who may be the person about to be registered."""

import datetime
from difflib import SequenceMatcher

from django.db.models import Q

from retorno.accounts.models import User
from retorno.lib.text import fold
from retorno.people.models import Person
from retorno.people.policy import visible_people

SIMILAR = 0.75


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    # Word order varies between documents ("Al-Rashid Ahmed"): compare sorted words too.
    straight = SequenceMatcher(None, a, b).ratio()
    shuffled = SequenceMatcher(None, " ".join(sorted(a.split())), " ".join(sorted(b.split())))
    return max(straight, shuffled.ratio())


def possible_duplicates(user: User, data: dict, limit: int = 10) -> list[Person]:
    """People the user may see with the same date of birth (the same year when either is
    approximate) and a similar name, in Latin letters or in the original script."""
    dob: datetime.date | None = data.get("date_of_birth")
    if dob is None:
        return []
    same_birth = Q(date_of_birth=dob)
    if data.get("date_of_birth_approximate"):
        same_birth = Q(date_of_birth__year=dob.year)
    else:
        same_birth |= Q(date_of_birth__year=dob.year, date_of_birth_approximate=True)
    latin = fold(f"{data.get('given_name', '')} {data.get('family_name', '')}")
    original = fold(f"{data.get('given_name_original', '')} "
                    f"{data.get('family_name_original', '')}")
    found = []
    for person in visible_people(user).filter(same_birth).order_by("id")[:500]:
        their_latin = fold(f"{person.given_name} {person.family_name}")
        their_original = fold(f"{person.given_name_original} {person.family_name_original}")
        score = max(_similarity(latin, their_latin), _similarity(original, their_original),
                    _similarity(latin, fold(person.aliases)))
        if score >= SIMILAR:
            found.append((score, person))
    found.sort(key=lambda pair: -pair[0])
    return [person for _score, person in found[:limit]]
