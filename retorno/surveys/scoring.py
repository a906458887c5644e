"""Scores of one survey response: per indicator, per dimension and the composite.

Every score is a number between 0 (worst) and 1 (best).

1. **Questions.** A `select_one` question linked to an indicator is answered when its
   answer is an option with a value; no answer, or an option whose value is null ("don't
   know", "refused", "not applicable"), is a *missing* answer.
2. **Indicators.** An indicator's value is the plain mean of the values of its answered
   questions. An indicator none of whose questions is answered is *missing*: its value is
   None, **never 0**, and it is listed in `missing`.
3. **Dimensions (the missing-answer rule).** A dimension's score is the weighted mean of
   its answered indicators, their weights re-normalised over the answered ones only
   (weight ÷ sum of the answered indicators' weights), **provided those answered
   indicators carry at least `min_coverage` of the dimension's total indicator weight**
   (`missing_rule.min_coverage` of the definition, 0.5 by default). Otherwise the
   dimension has no score (None: "not enough answers"). `coverage` is the share of the
   dimension's indicator weight that was answered (0 to 1).
4. **Composite.** The weighted mean of the dimension scores with the dimensions' weights.
   It exists only when **every** dimension has a score; otherwise it is None.
5. **Contribution** of an indicator: its value × its re-normalised weight within its
   dimension × its dimension's weight in the composite (the dimension's weight ÷ the sum
   of all dimensions' weights). For a response with a composite, the contributions of
   all indicators add up to the composite (missing indicators contribute None, and their
   weight went to the answered indicators of the same dimension). When a dimension has
   no score, its indicators' contributions are None; the other dimensions' indicators
   keep theirs, which then add up to what those dimensions would bring to a composite —
   a partial sum, not a score.

Arithmetic is done on full floats; only the returned numbers are rounded, to 4 decimals.
"""

from typing import Any

from retorno.surveys.definition import SCORED_TYPE, Definition

PLACES = 4
_EPSILON = 1e-9


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


def question_value(definition: Definition, question: dict, answer: Any) -> float | None:
    """The coded value of `answer` to a scored question; None when missing."""
    if question.get("type") != SCORED_TYPE or answer in (None, ""):
        return None
    option = definition.option(question, str(answer))
    if option is None or option.get("value") is None:
        return None
    return float(option["value"])


def score(definition: dict, answers: dict[str, str]) -> dict:
    """The breakdown of `answers` scored with `definition` (see the module docstring):

    {"dimensions": {code: {"score": float|None, "coverage": float, "weight": float}},
     "composite": float|None,
     "indicators": {code: {"dimension": str, "value": float|None, "weight": float,
                           "contribution": float|None}},
     "missing": [indicator codes], "rule": {"min_coverage": 0.5}}
    """
    d = Definition(definition)
    answers = answers or {}
    values: dict[str, float | None] = {}
    for indicator in d.indicators:
        found = [question_value(d, q, answers.get(q["name"]))
                 for q in d.questions_of(indicator["code"])]
        answered = [v for v in found if v is not None]
        values[indicator["code"]] = sum(answered) / len(answered) if answered else None

    dim_total = sum(float(dim["weight"]) for dim in d.dimensions)
    dimensions: dict[str, dict[str, Any]] = {}
    indicators: dict[str, dict[str, Any]] = {}
    for dim in d.dimensions:
        code = dim["code"]
        own = d.indicators_of(code)
        total = sum(float(i["weight"]) for i in own)
        answered_weight = sum(float(i["weight"]) for i in own
                              if values[i["code"]] is not None)
        coverage = answered_weight / total if total else 0.0
        enough = answered_weight > 0 and coverage + _EPSILON >= d.min_coverage
        dim_score = (sum(values[i["code"]] * float(i["weight"]) for i in own
                         if values[i["code"]] is not None) / answered_weight
                     if enough else None)
        share = float(dim["weight"]) / dim_total if dim_total else 0.0
        dimensions[code] = {"score": dim_score, "coverage": coverage,
                            "weight": float(dim["weight"])}
        for ind in own:
            value = values[ind["code"]]
            contribution = (value * float(ind["weight"]) / answered_weight * share
                            if enough and value is not None else None)
            indicators[ind["code"]] = {"dimension": code, "value": value,
                                       "weight": float(ind["weight"]),
                                       "contribution": contribution}

    scores = [(dimensions[c]["score"], dimensions[c]["weight"]) for c in dimensions]
    composite = (sum(s * w for s, w in scores) / dim_total
                 if scores and dim_total and all(s is not None for s, _w in scores)
                 else None)
    return {
        "dimensions": {c: {"score": _round(v["score"]), "coverage": _round(v["coverage"]),
                           "weight": v["weight"]} for c, v in dimensions.items()},
        "composite": _round(composite),
        "indicators": {c: {**v, "value": _round(v["value"]),
                           "contribution": _round(v["contribution"])}
                       for c, v in indicators.items()},
        "missing": [c for c, v in values.items() if v is None],
        "rule": {"min_coverage": d.min_coverage},
    }
