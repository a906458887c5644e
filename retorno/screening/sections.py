"""The screening section of the case page (registered in ScreeningConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.screening import policy
from retorno.screening.bid import latest_bids, needs_best_interest_determination


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case: whoever sees the case sees when
    # each member was screened; only protection roles read answers, flags and proposals.
    latest: dict[int, Any] = {}
    counts: dict[int, int] = {}
    for screening in policy.screenings_of(case):  # newest first
        latest.setdefault(screening.person_id, screening)
        counts[screening.person_id] = counts.get(screening.person_id, 0) + 1
    members = list(case.members.select_related("person").order_by("id"))
    # Who sees the case sees each child's latest best-interest decision; the reasons only
    # protection roles.
    needing = {p.pk for p in needs_best_interest_determination(case)}
    bids = latest_bids(case)
    return {
        "rows": [{"member": m, "latest": latest.get(m.person_id),
                  "count": counts.get(m.person_id, 0),
                  "needs_bid": m.person_id in needing, "bid": bids.get(m.person_id)}
                 for m in members],
        "show_detail": policy.can_read_detail(request.user, case),
        "can_screen": policy.can_screen(request.user, case),
    }
