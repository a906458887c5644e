"""A caseworker's day, in a real browser: sign in, register and open a case, add a child,
start counselling, withdraw. And the duplicate warning at registration."""

import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from retorno.cases.models import Case, Status
from retorno.people.models import Person
from retorno.people.services import register_person
from retorno.testing.personas import World, person_data
from tests.e2e.pages import (
    REFERENCE,
    add_daughter,
    field,
    fill_return,
    register_principal,
    sign_in,
    timeline,
)

pytestmark = pytest.mark.e2e

# Where the README's screenshot is written. Unset, it goes to the test's tmp_path, so an
# ordinary run never dirties the working tree:
#   RETORNO_SCREENSHOT=docs/screenshot.png pytest -m e2e
SCREENSHOT = os.environ.get("RETORNO_SCREENSHOT", "")


def test_it_registers_a_family_counsels_and_withdraws(page: Page, world: World, tmp_path):
    sign_in(page, world.carla)
    expect(page.get_by_text("You have no open cases assigned to you.")).to_be_visible()

    # Register the principal applicant and open the case.
    reference = register_principal(page, world.programme)
    assert reference == f"DEU-{timezone.localdate().year}-000001"
    expect(page.locator(".messages")).to_contain_text(f"Case {reference} opened.")
    expect(page.get_by_test_id("status")).to_have_text("Registered")
    expect(timeline(page)).to_contain_text("Case opened: Yusuf Hamdani (يوسف الحمداني)")
    facts = page.get_by_role("region", name="The case")
    expect(facts).to_contain_text("Mosul, Nineveh")
    expect(facts).to_contain_text("Baghdad")
    expect(facts).to_contain_text(str(world.programme))

    # Add his daughter, a new person.
    add_daughter(page)

    expect(page).to_have_url(re.compile(rf"/cases/{reference}/$"))
    members = page.get_by_role("region", name="Who returns").locator("tbody tr")
    expect(members).to_have_count(2)
    expect(members.nth(0)).to_contain_text("Yusuf Hamdani")
    expect(members.nth(0)).to_contain_text("Principal applicant")
    expect(members.nth(1)).to_contain_text("Mariam Hamdani")
    expect(members.nth(1)).to_contain_text("Child")
    expect(timeline(page)).to_contain_text("Member added: Mariam Hamdani (مريم الحمداني) (Child)")

    # Start counselling. HTMX swaps the lifecycle panel (and the timeline) in place: a
    # marker set on this window survives only if the page was not reloaded.
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Start counselling").click()
    expect(page.get_by_test_id("status")).to_have_text("Counselling")
    expect(timeline(page)).to_contain_text("Registered → Counselling")
    assert page.evaluate("window.notReloaded === true")
    assert Case.objects.get(reference=reference).status == Status.COUNSELLING
    page.screenshot(path=SCREENSHOT or tmp_path / "case.png", full_page=True)

    # Withdraw. The browser will not send an empty reason...
    withdraw = page.locator("details.step", has=page.get_by_text(
        "Withdraw (the migrant changed their mind)"))
    withdraw.locator("summary").click()
    reason = withdraw.get_by_label("Reason")
    confirm = withdraw.get_by_role("button", name="Confirm: Withdraw")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    confirm.click()
    assert reason.evaluate("el => el.validity.valueMissing")
    assert posts == []
    # ...and the server refuses one that gets through anyway.
    reason.evaluate("el => el.removeAttribute('required')")
    confirm.click()
    expect(page.get_by_test_id("unmet")).to_contain_text("Give a reason.")
    expect(page.get_by_test_id("status")).to_have_text("Counselling")
    assert len(posts) == 1
    withdraw = page.locator("details.step[open]", has=page.get_by_text("Withdraw"))
    withdraw.get_by_label("Reason").fill("Decided to stay: his wife received a residence permit.")
    withdraw.get_by_role("button", name="Confirm: Withdraw").click()

    expect(page.get_by_test_id("status")).to_have_text("Withdrawn")
    expect(page.get_by_test_id("unmet")).to_have_count(0)
    expect(timeline(page)).to_contain_text("Counselling → Withdrawn")
    expect(timeline(page)).to_contain_text(
        "Reason: Decided to stay: his wife received a residence permit.")
    expect(page.locator("#lifecycle form")).to_have_count(0)  # a final status: no steps
    assert page.evaluate("window.notReloaded === true")
    case = Case.objects.get(reference=reference)
    assert case.status == Status.WITHDRAWN
    assert case.members.count() == 2


def test_it_offers_an_already_registered_person_instead_of_a_duplicate(page: Page,
                                                                         world: World):
    ahmed = register_person(actor=world.carla, office=world.berlin, data=person_data())
    sign_in(page, world.carla)

    page.get_by_role("main").get_by_role("link", name="Register and open a case").click()
    field(page, "Given name (Latin letters)").fill("Ahmad")
    field(page, "Family name (Latin letters)").fill("Al Rashid")
    field(page, "Date of birth").fill("1990-05-17")
    field(page, "Nationality").select_option(label="Iraq")
    fill_return(page, world.programme)
    page.get_by_role("button", name="Open the case").click()

    duplicates = page.get_by_test_id("duplicates")
    expect(duplicates).to_be_visible()
    expect(duplicates).to_contain_text("This person may already be registered")
    row = duplicates.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ahmed Al-Rashid (أحمد الرشيد)")
    assert Case.objects.count() == 0  # nothing saved while the user decides

    row.get_by_role("button", name="Use this person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REFERENCE)
    expect(page.get_by_test_id("status")).to_have_text("Registered")
    members = page.get_by_role("region", name="Who returns").locator("tbody tr")
    expect(members).to_have_count(1)
    expect(members).to_contain_text("Ahmed Al-Rashid")
    assert Person.objects.count() == 1
    case = Case.objects.get()
    assert case.principal.person == ahmed
    assert (case.destination_country, case.origin_office) == ("IRQ", world.baghdad)
