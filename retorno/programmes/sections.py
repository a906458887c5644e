"""The Eligibility section of the case page (registered in ProgrammesConfig.ready())."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from retorno.cases.models import Case, Status
from retorno.programmes.eligibility import explain

SHOWN_WHEN = frozenset({Status.COUNSELLING, Status.APPLIED})


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case: whoever sees the case sees how
    # it stands against its programme's rules, while approval is still ahead.
    if case.status not in SHOWN_WHEN:
        return None
    today = timezone.localdate()
    return {"rules": explain(case, today), "today": today}
