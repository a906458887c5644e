"""From registration to approval, in a real browser, by the three people it takes: the
caseworker counsels the family, records consent and the signed voluntary return
declaration and records the application; the medical officer assesses fitness to travel;
the supervisor finds the decision on their queue, is refused (wrong programme: every unmet
rule listed), puts it right and approves. (The withdrawal is in test_case_flow.)"""

import datetime
import io

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from retorno.cases.models import Case, Status
from retorno.declarations.models import Declaration
from retorno.programmes.models import MigrantCategory
from retorno.programmes.services import create_programme
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.testing.personas import World
from tests.e2e.pages import (
    add_daughter,
    field,
    register_principal,
    sign_in,
    status,
    timeline,
)

pytestmark = pytest.mark.e2e


def lifecycle(page: Page):
    return page.locator("#lifecycle")


def record_consent(page: Page, person: str, guardian: str = "") -> None:
    page.locator("#consent").get_by_role("link", name="Record consent").last.click()
    people = field(page, "Person")
    people.select_option(people.locator("option", has_text=person).get_attribute("value"))
    field(page, "Purpose").select_option(label="Processing for assistance")
    field(page, "Form version").fill("C-2026-1")
    if guardian:
        field(page, "Guardian's name").fill(guardian)
        field(page, "Guardian's relationship to the child").fill("Father")
    page.get_by_role("main").get_by_role("button", name="Record consent").click()
    expect(page.locator(".messages")).to_be_visible()


def test_a_family_goes_from_registered_to_approved(page: Page, world: World, tmp_path):
    today = timezone.localdate()
    # The programme the caseworker picks by mistake: it serves Morocco and Niger.
    sahel = create_programme(
        code="sahel", name="Stranded migrants in the Sahel", donor="", host_countries=["MAR",
                                                                                       "NER"],
        eligible_nationalities=["NGA", "SEN"], eligible_categories=[MigrantCategory.STRANDED],
        start_date=datetime.date(2020, 1, 1), end_date=None)

    # ---- the caseworker -----------------------------------------------------------------
    sign_in(page, world.carla)
    reference = register_principal(page, sahel)
    add_daughter(page)
    members = page.get_by_role("region", name="Who returns").locator("tbody tr")
    expect(members).to_have_count(2)
    lifecycle(page).get_by_role("button", name="Start counselling").click()
    expect(status(page)).to_have_text("Counselling")

    page.get_by_role("link", name="Record a counselling session").click()
    field(page, "Date").fill(today.isoformat())
    page.get_by_label("In person").check()
    page.get_by_label("The return process").check()
    page.get_by_label("Reintegration options and what the programme offers").check()
    page.get_by_label("Wishes to return").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#counselling")).to_contain_text("Wishes to return")

    record_consent(page, "Yusuf")
    record_consent(page, "Mariam", guardian="Yusuf Hamdani")
    expect(page.locator("#consent").get_by_text("given", exact=True)).to_have_count(2)

    # Not yet: the declaration is missing, and the page says so (and only that).
    lifecycle(page).get_by_role("button", name="Record the application").click()
    unmet = page.get_by_test_id("unmet")
    expect(unmet).to_contain_text("Print the voluntary return declaration")
    expect(unmet.locator("li")).to_have_count(1)
    expect(status(page)).to_have_text("Counselling")

    # Print it (a real PDF, in English, naming the family)...
    declaration = page.locator("#declaration")
    expect(declaration).to_contain_text("may withdraw from the programme at any time")
    declaration.get_by_label("Language of the declaration").select_option("en")
    with page.expect_download() as download:
        declaration.get_by_role("button", name="Print the declaration (PDF)").click()
    assert download.value.suggested_filename == f"declaration-{reference}-en.pdf"
    pdf = download.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Yusuf Hamdani" in text and "Mariam Hamdani" in text and "Iraq" in text
    # ...and record the signed copy, scanned.
    page.reload()
    declaration = page.locator("#declaration")
    declaration.get_by_text("Record the signed copy").click()
    field(page, "Signed on").fill(today.isoformat())
    field(page, "Place of signing").fill("Berlin")
    field(page, "Interpreter's name").fill("Samira Haddad")
    field(page, "Interpreter's language").fill("arb")
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(pdf)
    field(page, "Scan of the signed declaration").set_input_files(scan)
    page.get_by_role("button", name="Save the signed copy").click()
    expect(page.locator("#declaration")).to_contain_text("Interpreter: Samira Haddad")

    lifecycle(page).get_by_role("button", name="Record the application").click()
    expect(status(page)).to_have_text("Applied")
    expect(timeline(page)).to_contain_text("Counselling → Applied")

    # ---- the medical officer ------------------------------------------------------------
    sign_in(page, world.mona)
    page.goto(f"/cases/{reference}/")
    for name in ("Yusuf Hamdani", "Mariam Hamdani"):
        row = page.locator("#fitness tbody tr", has_text=name)
        row.get_by_role("link", name="Record an assessment").click()
        page.get_by_label("Fit to travel", exact=True).check()
        field(page, "Assessed on").fill(today.isoformat())
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#fitness tbody tr", has_text=name)).to_contain_text("Fit to travel")

    # ---- the supervisor -----------------------------------------------------------------
    sign_in(page, world.sam)
    tasks = page.get_by_role("region", name="Tasks")
    task = tasks.locator("tr", has_text=reference)
    expect(task).to_contain_text("Decide on the application")
    task.get_by_role("link", name="Open the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {reference}")

    approve = lifecycle(page).locator("details.step", has=page.get_by_text("Approve"))
    approve.locator("summary").click()
    approve.get_by_label("Comment (optional)").fill("Family counselled twice; fit to travel.")
    approve.get_by_role("button", name="Confirm: Approve").click()
    unmet = page.get_by_test_id("unmet")
    expect(unmet).to_contain_text("Programme sahel does not serve migrants in Germany.")
    expect(unmet).to_contain_text("Yusuf Hamdani (يوسف الحمداني)'s nationality (Iraq) is not "
                                  "eligible for sahel.")
    expect(unmet).to_contain_text("Mariam Hamdani (مريم الحمداني)'s nationality (Iraq) is not "
                                  "eligible for sahel.")
    expect(unmet).to_contain_text("category (Asylum seeker — claim rejected) is not eligible")
    expect(status(page)).to_have_text("Applied")

    # The caseworker chose the wrong programme: the supervisor corrects it and approves.
    page.get_by_role("region", name="The case").get_by_role("link", name="Edit").click()
    field(page, "Programme").select_option(str(world.programme.pk))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name="The case")).to_contain_text(str(world.programme))
    approve = lifecycle(page).locator("details.step", has=page.get_by_text("Approve"))
    approve.locator("summary").click()
    approve.get_by_label("Comment (optional)").fill("Family counselled; programme corrected.")
    approve.get_by_role("button", name="Confirm: Approve").click()
    expect(status(page)).to_have_text("Approved")
    expect(page.get_by_test_id("unmet")).to_have_count(0)
    expect(timeline(page)).to_contain_text("Applied → Approved")
    expect(timeline(page)).to_contain_text("Family counselled; programme corrected.")

    case = Case.objects.get(reference=reference)
    assert case.status == Status.APPROVED and case.programme == world.programme
    signed = Declaration.objects.get(case=case)
    assert signed.signed_on == today and signed.interpreter_name == "Samira Haddad"
    assert Task.objects.get(case=case, kind=TaskKind.APPROVE).status == TaskStatus.DONE
    assert date_format(today)  # the locale-formatted date the page shows exists
