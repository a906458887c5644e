"""The alternative pathways on the case page (registered in PathwaysConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.pathways import policy
from retorno.pathways.forms import StatusForm
from retorno.pathways.transitions import next_statuses


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case: whoever sees the case sees
    # its pathways; the case team records them.
    can_record = policy.can_record(request.user, case)
    pathways = list(policy.pathways_of(case))
    rows = []
    for pathway in pathways:
        moves = next_statuses(pathway.status) if can_record else []
        rows.append({"pathway": pathway, "history": list(pathway.changes.all()),
                     "form": StatusForm(statuses=moves,
                                        initial={"version": pathway.version},
                                        prefix=f"p{pathway.pk}") if moves else None})
    return {"pathways": rows, "can_record": can_record}
