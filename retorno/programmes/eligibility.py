"""Does a case meet its programme's rules? Each unmet rule is one plain sentence.

`unmet_rules` gives the sentences (the approval guard shows them); `explain` gives every
rule with whether it is met and why (the Eligibility section of the case page).
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from retorno.lib.codes import country_name
from retorno.lib.money import format_money
from retorno.programmes.models import MigrantCategory, Programme

if TYPE_CHECKING:
    from retorno.cases.models import Case

# One rule: its label, the sentences saying what is unmet (empty: met), and what to say
# when it is met.
Rule = tuple[str, list[str], str]


def unmet_rules(case: "Case", on: datetime.date) -> list[str]:
    return [sentence for _label, unmet, _met in _rules(case, on) for sentence in unmet]


def explain(case: "Case", on: datetime.date) -> list[tuple[str, bool, str]]:
    """Every rule of the case's programme: (label, met?, explanation)."""
    return [(label, not unmet, " ".join(unmet) if unmet else met)
            for label, unmet, met in _rules(case, on)]


def age_on(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def application_date(case: "Case", on: datetime.date) -> datetime.date:
    """The day of the case's (latest) `applied` transition; `on` if it has not applied."""
    from retorno.cases.models import Status, TimelineKind

    applied = (case.timeline.filter(kind=TimelineKind.TRANSITION, to_status=Status.APPLIED)
               .order_by("-at", "-id").values_list("at", flat=True).first())
    return timezone.localdate(applied) if applied is not None else on


def approved_count(programme: Programme, *, excluding: "Case | None" = None) -> int:
    """The programme's cases that have been approved (whatever they became since)."""
    from retorno.cases.models import Case, Status, TimelineKind

    cases = Case.objects.filter(programme=programme, timeline__kind=TimelineKind.TRANSITION,
                                timeline__to_status=Status.APPROVED)
    if excluding is not None:
        cases = cases.exclude(pk=excluding.pk)
    return cases.values("pk").distinct().count()


def committed_cases(programme: Programme) -> "QuerySet[Case]":
    """The programme's approved cases whose approval still commits money: a case that
    ended before it was booked and handed over (withdrawn, rejected, cancelled or
    referred to another pathway) releases its commitment; once tickets are bought the
    money is spent."""
    from retorno.cases.models import Case, Status

    return (Case.objects.filter(programme=programme, commitment__isnull=False)
            .exclude(handed_over_at__isnull=True, status__in=[
                Status.WITHDRAWN, Status.REJECTED, Status.CANCELLED,
                Status.REFERRED_ALTERNATIVE]))


def committed_amount(programme: Programme, *, excluding: "Case | None" = None) -> Decimal:
    """What the programme's approvals have committed (`Case.commitment`, set when each
    was approved), less the released ones."""
    cases = committed_cases(programme)
    if excluding is not None:
        cases = cases.exclude(pk=excluding.pk)
    return cases.aggregate(total=Sum("commitment"))["total"] or Decimal(0)


def _rules(case: "Case", on: datetime.date) -> list[Rule]:
    programme = case.programme
    if programme is None:
        return [(_("Programme"), [_("Choose a programme for this case.")], "")]
    code = programme.code
    rules: list[Rule] = []
    running = [] if programme.is_running(on) else [
        _("Programme %(code)s is not running on %(date)s.")
        % {"code": code, "date": date_format(on)}]
    rules.append((_("Programme running"), running,
                  _("Programme %(code)s is running on %(date)s.")
                  % {"code": code, "date": date_format(on)}))
    host_country = case.host_office.country
    serves = [] if host_country in programme.host_countries else [
        _("Programme %(code)s does not serve migrants in %(country)s.")
        % {"code": code, "country": country_name(host_country)}]
    rules.append((_("Host country"), serves,
                  _("Programme %(code)s serves migrants in %(country)s.")
                  % {"code": code, "country": country_name(host_country)}))
    members = list(case.members.select_related("person"))
    nationalities, categories = [], []
    for member in members:
        name = member.person.display_name
        nationality = member.person.nationality
        if programme.eligible_nationalities and nationality not in programme.eligible_nationalities:
            nationalities.append(
                _("%(name)s's nationality (%(country)s) is not eligible for %(code)s.")
                % {"name": name, "country": country_name(nationality) or "?", "code": code}
            )
        if programme.eligible_categories and member.category not in programme.eligible_categories:
            categories.append(
                _("%(name)s's category (%(category)s) is not eligible for %(code)s.")
                % {"name": name, "category": MigrantCategory(member.category).label,
                   "code": code}
            )
    rules.append((_("Nationality"), nationalities,
                  _("Every member's nationality is eligible.")
                  if programme.eligible_nationalities else _("Any nationality is eligible.")))
    rules.append((_("Category"), categories,
                  _("Every member's category is eligible.")
                  if programme.eligible_categories else _("Any category is eligible.")))
    rules.append(_age_rule(case, programme, members, on))
    rules.append(_window_rule(case, programme, on))
    rules.append(_quota_rule(case, programme))
    rules.append(_budget_rule(case, programme, len(members)))
    return rules


def _age_rule(case: "Case", programme: Programme, members: list, on: datetime.date) -> Rule:
    from retorno.cases.models import Relationship

    label = _("Age")
    if programme.min_age is None and programme.max_age is None:
        return (label, [], _("Programme %(code)s has no age limit.") % {"code": programme.code})
    principal = next((m.person for m in members if m.relationship == Relationship.PRINCIPAL),
                     None)
    if principal is None:
        return (label, [_("Add the principal applicant to the case.")], "")
    name = principal.display_name
    if principal.date_of_birth is None:
        return (label, [_("Record %(name)s's date of birth: programme %(code)s has an age "
                          "limit.") % {"name": name, "code": programme.code}], "")
    age = age_on(principal.date_of_birth, on)
    values = {"name": name, "age": age, "date": date_format(on), "code": programme.code,
              "min": programme.min_age, "max": programme.max_age}
    unmet = []
    if programme.min_age is not None and age < programme.min_age:
        unmet.append(_("%(name)s is %(age)d on %(date)s; programme %(code)s takes principal "
                       "applicants aged %(min)d or over.") % values)
    if programme.max_age is not None and age > programme.max_age:
        unmet.append(_("%(name)s is %(age)d on %(date)s; programme %(code)s takes principal "
                       "applicants aged %(max)d or under.") % values)
    if principal.date_of_birth_approximate:
        met = _("%(name)s is %(age)d on %(date)s (approximate date of birth).") % values
    else:
        met = _("%(name)s is %(age)d on %(date)s.") % values
    return (label, unmet, met)


def _window_rule(case: "Case", programme: Programme, on: datetime.date) -> Rule:
    label = _("Application window")
    opens, closes = programme.applications_open, programme.applications_close
    if opens is None and closes is None:
        return (label, [], _("Programme %(code)s takes applications at any time.")
                % {"code": programme.code})
    applied = application_date(case, on)
    values = {"code": programme.code, "date": date_format(applied),
              "open": date_format(opens) if opens else "",
              "close": date_format(closes) if closes else ""}
    unmet = []
    if opens is not None and applied < opens:
        unmet.append(_("Programme %(code)s takes applications from %(open)s; this "
                       "application is dated %(date)s.") % values)
    if closes is not None and applied > closes:
        unmet.append(_("Programme %(code)s took applications until %(close)s; this "
                       "application is dated %(date)s.") % values)
    return (label, unmet, _("The application is dated %(date)s, within programme "
                            "%(code)s's application window.") % values)


def _quota_rule(case: "Case", programme: Programme) -> Rule:
    label = _("Quota")
    if programme.max_cases is None:
        return (label, [], _("Programme %(code)s has no quota.") % {"code": programme.code})
    used = approved_count(programme, excluding=case)
    values = {"code": programme.code, "used": used, "max": programme.max_cases}
    if used >= programme.max_cases:
        return (label, [_("Programme %(code)s has already approved %(used)d cases, its quota "
                          "of %(max)d: no more can be approved.") % values], "")
    return (label, [], _("%(used)d of the %(max)d cases programme %(code)s may approve have "
                         "been approved.") % values)


def _budget_rule(case: "Case", programme: Programme, returnees: int) -> Rule:
    from retorno.programmes.package import commitment, has_package

    label = _("Budget")
    need = commitment(case)
    if programme.budget is None or need is None:
        return (label, [], _("Programme %(code)s has no budget limit.")
                % {"code": programme.code})
    currency = programme.currency
    remaining = programme.budget - committed_amount(programme, excluding=case)
    values = {"code": programme.code, "budget": format_money(programme.budget, currency),
              "remaining": format_money(max(remaining, 0), currency),
              "need": format_money(need, currency), "n": returnees}
    if has_package(programme):
        values["needs"] = ngettext(
            "%(need)s (the assistance package for %(n)d returnee)",
            "%(need)s (the assistance package for %(n)d returnees)", returnees) % values
    else:
        values["cost"] = format_money(programme.cost_per_returnee, currency)
        values["needs"] = ngettext("%(need)s (%(n)d returnee at %(cost)s)",
                                   "%(need)s (%(n)d returnees at %(cost)s each)",
                                   returnees) % values
    if need > remaining:
        return (label, [_("Programme %(code)s has %(remaining)s left of its %(budget)s budget; "
                          "this case needs %(needs)s.") % values], "")
    return (label, [], _("This case needs %(needs)s; programme %(code)s has %(remaining)s "
                         "left of its %(budget)s budget.") % values)
