"""Reading the submissions exported from KoboToolbox or ODK Central (CSV or JSON).

What is read (no database here: `services.import_submissions` records the rows):

- **KoboToolbox CSV** ("XML values and headers"): `;`-separated by default (the separator
  is sniffed), one column per question named by the question's name, with its group path
  when groups are included (`group/q`), option *names* as values, and Kobo's own columns
  `_id`, `_uuid`, `_submission_time`, `__version__`, `meta/instanceID`…
- **KoboToolbox JSON** (the API's `{"results": [...]}`, or a plain list of rows): the same
  keys.
- **ODK Central CSV**: `SubmissionDate`, the questions (group paths joined by `-`),
  `meta-instanceID`, `KEY`, `ReviewState`, `FormVersion`…
- **ODK Central JSON** (OData: `{"value": [...]}`): groups as nested objects, `__id`,
  `__system` with `formVersion`.

A column is a question when its name, or the last part of its group path, is the name of
one of the version's questions (or `survey_key`, `collected_on`); anything else (Kobo's
and ODK's metadata, `start`, `end`…) is ignored. The submission's identifier is `_uuid`,
`meta/instanceID`, `KEY` or `__id`, without its `uuid:` prefix, so the same submission
exported twice, or in two formats, is the same submission. The form version is the
`form_version` our XLSForm adds, else ODK Central's `FormVersion`, else Kobo's
`__version__` when it is a number (Kobo's own deployment ids are not).

A row is rejected here, with its number (the line of the CSV file, header = line 1; the
position in a JSON list, from 1) and the reason, when it has no survey key, no
submission identifier, no date or a date that is not one, another version of the form,
or the identifier of an earlier row of the file. The other checks (an unknown survey
key, an unknown option) happen when it is recorded.
"""

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from retorno.lib.errors import Invalid
from retorno.surveys.definition import Definition
from retorno.surveys.models import Source
from retorno.surveys.xlsform import VERSION_FIELD

MAX_BYTES = 20 * 1024 * 1024
_ID_COLUMNS = ("_uuid", "meta/instanceID", "meta-instanceID", "instanceID", "KEY", "__id")
_VERSION_COLUMNS = (VERSION_FIELD, "FormVersion", "__system/formVersion", "__version__")
_KOBO_MARKS = {"_uuid", "_submission_time", "__version__", "_id", "_validation_status"}
_ODK_MARKS = {"KEY", "SubmissionDate", "ReviewState", "__id", "FormVersion"}


@dataclass
class Row:
    number: int
    key: str
    submission_id: str
    collected_on: datetime.date
    answers: dict[str, str]


@dataclass
class ParsedFile:
    source: str
    rows: list[Row] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _refuse(message: str) -> Invalid:
    return Invalid(message, field_errors={"file": [message]})


def _read(upload: IO[bytes] | bytes | str) -> str:
    if isinstance(upload, str):
        return upload
    content = upload if isinstance(upload, bytes) else upload.read()
    if isinstance(content, str):
        return content
    if len(content) > MAX_BYTES:
        raise _refuse(_("The file is larger than 20 MB: export fewer submissions at once."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(_("The file is not in UTF-8: export it again from KoboToolbox or ODK "
                        "Central without changing it.")) from None


def _format(upload: Any, content: str, fmt: str | None) -> str:
    if fmt in ("csv", "json"):
        return fmt
    name = str(getattr(upload, "name", "") or "").lower()
    if name.endswith(".json"):
        return "json"
    if name.endswith(".csv"):
        return "csv"
    return "json" if content.lstrip()[:1] in ("{", "[") else "csv"


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}/{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(_flatten(value, path))
        else:
            flat[path] = value
    return flat


def _json_rows(content: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise _refuse(_("The file is not valid JSON (%(error)s).") % {"error": exc}) from None
    if isinstance(data, dict):
        data = data.get("results", data.get("value"))
    if not isinstance(data, list):
        raise _refuse(_("The JSON file holds no submissions: expected a list, or "
                        "KoboToolbox's “results” or ODK Central's “value”."))
    return [(n, _flatten(item) if isinstance(item, dict) else {})
            for n, item in enumerate(data, start=1)]


def _csv_rows(content: str) -> list[tuple[int, dict[str, Any]]]:
    sample = content[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "",
                                           delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect)
    lines = list(reader)
    if not lines:
        raise _refuse(_("The file is empty."))
    header = [h.strip() for h in lines[0]]
    rows = []
    line = 1
    for cells in lines[1:]:
        line += 1
        if not any(c.strip() for c in cells):
            continue
        rows.append((line, dict(zip(header, cells, strict=False))))
    return rows


def _question_of(column: str, names: set[str]) -> str | None:
    """The question a column holds: its name, or the end of its group path."""
    if column in names:
        return column
    last = column.rsplit("/", 1)[-1]
    if last in names:
        return last
    parts = last.split("-")  # ODK Central joins group paths with "-"
    for i in range(1, len(parts)):
        candidate = "-".join(parts[i:])
        if candidate in names:
            return candidate
    return None


def _value(row: dict[str, Any], columns: tuple[str, ...]) -> str:
    for column in columns:
        value = row.get(column)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _version_of(row: dict[str, Any], fields: dict[str, Any]) -> str:
    if fields.get(VERSION_FIELD) not in (None, ""):
        return str(fields[VERSION_FIELD]).strip()
    for column in _VERSION_COLUMNS[1:]:
        value = str(row.get(column) or "").strip()
        if value and (column != "__version__" or value.isdigit()):
            return value
    return ""


def _source(columns: set[str]) -> str:
    if columns & _ODK_MARKS and not columns & _KOBO_MARKS:
        return Source.ODK_CENTRAL
    return Source.KOBO


def parse(upload: IO[bytes] | bytes | str, definition: dict, *, version_number: int,
          fmt: str | None = None) -> ParsedFile:
    """The rows of an export, read against `definition` (see the module docstring).
    Raises Invalid when the file as a whole cannot be read."""
    content = _read(upload)
    kind = _format(upload, content, fmt)
    raw = _json_rows(content) if kind == "json" else _csv_rows(content)
    names = {q["name"] for q in Definition(definition).questions}
    names |= {"survey_key", "collected_on", VERSION_FIELD}
    columns = {c for _n, row in raw for c in row}
    parsed = ParsedFile(source=_source(columns))
    if raw and not any(_question_of(c, names) == "survey_key" for c in columns):
        raise _refuse(_("The file has no “survey_key” column: was it exported from a form "
                        "made with Retorno's XLSForm, with XML values and headers?"))
    seen: dict[str, int] = {}
    for number, row in raw:
        fields: dict[str, Any] = {}
        for column, value in row.items():
            name = _question_of(column, names)
            if name is not None and value not in (None, ""):
                fields[name] = value
        problem, result = _row(number, row, fields, version_number, seen)
        if problem:
            parsed.rejected.append((number, problem))
        elif result is not None:
            parsed.rows.append(result)
    return parsed


def _row(number: int, row: dict[str, Any], fields: dict[str, Any], version_number: int,
         seen: dict[str, int]) -> tuple[str, Row | None]:
    key = str(fields.pop("survey_key", "") or "").strip().upper()
    submission_id = _value(row, _ID_COLUMNS)
    if submission_id.lower().startswith("uuid:"):
        submission_id = submission_id[5:]
    version = _version_of(row, fields)
    fields.pop(VERSION_FIELD, None)
    raw_date = str(fields.pop("collected_on", "") or "").strip()
    if not key:
        return _("No survey key."), None
    if not submission_id:
        return _("No submission identifier (_uuid, instanceID, KEY or __id)."), None
    if version and version != str(version_number):
        return (_("Collected with version %(found)s of the form, not version %(number)s: "
                  "import it into that version.") % {"found": version,
                                                     "number": version_number}), None
    if submission_id in seen:
        return (_("The same submission as row %(row)d (%(id)s).")
                % {"row": seen[submission_id], "id": submission_id}), None
    seen[submission_id] = number
    if not raw_date:
        return _("The date of the interview (collected_on) is missing."), None
    try:
        collected_on = datetime.date.fromisoformat(raw_date[:10])
    except ValueError:
        return (_("The date of the interview “%(value)s” is not a date (YYYY-MM-DD).")
                % {"value": raw_date}), None
    answers = {name: str(value).strip() for name, value in fields.items()}
    return "", Row(number=number, key=key, submission_id=submission_id,
                   collected_on=collected_on, answers=answers)
