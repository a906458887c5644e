"""Reading fitness to travel for other apps, e.g. the ready_to_travel guard.

These read without a user: call them on a case already loaded through the policy.
"""

from retorno.cases.models import Case, CaseMember
from retorno.medical.models import FitnessAssessment, Outcome
from retorno.people.models import Person

NOT_YET = {Outcome.UNFIT, Outcome.PENDING}


def current_by_member(case: Case) -> list[tuple[CaseMember, FitnessAssessment | None]]:
    """Each member of `case`, in member order, with their current assessment (None when
    they have none). Two queries, whatever the size of the family."""
    members = list(case.members.select_related("person").order_by("id"))
    newest: dict[int, FitnessAssessment] = {}
    rows = (FitnessAssessment.objects
            .filter(case=case, person_id__in=[m.person_id for m in members])
            .select_related("assessed_by").order_by("person_id", "-assessed_on", "-id"))
    for row in rows:
        newest.setdefault(row.person_id, row)
    pairs: list[tuple[CaseMember, FitnessAssessment | None]] = []
    for member in members:
        current = newest.get(member.person_id)
        if current is not None:
            current.person = member.person
        pairs.append((member, current))
    return pairs


def current_fitness(case: Case) -> dict[int, FitnessAssessment | None]:
    """For each member of `case` (by CaseMember id), their current assessment: the newest
    by date assessed, then by when it was recorded; None when they have none."""
    return {member.pk: current for member, current in current_by_member(case)}


def unfit_or_pending(case: Case) -> list[Person]:
    """The members who may not travel yet, in member order: assessed unfit, pending, or
    not assessed at all (no assessment counts as pending)."""
    return [member.person for member, current in current_by_member(case)
            if current is None or current.outcome in NOT_YET]


def needs_escort(case: Case) -> list[Person]:
    """The members whose current assessment requires a medical escort."""
    return [member.person for member, current in current_by_member(case)
            if current is not None and current.escort_required]
