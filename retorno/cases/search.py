"""Case and person search, shared by the search page and the API.

Names match partially, ignoring case, accents and script variants: every word typed
must appear in one member's folded names (`Person.search_text`). On PostgreSQL a
trigram index serves the LIKE; see docs/architecture.md for SQLite.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from retorno.accounts.models import User
from retorno.cases.models import Case, CaseMember
from retorno.cases.policy import visible_cases
from retorno.lib.text import tokens
from retorno.people.models import Person
from retorno.people.policy import visible_people


def name_filter(text: str, prefix: str = "") -> Q:
    q = Q()
    for token in tokens(text):
        q &= Q(**{f"{prefix}search_text__contains": token})
    return q


def search_people(user: User, *, q: str = "", date_of_birth: datetime.date | None = None,
                  nationality: str = "") -> QuerySet[Person]:
    people = visible_people(user).filter(name_filter(q))
    if date_of_birth:
        people = people.filter(date_of_birth=date_of_birth)
    if nationality:
        people = people.filter(nationality=nationality)
    return people.order_by("-id")


def search_cases(user: User, *, reference: str = "", q: str = "",
                 date_of_birth: datetime.date | None = None, nationality: str = "",
                 statuses: list[str] | None = None) -> QuerySet[Case]:
    cases = visible_cases(user)
    if reference:
        cases = cases.filter(reference=reference.strip().upper())
    if statuses:
        cases = cases.filter(status__in=statuses)
    person = Q()
    if q:
        person &= name_filter(q, "person__")
    if date_of_birth:
        person &= Q(person__date_of_birth=date_of_birth)
    if nationality:
        person &= Q(person__nationality=nationality)
    if person:
        # All conditions on the same member: "Ahmed born 1990" finds a case whose Ahmed
        # was born in 1990, not one with an Ahmed and someone else born in 1990.
        cases = cases.filter(Exists(CaseMember.objects.filter(person, case=OuterRef("pk"))))
    return cases.order_by("-id")
