"""An erasure request handled on its case page in real Chromium, from receipt to a sent decision.

Set SCREENSHOT_DIR=docs/screenshots to refresh the pictures docs/staff.md shows (1280 px).
"""

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from customers.models import Customer
from rights.cases import receive_request
from rights.models import DataSubjectRequest
from tests.browser.conftest import assert_accessible, make_shopper
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "salasana-testi-123"


def _erased(customer) -> bool:
    return Customer.objects.get(pk=customer.pk).erased_at is not None


def test_an_erasure_goes_from_receipt_to_a_sent_decision_and_erases_only_when_confirmed(
    page, customer_service, tmp_path, settings
):
    from demo.shop import ensure_demo_statement

    settings.ERASURE_LEDGER_FILE = tmp_path / "erasure-ledger.jsonl"
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)

    def shot(name: str) -> None:
        page.screenshot(path=str(out / f"staff-case-{name}.png"), full_page=True)

    cache.clear()
    ensure_demo_statement()
    shopper = make_shopper(
        first_name="Aino",
        last_name="Virtanen",
        email="aino.virtanen@example.fi",
        street_address="Koivukuja 2 B 7",
    )
    case = receive_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=shopper,
        requester_name="Aino Virtanen",
        requester_contact="aino.virtanen@example.fi",
        description="Poistakaa kaikki tietoni rekisteristänne.",
    )
    helsinki = ZoneInfo("Europe/Helsinki")
    late = receive_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        channel=DataSubjectRequest.Channel.LETTER,
        customer=CustomerFactory(first_name="Veikko", last_name="Mäkelä"),
        received_at=dt.datetime.now(helsinki) - dt.timedelta(days=40),
    )
    receive_request(
        kind=DataSubjectRequest.Kind.CORRECTION,
        channel=DataSubjectRequest.Channel.PORTAL,
        customer=CustomerFactory(first_name="Kaisa", last_name="Lehtonen"),
        received_at=dt.datetime.now(helsinki) - dt.timedelta(days=26),
    )
    device = TOTPDevice.objects.create(user=customer_service, name="puhelin", confirmed=True)

    page.goto("/hallinta/")
    page.get_by_label("Käyttäjätunnus").fill("asiakaspalvelu")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_label("Kertakäyttökoodi").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name=re.compile("Kirjaudu")).click()
    page.get_by_role("link", name="1 pyyntö on myöhässä.").click()
    expect(page.get_by_role("link", name=late.reference)).to_be_visible()
    expect(page.get_by_role("link", name=case.reference)).to_have_count(0)

    # The queue: open cases, the overdue one first with its badge in words.
    page.goto("/hallinta/rights/datasubjectrequest/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(late.reference)
    expect(rows.first).to_contain_text(re.compile(r"myöhässä \d+ päivää"))
    assert_accessible(page)
    shot("queue")

    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name="Seuraava vaihe")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Vastaanotettu")).to_be_visible()
    assert_accessible(page)
    shot("1-received")

    # Verify: the method, and who did it.
    page.get_by_role("link", name="Todenna henkilöllisyys").click()
    expect(page.get_by_text("Todentajaksi kirjataan")).to_be_visible()
    page.get_by_label("Todentamistapa").select_option(label="henkilöllisyystodistus")
    assert_accessible(page)
    page.get_by_role("button", name="Kirjaa todennetuksi").click()
    expect(page.get_by_text("Henkilöllisyys on todennettu.")).to_be_visible()
    expect(page.get_by_text("henkilöllisyystodistus (asiakaspalvelu)")).to_be_visible()
    shot("2-verified")

    # Prepare: what will be erased and what kept, why and until when. Nothing happens yet.
    page.get_by_role("button", name="Aloita käsittely ja valmistele").click()
    expect(page.get_by_role("heading", name="Mitä pyynnön toteutus tekee")).to_be_visible()
    expect(page.get_by_role("heading", name="Säilytetään")).to_be_visible()
    expect(page.get_by_text(re.compile(r"31\.12\.\d{4} asti")).first).to_be_visible()
    assert_accessible(page)
    shot("3-prepared")
    assert not _erased(shopper)

    # Confirm: the reference typed out; a wrong one erases nothing.
    page.get_by_role("link", name="Jatka vahvistamaan").click()
    expect(page.get_by_text("Poistoa ei voi perua.")).to_be_visible()
    assert_accessible(page)
    shot("4-confirm")
    page.get_by_label("Asian tunnus").fill("TS-2020-00000000")
    page.get_by_role("button", name="Vahvista ja poista tiedot").click()
    expect(page.get_by_text("Tunnus ei täsmää.")).to_be_visible()
    assert not _erased(shopper)
    page.get_by_label("Asian tunnus").fill(case.reference)
    page.get_by_role("button", name="Vahvista ja poista tiedot").click()

    # The decision, read before it is sent.
    expect(page.get_by_role("heading", name="Kirjallinen ratkaisu")).to_be_visible()
    assert _erased(shopper)
    expect(page.get_by_text("Olemme toteuttaneet pyyntösi.")).to_be_visible()
    expect(page.get_by_text("aino.virtanen@example.fi")).to_be_visible()
    assert not [m for m in mail.outbox if m.to == ["aino.virtanen@example.fi"]]
    assert_accessible(page)
    shot("5-decision")
    page.get_by_role("button", name="Lähetä ratkaisu").click()
    expect(page.get_by_text("Ratkaisu on lähetetty.")).to_be_visible()
    expect(page.get_by_text("Pyyntö on ratkaistu; tehtävää ei ole.")).to_be_visible()
    letters = [m for m in mail.outbox if m.to == ["aino.virtanen@example.fi"]]
    assert len(letters) == 1 and case.reference in letters[0].subject
    case.refresh_from_db()
    assert case.decision_sent_at is not None and case.decision_recipient == ""
    assert_accessible(page)
    shot("6-sent")
