"""Creating and changing programmes."""

import datetime
from decimal import Decimal

from retorno.lib.models import validate
from retorno.programmes.models import Programme


def create_programme(*, code: str, name: str, donor: str, host_countries: list[str],
                     eligible_nationalities: list[str], eligible_categories: list[str],
                     start_date: datetime.date, end_date: datetime.date | None,
                     min_age: int | None = None, max_age: int | None = None,
                     applications_open: datetime.date | None = None,
                     applications_close: datetime.date | None = None,
                     max_cases: int | None = None, currency: str = "",
                     budget: Decimal | None = None,
                     cost_per_returnee: Decimal | None = None) -> Programme:
    programme = Programme(code=code, name=name, donor=donor, host_countries=host_countries,
                          eligible_nationalities=eligible_nationalities,
                          eligible_categories=eligible_categories, start_date=start_date,
                          end_date=end_date, min_age=min_age, max_age=max_age,
                          applications_open=applications_open,
                          applications_close=applications_close, max_cases=max_cases,
                          currency=currency, budget=budget,
                          cost_per_returnee=cost_per_returnee)
    validate(programme)
    programme.save()
    return programme
