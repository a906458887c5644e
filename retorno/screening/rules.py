"""From a screening's answers and the case's members to vulnerability flags and proposals.

Pure functions: nothing here reads or writes the database.
"""

import datetime
from collections.abc import Iterable, Mapping

from retorno.cases.models import CaseMember, Vulnerability
from retorno.privacy.consent import age_on
from retorno.screening import questionnaire as q


def age(member: CaseMember, on: datetime.date) -> int | None:
    born = member.person.date_of_birth
    return None if born is None else age_on(born, on)


def _is_adult(member: CaseMember, on: datetime.date) -> bool:
    # A relative without a date of birth counts as an adult: adults are the ones most
    # often registered without one, and the screener can still add a flag by hand.
    years = age(member, on)
    return years is None or years >= q.CHILD_UNDER


def age_flags(member: CaseMember, members: Iterable[CaseMember],
              on: datetime.date) -> list[Vulnerability]:
    """Flags the member's age suggests, given who else returns in the same case."""
    years = age(member, on)
    if years is None:
        return []
    if years >= q.ELDERLY_FROM:
        return [Vulnerability.ELDERLY]
    if years >= q.CHILD_UNDER:
        return []
    others = [m for m in members if m.pk != member.pk]
    parents = q.PARENTS_OF.get(member.relationship, frozenset())
    if any(m.relationship in parents for m in others):
        return []
    related = member.relationship not in q.UNRELATED
    if related and any(m.relationship not in q.UNRELATED and _is_adult(m, on)
                       for m in others):
        return [Vulnerability.SEPARATED_CHILD]
    return [Vulnerability.UNACCOMPANIED_CHILD]


def answer_flags(answers: Mapping[str, str]) -> list[Vulnerability]:
    flags: set[Vulnerability] = set()
    for question in q.QUESTIONS:
        if answers.get(question.code) == q.Answer.YES:
            flags.update(question.flags)
    return list(flags)


def derive(member: CaseMember, members: Iterable[CaseMember], answers: Mapping[str, str],
           on: datetime.date) -> list[str]:
    """Every flag the screening suggests, in the coded list's order."""
    found = set(answer_flags(answers)) | set(age_flags(member, members, on))
    return [v.value for v in Vulnerability if v in found]


def proposals(flags: Iterable[str]) -> list[dict[str, str]]:
    """One proposal per flag: {"flag", "kind"}; its text is read from the questionnaire
    in the reader's language (`proposal_text`)."""
    return [{"flag": flag, "kind": q.PROPOSALS[Vulnerability(flag)].kind.value}
            for flag in flags if Vulnerability(flag) in q.PROPOSALS]


def proposal_text(flag: str) -> str:
    return str(q.PROPOSALS[Vulnerability(flag)].action)
