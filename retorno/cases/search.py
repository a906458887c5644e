"""Case and person search, shared by the search page and the API.

Names match partially, ignoring case, accents and script variants: every word typed
must appear in one member's folded names (`Person.search_text`). A trigram index serves
words of three letters or more: `pg_trgm` (GIN, `LIKE '%word%'`) on PostgreSQL, an FTS5
trigram table (`people_person_fts`, `MATCH`) on SQLite. Shorter words have no trigram and
are matched with `LIKE` on the rows the other conditions leave. See docs/architecture.md.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from retorno.accounts.models import User
from retorno.cases.models import Case, CaseMember
from retorno.cases.policy import visible_cases
from retorno.lib.text import tokens
from retorno.people.models import Person
from retorno.people.policy import visible_people

TRIGRAM = 3  # the shortest word a trigram index can find
SQLITE_INDEX = "people_person_fts"  # see people/migrations/0003_name_search_index.py
_SQLITE_MATCH = f"SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH %s"  # noqa: S608
# The search page first looks for its page among the user's most recent cases (see
# `find_cases`).
RECENT = 2000


def _indexed(words: list[str]) -> list[str]:
    return [w for w in words if len(w) >= TRIGRAM]


def _from_people(q: str, date_of_birth: datetime.date | None) -> bool:
    """Whether an index finds the matching people: a name word of three letters or more
    (trigrams), a date of birth."""
    return bool(_indexed(tokens(q)) or date_of_birth)


def _fts_query(words: list[str]) -> str:
    # Each word a quoted FTS5 phrase (quotes doubled inside), all required. With the
    # trigram tokenizer a phrase matches as a substring.
    return " AND ".join('"{}"'.format(w.replace('"', '""')) for w in words)


def name_filter(text: str, prefix: str = "") -> Q:
    """People (`prefix` leads from the queried model to a Person) whose folded names
    contain every word of `text`."""
    words = tokens(text)
    q = Q()
    indexed = _indexed(words)
    if indexed and connection.vendor == "sqlite":
        # Constant SQL; the words go in as a parameter.
        match = RawSQL(_SQLITE_MATCH, [_fts_query(indexed)])  # noqa: S611
        q &= Q(**{f"{prefix}id__in": match})
        words = [w for w in words if w not in indexed]
    for word in words:
        q &= Q(**{f"{prefix}search_text__contains": word})
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
    """The cases `user` may see that match, newest first."""
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
        members = CaseMember.objects.filter(person)
        if _from_people(q, date_of_birth):
            # An index finds the people (name trigrams, birth date): go from them to
            # their cases rather than through every case the user may see.
            cases = cases.filter(id__in=members.values("case_id"))
        else:
            # Nationality or one- and two-letter words: most people match, check the
            # user's cases newest first instead.
            cases = cases.filter(Exists(members.filter(case=OuterRef("pk"))))
    return cases.order_by("-id")


@dataclass(frozen=True)
class ResultPage:
    """One page of search results, for the template: which results it shows and whether
    more follow, and how many there are in all once that is known (no more follow)."""

    cases: list[Case]
    number: int
    size: int
    has_next: bool

    def __iter__(self):
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.cases) - 1

    @property
    def count(self) -> int | None:
        return None if self.has_next or not self.cases else self.end_index


@dataclass(frozen=True)
class Found:
    """Case ids for one page of results, newest first, and whether more follow."""

    ids: list[int]
    has_next: bool


def find_cases(user: User, *, offset: int = 0, limit: int = 25, **filters) -> Found:
    """The ids of the matching cases `offset` to `offset + limit`, without counting them
    all (a common name matches thousands).

    PostgreSQL, given a LIMIT, likes to walk the cases newest first and test each, hoping
    to fill the page early: fast for a name common in the user's office, a walk through
    every case for one that is common elsewhere but rare here. So when an index can find
    the people, the page is first looked for among the user's `RECENT` newest cases, and
    only if they hold too few matches are all matching ids taken, without a LIMIT, which
    lets PostgreSQL start from the people the name index finds. SQLite starts from the
    people the FTS index finds either way, and gets the query with the LIMIT.
    """
    cases = search_cases(user, **filters)
    want = offset + limit + 1  # one more tells whether there is a next page
    if connection.vendor == "postgresql" and _from_people(filters.get("q", ""),
                                                          filters.get("date_of_birth")):
        if want <= RECENT:
            recent = visible_cases(user).order_by("-id").values("id")[:RECENT]
            ids = list(cases.filter(id__in=recent).values_list("id", flat=True)[offset:want])
            if len(ids) > limit:
                return Found(ids[:limit], True)
        ids = sorted(cases.order_by().values_list("id", flat=True), reverse=True)[offset:want]
    else:
        ids = list(cases.values_list("id", flat=True)[offset:want])
    return Found(ids[:limit], len(ids) > limit)
