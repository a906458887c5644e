"""Counselling sessions for tests, recorded through the real service."""

import datetime
from typing import Any

from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.counselling.models import CounsellingSession
from retorno.counselling.services import record_session


def session_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": datetime.date(2026, 3, 2), "mode": "in_person", "language": "arb",
        "interpreter": "Samira K.", "topics": ["return_process", "origin_housing"],
        "materials": "Leaflet on reintegration support", "position": "undecided",
        "notes": "Worried about debts owed in Basra.",
    }
    data.update(overrides)
    return data


def record(case: Case, actor: User, **overrides: Any) -> CounsellingSession:
    return record_session(actor=actor, case=case, data=session_data(**overrides))
