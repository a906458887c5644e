"""The definition of one version of a survey instrument: a JSON document, checked here.

The format (`InstrumentVersion.definition`)::

    {"title": {"en": "...", "fr": "..."},
     "weights_status": "provisional" | "official",
     "missing_rule": {"min_coverage": 0.5},
     "dimensions": [{"code": "economic", "label": {"en": .., "fr": ..}, "weight": 0.3333},
                    ...],
     "indicators": [{"code": "E1", "dimension": "economic", "label": {...},
                     "weight": 0.2}, ...],
     "questions": [{"name": "e1_income", "indicator": "E1" | null, "type": "select_one",
                    "label": {...}, "hint": {...},
                    "options": [{"name": "yes", "label": {...}, "value": 1.0 | null},
                                ...]},
                   ...]}

- Labels (`title`, `label`, `hint`) map a language code to a text; English (`en`) is
  required, others (`fr`) optional, and a missing language falls back to English.
- A question's `type` is `select_one` — scored through its options' `value`, a number
  from 0 (worst) to 1 (best), or null for "don't know / refused / not applicable",
  which counts as a missing answer — or `integer`, `text` or `date`, which are never
  scored (their `indicator` is null and they have no options). A `select_one` question
  with a null `indicator` is asked but not scored (its options' values are ignored).
- An indicator's value is the mean of the values of its answered questions; a
  dimension's and the composite score are weighted means (`scoring.py`, which also
  states the missing-answer rule that `missing_rule.min_coverage` parameterises).
- `weights_status` is `official` only once an organisation has loaded its own table;
  the pages show "provisional weights" otherwise.

`validate(definition)` returns every problem as a translated, specific message (an empty
list when the definition is sound): unique codes and names, dimensions and indicators
that exist, at least one scored question per indicator, values in [0, 1], positive
weights that sum to 1 (±0.001) across the dimensions and within each dimension, names
that are valid XLSForm names and not one of the names the XLSForm export adds itself
(`RESERVED`). `Definition` reads a validated document.
"""

import datetime
import math
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# Added to every form by the XLSForm export, so no question may be called so.
RESERVED = ("survey_key", "collected_on", "respondent", "form_version")
SCORED_TYPE = "select_one"
QUESTION_TYPES = ("select_one", "integer", "text", "date")
WEIGHTS_STATUSES = ("provisional", "official")
LANGUAGES = ("en", "fr")
TOLERANCE = 0.001
DEFAULT_MIN_COVERAGE = 0.5


def text(label: Any, language: str | None = None) -> str:
    """A label in `language` (the active one by default), else in English, else ''."""
    if isinstance(label, str):
        return label
    if not isinstance(label, dict):
        return ""
    language = (language or get_language() or "en").split("-")[0]
    return str(label.get(language) or label.get("en") or "")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if math.isnan(value) or math.isinf(value):
        return None
    return float(value)


def _check_label(problems: list[str], label: Any, where: str) -> None:
    if not isinstance(label, dict) or not str(label.get("en") or "").strip():
        problems.append(_("%(where)s has no English label.") % {"where": where})


def _check_name(problems: list[str], name: Any, where: str) -> bool:
    if not isinstance(name, str) or not NAME_RE.match(name):
        problems.append(_("%(where)s: “%(name)s” is not a valid name (letters, digits, _ . -; "
                          "starting with a letter or _).") % {"where": where, "name": name})
        return False
    return True


def _check_weight(problems: list[str], weight: Any, where: str) -> float | None:
    number = _number(weight)
    if number is None or number <= 0:
        problems.append(_("%(where)s: the weight must be a number greater than 0, not "
                          "“%(weight)s”.") % {"where": where, "weight": weight})
        return None
    return number


def _list_of_dicts(definition: dict, key: str, problems: list[str]) -> list[dict]:
    items = definition.get(key)
    if not isinstance(items, list) or not items:
        problems.append(_("The definition has no %(part)s.") % {"part": key})
        return []
    bad = [i for i in items if not isinstance(i, dict)]
    if bad:
        problems.append(_("The definition's %(part)s are malformed.") % {"part": key})
    return [i for i in items if isinstance(i, dict)]


def validate(definition: Any) -> list[str]:
    """Every problem of `definition`, as translated messages; [] when it is sound."""
    if not isinstance(definition, dict):
        return [_("The definition is not a JSON object.")]
    problems: list[str] = []
    _check_label(problems, definition.get("title"), _("The instrument"))
    if definition.get("weights_status") not in WEIGHTS_STATUSES:
        problems.append(_("The weights' status must be “provisional” or “official”, not "
                          "“%(value)s”.") % {"value": definition.get("weights_status")})
    rule = definition.get("missing_rule")
    coverage = _number(rule.get("min_coverage")) if isinstance(rule, dict) else None
    if coverage is None or not 0 < coverage <= 1:
        problems.append(_("The missing-answer rule's minimum coverage must be a number "
                          "greater than 0 and at most 1."))

    dimensions = _list_of_dicts(definition, "dimensions", problems)
    indicators = _list_of_dicts(definition, "indicators", problems)
    questions = _list_of_dicts(definition, "questions", problems)

    dim_codes: list[str] = []
    dim_total = 0.0
    for dim in dimensions:
        code = dim.get("code")
        where = _("Dimension “%(code)s”") % {"code": code}
        if _check_name(problems, code, where):
            if code in dim_codes:
                problems.append(_("The dimension code “%(code)s” is used twice.")
                                % {"code": code})
            dim_codes.append(code)
        _check_label(problems, dim.get("label"), where)
        dim_total += _check_weight(problems, dim.get("weight"), where) or 0
    if dimensions and abs(dim_total - 1) > TOLERANCE:
        problems.append(_("The dimensions' weights add up to %(total)s, not 1.")
                        % {"total": round(dim_total, 4)})

    ind_codes: list[str] = []
    ind_totals: dict[str, float] = {}
    for ind in indicators:
        code = ind.get("code")
        where = _("Indicator “%(code)s”") % {"code": code}
        if _check_name(problems, code, where):
            if code in ind_codes:
                problems.append(_("The indicator code “%(code)s” is used twice.")
                                % {"code": code})
            ind_codes.append(code)
        _check_label(problems, ind.get("label"), where)
        weight = _check_weight(problems, ind.get("weight"), where) or 0
        dimension = ind.get("dimension")
        if dimension not in dim_codes:
            problems.append(_("Indicator “%(code)s” belongs to the dimension “%(dim)s”, "
                              "which does not exist.") % {"code": code, "dim": dimension})
        else:
            ind_totals[dimension] = ind_totals.get(dimension, 0) + weight
    for code in dim_codes:
        total = ind_totals.get(code)
        if total is None:
            problems.append(_("Dimension “%(code)s” has no indicator.") % {"code": code})
        elif abs(total - 1) > TOLERANCE:
            problems.append(_("The weights of the indicators of dimension “%(code)s” add up "
                              "to %(total)s, not 1.") % {"code": code,
                                                         "total": round(total, 4)})

    names: list[str] = []
    scored: set[str] = set()
    for question in questions:
        name = question.get("name")
        where = _("Question “%(name)s”") % {"name": name}
        if _check_name(problems, name, where):
            if name in RESERVED:
                problems.append(_("Question name “%(name)s” is reserved: the form adds it "
                                  "itself.") % {"name": name})
            elif name in names:
                problems.append(_("The question name “%(name)s” is used twice.")
                                % {"name": name})
            names.append(name)
        _check_label(problems, question.get("label"), where)
        kind = question.get("type")
        indicator = question.get("indicator")
        if kind not in QUESTION_TYPES:
            problems.append(_("Question “%(name)s” has the type “%(type)s”; the types are "
                              "%(types)s.") % {"name": name, "type": kind,
                                               "types": ", ".join(QUESTION_TYPES)})
            continue
        if kind != SCORED_TYPE:
            if indicator is not None:
                problems.append(_("Question “%(name)s” is of type %(type)s and cannot be "
                                  "scored: it must have no indicator.")
                                % {"name": name, "type": kind})
            if question.get("options"):
                problems.append(_("Question “%(name)s” is of type %(type)s and cannot have "
                                  "options.") % {"name": name, "type": kind})
            continue
        if indicator is not None:
            if indicator not in ind_codes:
                problems.append(_("Question “%(name)s” scores the indicator “%(code)s”, "
                                  "which does not exist.") % {"name": name,
                                                              "code": indicator})
            else:
                scored.add(indicator)
        _check_options(problems, question, name, scored=indicator is not None)
    for code in ind_codes:
        if code not in scored:
            problems.append(_("Indicator “%(code)s” has no scored question.") % {"code": code})
    return problems


def _check_options(problems: list[str], question: dict, name: str, *, scored: bool) -> None:
    options = question.get("options")
    if not isinstance(options, list) or not options:
        problems.append(_("Question “%(name)s” has no answer options.") % {"name": name})
        return
    seen: list[str] = []
    valued = 0
    for option in options:
        if not isinstance(option, dict):
            problems.append(_("Question “%(name)s” has a malformed option.") % {"name": name})
            continue
        oname = option.get("name")
        where = _("Option “%(option)s” of question “%(name)s”") % {"option": oname,
                                                                   "name": name}
        if _check_name(problems, oname, where):
            if oname in seen:
                problems.append(_("Question “%(name)s” has the option “%(option)s” twice.")
                                % {"name": name, "option": oname})
            seen.append(oname)
        _check_label(problems, option.get("label"), where)
        value = option.get("value")
        if value is None:
            continue
        number = _number(value)
        if number is None or not 0 <= number <= 1:
            problems.append(_("%(where)s: the value must be between 0 and 1 (or empty for "
                              "“don't know”), not “%(value)s”.") % {"where": where,
                                                                    "value": value})
        else:
            valued += 1
    if scored and not valued:
        problems.append(_("Question “%(name)s” is scored but none of its options has a "
                          "value.") % {"name": name})


@dataclass(frozen=True)
class Definition:
    """Read access to a validated definition document."""

    data: dict

    @property
    def title(self) -> str:
        return text(self.data.get("title"))

    @property
    def weights_provisional(self) -> bool:
        return self.data.get("weights_status") != "official"

    @property
    def min_coverage(self) -> float:
        rule = self.data.get("missing_rule") or {}
        return float(rule.get("min_coverage", DEFAULT_MIN_COVERAGE))

    @property
    def dimensions(self) -> list[dict]:
        return list(self.data.get("dimensions", []))

    @property
    def indicators(self) -> list[dict]:
        return list(self.data.get("indicators", []))

    @property
    def questions(self) -> list[dict]:
        return list(self.data.get("questions", []))

    def question(self, name: str) -> dict | None:
        return next((q for q in self.questions if q.get("name") == name), None)

    def option(self, question: dict, name: str) -> dict | None:
        return next((o for o in question.get("options") or [] if o.get("name") == name),
                    None)

    def indicators_of(self, dimension: str) -> list[dict]:
        return [i for i in self.indicators if i.get("dimension") == dimension]

    def questions_of(self, indicator: str) -> list[dict]:
        return [q for q in self.questions
                if q.get("indicator") == indicator and q.get("type") == SCORED_TYPE]


def check_answers(definition: dict, answers: Any) -> tuple[dict[str, str], list[str]]:
    """The answers normalised to strings (empty answers dropped), and every problem: an
    unknown question, an unknown option, a number or a date that is not one."""
    if not isinstance(answers, dict):
        return {}, [_("The answers must be given as question name → answer.")]
    d = Definition(definition)
    clean: dict[str, str] = {}
    problems: list[str] = []
    for name, raw in answers.items():
        question = d.question(str(name))
        if question is None:
            problems.append(_("“%(name)s” is not a question of this survey.")
                            % {"name": name})
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        value = str(raw).strip()
        kind = question.get("type")
        if kind == SCORED_TYPE:
            if d.option(question, value) is None:
                problems.append(_("“%(value)s” is not an answer option of question "
                                  "“%(name)s”.") % {"value": value, "name": name})
                continue
        elif kind == "integer":
            if isinstance(raw, float) and raw.is_integer():
                value = str(int(raw))
            if not re.fullmatch(r"-?\d+", value):
                problems.append(_("The answer to question “%(name)s” must be a whole "
                                  "number, not “%(value)s”.") % {"value": value,
                                                                 "name": name})
                continue
        elif kind == "date":
            try:
                value = datetime.date.fromisoformat(value[:10]).isoformat()
            except ValueError:
                problems.append(_("The answer to question “%(name)s” must be a date "
                                  "(YYYY-MM-DD), not “%(value)s”.") % {"value": value,
                                                                      "name": name})
                continue
        clean[str(name)] = value
    return clean, problems
