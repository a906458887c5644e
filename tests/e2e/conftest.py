"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against pytest-django's
`live_server`.

No browser is ever downloaded: Chromium is launched from RETORNO_CHROMIUM (default
/usr/bin/chromium). Run them alone with `pytest -m e2e`; leave them out with `-m "not e2e"`.
"""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from retorno.declarations.shipped import install_missing
from retorno.testing.personas import World, build_world

# The live server answers from its own thread while Playwright's sync API keeps an event
# loop running in this one; without this, Django refuses every ORM call made here (the
# test's own setup and assertions) with SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    # Without these Chromium keeps calling home, and in a sandbox with no network that
    # means retry storms that slow every page down.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 5_000  # a step that takes longer than this on a local server is a failure


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope: one Chromium for the whole file, and Playwright's event loop does not
    # outlive the browser tests.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("RETORNO_CHROMIUM", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    # A fresh context per test: no cookies or session carried over. English and UTC, so
    # the labels and dates the tests read don't depend on the machine.
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT,
                                  locale="en-US", timezone_id="UTC")
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def world(transactional_db, live_server) -> World:
    # The live server reads the database from another thread (and, on PostgreSQL, another
    # connection), so the personas must be committed: transactional_db, not db. A
    # transactional test's flush takes away what the migrations installed (the shipped
    # declaration texts): whichever test a worker runs first, they are there.
    install_missing()
    return build_world()
