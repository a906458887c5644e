"""An instrument version as an XLSForm, for ODK Collect, ODK Central and KoboToolbox.

The workbook (openpyxl) has the three sheets of the XLSForm standard:

- `survey`: first a required text question `survey_key` (the case's pseudonymous key,
  checked against its pattern), then the date `collected_on` (not in the future), then
  the instrument's questions in order (`select_one <question name>` for a question with
  options, `integer`, `text`, `date`), and last a hidden `form_version` calculation
  holding the version number, so that every exported submission says which version it
  was collected with, whatever the platform;
- `choices`: each question's options under a list named after the question;
- `settings`: `form_id` = `retorno_<code>_v<number>`, `version` = the number,
  `form_title`, `default_language`.

Labels, hints and messages are in the `label::English (en)` and `label::French (fr)`
columns (a missing French label falls back to the English one). The form carries no
name and no case data: the field worker types the survey key the case page shows.
"""

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from retorno.surveys.definition import Definition, text
from retorno.surveys.models import InstrumentVersion

LANGUAGES = (("en", "English (en)"), ("fr", "French (fr)"))
VERSION_FIELD = "form_version"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _key_pattern() -> str:
    from retorno.surveys.services import KEY_PATTERN

    return KEY_PATTERN


def form_id(version: InstrumentVersion) -> str:
    return f"retorno_{version.instrument.code}_v{version.number}".replace("-", "_")


def filename(version: InstrumentVersion) -> str:
    return f"{form_id(version)}.xlsx"


def _translated(message: Any) -> list[str]:
    """A gettext message in each form language."""
    values = []
    for code, _name in LANGUAGES:
        with translation.override(code):
            values.append(str(_(message)))
    return values


def _labels(label: Any) -> list[str]:
    return [text(label, code) for code, _name in LANGUAGES]


def rows(version: InstrumentVersion) -> dict[str, list[list[Any]]]:
    """The sheets' rows (header first), as plain lists: what `build` writes."""
    d = Definition(version.definition)
    lang_cols = [name for _code, name in LANGUAGES]
    survey: list[list[Any]] = [
        ["type", "name", *[f"label::{n}" for n in lang_cols],
         *[f"hint::{n}" for n in lang_cols], "required", "constraint",
         *[f"constraint_message::{n}" for n in lang_cols], "calculation"],
    ]
    blank_hint = ["" for _lang in LANGUAGES]
    survey.append(["text", "survey_key", *_translated("Survey key"),
                   *_translated("The key shown on the case page, e.g. K7M2-Q9XD."), "yes",
                   f"regex(., '{_key_pattern()}')",
                   *_translated("A survey key is two groups of four letters and digits, "
                                "e.g. K7M2-Q9XD."), ""])
    survey.append(["date", "collected_on", *_translated("Date of the interview"),
                   *blank_hint, "yes", ". <= today()",
                   *_translated("The date cannot be in the future."), ""])
    choices: list[list[Any]] = [["list_name", "name",
                                 *[f"label::{n}" for n in lang_cols]]]
    for question in d.questions:
        kind = question["type"]
        xls_type = f"select_one {question['name']}" if kind == "select_one" else kind
        survey.append([xls_type, question["name"], *_labels(question.get("label")),
                       *(_labels(question["hint"]) if question.get("hint") else blank_hint),
                       "", "", *blank_hint, ""])
        for option in question.get("options") or []:
            choices.append([question["name"], option["name"], *_labels(option.get("label"))])
    survey.append(["calculate", VERSION_FIELD, *blank_hint, *blank_hint, "", "", *blank_hint,
                   f"'{version.number}'"])
    settings = [["form_title", "form_id", "version", "default_language"],
                [text(d.data.get("title"), "en") or version.instrument.name,
                 form_id(version), str(version.number), LANGUAGES[0][1]]]
    return {"survey": survey, "choices": choices, "settings": settings}


def build(version: InstrumentVersion) -> bytes:
    """The XLSForm of `version`, as the bytes of an .xlsx file."""
    book = Workbook()
    first = True
    for title, sheet_rows in rows(version).items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        for row in sheet_rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
