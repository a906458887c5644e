"""Who needs a best-interest determination (BID) before return: for the lifecycle guard
on "ready to travel" (DESIGN.md), checked by cases/workflow.py."""

from typing import TYPE_CHECKING

from django.utils import timezone

from retorno.cases.models import Case, Vulnerability
from retorno.people.models import Person
from retorno.screening import questionnaire as q
from retorno.screening import rules

if TYPE_CHECKING:
    from retorno.screening.models import BestInterestDetermination

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


def latest_bids(case: Case) -> dict[int, "BestInterestDetermination"]:
    """The latest best-interest determination of each person of `case`, by person id."""
    from retorno.screening.models import BestInterestDetermination

    latest: dict[int, BestInterestDetermination] = {}
    for bid in BestInterestDetermination.objects.filter(case=case).order_by(
            "-decided_on", "-id"):
        latest.setdefault(bid.person_id, bid)
    return latest


def without_positive_bid(case: Case) -> list[Person]:
    """The children needing a BID whose latest one is missing or does not find return in
    their best interest."""
    latest = latest_bids(case)
    return [p for p in needs_best_interest_determination(case)
            if p.pk not in latest or not latest[p.pk].is_positive]
