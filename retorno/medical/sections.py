"""Fitness to travel on the case page (registered in MedicalConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.medical import policy
from retorno.medical.fitness import current_by_member


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case: whoever sees the case sees each
    # member's outcome, special needs and escort flag; only the medical officer reads the
    # detail.
    return {
        "rows": current_by_member(case),
        "show_detail": policy.can_view_detail(request.user, case),
        "can_record": policy.can_record(request.user, case),
    }
