"""Creating and changing programmes."""

import datetime

from retorno.lib.models import validate
from retorno.programmes.models import Programme


def create_programme(*, code: str, name: str, donor: str, host_countries: list[str],
                     eligible_nationalities: list[str], eligible_categories: list[str],
                     start_date: datetime.date, end_date: datetime.date | None) -> Programme:
    programme = Programme(code=code, name=name, donor=donor, host_countries=host_countries,
                          eligible_nationalities=eligible_nationalities,
                          eligible_categories=eligible_categories, start_date=start_date,
                          end_date=end_date)
    validate(programme)
    programme.save()
    return programme
