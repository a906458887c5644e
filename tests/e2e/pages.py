"""What the browser tests do on Retorno's pages, in the words a user would use."""

import re

from playwright.sync_api import Page, expect

from retorno.accounts.models import User
from retorno.programmes.models import Programme
from retorno.testing.personas import PASSWORD

REFERENCE = re.compile(r"DEU-\d{4}-\d{6}")


def field(page: Page, label: str):
    """The form control labelled exactly `label` (Django adds a colon to form labels)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def sign_in(page: Page, user: User) -> None:
    page.context.clear_cookies()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    field(page, "Username").fill(user.username)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def fill_return(page: Page, programme: Programme) -> None:
    field(page, "Migrant category").select_option(label="Asylum seeker — claim rejected")
    field(page, "Destination country").select_option("IRQ")
    field(page, "Destination area").fill("Mosul, Nineveh")
    field(page, "Programme").select_option(str(programme.pk))
    field(page, "Origin office").select_option(label="Baghdad")


def timeline(page: Page):
    return page.locator("#timeline")


def status(page: Page):
    return page.get_by_test_id("status")


def register_principal(page: Page, programme: Programme) -> str:
    """Register Yusuf Hamdani and open his case; returns the case reference."""
    page.get_by_role("main").get_by_role("link", name="Register and open a case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register and open a case")
    field(page, "Given name (Latin letters)").fill("Yusuf")
    field(page, "Family name (Latin letters)").fill("Hamdani")
    field(page, "Given name (original script)").fill("يوسف")
    field(page, "Family name (original script)").fill("الحمداني")
    field(page, "Sex").select_option(label="Male")
    field(page, "Date of birth").fill("1987-03-09")
    field(page, "Nationality").select_option(label="Iraq")
    field(page, "Languages").fill("arb")
    fill_return(page, programme)
    page.get_by_role("button", name="Open the case").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Case DEU-\d{4}-\d{6}$"))
    return REFERENCE.search(heading.inner_text()).group()


def add_daughter(page: Page) -> None:
    """Add Mariam, Yusuf's daughter, a new person."""
    page.get_by_role("link", name="Add a family member").click()
    field(page, "Given name (Latin letters)").fill("Mariam")
    field(page, "Family name (Latin letters)").fill("Hamdani")
    field(page, "Given name (original script)").fill("مريم")
    field(page, "Family name (original script)").fill("الحمداني")
    field(page, "Sex").select_option(label="Female")
    field(page, "Date of birth").fill("2016-11-21")
    field(page, "Nationality").select_option(label="Iraq")
    field(page, "Languages").fill("arb")
    field(page, "Relationship to the principal applicant").select_option(label="Child")
    field(page, "Migrant category").select_option(label="Asylum seeker — claim rejected")
    page.get_by_role("button", name="Add to the case").click()


def sign_in_partner(page: Page, user: User, organisation: str) -> None:
    """Sign in a partner user: they land on their organisation's referrals, not on "My
    work"."""
    page.context.clear_cookies()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    field(page, "Username").fill(user.username)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Referrals to {organisation}")


def disclose(container, summary: str):
    """Open the <details> of `container` whose summary reads `summary`, and return it."""
    opened = container.locator("details").filter(
        has=container.page.locator("summary", has_text=summary))
    opened.locator("summary", has_text=summary).click()
    return opened


def flash(page: Page):
    """The messages a page shows after a form was sent."""
    return page.locator(".messages")
