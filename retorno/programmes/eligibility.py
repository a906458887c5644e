"""Does a case meet its programme's rules? Each unmet rule is one plain sentence."""

import datetime
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.lib.codes import country_name
from retorno.programmes.models import MigrantCategory

if TYPE_CHECKING:
    from retorno.cases.models import Case


def unmet_rules(case: "Case", on: datetime.date) -> list[str]:
    programme = case.programme
    if programme is None:
        return [_("Choose a programme for this case.")]
    unmet = []
    if not programme.is_running(on):
        unmet.append(
            _("Programme %(code)s is not running on %(date)s.")
            % {"code": programme.code, "date": date_format(on)}
        )
    host_country = case.host_office.country
    if host_country not in programme.host_countries:
        unmet.append(
            _("Programme %(code)s does not serve migrants in %(country)s.")
            % {"code": programme.code, "country": country_name(host_country)}
        )
    for member in case.members.select_related("person"):
        name = member.person.display_name
        nationality = member.person.nationality
        if programme.eligible_nationalities and nationality not in programme.eligible_nationalities:
            unmet.append(
                _("%(name)s's nationality (%(country)s) is not eligible for %(code)s.")
                % {"name": name, "country": country_name(nationality) or "?",
                   "code": programme.code}
            )
        if programme.eligible_categories and member.category not in programme.eligible_categories:
            unmet.append(
                _("%(name)s's category (%(category)s) is not eligible for %(code)s.")
                % {"name": name, "category": MigrantCategory(member.category).label,
                   "code": programme.code}
            )
    return unmet
