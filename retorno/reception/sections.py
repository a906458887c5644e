"""Handover and reception on the case page (registered in ReceptionConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.lib.money import format_money
from retorno.reception import policy, services


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case. Shown once the case has an
    # office of origin; whoever sees the case reads it.
    if case.origin_office_id is None or not policy.can_view(request.user, case):
        return None
    reception = policy.reception_of(case) if case.handed_over_at else None
    may = policy.may_record(request.user, case) and case.is_open
    status = services.effective_status(case)
    return {
        "reception": reception,
        "pocket_money": (format_money(reception.pocket_money,
                                      reception.pocket_money_currency)
                         if reception and reception.pocket_money is not None else ""),
        "can_accept": may and reception is None and status in services.ACCEPTING,
        "can_plan": may and reception is not None and status in services.PLANNING,
        "can_record_arrival": may and reception is not None and status in services.ARRIVING,
    }
