"""The pseudonymised case-level extract for analysts: one row per member of each case
opened in a period, with no identity in it.

What a row holds, and why it is safe enough to hand to an analyst:

- **pseudonyms** instead of identities: `pseudonym(kind, pk)` is an HMAC-SHA256 of
  "<kind>:<pk>" keyed with `settings.RETORNO_PSEUDONYM_KEY` (or, without one,
  `SECRET_KEY`), in base32, cut to 16 characters and prefixed "P-" for a person, "C-" for
  a case. The same person or case gets the same pseudonym in every extract, so analysts
  can link extracts over time; the kind is inside the hashed text, so a person and a case
  with the same id never share one. Whoever holds the key can recompute the pseudonym of
  every id and so re-identify every row: the key is a secret kept like `SECRET_KEY`, and
  changing it breaks the linkage with every extract made before;
- **no direct identifier**: no name, alias, date of birth, phone, identity or travel
  document number, case reference, free text (notes, the destination area, answers),
  user name or database id;
- **dates coarsened to the month** ("YYYY-MM"); ages as the age group on the day the
  case was opened; the days from the application to the departure are kept (a duration
  is not a date);
- **small places generalised**: the ISO 3166-2 region returned to is kept only when at
  least `K` people in the same extract share it, otherwise it is left empty; the host
  and origin countries and the host office are kept;
- **vulnerability flags** (coded, ";"-joined) are included although they are protection
  detail that the roles who make extracts do not read on a case page: analysis of who is
  returned and how they fare needs them, and without names, dates or small places they do
  not point to a person. The page and the file's notes say the file is confidential.

The case's own figures — the month of its application and arrival, its reintegration
assistance (items not cancelled, their total cost in the programme's currency) and its
latest sustainability composite score — are repeated on each member's row.

`rows` reads the cases in chunks of `CHUNK` by primary key, with seven queries per chunk
whatever its size (cases, members, applications, departures, arrivals, assistance,
scores), plus one grouped count for the whole extract first; it holds one chunk in
memory at a time. `make_extract` is the service: it checks `stats.extract`, validates,
writes the file (CSV, or XLSX up to Excel's row limit) to a temporary file, then records
audit event 381 with the parameters and the number of rows (see `_snapshot` for the
transactions).
"""

import base64
import csv
import datetime
import hashlib
import hmac
import io
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from retorno.accounts.models import User
from retorno.cases.models import Case, CaseMember, Relationship, Status, TimelineEntry, TimelineKind
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.money import currencies, minor_units, quantize
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.programmes.models import Programme
from retorno.reception.models import Reception
from retorno.reintegration.models import Delivery, ReintegrationPlan
from retorno.reports import policy, tables
from retorno.reports.facts import age_group, age_on
from retorno.reports.models import AssistedReturn
from retorno.reports.tables import Column
from retorno.surveys.models import Purpose, SurveyResponse

# A region returned to is named only when at least this many people in the extract share
# it ("small places generalised").
K = 10
# Cases read per round of queries.
CHUNK = 2000
# Excel's last row (1,048,576) less the title, labels and hashtags rows above the data.
XLSX_MAX_ROWS = 1_048_576 - 3
# The longest period one extract covers.
MAX_YEARS = 5
# CSV and XLSX files are kept in memory up to this size, then on disk until sent.
_SPOOL_BYTES = 8 * 1024 * 1024

_PREFIXES = {"person": "P", "case": "C"}
_COUNTED = [d for d in Delivery.values if d != Delivery.CANCELLED]
_SCORE = Decimal("0.01")

COLUMNS: list[Column] = [
    Column("case", gettext_lazy("Case pseudonym"), "#group+case+id"),
    Column("person", gettext_lazy("Person pseudonym"), "#beneficiary+id"),
    Column("relationship", gettext_lazy("Relationship to the principal applicant"),
           "#beneficiary+relationship+code"),
    Column("host_country", gettext_lazy("Host country"), "#country+code+host"),
    Column("host_office", gettext_lazy("Host office"), "#org+office+code"),
    Column("origin_country", gettext_lazy("Country of origin (returned to)"),
           "#country+code+origin"),
    Column("subdivision", gettext_lazy("Region returned to (ISO 3166-2, when shared by "
                                       "enough people)"), "#adm1+code+origin"),
    Column("programme", gettext_lazy("Programme"), "#activity+programme+code"),
    Column("status", gettext_lazy("Case status"), "#status+case+code"),
    Column("sex", gettext_lazy("Sex"), "#beneficiary+sex+code"),
    Column("age_group", gettext_lazy("Age group when the case was opened"),
           "#beneficiary+age+group"),
    Column("nationality", gettext_lazy("Nationality"), "#country+code+nationality"),
    Column("category", gettext_lazy("Migrant category"), "#beneficiary+category+code"),
    Column("vulnerabilities", gettext_lazy("Vulnerabilities"),
           "#beneficiary+vulnerability+list"),
    Column("opened", gettext_lazy("Month opened"), "#date+opened", kind="date"),
    Column("applied", gettext_lazy("Month applied (case)"), "#date+applied", kind="date"),
    Column("departed", gettext_lazy("Month departed"), "#date+departed", kind="date"),
    Column("arrived", gettext_lazy("Month arrived (case)"), "#date+arrived", kind="date"),
    Column("days_to_departure", gettext_lazy("Days from application to departure"),
           "#indicator+days+departure", kind="count"),
    Column("assistance_items", gettext_lazy("Reintegration assistance items (case)"),
           "#output+assistance+num", kind="count"),
    Column("assistance_cost", gettext_lazy("Reintegration assistance cost (case)"),
           "#value+assistance", kind="number"),
    Column("currency", gettext_lazy("Currency"), "#currency+code"),
    Column("sustainability", gettext_lazy("Latest sustainability score (case)"),
           "#indicator+score+sustainability", kind="number"),
]
_INDEX = {column.key: number for number, column in enumerate(COLUMNS)}


def notes(k: int = K) -> list[str]:
    """What is in the extract and what is not, in the reader's language: on the page and
    in the workbook's second sheet."""
    return [
        _("One row per member of each case opened in the period (by the day the case was "
          "opened), the principal applicant first."),
        _("People and cases are named by pseudonyms. The same person or case has the same "
          "pseudonym in every extract, so extracts can be linked over time; a pseudonym "
          "cannot be turned back into a person or a case reference without the "
          "organisation's pseudonym key."),
        _("Not included: names, aliases, dates of birth, phone numbers, identity and travel "
          "document numbers, case references, the destination area, free-text notes and "
          "answers, staff names and database identifiers."),
        _("Dates are given as months (YYYY-MM), ages as age groups on the day the case was "
          "opened."),
        _("The region returned to (ISO 3166-2) is given only where at least %(k)s people in "
          "the extract share it; otherwise it is left empty.") % {"k": k},
        _("Vulnerability flags are included as codes because analysis needs them. They are "
          "protection data: keep the file as confidential as the cases themselves."),
        _("The month applied and arrived, the reintegration assistance (items not "
          "cancelled, their cost in the programme's currency) and the latest "
          "sustainability score belong to the case and are repeated on each member's "
          "row."),
        _("Pseudonymised data are still personal data: do not publish the file, do not "
          "combine it with other sources to find out who someone is, and delete it when "
          "the analysis is done. Each extract is recorded in the audit log."),
    ]


# ---- pseudonyms ----------------------------------------------------------------------

def pseudonym_key() -> bytes:
    key = getattr(settings, "RETORNO_PSEUDONYM_KEY", None) or settings.SECRET_KEY
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def pseudonym(kind: str, pk: int, key: bytes | None = None) -> str:
    """The stable pseudonym of a "person" or a "case": "P-" or "C-" and 16 base32
    characters of HMAC-SHA256(key, "<kind>:<pk>")."""
    return _pseudonym(_keyed(key if key is not None else pseudonym_key()), kind, pk)


def _keyed(key: bytes) -> "hmac.HMAC":
    return hmac.new(key, digestmod=hashlib.sha256)


def _pseudonym(keyed: "hmac.HMAC", kind: str, pk: int) -> str:
    mac = keyed.copy()  # the key's set-up done once per extract, not once per row
    mac.update(f"{kind}:{pk}".encode())
    return f"{_PREFIXES[kind]}-{base64.b32encode(mac.digest()).decode('ascii')[:16]}"


# ---- rows ----------------------------------------------------------------------------

def opened_between(start: datetime.date, end: datetime.date,
                   programme_id: int | None = None) -> QuerySet:
    """The cases opened from `start` to `end` (both days included, local dates), of one
    programme when given."""
    zone = timezone.get_current_timezone()
    cases = Case.objects.filter(
        created_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        created_at__lt=datetime.datetime.combine(end + datetime.timedelta(days=1),
                                                 datetime.time.min, tzinfo=zone))
    if programme_id is not None:
        cases = cases.filter(programme_id=programme_id)
    return cases


def people_by_subdivision(cases: QuerySet) -> Counter:
    """How many rows (members) the extract of `cases` has per destination subdivision
    ("" for none): one grouped query."""
    counts = (CaseMember.objects.filter(case__in=cases.values("pk"))
              .values_list("case__destination_subdivision").annotate(n=Count("pk"))
              .order_by())
    return Counter({subdivision: n for subdivision, n in counts})


def _month(day: datetime.date | None) -> str | None:
    return f"{day.year:04d}-{day.month:02d}" if day is not None else None


def _cost(total: Decimal | None, currency: str) -> Decimal:
    amount = total or Decimal(0)
    return quantize(amount, currency) if currency in currencies() else amount.normalize()


def _chunk_facts(ids: list[int]) -> dict[str, Any]:
    """Everything a chunk of cases needs beyond the cases themselves: six queries."""
    members: dict[int, list[dict]] = defaultdict(list)
    for member in (CaseMember.objects.filter(case_id__in=ids)
                   .values("id", "case_id", "person_id", "relationship", "category",
                           "vulnerabilities", "person__sex", "person__date_of_birth",
                           "person__nationality")
                   .order_by("case_id", "id")):
        members[member["case_id"]].append(member)
    applied = {case_id: timezone.localtime(at).date() for case_id, at in (
        TimelineEntry.objects.filter(case_id__in=ids, kind=TimelineKind.TRANSITION,
                                     to_status=Status.APPLIED)
        .values_list("case_id").annotate(first=Min("at")).order_by())}
    departed = {(case_id, person_id): day for case_id, person_id, day in (
        AssistedReturn.objects.filter(case_id__in=ids)
        .values_list("case_id", "person_id", "departed_on"))}
    arrived = dict(Reception.objects.filter(case_id__in=ids, arrived_on__isnull=False)
                   .values_list("case_id", "arrived_on"))
    counted = Q(items__delivery__in=_COUNTED)
    assistance = {case_id: (n, total) for case_id, n, total in (
        ReintegrationPlan.objects.filter(case_id__in=ids)
        .annotate(n=Count("items", filter=counted), total=Sum("items__cost", filter=counted))
        .values_list("case_id", "n", "total"))}
    scores: dict[int, float | None] = {}
    for case_id, composite in (SurveyResponse.objects
                               .filter(case_id__in=ids,
                                       version__instrument__purpose=Purpose.SUSTAINABILITY)
                               .order_by("case_id", "collected_on", "pk")
                               .values_list("case_id", "composite")):
        scores[case_id] = composite  # ordered: the latest one wins
    return {"members": members, "applied": applied, "departed": departed,
            "arrived": arrived, "assistance": assistance, "scores": scores}


def rows(*, start: datetime.date, end: datetime.date, programme_id: int | None = None,
         k: int = K, chunk: int = CHUNK) -> Iterator[list]:
    """The extract's rows, one list of values per member (in the order of `COLUMNS`), for
    the cases opened from `start` to `end`, case by case in the order they were created."""
    cases = opened_between(start, end, programme_id)
    shared = {code for code, n in people_by_subdivision(cases).items() if code and n >= k}
    keyed = _keyed(pseudonym_key())
    last = 0
    while True:
        batch = list(cases.filter(pk__gt=last).order_by("pk").values(
            "pk", "status", "destination_country", "destination_subdivision", "created_at",
            "host_office__country", "host_office__code", "programme__code",
            "programme__currency")[:chunk])
        if not batch:
            return
        last = batch[-1]["pk"]
        facts = _chunk_facts([case["pk"] for case in batch])
        for case in batch:
            yield from _case_rows(case, facts, shared, keyed)


def _case_rows(case: dict, facts: dict[str, Any], shared: set[str], keyed: "hmac.HMAC"
               ) -> Iterator[list]:
    pk = case["pk"]
    opened_on = timezone.localtime(case["created_at"]).date()
    applied_on = facts["applied"].get(pk)
    plan = facts["assistance"].get(pk)
    currency = case["programme__currency"] or ""
    composite = facts["scores"].get(pk)
    subdivision = case["destination_subdivision"]
    common = {
        "case": _pseudonym(keyed, "case", pk),
        "host_country": case["host_office__country"],
        "host_office": case["host_office__code"],
        "origin_country": case["destination_country"],
        "subdivision": subdivision if subdivision in shared else None,
        "programme": case["programme__code"],
        "status": case["status"],
        "opened": _month(opened_on),
        "applied": _month(applied_on),
        "arrived": _month(facts["arrived"].get(pk)),
        "assistance_items": plan[0] if plan else None,
        "assistance_cost": _cost(plan[1], currency) if plan else None,
        "currency": (currency or None) if plan else None,
        "sustainability": (Decimal(repr(composite)).quantize(_SCORE, ROUND_HALF_UP)
                           if composite is not None else None),
    }
    members = sorted(facts["members"].get(pk, []),
                     key=lambda m: (m["relationship"] != Relationship.PRINCIPAL, m["id"]))
    for member in members:
        departed_on = facts["departed"].get((pk, member["person_id"]))
        values = dict(common)
        values.update({
            "person": _pseudonym(keyed, "person", member["person_id"]),
            "relationship": member["relationship"],
            "sex": member["person__sex"],
            "age_group": str(age_group(age_on(member["person__date_of_birth"], opened_on))),
            "nationality": member["person__nationality"] or None,
            "category": member["category"],
            "vulnerabilities": ";".join(sorted(member["vulnerabilities"] or [])) or None,
            "departed": _month(departed_on),
            "days_to_departure": ((departed_on - applied_on).days
                                  if departed_on and applied_on else None),
        })
        yield [values.get(column.key) for column in COLUMNS]


# ---- files ---------------------------------------------------------------------------

def _cells(row: list) -> list:
    """The row's values as tables.py writes them (None stays None)."""
    return [None if value is None else tables._value(value, column)
            for value, column in zip(row, COLUMNS, strict=True)]


def write_csv(out: IO[bytes], data: Iterator[list]) -> int:
    """The CSV as tables.to_csv writes a table (UTF-8 with a BOM, labels, hashtags, the
    rows), written as it goes; returns the number of data rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([tables._inert(str(column.label)) for column in COLUMNS])
    writer.writerow([column.hxl for column in COLUMNS])
    out.write(buffer.getvalue().encode("utf-8-sig"))
    count = 0
    for row in data:
        count += 1
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([tables._csv_cell(value) for value in _cells(row)])
        out.write(buffer.getvalue().encode("utf-8"))
    return count


def write_xlsx(out: IO[bytes], data: Iterator[list], title: str, k: int = K) -> int:
    """The workbook: the extract on the first sheet laid out as tables.to_xlsx lays out a
    table (title, labels, hashtags, rows), written row by row (openpyxl's write-only
    mode, so a million rows do not sit in memory), and the notes on a second sheet.
    Returns the number of data rows."""
    book = Workbook(write_only=True)
    book.properties.creator = "Retorno"
    book.properties.title = title
    sheet = book.create_sheet(tables.sheet_name(_("Extract")))
    for number, column in enumerate(COLUMNS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(number)]
        dimension.width = min(max(len(str(column.label)), len(column.hxl), 10) + 2, 40)
    sheet.freeze_panes = "A4"

    def text(value: str, **style: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula
        if value.startswith(tables._FORMULA_START):
            cell.quotePrefix = True
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    sheet.append([text(title, font=Font(bold=True, size=13))])
    sheet.append([text(str(column.label), font=Font(bold=True)) for column in COLUMNS])
    sheet.append([text(column.hxl, font=Font(italic=True, color="595959"))
                  for column in COLUMNS])
    cost, currency = _INDEX["assistance_cost"], _INDEX["currency"]
    count = 0
    for row in data:
        count += 1
        values = _cells(row)
        cells: list[Any] = []
        for number, value in enumerate(values):
            if isinstance(value, str):
                cells.append(text(value) if value.startswith(tables._FORMULA_START)
                             else value)
            elif value is None:
                cells.append(None)
            else:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = (_money_format(values[currency]) if number == cost
                                      else "#,##0" if isinstance(value, int) else "0.00")
                cells.append(cell)
        sheet.append(cells)
    about = book.create_sheet(tables.sheet_name(_("About this extract")))
    about.append([text(title, font=Font(bold=True, size=13))])
    for note in notes(k):
        about.append([text(note)])
    book.save(out)
    return count


def _money_format(currency: str | None) -> str:
    digits = minor_units(currency) if currency in currencies() else 2
    return "#,##0" + ("." + "0" * digits if digits else "")


# ---- the service ---------------------------------------------------------------------

@dataclass
class Extract:
    filename: str
    content_type: str
    rows: int
    file: IO[bytes]  # at its start; the caller sends and closes it

    def read(self) -> bytes:
        return self.file.read()


def _validate(start: datetime.date | None, end: datetime.date | None,
              programme_id: int | None, fmt: str) -> Programme | None:
    errors: dict[str, list[str]] = {}
    if start is None:
        errors["start"] = [_("Give the first day of the period.")]
    if end is None:
        errors["end"] = [_("Give the last day of the period.")]
    if start is not None and end is not None:
        if end < start:
            errors["end"] = [_("The period cannot end before it starts.")]
        elif end >= start + relativedelta(years=MAX_YEARS):
            errors["end"] = [_("Choose a period of at most five years.")]
    if fmt not in tables.FORMATS:
        errors["format"] = [_("Choose the format: CSV or XLSX.")]
    programme = None
    if programme_id is not None:
        programme = Programme.objects.filter(pk=programme_id).first()
        if programme is None:
            errors["programme"] = [_("This programme does not exist.")]
    if errors:
        raise Invalid(*[m for messages in errors.values() for m in messages],
                      field_errors=errors)
    return programme


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the data for the whole extract where that costs nothing: on
    PostgreSQL a repeatable-read transaction, which blocks no writer (the audit event is
    written in it, so the file and its record stand or fall together). On SQLite every
    transaction here takes the write lock (`transaction_mode` IMMEDIATE), so the extract
    reads outside one and only the audit event is written in a transaction of its own."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def make_extract(*, actor: User, start: datetime.date | None, end: datetime.date | None,
                 programme_id: int | None = None, fmt: str = "csv", k: int = K) -> Extract:
    """The extract of the cases opened from `start` to `end` (of one programme when
    given) as a CSV or XLSX file. Needs `stats.extract`; the period is at most five years;
    an XLSX holds at most `XLSX_MAX_ROWS` rows (a larger extract is refused: CSV has no
    limit). Audit event 381, target the actor (the extract is organisation-wide), with
    the parameters and the number of rows, written once the file is (nothing is
    recorded for a refusal or a failure)."""
    if not policy.can_extract(actor):
        raise NotAllowed(_("Only monitoring and evaluation officers and programme managers "
                           "make case-level extracts."))
    programme = _validate(start, end, programme_id, fmt)
    assert start is not None and end is not None  # _validate refused None
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
    try:
        with _snapshot():
            data = rows(start=start, end=end, programme_id=programme_id, k=k)
            if fmt == "xlsx":
                size = people_by_subdivision(opened_between(start, end, programme_id)).total()
                if size > XLSX_MAX_ROWS:
                    raise Invalid(_(
                        "This extract has %(rows)s rows, more than a spreadsheet holds "
                        "(%(limit)s). Choose CSV, or a shorter period.") % {
                        "rows": number_format(size, force_grouping=True),
                        "limit": number_format(XLSX_MAX_ROWS, force_grouping=True)},
                        field_errors={"format": [_("Too many rows for XLSX: choose CSV.")]})
                title = _("Case-level extract, %(start)s to %(end)s") % {
                    "start": start.isoformat(), "end": end.isoformat()}
                if programme is not None:
                    title = f"{title} ({programme.code})"
                count = write_xlsx(out, data, title, k)
            else:
                count = write_csv(out, data)
            with transaction.atomic():
                audit.record(AuditType.CASE_EXTRACT_MADE, actor, actor=actor,
                             office_id=None, start=start.isoformat(), end=end.isoformat(),
                             programme=programme_id,
                             programme_code=programme.code if programme else None,
                             format=fmt, rows=count, k=k)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    suffix = f"-{programme.code}" if programme is not None else ""
    return Extract(filename=f"case-extract{suffix}-{start.isoformat()}-{end.isoformat()}"
                            f".{fmt}",
                   content_type=tables.CONTENT_TYPES[fmt], rows=count, file=out)
