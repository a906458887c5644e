"""Which people a user may see. Default: nobody.

A person is visible to the offices that registered them and to every office that sees a
case they are a member of.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.people.models import Person


def visible_people(user: User | AnonymousUser) -> QuerySet[Person]:
    from retorno.cases.models import CaseMember
    from retorno.cases.policy import visible_case_rule

    offices = perms.office_ids(user, perms.PERSON_VIEW)
    case_rule = visible_case_rule(user, prefix="case__")
    if not offices or case_rule is None:
        return Person.objects.none()
    # Correlated, so a list walks people newest first and checks each one's cases by
    # index, instead of first collecting every member of every visible case.
    in_visible_case = CaseMember.objects.filter(case_rule, person_id=OuterRef("pk"))
    return Person.objects.filter(
        # Registered by one of the user's offices (perhaps not yet in any case).
        Q(registered_office_id__in=offices)
        # A member of a case the user sees.
        | Exists(in_visible_case)
    )


def access_person(user: User | AnonymousUser, person_id: int) -> Person:
    """The person if `user` may see them; 404 otherwise (missing and forbidden alike)."""
    person = visible_people(user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def person_offices(person: Person) -> set[int]:
    """Offices that may change a person: the registering office and the host offices of
    the person's open or closed cases (origin offices after handover)."""
    from retorno.cases.models import Case
    from retorno.cases.policy import case_offices

    offices = {person.registered_office_id}
    for case in Case.objects.filter(members__person=person).only(
        "host_office_id", "origin_office_id", "handed_over_at"
    ):
        offices |= case_offices(case)
    return offices


def can_on_person(user: User | AnonymousUser, action: str, person: Person) -> bool:
    return bool(perms.office_ids(user, action) & person_offices(person))
