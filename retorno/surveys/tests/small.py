"""A small instrument whose scores are easy to compute by hand (tests only)."""

import copy


def _label(text: str) -> dict:
    return {"en": text, "fr": f"{text} (fr)"}


_SCALE = [{"name": "yes", "label": _label("Yes"), "value": 1.0},
          {"name": "some", "label": _label("Somewhat"), "value": 0.5},
          {"name": "no", "label": _label("No"), "value": 0.0},
          {"name": "dk", "label": _label("Don't know"), "value": None}]

SMALL = {
    "title": _label("Small survey"),
    "weights_status": "provisional",
    "missing_rule": {"min_coverage": 0.5},
    "dimensions": [{"code": "a", "label": _label("Dimension A"), "weight": 0.6},
                   {"code": "b", "label": _label("Dimension B"), "weight": 0.4}],
    "indicators": [{"code": "A1", "dimension": "a", "label": _label("A one"), "weight": 0.25},
                   {"code": "A2", "dimension": "a", "label": _label("A two"), "weight": 0.75},
                   {"code": "B1", "dimension": "b", "label": _label("B one"), "weight": 0.5},
                   {"code": "B2", "dimension": "b", "label": _label("B two"), "weight": 0.5}],
    "questions": [
        {"name": "qa1", "indicator": "A1", "type": "select_one", "label": _label("Q A1"),
         "options": _SCALE},
        {"name": "qa2a", "indicator": "A2", "type": "select_one", "label": _label("Q A2 a"),
         "hint": _label("The first of two"), "options": _SCALE},
        {"name": "qa2b", "indicator": "A2", "type": "select_one", "label": _label("Q A2 b"),
         "options": _SCALE},
        {"name": "qb1", "indicator": "B1", "type": "select_one", "label": _label("Q B1"),
         "options": _SCALE},
        {"name": "qb2", "indicator": "B2", "type": "select_one", "label": _label("Q B2"),
         "options": _SCALE},
        {"name": "people", "indicator": None, "type": "integer", "label": _label("People")},
    ],
}


def small(**changes: object) -> dict:
    """A deep copy of SMALL with top-level keys replaced."""
    definition = copy.deepcopy(SMALL)
    definition.update(changes)
    return definition
