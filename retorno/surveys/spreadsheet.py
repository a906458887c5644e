"""An instrument version as a spreadsheet (XLSX), both ways: the page offers each version
for download in this layout, and an M&E administrator loads a new version from it
(`services.load_version`), typically after changing the weights to the organisation's
official table.

Five sheets, each with a header row; the column order does not matter, unknown columns
are ignored, empty rows skipped:

- `settings`: two columns `key`, `value`, with the rows `instrument` (the code, which must
  be the instrument's), `title::en`, `title::fr`, `weights_status` (provisional or
  official) and `min_coverage` (the missing-answer rule, e.g. 0.5);
- `dimensions`: `code`, `label::en`, `label::fr`, `weight`;
- `indicators`: `code`, `dimension`, `label::en`, `label::fr`, `weight`;
- `questions`: `name`, `type` (select_one, integer, text, date), `indicator` (empty for
  an unscored question), `label::en`, `label::fr`, `hint::en`, `hint::fr`;
- `options`: `question`, `name`, `label::en`, `label::fr`, `value` (0 to 1; empty for
  "don't know / refused / not applicable").

Reading reports every problem it finds (a missing sheet or column, a number that is not
one), each naming the sheet and row; the definition it returns is then checked by
`definition.validate`.
"""

import io
import zipfile
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from retorno.surveys.definition import LANGUAGES
from retorno.surveys.models import InstrumentVersion

MAX_BYTES = 5 * 1024 * 1024
SHEETS: dict[str, list[str]] = {
    "dimensions": ["code", "label::en", "label::fr", "weight"],
    "indicators": ["code", "dimension", "label::en", "label::fr", "weight"],
    "questions": ["name", "type", "indicator", "label::en", "label::fr", "hint::en",
                  "hint::fr"],
    "options": ["question", "name", "label::en", "label::fr", "value"],
}
REQUIRED: dict[str, set[str]] = {
    "dimensions": {"code", "label::en", "weight"},
    "indicators": {"code", "dimension", "label::en", "weight"},
    "questions": {"name", "type", "label::en"},
    "options": {"question", "name", "label::en", "value"},
}
SETTINGS = ["instrument", "title::en", "title::fr", "weights_status", "min_coverage"]


def _labels(row: dict[str, Any], prefix: str) -> dict[str, str]:
    return {lang: str(row[f"{prefix}::{lang}"]).strip() for lang in LANGUAGES
            if row.get(f"{prefix}::{lang}") not in (None, "")}


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _number(value: Any, sheet: str, number: int, column: str,
            problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        value = str(value)
    try:
        return float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        problems.append(_("Sheet “%(sheet)s”, row %(row)d: “%(value)s” in column “%(column)s” "
                          "is not a number.") % {"sheet": sheet, "row": number,
                                                 "value": value, "column": column})
        return None


def _sheet_rows(book: Any, name: str, problems: list[str]) -> list[tuple[int, dict]]:
    if name not in book.sheetnames:
        problems.append(_("The spreadsheet has no sheet “%(sheet)s”.") % {"sheet": name})
        return []
    sheet_rows = list(book[name].iter_rows(values_only=True))
    if not sheet_rows:
        problems.append(_("The sheet “%(sheet)s” is empty.") % {"sheet": name})
        return []
    header = [str(h).strip() if h is not None else "" for h in sheet_rows[0]]
    missing = sorted(REQUIRED.get(name, set()) - set(header))
    if missing:
        problems.append(_("The sheet “%(sheet)s” has no column %(columns)s.")
                        % {"sheet": name, "columns": ", ".join(f"“{m}”" for m in missing)})
        return []
    rows = []
    for number, cells in enumerate(sheet_rows[1:], start=2):
        row = {h: _cell(v) for h, v in zip(header, cells, strict=False) if h}
        if any(v is not None for v in row.values()):
            rows.append((number, row))
    return rows


def read_definition(upload: IO[bytes] | bytes) -> tuple[dict, list[str]]:
    """The definition in the spreadsheet (with the extra key `instrument`, the code it
    names) and every problem found reading it."""
    content = upload if isinstance(upload, bytes) else upload.read()
    if len(content) > MAX_BYTES:
        return {}, [_("The spreadsheet is larger than 5 MB.")]
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, TypeError, EOFError,
            zipfile.BadZipFile):
        return {}, [_("The file is not an Excel spreadsheet (.xlsx).")]
    problems: list[str] = []
    settings: dict[str, Any] = {}
    lines: dict[str, int] = {}
    if "settings" not in book.sheetnames:
        problems.append(_("The spreadsheet has no sheet “%(sheet)s”.") % {"sheet": "settings"})
    else:
        for number, cells in enumerate(book["settings"].iter_rows(values_only=True), 1):
            if number > 1 and cells and cells[0] is not None:
                settings[str(cells[0]).strip()] = _cell(cells[1] if len(cells) > 1 else None)
                lines[str(cells[0]).strip()] = number
    coverage = _number(settings.get("min_coverage"), "settings",
                       lines.get("min_coverage", 0), "value", problems)
    definition: dict[str, Any] = {
        "instrument": settings.get("instrument"),
        "title": _labels(settings, "title"),
        "weights_status": settings.get("weights_status"),
        "missing_rule": {"min_coverage": coverage},
        "dimensions": [], "indicators": [], "questions": [],
    }
    for number, row in _sheet_rows(book, "dimensions", problems):
        definition["dimensions"].append({
            "code": row.get("code"), "label": _labels(row, "label"),
            "weight": _number(row.get("weight"), "dimensions", number, "weight", problems)})
    for number, row in _sheet_rows(book, "indicators", problems):
        definition["indicators"].append({
            "code": row.get("code"), "dimension": row.get("dimension"),
            "label": _labels(row, "label"),
            "weight": _number(row.get("weight"), "indicators", number, "weight", problems)})
    questions: dict[str, dict] = {}
    for _line, row in _sheet_rows(book, "questions", problems):
        question: dict[str, Any] = {"name": row.get("name"),
                                    "indicator": row.get("indicator"),
                                    "type": row.get("type"), "label": _labels(row, "label")}
        hint = _labels(row, "hint")
        if hint:
            question["hint"] = hint
        definition["questions"].append(question)
        questions.setdefault(str(row.get("name")), question)
    for number, row in _sheet_rows(book, "options", problems):
        question = questions.get(str(row.get("question")))
        if question is None:
            problems.append(_("Sheet “options”, row %(row)d: there is no question "
                              "“%(name)s”.") % {"row": number, "name": row.get("question")})
            continue
        question.setdefault("options", []).append({
            "name": row.get("name"), "label": _labels(row, "label"),
            "value": _number(row.get("value"), "options", number, "value", problems)})
    book.close()
    return definition, problems


def build(version: InstrumentVersion) -> bytes:
    """The spreadsheet of `version`: what `read_definition` reads back."""
    d = version.definition
    book = Workbook()
    sheet = book.active
    sheet.title = "settings"
    sheet.append(["key", "value"])
    title = d.get("title") or {}
    for key, value in (("instrument", version.instrument.code),
                       ("title::en", title.get("en", "")), ("title::fr", title.get("fr", "")),
                       ("weights_status", d.get("weights_status")),
                       ("min_coverage", (d.get("missing_rule") or {}).get("min_coverage"))):
        sheet.append([key, value])

    def label_cells(item: dict, prefix: str) -> list[str]:
        return [(item.get(prefix) or {}).get(lang, "") for lang in LANGUAGES]

    rows: dict[str, list[list[Any]]] = {
        "dimensions": [[x["code"], *label_cells(x, "label"), x["weight"]]
                       for x in d.get("dimensions", [])],
        "indicators": [[x["code"], x["dimension"], *label_cells(x, "label"), x["weight"]]
                       for x in d.get("indicators", [])],
        "questions": [[q["name"], q["type"], q.get("indicator") or "",
                       *label_cells(q, "label"), *label_cells(q, "hint")]
                      for q in d.get("questions", [])],
        "options": [[q["name"], o["name"], *label_cells(o, "label"), o.get("value")]
                    for q in d.get("questions", []) for o in q.get("options") or []],
    }
    for name, header in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows[name]:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
