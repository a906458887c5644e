"""Who needs a best-interest determination (BID) before return: for the lifecycle guard
on "ready to travel" (DESIGN.md), which a later change adds to cases/workflow.py."""

from django.utils import timezone

from retorno.cases.models import Case, Vulnerability
from retorno.people.models import Person
from retorno.screening import questionnaire as q
from retorno.screening import rules

_NEEDS_BID = frozenset({Vulnerability.UNACCOMPANIED_CHILD, Vulnerability.SEPARATED_CHILD})


def needs_best_interest_determination(case: Case) -> list[Person]:
    """The members flagged unaccompanied or separated child who are still children today
    (or whose age is unknown), in the case's member order."""
    today = timezone.localdate()
    people = []
    for member in case.members.select_related("person").order_by("id"):
        if not _NEEDS_BID & set(member.vulnerabilities):
            continue
        years = rules.age(member, today)
        if years is None or years < q.CHILD_UNDER:
            people.append(member.person)
    return people
