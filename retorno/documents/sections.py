"""Travel documents on the case page (registered in DocumentsConfig.ready())."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from retorno.cases.models import Case, CaseMember
from retorno.documents import policy, workflow
from retorno.documents.models import DocumentStatus, TravelDocument


@dataclass
class Row:
    """One document as the section shows it, with what needs attention."""

    document: TravelDocument
    expired: bool
    expires_before_departure: bool
    follow_up_overdue: bool
    moves: list[workflow.Move]


def _row(document: TravelDocument, case: Case, today: datetime.date, can_record: bool) -> Row:
    expires = document.expires_on
    planned = case.planned_departure_on
    return Row(
        document=document,
        expired=bool(expires and expires < today),
        expires_before_departure=bool(expires and planned and expires < planned),
        follow_up_overdue=bool(document.status == DocumentStatus.REQUESTED
                               and document.follow_up_on and document.follow_up_on < today),
        moves=workflow.moves_from(document.status) if can_record else [],
    )


def by_member(case: Case, can_record: bool = False) -> list[tuple[CaseMember, list[Row]]]:
    """Each member of `case`, in member order, with their documents on it. Two queries,
    whatever the size of the family."""
    today = timezone.localdate()
    members = list(case.members.select_related("person").order_by("id"))
    documents: dict[int, list[Row]] = {}
    for document in policy.documents_of(case):
        documents.setdefault(document.person_id, []).append(
            _row(document, case, today, can_record))
    return [(member, documents.get(member.person_id, [])) for member in members]


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case; the documents themselves
    # (numbers included) only for the roles that work with them.
    if not policy.can_view(request.user, case):
        return None
    can_record = policy.can_record(request.user, case)
    return {"rows": by_member(case, can_record), "can_record": can_record,
            "planned_departure_on": case.planned_departure_on}
