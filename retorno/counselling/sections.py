"""The counselling history on the case page (registered in CounsellingConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.counselling import policy


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case: whoever sees the case sees its
    # sessions; only the case team reads their notes.
    return {
        "sessions": list(policy.sessions_of(case)),
        "show_notes": policy.can_read_notes(request.user, case),
        "can_record": policy.can_record(request.user, case),
    }
