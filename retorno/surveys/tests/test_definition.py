"""Checking instrument definitions (`definition.validate`) and answers (`check_answers`)."""

import copy

import pytest

from retorno.surveys.definition import Definition, check_answers, text, validate
from retorno.surveys.shipped import shipped_documents
from retorno.surveys.tests.small import small


@pytest.mark.parametrize("doc", shipped_documents(), ids=lambda d: d["code"])
def test_shipped_definitions_are_sound(doc):
    assert validate(doc["definition"]) == []
    assert doc["definition"]["weights_status"] == "provisional"
    for item in [doc["definition"]["title"], *doc["definition"]["dimensions"]]:
        labels = item if "en" in item else item["label"]
        assert labels["en"] and labels["fr"]


def test_shipped_sustainability_has_fifteen_indicators_in_three_dimensions():
    definition = shipped_documents()[0]["definition"]
    d = Definition(definition)
    assert [dim["code"] for dim in d.dimensions] == ["economic", "social", "psychosocial"]
    assert [len(d.indicators_of(dim["code"])) for dim in d.dimensions] == [5, 5, 5]


def test_small_is_sound():
    assert validate(small()) == []


def _broken(change) -> list[str]:
    definition = small()
    change(definition)
    return validate(definition)


def _one(problems: list[str], fragment: str) -> None:
    assert any(fragment in p for p in problems), problems


def test_codes_and_names_unique():
    def twice(d):
        d["indicators"].append(copy.deepcopy(d["indicators"][0]))
        d["questions"].append(copy.deepcopy(d["questions"][0]))
    problems = _broken(twice)
    _one(problems, "The indicator code “A1” is used twice.")
    _one(problems, "The question name “qa1” is used twice.")


def test_dimension_and_indicator_must_exist():
    def dangling(d):
        d["indicators"][0]["dimension"] = "z"
        d["questions"][3]["indicator"] = "B9"
    problems = _broken(dangling)
    _one(problems, "Indicator “A1” belongs to the dimension “z”, which does not exist.")
    _one(problems, "Question “qb1” scores the indicator “B9”, which does not exist.")
    _one(problems, "Indicator “B1” has no scored question.")


def test_values_and_weights():
    def bad(d):
        d["questions"][0]["options"] = copy.deepcopy(d["questions"][0]["options"])
        d["questions"][0]["options"][0]["value"] = 1.5
        d["dimensions"][0]["weight"] = 0.7
        d["indicators"][2]["weight"] = 0
    problems = _broken(bad)
    _one(problems, "Option “yes” of question “qa1”: the value must be between 0 and 1")
    _one(problems, "The dimensions' weights add up to 1.1, not 1.")
    _one(problems, "Indicator “B1”: the weight must be a number greater than 0")
    _one(problems, "indicators of dimension “b” add up to 0.5, not 1.")


def test_weights_within_tolerance_pass():
    def nearly(d):
        d["dimensions"][0]["weight"] = 0.6004
        d["dimensions"][1]["weight"] = 0.3999
    assert _broken(nearly) == []


def test_names_valid_and_not_reserved():
    def names(d):
        d["questions"][5]["name"] = "survey_key"
        d["questions"][4]["name"] = "2nd question"
    problems = _broken(names)
    _one(problems, "Question name “survey_key” is reserved")
    _one(problems, "“2nd question” is not a valid name")


def test_types_and_options():
    def types(d):
        d["questions"][5]["type"] = "select_multiple"
        d["questions"].append({"name": "age", "type": "integer", "indicator": "A1",
                               "label": {"en": "Age"}})
        d["questions"][3]["options"] = [{"name": "dk", "label": {"en": "DK"}, "value": None}]
    problems = _broken(types)
    _one(problems, "Question “people” has the type “select_multiple”")
    _one(problems, "Question “age” is of type integer and cannot be scored")
    _one(problems, "Question “qb1” is scored but none of its options has a value.")


def test_rule_status_and_labels():
    def other(d):
        d["missing_rule"] = {"min_coverage": 0}
        d["weights_status"] = "final"
        d["dimensions"][0]["label"] = {"fr": "Seulement"}
    problems = _broken(other)
    _one(problems, "minimum coverage must be a number greater than 0")
    _one(problems, "The weights' status must be “provisional” or “official”")
    _one(problems, "Dimension “a” has no English label.")


def test_not_a_document():
    assert validate([]) == ["The definition is not a JSON object."]
    _one(validate({}), "The definition has no dimensions.")


def test_check_answers_normalises_and_names_each_problem():
    clean, problems = check_answers(small(), {"qa1": "yes", "qa2a": "", "people": 4.0,
                                              "qb1": "perhaps", "nope": "x"})
    assert clean == {"qa1": "yes", "people": "4"}
    assert problems == ["“perhaps” is not an answer option of question “qb1”.",
                        "“nope” is not a question of this survey."]


def test_text_falls_back_to_english():
    assert text({"en": "Hello", "fr": "Bonjour"}, "fr") == "Bonjour"
    assert text({"en": "Hello"}, "fr") == "Hello"
    assert text(None) == ""
