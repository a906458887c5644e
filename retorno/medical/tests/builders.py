"""Fitness to travel assessments for tests, recorded through the real service."""

import datetime
from typing import Any

from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.medical.models import FitnessAssessment
from retorno.medical.services import record_assessment
from retorno.people.models import Person

DETAIL = "Type 2 diabetes; metformin 500 mg twice daily."


def assessment_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "outcome": "fit_with_escort", "special_needs": ["wheelchair", "other"],
        "special_needs_other": "Aisle seat near the toilets", "escort_required": False,
        "assessed_on": datetime.date(2026, 3, 2), "detail": DETAIL,
    }
    data.update(overrides)
    return data


def record(case: Case, actor: User, person: Person | None = None,
           **overrides: Any) -> FitnessAssessment:
    person = person or case.principal.person
    return record_assessment(actor=actor, case=case, person=person,
                             data=assessment_data(**overrides))
