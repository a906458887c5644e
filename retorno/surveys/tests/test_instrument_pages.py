"""The instrument pages: list, version, XLSForm and spreadsheet downloads, loading a
version, importing submissions; who gets what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from retorno.privacy.models import AuditEvent, AuditType
from retorno.surveys import spreadsheet
from retorno.surveys.models import InstrumentVersion, SurveyResponse
from retorno.surveys.services import load_version, survey_key_for
from retorno.surveys.tests.builders import arrived_case, install_default_instruments

pytestmark = pytest.mark.django_db

READERS = ["emil", "rita", "sam", "pia", "vera"]
NOT_READERS = ["carla", "mona", "max", "dana", "paul", "stella", "otto", "tariq"]


@pytest.fixture
def versions(db):
    return install_default_instruments()


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _version_url(name: str, code: str = "sustainability", number: int = 1) -> str:
    return reverse(f"surveys:{name}", args=[code, number])


@pytest.mark.parametrize("who", READERS)
def test_readers_see_the_list(world, versions, who):
    page = client(world.users[who]).get(reverse("surveys:instruments"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reintegration sustainability survey" in html
    assert "Satisfaction with the assistance" in html
    assert ("Load a new version" in html) == (who in ("emil", "pia"))
    assert ("Import submissions" in html) == (who != "pia")


@pytest.mark.parametrize("who", NOT_READERS)
def test_others_are_refused_everywhere(world, versions, who):
    c = client(world.users[who])
    for url in (reverse("surveys:instruments"), _version_url("instrument_version"),
                _version_url("instrument_xlsform"), _version_url("instrument_spreadsheet"),
                _version_url("instrument_import"),
                reverse("surveys:instrument_load", args=["sustainability"])):
        assert c.get(url).status_code == 403, url


def test_anonymous_is_sent_to_sign_in(versions):
    response = Client().get(reverse("surveys:instruments"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_unknown_instrument_or_version_is_404(world, versions):
    c = client(world.emil)
    assert c.get(_version_url("instrument_version", number=9)).status_code == 404
    assert c.get(_version_url("instrument_xlsform", "nothing")).status_code == 404
    assert c.get(reverse("surveys:instrument_load", args=["nothing"])).status_code == 404
    assert c.get(_version_url("instrument_import", number=9)).status_code == 404


def test_version_page_shows_the_whole_definition_and_the_provisional_banner(world, versions):
    page = client(world.rita).get(_version_url("instrument_version"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="provisional"' in html and "Provisional weights." in html
    assert html.count('data-testid="dimension"') == 3
    assert html.count('data-testid="indicator"') == 15
    assert "How satisfied are you with your current economic situation?" in html
    assert "e1_satisfaction" in html and "very_satisfied" in html
    assert "0.3333" in html and "0.2000" in html  # weights
    assert "0.75" in html  # a coded value
    assert "How many people live in your household?" in html  # not scored, still shown


def test_version_page_in_french(world, versions):
    c = client(world.rita)
    c.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
    html = c.get(_version_url("instrument_version")).content.decode()
    assert "Êtes-vous satisfait de votre situation économique actuelle ?" in html
    assert "0,3333" in html


def test_xlsform_download_converts_and_is_audited(world, versions):
    response = client(world.emil).get(_version_url("instrument_xlsform"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="retorno_sustainability_v1.xlsx"')
    warnings: list[str] = []
    result = convert(xlsform=response.content, warnings=warnings, file_type=".xlsx")
    assert warnings == [] and "e1_satisfaction" in result.xform
    event = AuditEvent.objects.get(event_type=AuditType.SURVEY_XLSFORM_EXPORTED)
    assert event.actor == world.emil and event.extra["instrument"] == "sustainability"


def test_spreadsheet_download_is_what_load_reads(world, versions):
    response = client(world.pia).get(_version_url("instrument_spreadsheet"))
    assert response.status_code == 200
    definition, problems = spreadsheet.read_definition(response.content)
    assert problems == []
    definition.pop("instrument")
    assert definition == versions["sustainability"].definition


def test_load_page(world, versions):
    url = reverse("surveys:instrument_load", args=["satisfaction"])
    c = client(world.emil)
    assert c.get(url).status_code == 200
    book = load_workbook(io.BytesIO(spreadsheet.build(versions["satisfaction"])))
    for row in book["settings"].iter_rows(min_row=2):
        if row[0].value == "weights_status":
            row[1].value = "official"
    out = io.BytesIO()
    book.save(out)
    response = c.post(url, {"file": SimpleUploadedFile("official.xlsx", out.getvalue())})
    assert response.status_code == 302
    assert response["Location"] == _version_url("instrument_version", "satisfaction", 2)
    page = c.get(response["Location"]).content.decode()
    assert 'data-testid="provisional"' not in page
    assert "Version 2 of Satisfaction with the assistance loaded." in page


def test_load_page_shows_every_problem_and_saves_nothing(world, versions):
    url = reverse("surveys:instrument_load", args=["satisfaction"])
    response = client(world.pia).post(url, {"file": SimpleUploadedFile("x.xlsx", b"hello")})
    assert response.status_code == 422
    assert "The file is not an Excel spreadsheet (.xlsx)." in response.content.decode()
    assert InstrumentVersion.objects.count() == 2


@pytest.mark.parametrize("who", ["rita", "sam"])
def test_load_refused_to_those_who_do_not_keep_instruments(world, versions, who):
    url = reverse("surveys:instrument_load", args=["satisfaction"])
    assert client(world.users[who]).get(url).status_code == 403
    assert client(world.users[who]).post(url, {}).status_code == 403


def test_import_page_shows_the_report(world, versions):
    case = arrived_case(world)
    key = survey_key_for(case).key
    url = _version_url("instrument_import", "satisfaction")
    c = client(world.rita)
    assert c.get(url).status_code == 200
    content = ("survey_key;collected_on;i1_information;i2_respect;t1_journey;t2_reception;"
               "r1_needs;r2_time;_uuid\n"
               f"{key};{timezone.localdate().isoformat()};very_satisfied;yes;"
               "very_satisfied;very_satisfied;fully;yes;u-1\n"
               "NOPE-NOPE;2026-01-01;yes;yes;yes;yes;yes;yes;u-2\n")
    response = c.post(url, {"file": SimpleUploadedFile("kobo.csv", content.encode())})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 response recorded." in html
    assert "Unknown survey key “NOPE-NOPE”." in html
    assert SurveyResponse.objects.get().composite == 1.0
    again = c.post(url, {"file": SimpleUploadedFile("kobo.csv", content.encode())})
    assert "1 already imported, unchanged." in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_import_page_refuses_an_unreadable_file(world, versions):
    url = _version_url("instrument_import")
    response = client(world.emil).post(url, {"file": SimpleUploadedFile("a.json", b"{x")})
    assert response.status_code == 422
    assert "The file is not valid JSON" in response.content.decode()


@pytest.mark.parametrize(("who", "name", "args"), [
    ("emil", "instrument_load", ["sustainability"]),
    ("pia", "instrument_load", ["sustainability"]),
    ("rita", "instrument_import", ["sustainability", 1]),
    ("vera", "instrument_import", ["sustainability", 1])])
def test_a_post_without_a_file_is_422(world, versions, who, name, args):
    response = client(world.users[who]).post(reverse(f"surveys:{name}", args=args), {})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_import_refused_to_pia(world, versions):
    assert client(world.pia).get(_version_url("instrument_import")).status_code == 403


def test_the_list_makes_a_bounded_number_of_queries(world, versions,
                                                    django_assert_max_num_queries):
    c = client(world.emil)
    for code in ("sustainability", "satisfaction"):
        load_version(actor=world.emil, instrument_code=code,
                     upload=SimpleUploadedFile("v.xlsx", spreadsheet.build(versions[code])))
    with django_assert_max_num_queries(6):  # session, user, memberships, instruments, versions
        assert c.get(reverse("surveys:instruments")).status_code == 200
