"""Departure manifests: for a day and an airport, who leaves from there, with only what
the airport assistance staff need — each traveller's name, travel document number, the
flights from there on, special needs for the journey, and the escorts of that flight.

A manifest lists the booked itineraries of the cases the user records travel for
(`travel.record` in the case's host office, among the cases `cases.policy` lets them
see). "The day" is the local date at the airport: a flight at 23:30 in Berlin on 1 June
is on the 1 June manifest although it leaves at 21:30 UTC.

Reading the rows on the page is not an export. Every file produced (`export_manifest`:
CSV, PDF, or the API's JSON) is: it records audit event 284 with the day, the airport,
the format, the number of rows and the cases listed.

The CSV is plain UTF-8 (no byte-order mark), comma-separated, one row per traveller and
departing flight, headers in the user's language. The PDF is drawn by WeasyPrint offline,
as declarations are (`lib.pdf.html_to_pdf`: no URL but `file:` is read).
"""

import csv
import datetime
import io
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import OfficeKind, User
from retorno.cases.policy import visible_cases
from retorno.lib.errors import Invalid, NotAllowed
from retorno.lib.pdf import html_to_pdf
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.travel import airports, validation
from retorno.travel.models import ItineraryStatus, Leg
from retorno.travel.transit import office_kinds

FORMATS = ("csv", "pdf", "json")


@dataclass
class Flight:
    carrier: str
    flight_number: str
    from_code: str
    to_code: str
    departs: str  # local time at the departure airport, with the zone

    def __str__(self) -> str:
        number = " ".join(p for p in (self.carrier, self.flight_number) if p)
        return f"{number} {self.from_code}→{self.to_code} {self.departs}".strip()


@dataclass
class ManifestRow:
    departs_at: datetime.datetime  # UTC, for sorting
    departs: str  # local time at the airport, with the zone
    name: str
    person_id: int
    case_reference: str  # for the audit log and the page; not in the files
    document_number: str
    document_kind: str
    flights: list[Flight]
    special_needs: list[str] = field(default_factory=list)  # labels
    escort_required: bool = False
    escorts: list[str] = field(default_factory=list)  # "Medical escort: Name (organisation)"


def recorder_office_ids(user: User | AnonymousUser) -> set[int]:
    """The host offices in which `user` records travel (a movement officer of a transit
    office holds travel.record there, but no case leaves from it)."""
    offices = perms.office_ids(user, perms.TRAVEL_RECORD)
    if not offices:
        return set()
    return {pk for pk, kind in office_kinds(user, offices).items() if kind == OfficeKind.HOST}


def can_read_manifests(user: User | AnonymousUser) -> bool:
    return bool(recorder_office_ids(user))


def parse_day(value: str | datetime.date | None) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        raise Invalid(_("Give the day as YYYY-MM-DD."),
                      field_errors={"day": [_("Give the day as YYYY-MM-DD.")]}) from None


def airport_of(code: str) -> airports.Airport:
    if not (code or "").strip():
        raise Invalid(_("Give the airport's IATA code, e.g. BER."),
                      field_errors={"airport": [_("Give the airport's IATA code, e.g. BER.")]})
    try:
        return airports.lookup(code)
    except Invalid as exc:
        raise Invalid(*exc.messages, field_errors={"airport": exc.messages}) from None


def _document(documents: list, person_id: int, day: datetime.date):
    """The traveller's issued or collected document valid on `day`, latest expiry first."""
    valid = [d for d in documents if d.person_id == person_id
             and d.expires_on is not None and d.expires_on >= day
             and (d.issued_on is None or d.issued_on <= day)]
    valid.sort(key=lambda d: (d.expires_on, d.pk), reverse=True)
    return valid[0] if valid else None


def _escort_label(escort) -> str:
    who = escort.name + (f" ({escort.organisation})" if escort.organisation else "")
    return f"{escort.get_kind_display()}: {who}"


def manifest_rows(user: User | AnonymousUser, day: datetime.date,
                  airport: str) -> list[ManifestRow]:
    """Every traveller of a booked itinerary of a case `user` records travel for, whose
    leg leaves airport `airport` (IATA) on local date `day`: sorted by departure time,
    then name. Empty for a user who records travel nowhere."""
    from retorno.documents.models import HELD, TravelDocument
    from retorno.medical.fitness import current_by_member
    from retorno.people.models import Person

    place = airport_of(airport)
    offices = recorder_office_ids(user)
    if not offices:
        return []
    zone = zoneinfo.ZoneInfo(place.tz)
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    # A generous UTC window, then the exact local date per leg (its own from_tz).
    window = (start - datetime.timedelta(days=1), start + datetime.timedelta(days=2))
    cases = visible_cases(user).filter(host_office_id__in=offices)
    legs = [leg for leg in (
        Leg.objects.filter(itinerary__case__in=cases, itinerary__status=ItineraryStatus.BOOKED,
                           from_code=place.code, departs_at__gte=window[0],
                           departs_at__lt=window[1])
        .select_related("itinerary", "itinerary__case")
        .prefetch_related("escorts",
                          Prefetch("itinerary__legs", queryset=Leg.objects.order_by("order"),
                                   to_attr="all_legs")))
        if leg.departs_local.date() == day]
    if not legs:
        return []
    by_case: dict[int, object] = {leg.itinerary.case_id: leg.itinerary.case for leg in legs}
    person_ids = {p for leg in legs for p in leg.itinerary.people}
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids)}
    documents = list(TravelDocument.objects.filter(case_id__in=by_case, status__in=HELD,
                                                   person_id__in=person_ids))
    fitness: dict[tuple[int, int], object] = {}
    for case in by_case.values():
        for member, current in current_by_member(case):
            if current is not None:
                fitness[(case.pk, member.person_id)] = current
    rows = []
    for leg in legs:
        itinerary = leg.itinerary
        flights = [Flight(carrier=on.carrier, flight_number=on.flight_number,
                          from_code=on.from_code or on.from_place,
                          to_code=on.to_code or on.to_place,
                          departs=validation.show(on.departs_at, on.from_tz))
                   for on in itinerary.all_legs if on.order >= leg.order]
        escorts = [_escort_label(e) for e in leg.escorts.all()]
        for person_id in itinerary.people:
            person = people.get(person_id)
            if person is None:
                continue
            document = _document(documents, person_id, day)
            assessment = fitness.get((itinerary.case_id, person_id))
            rows.append(ManifestRow(
                departs_at=leg.departs_at, departs=validation.show(leg.departs_at, leg.from_tz),
                name=person.display_name, person_id=person_id,
                case_reference=itinerary.case.reference,
                document_number=document.number if document else "",
                document_kind=document.get_kind_display() if document else "",
                flights=flights,
                special_needs=assessment.special_need_labels() if assessment else [],
                escort_required=bool(assessment and assessment.escort_required),
                escorts=escorts))
    rows.sort(key=lambda r: (r.departs_at, r.name.casefold(), r.person_id))
    return rows


# ---- files -------------------------------------------------------------------------------


def _headers() -> list[str]:
    return [_("Departure (local time)"), _("Name"), _("Document"), _("Document number"),
            _("Flights"), _("Special needs"), _("Escort required"), _("Escorts")]


def _needs(row: ManifestRow) -> str:
    return ", ".join(row.special_needs)


def _cells(row: ManifestRow) -> list[str]:
    return [row.departs, row.name, row.document_kind, row.document_number,
            "; ".join(str(f) for f in row.flights), _needs(row),
            _("yes") if row.escort_required else _("no"), "; ".join(row.escorts)]


# A cell a spreadsheet would read as a formula (a name typed as "=HYPERLINK(…)").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def to_csv(rows: list[ManifestRow]) -> bytes:
    """The rows as CSV; a cell that a spreadsheet would run as a formula is prefixed with
    an apostrophe, so opening the file cannot execute what someone typed into a name."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    for row in rows:
        writer.writerow([_inert(cell) for cell in _cells(row)])
    return out.getvalue().encode("utf-8")


def to_pdf(rows: list[ManifestRow], day: datetime.date, place: airports.Airport) -> bytes:
    html = render_to_string("travel/manifest/pdf.html", {
        "rows": rows, "airport": place, "headers": _headers(),
        "day": formats.date_format(day, "DATE_FORMAT"),
        "printed_at": formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
    })
    return html_to_pdf(html)


def to_json(rows: list[ManifestRow]) -> list[dict]:
    return [{"departs_at": row.departs_at, "departs": row.departs, "name": row.name,
             "document_kind": row.document_kind, "document_number": row.document_number,
             "flights": [{"carrier": f.carrier, "flight_number": f.flight_number,
                          "from": f.from_code, "to": f.to_code, "departs": f.departs}
                         for f in row.flights],
             "special_needs": row.special_needs, "escort_required": row.escort_required,
             "escorts": row.escorts} for row in rows]


def export_manifest(*, actor: User, day: datetime.date | str, airport: str,
                    fmt: str) -> bytes | list[dict]:
    """The manifest of `day` at `airport` as a file: "csv" or "pdf" (bytes), or "json"
    (a list of rows, for the API). Refused to anyone who records travel nowhere. Audit
    event 284 — in the user's office when they record travel in one, else none — with the
    day, airport, format, number of rows and the references of the cases listed."""
    offices = recorder_office_ids(actor)
    if not offices:
        raise NotAllowed(_("Only the movement officers and supervisors of a host office "
                           "export departure manifests."))
    if fmt not in FORMATS:
        raise Invalid(_("Choose the format: CSV or PDF."),
                      field_errors={"format": [_("Choose the format: CSV or PDF.")]})
    day = parse_day(day)
    place = airport_of(airport)
    rows = manifest_rows(actor, day, place.code)
    content: bytes | list[dict]
    if fmt == "csv":
        content = to_csv(rows)
    elif fmt == "pdf":
        content = to_pdf(rows, day, place)
    else:
        content = to_json(rows)
    office_id = next(iter(offices)) if len(offices) == 1 else None
    with transaction.atomic():
        audit.record(AuditType.MANIFEST_EXPORTED, actor, actor=actor, office_id=office_id,
                     day=day.isoformat(), airport=place.code, format=fmt, rows=len(rows),
                     cases=sorted({row.case_reference for row in rows}))
    return content


def filename(day: datetime.date, airport: str, fmt: str) -> str:
    return f"manifest-{airport.upper()}-{day.isoformat()}.{fmt}"
