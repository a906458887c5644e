"""Reading a case's survey responses: which ones a user may see, and what a response and
the history of a case's scores look like on the page and in the API.

A response is read with its case: whoever may see the case (`cases.policy`) reads its
survey responses and their scores. The survey key, the pseudonym that offline forms
carry, is shown only to those who hold `survey.record` in the case's office of origin.
Nothing here writes.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.cases.policy import visible_case_rule
from retorno.surveys.definition import SCORED_TYPE, Definition, text
from retorno.surveys.models import Instrument, Purpose, Round, SurveyKey, SurveyResponse

_RELATED = ("version__instrument", "respondent__person", "recorded_by")


def responses_of(case: Case) -> QuerySet[SurveyResponse]:
    """The responses of a case the caller loaded through `access_case`, oldest first."""
    return (SurveyResponse.objects.filter(case_id=case.pk).select_related(*_RELATED)
            .order_by("collected_on", "pk"))


def access_case_response(case: Case, response_id: int) -> SurveyResponse:
    """A response of a case the caller loaded through `access_case`; 404 otherwise."""
    response = responses_of(case).filter(pk=response_id).first()
    if response is None:
        raise Http404
    response.case = case
    return response


def access_response(user: User | AnonymousUser, response_id: int) -> SurveyResponse:
    """A response whose case `user` may see; 404 otherwise (missing and forbidden look
    the same)."""
    rule = visible_case_rule(user, prefix="case__")
    if rule is None:
        raise Http404
    response = (SurveyResponse.objects.filter(rule, pk=response_id)
                .select_related("case", *_RELATED).first())
    if response is None:
        raise Http404
    return response


def may_read_key(user: User | AnonymousUser, case: Case) -> bool:
    """The survey key is for those who collect surveys for the case's office of origin."""
    return (case.origin_office_id is not None and case.handed_over_at is not None
            and perms.can(user, perms.SURVEY_RECORD, case.origin_office_id))


def existing_key(case: Case) -> str:
    key = SurveyKey.objects.filter(case_id=case.pk).values_list("key", flat=True).first()
    return key or ""


def instruments_for_recording() -> dict[str, Instrument]:
    """The instrument of each purpose new responses are recorded with (the first by code
    when an organisation keeps several)."""
    found: dict[str, Instrument] = {}
    for instrument in Instrument.objects.order_by("code"):
        found.setdefault(instrument.purpose, instrument)
    return found


# ---- one response, explained ---------------------------------------------------------------


@dataclass
class IndicatorRow:
    code: str
    label: str
    dimension: str
    answers: list[dict[str, Any]]  # question, answer label, coded value
    value: float | None
    weight: float
    contribution: float | None

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass
class DimensionRow:
    code: str
    label: str
    weight: float
    score: float | None
    coverage: float
    answered: int
    total: int
    indicators: list[IndicatorRow] = field(default_factory=list)


def explain(response: SurveyResponse) -> dict[str, Any]:
    """What the response page shows: each dimension with its score (or why it has none)
    and its indicators with their answers, coded values, weights and contributions; the
    composite; the rule for missing answers; the questions asked but not scored."""
    definition = Definition(response.version.definition)
    breakdown = response.breakdown or {}
    answers = response.answers or {}
    scored = breakdown.get("indicators", {})
    rows: list[DimensionRow] = []
    for dim in definition.dimensions:
        got = breakdown.get("dimensions", {}).get(dim["code"], {})
        row = DimensionRow(code=dim["code"], label=text(dim.get("label")),
                           weight=float(dim["weight"]), score=got.get("score"),
                           coverage=float(got.get("coverage") or 0.0), answered=0, total=0)
        for indicator in definition.indicators_of(dim["code"]):
            found = scored.get(indicator["code"], {})
            row.indicators.append(IndicatorRow(
                code=indicator["code"], label=text(indicator.get("label")),
                dimension=dim["code"],
                answers=[_answer(definition, q, answers.get(q["name"]))
                         for q in definition.questions_of(indicator["code"])],
                value=found.get("value"), weight=float(indicator["weight"]),
                contribution=found.get("contribution")))
            row.total += 1
            row.answered += found.get("value") is not None
        rows.append(row)
    unscored = [_answer(definition, q, answers.get(q["name"])) for q in definition.questions
                if not (q.get("type") == SCORED_TYPE and q.get("indicator"))]
    min_coverage = float((breakdown.get("rule") or {}).get("min_coverage",
                                                           definition.min_coverage))
    return {"dimensions": rows, "composite": breakdown.get("composite"),
            "min_coverage": min_coverage, "unscored": unscored,
            "title": definition.title or response.version.instrument.name,
            "missing_count": len(breakdown.get("missing", []))}


def _answer(definition: Definition, question: dict, answer: Any) -> dict[str, Any]:
    label = ""
    value = None
    known = answer not in (None, "")
    if known and question.get("type") == SCORED_TYPE:
        option = definition.option(question, str(answer))
        label = text(option.get("label")) if option else str(answer)
        value = option.get("value") if option else None
    elif known:
        label = str(answer)
    return {"name": question["name"], "question": text(question.get("label")),
            "answer": label, "option": str(answer) if known else "", "value": value,
            "answered": known, "dont_know": known and question.get("type") == SCORED_TYPE
            and value is None}


# ---- the history of a case's scores ---------------------------------------------------------


def round_label(response: SurveyResponse) -> str:
    return str(Round(response.round).label) if response.round in Round.values else ""


def history(responses: list[SurveyResponse]) -> dict[str, Any]:
    """The sustainability scores of a case over time, one column per response (its round
    and date): the composite and each dimension, for a chart and the same numbers as a
    table. Dimensions are named from the latest version used."""
    rows = [r for r in responses if r.version.instrument.purpose == Purpose.SUSTAINABILITY]
    if not rows:
        return {"columns": [], "series": {}}
    labels: dict[str, str] = {}
    for response in rows:
        for dim in Definition(response.version.definition).dimensions:
            labels[dim["code"]] = text(dim.get("label"))
    columns = [f"{round_label(r)} {_short_date(r)}" for r in rows]
    series: dict[str, list[tuple[str, float | None]]] = {
        _("Composite"): [(c, r.composite) for c, r in zip(columns, rows, strict=True)]}
    for code, label in labels.items():
        series[label] = [(c, (r.breakdown.get("dimensions", {}).get(code) or {}).get("score"))
                         for c, r in zip(columns, rows, strict=True)]
    return {"columns": columns, "series": series}


def _short_date(response: SurveyResponse) -> str:
    return date_format(response.collected_on, "SHORT_DATE_FORMAT")
