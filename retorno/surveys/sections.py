"""Surveys and scores on the case page (registered in SurveysConfig.ready()).

Whoever reads the case reads its survey responses and how the scores moved over time: a
chart drawn on the server (`lib.charts`) and the same numbers as a table. The survey
key is shown to those who hold `survey.record` in the case's office of origin; the
buttons to record a survey to those who may record one (`policy.may_record`).
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from retorno.cases.models import Case
from retorno.lib.charts import line_chart
from retorno.surveys import policy, services
from retorno.surveys.definition import Definition, text
from retorno.surveys.models import Purpose
from retorno.surveys.responses import (
    existing_key,
    history,
    instruments_for_recording,
    may_read_key,
    responses_of,
    round_label,
)


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case: its readers read this.
    user = request.user
    may = policy.may_record(user, case)
    responses = list(responses_of(case))
    if not responses and not may:
        return None  # nothing recorded, and not a case surveys are recorded on now
    key = ""
    if may:
        key = services.survey_key_for(case).key
    elif may_read_key(user, case):
        key = existing_key(case)
    instruments = instruments_for_recording() if may else {}
    scores = history(responses)
    chart = ""
    if len(scores["columns"]) > 0:
        chart = line_chart(scores["series"], y_max=1.0,
                           title=_("Sustainability scores by survey"))
    rows = []
    for response in responses:
        dims = response.breakdown.get("dimensions", {})
        rows.append({"response": response, "round": round_label(response),
                     "title": text(response.version.definition.get("title"))
                     or response.version.instrument.name,
                     "dimensions": [
                         (text(d.get("label")), (dims.get(d["code"]) or {}).get("score"))
                         for d in Definition(response.version.definition).dimensions]})
    return {
        "responses": rows, "survey_key": key, "show_key": bool(key), "may_record": may,
        "sustainability": instruments.get(Purpose.SUSTAINABILITY),
        "satisfaction": instruments.get(Purpose.SATISFACTION),
        "chart": chart, "columns": scores["columns"],
        "table": [(name, [value for _label, value in points])
                  for name, points in scores["series"].items()],
    }
