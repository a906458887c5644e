"""The M&E dashboard: how sustainable the returnees' reintegration is, whether they were
followed up, and what they complained about — in aggregate, never a person.

Who: the holders of `me.view` (M&E officers, supervisors, programme managers). What: the
cases they may see (`cases.policy.visible_cases`) and the feedback they may see
(`feedback.policy.visible_feedback`), so the dashboard never counts what its reader could
not open one by one.

Small groups are suppressed: a group of fewer than `MIN_GROUP` cases shows its count as
"fewer than 5" and no score, so a score cannot be traced back to one returnee (a group of
one would be that person's score).

Scores are each case's *latest* response with the chosen instrument (or every response,
when asked), read from `surveys.SurveyResponse.composite` and `surveys.DimensionScore`;
a response or dimension without a score (too few answers, the missing-answer rule) is
counted in the "not scored" column, never as zero.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from retorno.accounts.models import User
from retorno.cases.models import CaseMember, Relationship, Status
from retorno.cases.policy import visible_cases
from retorno.feedback.stats import by_category
from retorno.lib import charts
from retorno.lib.codes import country_name
from retorno.monitoring import policy
from retorno.monitoring.models import ScheduleStep
from retorno.monitoring.progress import followup_done
from retorno.monitoring.services import arrival_dates
from retorno.people.models import Sex
from retorno.programmes.policy import programmes
from retorno.surveys.definition import text
from retorno.surveys.models import (
    DimensionScore,
    Instrument,
    Purpose,
    Round,
    SurveyResponse,
)

MIN_GROUP = 5
SCORE_BATCH = 10_000  # response ids per query for their dimension scores

# Age at collection, in years: (label, lowest age, highest age).
AGE_GROUPS = [
    (gettext_lazy("under 18"), 0, 17),
    (gettext_lazy("18 to 24"), 18, 24),
    (gettext_lazy("25 to 34"), 25, 34),
    (gettext_lazy("35 to 49"), 35, 49),
    (gettext_lazy("50 and over"), 50, 200),
]
# Whole months from arrival to collection.
MONTH_GROUPS = [
    (gettext_lazy("0 to 2 months"), 0, 2),
    (gettext_lazy("3 to 5 months"), 3, 5),
    (gettext_lazy("6 to 11 months"), 6, 11),
    (gettext_lazy("12 to 23 months"), 12, 23),
    (gettext_lazy("24 months and more"), 24, 10_000),
]


@dataclass
class Row:
    """One response as the dashboard needs it: its scores and the groups it falls in."""

    case_id: int
    composite: float | None
    dimensions: dict[str, float | None]
    country: str
    programme: str
    sex: str
    age: int | None
    months: int | None


@dataclass
class Group:
    label: str
    count: int = 0
    composite: list[float] = field(default_factory=list)
    dimensions: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    unscored: int = 0

    @property
    def shown(self) -> bool:
        return self.count >= MIN_GROUP

    def median(self, values: list[float]) -> float | None:
        return statistics.median(values) if self.shown and values else None

    @property
    def composite_median(self) -> float | None:
        return self.median(self.composite)

    @property
    def composite_mean(self) -> float | None:
        return statistics.fmean(self.composite) if self.shown and self.composite else None

    def dimension_median(self, code: str) -> float | None:
        return self.median(self.dimensions.get(code, []))


def _age(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def survey_rows(user: User, instrument: Instrument, *, programme_id: int | None = None,
                latest_only: bool = True) -> list[Row]:
    """The responses with `instrument` on the cases `user` may see, one per case (the
    latest) unless `latest_only` is False."""
    responses = SurveyResponse.objects.filter(case__in=visible_cases(user),
                                              version__instrument=instrument)
    if programme_id:
        responses = responses.filter(case__programme_id=programme_id)
    found = list(responses.order_by("case_id", "collected_on", "pk").values(
        "pk", "case_id", "collected_on", "composite", "months_since_return",
        "case__destination_country", "case__programme__name",
        "respondent__person__sex", "respondent__person__date_of_birth"))
    if latest_only:
        latest: dict[int, dict[str, Any]] = {}
        for response in found:
            latest[response["case_id"]] = response  # ordered: the last one wins
        found = list(latest.values())
    # The principal answers for the case when no respondent was recorded.
    principals = {
        member["case_id"]: member for member in CaseMember.objects.filter(
            case_id__in={r["case_id"] for r in found if r["respondent__person__sex"] is None},
            relationship=Relationship.PRINCIPAL,
        ).values("case_id", "person__sex", "person__date_of_birth")
    } if found else {}
    # Only the responses shown (not every response of the cases), by their ids: the
    # database then starts from each response instead of from every response with the
    # instrument. In batches, to stay under SQLite's limit on query parameters.
    scores: dict[int, dict[str, float | None]] = defaultdict(dict)
    ids = [r["pk"] for r in found]
    for start in range(0, len(ids), SCORE_BATCH):
        for score in DimensionScore.objects.filter(
                response_id__in=ids[start:start + SCORE_BATCH]).values_list(
                "response_id", "dimension", "score"):
            scores[score[0]][score[1]] = score[2]
    rows = []
    for r in found:
        principal = principals.get(r["case_id"], {})
        sex = r["respondent__person__sex"] or principal.get("person__sex") or Sex.UNKNOWN
        born = (r["respondent__person__date_of_birth"] if r["respondent__person__sex"]
                else principal.get("person__date_of_birth"))
        rows.append(Row(case_id=r["case_id"], composite=r["composite"],
                        dimensions=scores.get(r["pk"], {}),
                        country=r["case__destination_country"],
                        programme=r["case__programme__name"] or _("No programme"),
                        sex=sex, age=_age(born, r["collected_on"]),
                        months=r["months_since_return"]))
    return rows


def _bucket(value: int | None, groups: list[tuple[Any, int, int]]) -> str:
    if value is None:
        return _("Unknown")
    for label, low, high in groups:
        if low <= value <= high:
            return str(label)
    return _("Unknown")


def group_by(rows: Iterable[Row], key: str, order: list[str] | None = None) -> list[Group]:
    """The rows in groups by one of: all (one group), country, programme, sex, age,
    months."""
    sex_labels = dict(Sex.choices)
    groups: dict[str, Group] = {}
    for row in rows:
        if key == "all":
            label = _("All")
        elif key == "country":
            label = country_name(row.country) if row.country else _("Unknown")
        elif key == "programme":
            label = row.programme
        elif key == "sex":
            label = str(sex_labels.get(row.sex, row.sex))
        elif key == "age":
            label = _bucket(row.age, AGE_GROUPS)
        else:
            label = _bucket(row.months, MONTH_GROUPS)
        group = groups.setdefault(label, Group(label=label))
        group.count += 1
        if row.composite is None:
            group.unscored += 1
        else:
            group.composite.append(row.composite)
        for code, score in row.dimensions.items():
            if score is not None:
                group.dimensions[code].append(score)
    if order is not None:
        ranked = {label: i for i, label in enumerate(order)}
        return sorted(groups.values(), key=lambda g: (ranked.get(g.label, len(ranked)),
                                                      g.label))
    return sorted(groups.values(), key=lambda g: g.label)


def _dimensions(instrument: Instrument) -> list[dict[str, Any]]:
    version = instrument.current
    if version is None:
        return []
    return [{"code": d["code"], "label": text(d["label"]) or d["code"]}
            for d in version.definition.get("dimensions", [])]


# A case's first follow-up falls due this many months after arrival when its programme
# has no monitoring schedule.
DEFAULT_FIRST_CONTACT_MONTHS = 3
AFTER_ARRIVAL = (Status.ARRIVED, Status.REINTEGRATION, Status.MONITORING, Status.CLOSED)


@dataclass
class Coverage:
    label: str
    due: int = 0
    done: int = 0

    @property
    def shown(self) -> bool:
        return self.due >= MIN_GROUP

    @property
    def share(self) -> float | None:
        return self.done / self.due if self.shown else None


def followup_coverage(user: User, *, programme_id: int | None = None,
                      today: datetime.date | None = None) -> list[Coverage]:
    """Per programme (and "All" first): the cases whose first follow-up contact is due —
    arrived at least the programme's first scheduled step's months ago — and how many of
    them have a completed follow-up: a conclusive monitoring contact after the arrival
    (`monitoring.progress.followup_done`) or a follow-up survey response."""
    today = today or timezone.localdate()
    cases = visible_cases(user).filter(
        Q(status__in=AFTER_ARRIVAL) | Q(status=Status.ON_HOLD, held_from__in=AFTER_ARRIVAL))
    if programme_id:
        cases = cases.filter(programme_id=programme_id)
    found = list(cases.values_list("pk", "programme_id", "programme__name"))
    if not found:
        return []
    first_step = dict(ScheduleStep.objects.values("schedule__programme_id")
                      .annotate(first=Min("months_after_arrival"))
                      .values_list("schedule__programme_id", "first"))
    # Querysets, not lists of ids, below: thousands of ids cost more to send than to read.
    arrivals = arrival_dates(cases)
    cutoff = {months: today - relativedelta(months=months)
              for months in {*first_step.values(), DEFAULT_FIRST_CONTACT_MONTHS}}
    due = [(pk, name or _("No programme")) for pk, programme, name in found
           if pk in arrivals
           and arrivals[pk] <= cutoff[first_step.get(programme, DEFAULT_FIRST_CONTACT_MONTHS)]]
    done = followup_done(cases, arrivals) | set(
        SurveyResponse.objects.filter(case__in=cases.values("pk"), round=Round.FOLLOW_UP)
        .order_by().values_list("case_id", flat=True).distinct())
    overall = Coverage(label=_("All"))
    groups: dict[str, Coverage] = {}
    for pk, name in due:
        for coverage in (overall, groups.setdefault(name, Coverage(label=name))):
            coverage.due += 1
            coverage.done += pk in done
    return [overall, *sorted(groups.values(), key=lambda c: c.label)]


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not policy.can_view_dashboard(request.user):
        raise PermissionDenied
    instruments = list(Instrument.objects.all())
    chosen = next((i for i in instruments if i.code == request.GET.get("instrument")), None)
    if chosen is None:
        chosen = next((i for i in instruments if i.purpose == Purpose.SUSTAINABILITY),
                      instruments[0] if instruments else None)
    all_programmes = list(programmes())
    try:
        programme_id = int(request.GET.get("programme") or 0) or None
    except ValueError:
        programme_id = None
    latest_only = request.GET.get("responses") != "all"
    context: dict[str, Any] = {
        "instruments": instruments, "instrument": chosen, "programmes": all_programmes,
        "programme_id": programme_id, "latest_only": latest_only, "min_group": MIN_GROUP,
    }
    if chosen is not None:
        rows = survey_rows(request.user, chosen, programme_id=programme_id,
                           latest_only=latest_only)
        dimensions = _dimensions(chosen)
        overall = group_by(rows, "all")[:1]
        context.update(rows_count=len(rows), dimensions=dimensions,
                       overall=overall[0] if overall else None)
        breakdowns = []
        for key, title, order in [
            ("country", _("By country of origin"), None),
            ("programme", _("By programme"), None),
            ("sex", _("By sex"), [str(label) for _v, label in Sex.choices]),
            ("age", _("By age group"), [str(g[0]) for g in AGE_GROUPS]),
            ("months", _("By months since return"), [str(g[0]) for g in MONTH_GROUPS]),
        ]:
            groups = group_by(rows, key, order)
            for group in groups:
                group.dimension_medians = [group.dimension_median(d["code"])
                                           for d in dimensions]
            shown = [g for g in groups if g.composite_median is not None]
            chart = charts.bar_chart([g.label for g in shown],
                                     [g.composite_median for g in shown],
                                     title=_("Median composite score"), y_max=1.0) \
                if shown else ""
            breakdowns.append({"key": key, "title": title, "groups": groups,
                               "chart": chart})
        context["breakdowns"] = breakdowns
        scored = [r.composite for r in rows if r.composite is not None]
        context["histogram"] = charts.histogram(
            scored, bins=10, value_range=(0.0, 1.0), title=_("Composite scores"),
            x_label=_("Composite score"), y_label=_("Responses"),
        ) if len(scored) >= MIN_GROUP else ""
    coverage = followup_coverage(request.user, programme_id=programme_id)
    context["coverage"] = coverage
    shown = [c for c in coverage[1:] if c.share is not None]
    context["coverage_chart"] = charts.bar_chart(
        [c.label for c in shown], [c.share for c in shown], y_max=1.0,
        title=_("Share of cases with a completed follow-up")) if shown else ""
    figures = by_category(request.user)
    context["feedback"] = figures
    context["feedback_chart"] = charts.bar_chart(
        [f.label for f in figures], [f.count for f in figures],
        title=_("Feedback and complaints received"), counts=True) if figures else ""
    answered = [f for f in figures if f.median_days_to_answer is not None]
    context["answer_chart"] = charts.bar_chart(
        [f.label for f in answered], [f.median_days_to_answer for f in answered],
        title=_("Median days to answer")) if answered else ""
    return render(request, "monitoring/dashboard.html", context)
