"""The scoring arithmetic against hand-computed examples, and the missing-answer rule."""

import pytest

from retorno.surveys.scoring import score
from retorno.surveys.shipped import shipped_documents
from retorno.surveys.tests.builders import answers_for
from retorno.surveys.tests.small import small

COMPLETE = {"qa1": "some", "qa2a": "yes", "qa2b": "no", "qb1": "yes", "qb2": "some",
            "people": "3"}


def test_complete_response_hand_computed():
    # A1 = 0.5; A2 = mean(1, 0) = 0.5; A = 0.25*0.5 + 0.75*0.5 = 0.5
    # B1 = 1; B2 = 0.5; B = 0.5*1 + 0.5*0.5 = 0.75
    # composite = 0.6*0.5 + 0.4*0.75 = 0.6
    result = score(small(), COMPLETE)
    assert result["dimensions"]["a"] == {"score": 0.5, "coverage": 1.0, "weight": 0.6}
    assert result["dimensions"]["b"] == {"score": 0.75, "coverage": 1.0, "weight": 0.4}
    assert result["composite"] == 0.6
    assert result["missing"] == []
    assert result["rule"] == {"min_coverage": 0.5}
    contributions = {c: v["contribution"] for c, v in result["indicators"].items()}
    # value × weight in the dimension × the dimension's weight
    assert contributions == {"A1": 0.075, "A2": 0.225, "B1": 0.2, "B2": 0.1}
    assert sum(contributions.values()) == pytest.approx(result["composite"])
    assert result["indicators"]["A2"] == {"dimension": "a", "value": 0.5, "weight": 0.75,
                                          "contribution": 0.225}


def test_missing_indicator_is_left_out_and_weights_renormalised_never_zero():
    # A1 "don't know" is missing: A = A2 alone = 0.5 (coverage 0.75).
    # B2 unanswered: B = B1 alone = 1.0 (coverage 0.5, just enough).
    # composite = 0.6*0.5 + 0.4*1.0 = 0.7 (scoring the missing ones 0 would give 0.45).
    answers = {"qa1": "dk", "qa2a": "yes", "qa2b": "no", "qb1": "yes"}
    result = score(small(), answers)
    assert result["missing"] == ["A1", "B2"]
    assert result["indicators"]["A1"]["value"] is None
    assert result["indicators"]["A1"]["contribution"] is None
    assert result["dimensions"]["a"] == {"score": 0.5, "coverage": 0.75, "weight": 0.6}
    assert result["dimensions"]["b"] == {"score": 1.0, "coverage": 0.5, "weight": 0.4}
    assert result["composite"] == 0.7
    contributions = {c: v["contribution"] for c, v in result["indicators"].items()}
    assert contributions == {"A1": None, "A2": 0.3, "B1": 0.4, "B2": None}


def test_indicator_value_is_the_mean_of_its_answered_questions_only():
    answers = dict(COMPLETE, qa2b="dk")  # A2 = yes alone = 1.0, not mean(1, missing)
    result = score(small(), answers)
    assert result["indicators"]["A2"]["value"] == 1.0
    # A = 0.25*0.5 + 0.75*1 = 0.875; composite = 0.6*0.875 + 0.4*0.75 = 0.825
    assert result["dimensions"]["a"]["score"] == 0.875
    assert result["composite"] == 0.825


def test_dimension_below_minimum_coverage_has_no_score_and_no_composite():
    # Only A1 (weight 0.25 < 0.5) answered in dimension A.
    answers = {"qa1": "yes", "qb1": "no", "qb2": "no"}
    result = score(small(), answers)
    assert result["dimensions"]["a"] == {"score": None, "coverage": 0.25, "weight": 0.6}
    assert result["dimensions"]["b"]["score"] == 0.0  # answered "no": a real zero
    assert result["composite"] is None
    assert result["indicators"]["A1"]["value"] == 1.0
    assert result["indicators"]["A1"]["contribution"] is None
    # The scored dimension's indicators keep their (zero) contributions.
    assert result["indicators"]["B1"]["contribution"] == 0.0


def test_the_rule_follows_the_definition():
    answers = {"qa1": "yes", "qb1": "no", "qb2": "no"}
    result = score(small(missing_rule={"min_coverage": 0.25}), answers)
    assert result["dimensions"]["a"]["score"] == 1.0
    # composite = 0.6*1 + 0.4*0 = 0.6
    assert result["composite"] == 0.6
    assert result["rule"] == {"min_coverage": 0.25}


def test_no_answers_at_all_is_no_score_not_zero():
    result = score(small(), {})
    assert result["composite"] is None
    assert all(d["score"] is None and d["coverage"] == 0 for d in result["dimensions"].values())
    assert result["missing"] == ["A1", "A2", "B1", "B2"]


def test_unscored_questions_do_not_count():
    with_people = score(small(), COMPLETE)
    without = score(small(), {k: v for k, v in COMPLETE.items() if k != "people"})
    assert with_people == without


def test_rounding_only_at_the_end():
    # A2 = mean(1, 0.5) = 0.75; A = 0.25*0 + 0.75*0.75 = 0.5625 (kept whole, not 0.56);
    # B = 0.5*0.5 + 0.5*0 = 0.25; composite = 0.6*0.5625 + 0.4*0.25 = 0.4375.
    # Rounding A to two places first would give 0.436.
    answers = {"qa1": "no", "qa2a": "yes", "qa2b": "some", "qb1": "some", "qb2": "no"}
    result = score(small(), answers)
    assert result["dimensions"]["a"]["score"] == 0.5625
    assert result["composite"] == 0.4375


@pytest.mark.parametrize("doc", shipped_documents(), ids=lambda d: d["code"])
def test_shipped_instruments_best_and_worst(doc):
    definition = doc["definition"]
    best = score(definition, answers_for(definition, "best"))
    worst = score(definition, answers_for(definition, "worst"))
    assert best["composite"] == 1.0
    assert worst["composite"] == 0.0
    assert best["missing"] == worst["missing"] == []
    contributions = [v["contribution"] for v in best["indicators"].values()]
    assert sum(contributions) == pytest.approx(1.0, abs=1e-3)
    unknown = score(definition, answers_for(definition, "unknown"))
    assert unknown["composite"] is None
