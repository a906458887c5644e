"""Alternative pathways for tests, proposed through the real service."""

import datetime
from typing import Any

from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.pathways.models import Pathway
from retorno.pathways.services import propose_pathway


def pathway_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "family_reunification", "third_country": "SWE",
        "receiving_organisation": "Swedish Migration Agency",
        "referred_on": datetime.date(2026, 3, 2), "notes": "Spouse lives in Malmö.",
    }
    data.update(overrides)
    return data


def propose(case: Case, actor: User, **overrides: Any) -> Pathway:
    return propose_pathway(actor=actor, case=case, data=pathway_data(**overrides))
