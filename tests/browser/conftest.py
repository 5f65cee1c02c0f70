"""Real headless Chromium (Debian's) driven by Playwright against a live server on PostgreSQL."""

import os
import re
import shutil

import pytest
from django.core import mail

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        # In CI a missing browser is a failure, never a skip.
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 780}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Fail with axe-core's findings when the page has any WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            },
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def portal_login(page, customer) -> None:
    """Log in through the portal as a customer would, reading the mailed code."""
    page.goto("/oma/kirjaudu/")
    page.get_by_label(re.compile("Sähköpostiosoite|E-postadress|Email address")).fill(
        customer.email
    )
    page.get_by_role("button", name=re.compile("Lähetä koodi|Skicka kod|Send code")).click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label(re.compile("Kirjautumiskoodi|Inloggningskod|Login code")).fill(code)
    page.get_by_role("button", name=re.compile("^(Kirjaudu|Logga in|Log in)$")).click()
