"""The pseudonymised case-level extract: nothing that names a person leaves in it, its
pseudonyms link extracts without revealing who is who, small places are generalised,
only the roles that may make it do, and each one is in the audit log."""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import hxl
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone, translation
from openpyxl import load_workbook

from retorno import urls as root_urls
from retorno.accounts.models import User
from retorno.cases.models import Case, Relationship
from retorno.cases.services import register_and_add_member, set_member_vulnerabilities
from retorno.documents.models import TravelDocument
from retorno.lib.errors import Invalid, NotAllowed
from retorno.people.models import IdentityDocument, Person
from retorno.people.services import add_identity_document
from retorno.privacy.models import AuditEvent, AuditType
from retorno.programmes.models import MigrantCategory
from retorno.reports import extract
from retorno.reports.facts import age_group, age_on
from retorno.reports.models import AssistedReturn
from retorno.surveys.models import SurveyKey
from retorno.surveys.tests.builders import arrived_case, respond, sustainability
from retorno.testing.personas import (
    PASSWORD,
    PERSONAS,
    build_plan,
    open_case,
    person_data,
    prepare_application,
    prepare_travel,
    walk,
)

# The page's URL, whether or not reports/urls.py includes it yet.
urlpatterns = [path("", include("retorno.reports.extract_urls")), *root_urls.urlpatterns]
pytestmark = [
    pytest.mark.urls(__name__),
    # xlrd3, which libhxl reads XLSX with, imports a module defusedxml deprecates.
    pytest.mark.filterwarnings("ignore:defusedxml.cElementTree:DeprecationWarning"),
]

URL = "/statistics/extract/"
TO_DEPARTED = (("counselling", "carla"), ("applied", "carla"), ("approved", "sam"),
               ("preparing_departure", "carla"), ("ready_to_travel", "max"),
               ("departed", "max"))
MONTH = re.compile(r"^\d{4}-\d{2}$")
KEYS = [column.key for column in extract.COLUMNS]
PERSONA_NAMES = [name for name, _role, _office in PERSONAS]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _today() -> datetime.date:
    return timezone.localdate()


def _period() -> dict:
    return {"start": _today() - datetime.timedelta(days=40), "end": _today()}


def _records(**kwargs) -> list[dict]:
    """The extract's rows as dicts by column key."""
    return [dict(zip(KEYS, row, strict=True))
            for row in extract.rows(**{**_period(), **kwargs})]


def _family(world) -> Case:
    """Yusuf Haddad (an alias, a phone, a national identity card, a passport) and his
    daughter Layla, returning to Baghdad, departed."""
    case = open_case(world, person=person_data(
        given_name="Yusuf", family_name="Haddad", given_name_original="يوسف",
        family_name_original="حداد", aliases="Abu Sami", phone="+4915123456789",
        date_of_birth=datetime.date(1984, 2, 9)),
        destination_subdivision="IQ-BG", destination_area="Karrada, near the bridge")
    principal = case.principal
    add_identity_document(actor=world.carla, person=principal.person, data={
        "kind": "national_id", "number": "NX4471902", "issuing_country": "IRQ"})
    set_member_vulnerabilities(actor=world.carla, case=case, member=principal,
                               vulnerabilities=["single_parent"])
    register_and_add_member(
        actor=world.carla, case=case,
        person=person_data(given_name="Layla", family_name="Haddad",
                           given_name_original="ليلى", family_name_original="حداد",
                           sex="F", date_of_birth=datetime.date(2016, 7, 23)),
        member={"relationship": "child", "category": MigrantCategory.ASYLUM_REJECTED})
    prepare_application(world, case)
    prepare_travel(world, case)
    walk(world, case, *[(step, world.users[who]) for step, who in TO_DEPARTED])
    case.refresh_from_db()
    return case


def _scored(world) -> Case:
    """A case arrived in Baghdad today, with an approved reintegration plan and a
    sustainability survey."""
    case = arrived_case(world)
    build_plan(world, case)
    respond(world, case, sustainability(), "middle")
    return case


def _forbidden(world) -> list[str]:
    """Every name, alias, phone, date of birth, document number, case reference, area,
    survey key and user name in the database."""
    found: set[str] = set()
    for person in Person.objects.all():
        found |= {person.given_name, person.family_name, person.given_name_original,
                  person.family_name_original, person.aliases, person.phone}
        if person.date_of_birth:
            found.add(person.date_of_birth.isoformat())
    found |= set(IdentityDocument.objects.values_list("number", flat=True))
    found |= set(TravelDocument.objects.values_list("number", flat=True))
    found |= set(Case.objects.values_list("reference", flat=True))
    found |= set(Case.objects.values_list("destination_area", flat=True))
    found |= set(SurveyKey.objects.values_list("key", flat=True))
    return sorted(f for f in found if f)


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _make(actor: User, **kwargs) -> extract.Extract:
    return extract.make_extract(actor=actor, **{**_period(), "fmt": "csv", **kwargs})


# ---- pseudonyms ----------------------------------------------------------------------

def test_pseudonyms_are_stable_keyed_and_never_shared_between_kinds(settings):
    settings.RETORNO_PSEUDONYM_KEY = "one key"
    person, case = extract.pseudonym("person", 7), extract.pseudonym("case", 7)
    assert re.fullmatch(r"P-[A-Z2-7]{16}", person)
    assert re.fullmatch(r"C-[A-Z2-7]{16}", case)
    assert person[2:] != case[2:]
    assert extract.pseudonym("person", 7) == person
    assert extract.pseudonym("person", 8) != person
    settings.RETORNO_PSEUDONYM_KEY = "another key"
    assert extract.pseudonym("person", 7) != person
    settings.RETORNO_PSEUDONYM_KEY = None
    settings.SECRET_KEY = "the secret key"
    assert extract.pseudonym("person", 7) == extract.pseudonym(
        "person", 7, key=b"the secret key")


# ---- the rows ------------------------------------------------------------------------

def test_a_row_per_member_with_months_groups_and_the_cases_figures(world):
    family = _family(world)
    scored = _scored(world)
    waiting = open_case(world, office=world.vienna, actor=world.otto,
                        person=person_data(given_name="Rahim", nationality="AFG", sex="X"),
                        destination_country="AFG")
    records = _records()
    assert [r["case"] for r in records] == [extract.pseudonym("case", c.pk)
                                            for c in (family, family, scored, waiting)]

    yusuf, layla, returnee, rahim = records
    today = _today()
    month = f"{today:%Y-%m}"
    left = AssistedReturn.objects.get(case=family, person=family.principal.person).departed_on
    assert (yusuf["relationship"], layla["relationship"]) == (Relationship.PRINCIPAL,
                                                              Relationship.CHILD)
    assert yusuf["person"] == extract.pseudonym("person", family.principal.person.pk)
    assert yusuf["person"] != layla["person"]
    assert (yusuf["sex"], layla["sex"]) == ("M", "F")
    assert yusuf["age_group"] == age_group(age_on(datetime.date(1984, 2, 9), today))
    assert layla["age_group"] == age_group(age_on(datetime.date(2016, 7, 23), today))
    assert yusuf["vulnerabilities"] == "single_parent" and layla["vulnerabilities"] is None
    assert (yusuf["host_country"], yusuf["host_office"], yusuf["origin_country"]) == (
        "DEU", "deu-ber", "IRQ")
    assert yusuf["programme"] == "erin-deu" and yusuf["status"] == "departed"
    assert yusuf["nationality"] == "IRQ" and yusuf["category"] == "asylum_rejected"
    assert (yusuf["opened"], yusuf["applied"]) == (month, month)
    assert yusuf["departed"] == layla["departed"] == f"{left:%Y-%m}"
    assert yusuf["days_to_departure"] == (left - today).days
    assert yusuf["arrived"] is None and yusuf["assistance_items"] is None
    # Two people share Baghdad: fewer than K.
    assert yusuf["subdivision"] is None

    plan = scored.reintegration_plan
    items = list(plan.items.all())
    assert returnee["arrived"] == month
    assert returnee["assistance_items"] == len(items) == 1
    assert returnee["assistance_cost"] == sum(i.cost for i in items)
    assert returnee["currency"] == "EUR"
    composite = scored.survey_responses.get().composite
    assert composite is not None
    assert returnee["sustainability"] == Decimal(str(round(composite, 2)))

    assert (rahim["host_country"], rahim["origin_country"], rahim["nationality"]) == (
        "AUT", "AFG", "AFG")
    assert rahim["status"] == "registered" and rahim["sex"] == "X"
    assert rahim["applied"] is rahim["departed"] is rahim["days_to_departure"] is None
    for record in records:
        for key in ("opened", "applied", "departed", "arrived"):
            assert record[key] is None or MONTH.fullmatch(record[key])


def test_no_name_document_reference_or_birth_date_leaves_in_either_file(world):
    _family(world)
    _scored(world)
    open_case(world, person=person_data(given_name="Mariam", family_name="Saleh",
                                        aliases="Umm Ali", phone="+4917011122233",
                                        date_of_birth=datetime.date(1979, 11, 30)))
    forbidden = _forbidden(world)
    assert {"Yusuf", "Layla", "Abu Sami", "NX4471902", "Karrada, near the bridge",
            "1984-02-09", "+4915123456789"} <= set(forbidden)
    usernames = set(User.objects.values_list("username", flat=True))

    made = _make(world.emil)
    content = made.read()
    text = content.decode("utf-8-sig")
    assert made.rows == 4
    leaks = [word for word in forbidden if word in text]
    assert leaks == []
    cells = {cell for row in _csv_rows(content) for cell in row}
    assert not cells & usernames
    # Nor the database ids of the people or the cases, as a column of their own.
    header = _csv_rows(content)[0]
    assert not [label for label in header if re.search(r"\b(id|name|reference)\b", label,
                                                        re.IGNORECASE)]

    workbook = _make(world.emil, fmt="xlsx")
    xml = _xlsx_text(workbook.read())
    assert workbook.rows == 4
    assert [word for word in forbidden if word in xml] == []


def test_a_region_is_named_only_when_k_people_share_it(world):
    for _ in range(3):
        open_case(world, destination_subdivision="IQ-BG")
    open_case(world, destination_subdivision="IQ-BA")
    open_case(world)

    def regions(k: int) -> list:
        return [r["subdivision"] for r in _records(k=k)]

    assert regions(3) == ["IQ-BG", "IQ-BG", "IQ-BG", None, None]
    assert regions(4) == [None] * 5
    assert regions(1) == ["IQ-BG", "IQ-BG", "IQ-BG", "IQ-BA", None]
    assert extract.K == 10
    assert regions(extract.K) == [None] * 5


def test_only_the_cases_opened_in_the_period_and_programme(world):
    two_years_ago = timezone.now() - datetime.timedelta(days=730)
    with time_machine.travel(two_years_ago, tick=False):
        old = open_case(world)
    recent = open_case(world)
    assert [r["case"] for r in _records()] == [extract.pseudonym("case", recent.pk)]
    old_period = {"start": two_years_ago.date(), "end": two_years_ago.date()}
    assert [r["case"] for r in _records(**old_period)] == [extract.pseudonym("case", old.pk)]
    assert _records(programme_id=world.programme.pk + 1000) == []
    assert len(_records(programme_id=world.programme.pk)) == 1


def test_pseudonyms_are_the_same_in_two_extracts_and_differ_between_people(world):
    for name in ("Amal", "Basim", "Dalia"):
        open_case(world, person=person_data(given_name=name))
    first = _csv_rows(_make(world.emil).read())
    second = _csv_rows(_make(world.pia).read())
    assert first == second
    people = [row[KEYS.index("person")] for row in first[2:]]
    cases = [row[KEYS.index("case")] for row in first[2:]]
    assert len(set(people)) == len(set(cases)) == 3


def test_a_constant_number_of_queries_per_chunk(world):
    for _ in range(2):
        open_case(world)

    def queries(chunk: int, expected: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert len(list(extract.rows(**_period(), chunk=chunk))) == expected
        return len(captured)

    # The count per region, one round per chunk, and the empty chunk that ends it.
    one_chunk = queries(10, 2)
    per_chunk = one_chunk - 2
    open_case(world)
    open_case(world)
    assert queries(10, 4) == one_chunk
    assert queries(1, 4) == 2 + 4 * per_chunk


# ---- the service ---------------------------------------------------------------------

def test_making_an_extract_is_audited_with_its_row_count(world):
    open_case(world)
    open_case(world)
    before = AuditEvent.objects.count()
    made = _make(world.pia, programme_id=world.programme.pk)
    assert made.rows == 2
    assert made.filename == (f"case-extract-erin-deu-{_period()['start'].isoformat()}-"
                             f"{_today().isoformat()}.csv")
    [event] = AuditEvent.objects.order_by("-id")[:1]
    assert AuditEvent.objects.count() == before + 1
    assert event.event_type == AuditType.CASE_EXTRACT_MADE
    assert event.actor == world.pia
    assert (event.target_type, event.target_id) == ("user", world.pia.pk)
    assert event.office_id is None and event.case_id is None
    assert event.extra == {"start": _period()["start"].isoformat(),
                           "end": _today().isoformat(), "programme": world.programme.pk,
                           "programme_code": "erin-deu", "format": "csv", "rows": 2,
                           "k": extract.K}


@pytest.mark.django_db(transaction=True)
def test_an_extract_outside_any_transaction_reads_one_snapshot_and_is_audited(world):
    """As the page makes it: not inside a test's transaction (on PostgreSQL, in a
    repeatable-read transaction of its own; on SQLite, with no transaction around the
    reads)."""
    open_case(world)
    made = _make(world.emil, fmt="xlsx")
    assert made.rows == 1
    assert AuditEvent.objects.get(event_type=AuditType.CASE_EXTRACT_MADE).extra["rows"] == 1
    assert not connection.in_atomic_block


@pytest.mark.parametrize("who", ["carla", "sam", "stella", "dana", "rita"])
def test_only_the_roles_that_may_make_an_extract_do(world, who):
    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        _make(world.users[who])
    assert AuditEvent.objects.count() == before


def test_a_wrong_period_or_format_is_refused_with_a_message(world):
    today = _today()
    with pytest.raises(Invalid) as ended:
        _make(world.emil, start=today, end=today - datetime.timedelta(days=1))
    assert ended.value.messages == ["The period cannot end before it starts."]
    assert ended.value.field_errors == {"end": ["The period cannot end before it starts."]}
    with pytest.raises(Invalid) as long:
        _make(world.emil, start=datetime.date(2020, 1, 1), end=datetime.date(2025, 1, 1))
    assert long.value.messages == ["Choose a period of at most five years."]
    assert _make(world.emil, start=datetime.date(2020, 1, 1),
                 end=datetime.date(2024, 12, 31)).rows == 0
    with pytest.raises(Invalid) as fmt:
        _make(world.emil, fmt="pdf")
    assert fmt.value.messages == ["Choose the format: CSV or XLSX."]
    with pytest.raises(Invalid):
        _make(world.emil, start=None)
    # Only the extract that was made.
    assert AuditEvent.objects.filter(event_type=AuditType.CASE_EXTRACT_MADE).count() == 1


def test_an_xlsx_beyond_the_spreadsheet_limit_is_refused_for_csv(world, monkeypatch):
    open_case(world)
    open_case(world)
    monkeypatch.setattr(extract, "XLSX_MAX_ROWS", 1)
    with pytest.raises(Invalid) as refused:
        _make(world.emil, fmt="xlsx")
    assert "Choose CSV" in refused.value.messages[0]
    assert not AuditEvent.objects.filter(event_type=AuditType.CASE_EXTRACT_MADE).exists()
    assert _make(world.emil, fmt="csv").rows == 2
    monkeypatch.setattr(extract, "XLSX_MAX_ROWS", 2)
    assert _make(world.emil, fmt="xlsx").rows == 2


# ---- the files -----------------------------------------------------------------------

def test_the_csv_reads_with_libhxl_and_the_xlsx_with_openpyxl(world):
    case = open_case(world, person=person_data(given_name="=HYPERLINK(\"x\")"))
    set_member_vulnerabilities(actor=world.carla, case=case, member=case.principal,
                               vulnerabilities=["trafficking", "gbv"])
    content = _make(world.emil).read()
    dataset = hxl.data(io.BytesIO(content), hxl.InputOptions(allow_local=True))
    assert [str(c.get_display_tag(sort_attributes=False)) for c in dataset.columns] == [
        c.hxl for c in extract.COLUMNS]
    [row] = list(dataset)
    assert row.get("#beneficiary+id") == extract.pseudonym("person", case.principal.person.pk)
    assert row.get("#country+code+origin") == "IRQ"
    assert row.get("#beneficiary+vulnerability+list") == "gbv;trafficking"
    assert MONTH.fullmatch(row.get("#date+opened"))

    book = load_workbook(io.BytesIO(_make(world.emil, fmt="xlsx").read()))
    sheet, about = book.worksheets
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0][0].startswith("Case-level extract")
    assert values[1] == [str(c.label) for c in extract.COLUMNS]
    assert values[2] == [c.hxl for c in extract.COLUMNS]
    assert values[3][KEYS.index("person")] == row.get("#beneficiary+id")
    assert len(values) == 4
    assert [line[0].value for line in about.iter_rows()][1:] == extract.notes()


# ---- the page ------------------------------------------------------------------------

def _client(world, who: str) -> Client:
    client = Client()
    assert client.login(username=who, password=PASSWORD)
    return client


def test_the_page_is_for_the_roles_that_make_extracts(world):
    assert Client().get(URL).status_code == 302
    assert "/accounts/login/" in Client().get(URL)["Location"]
    for who in sorted(set(PERSONA_NAMES) - {"emil", "pia"}):
        assert _client(world, who).get(URL).status_code == 403, who
        assert _client(world, who).post(URL, {"start": "2026-01-01", "end": "2026-01-31",
                                              "format": "csv"}).status_code == 403, who
    for who in ("emil", "pia"):
        page = _client(world, who).get(URL)
        assert page.status_code == 200, who
        assert "Not included: names" in page.content.decode()


def test_posting_the_form_sends_the_file(world, monkeypatch):
    monkeypatch.setattr(extract, "_SPOOL_BYTES", 100)  # sent from disk, as a large one is
    open_case(world)
    response = _client(world, "emil").post(URL, {
        "start": _period()["start"].isoformat(), "end": _today().isoformat(),
        "programme": world.programme.pk, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert len(_csv_rows(content)) == 3
    assert int(response["Content-Length"]) == len(content) > 100
    assert AuditEvent.objects.filter(event_type=AuditType.CASE_EXTRACT_MADE,
                                     actor=world.emil, extra__rows=1).exists()


def test_a_wrong_period_on_the_page_says_what_is_wrong(world):
    response = _client(world, "pia").post(URL, {"start": "2026-03-01", "end": "2026-02-01",
                                                "format": "xlsx"})
    assert response.status_code == 422
    assert "The period cannot end before it starts." in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=AuditType.CASE_EXTRACT_MADE).exists()
