"""Screenings and families for tests, built through the real services."""

import datetime
from typing import Any

from retorno.accounts.models import User
from retorno.cases import services as case_services
from retorno.cases.models import Case, CaseMember
from retorno.programmes.models import MigrantCategory
from retorno.screening.models import Screening
from retorno.screening.questionnaire import QUESTIONS
from retorno.screening.services import record_screening
from retorno.testing.personas import World, open_case, person_data

SCREENED_ON = datetime.date(2026, 3, 2)


def answers(*yes: str, unknown: tuple[str, ...] = ()) -> dict[str, str]:
    """Every question answered: "yes" to `yes`, "unknown" to `unknown`, else "no"."""
    return {q.code: "yes" if q.code in yes else "unknown" if q.code in unknown else "no"
            for q in QUESTIONS}


def born(years_before: int, days: int = 0) -> datetime.date:
    """A birthday `years_before` years before SCREENED_ON, shifted by `days`."""
    return SCREENED_ON.replace(year=SCREENED_ON.year - years_before) + datetime.timedelta(
        days=days)


def case_of(world: World, principal_born: datetime.date | None, **person: Any) -> Case:
    return open_case(world, person=person_data(date_of_birth=principal_born, **person))


def add(case: Case, actor: User, relationship: str, date_of_birth: datetime.date | None,
        given_name: str = "Sara", vulnerabilities: list[str] | None = None) -> CaseMember:
    return case_services.register_and_add_member(
        actor=actor, case=case,
        person=person_data(given_name=given_name, given_name_original="",
                           date_of_birth=date_of_birth),
        member={"relationship": relationship, "category": MigrantCategory.ASYLUM_REJECTED,
                "vulnerabilities": vulnerabilities or []})


def screen(case: Case, actor: User, member: CaseMember | None = None, *yes: str,
           notes: str = "", screened_on: datetime.date = SCREENED_ON) -> Screening:
    member = member or case.principal
    return record_screening(actor=actor, case=case, member=member, answers=answers(*yes),
                            screened_on=screened_on, notes=notes)
