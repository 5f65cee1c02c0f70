"""A register admin maps the columns of a file the register does not know, saves the mapping,
and reads on the job's page what became of every column."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from customers.models import ConsentEvent, Customer
from integrations.models import ImportMapping
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_staff_accessibility import staff_login

pytestmark = pytest.mark.django_db(transaction=True)

# REKISTERI_SCREENSHOTS=1 also writes the pages into docs/screenshots/.
SHOTS = (
    Path(settings.BASE_DIR) / "docs" / "screenshots"
    if os.environ.get("REKISTERI_SCREENSHOTS")
    else None
)
FILE = "Tunnus;Nimi;Sukunimi;Posti;Uutiskirje;Pisteet\nK-1;Aino;Virtanen;aino@example.fi;kyllä;7\n"


def _fill_mapping(page, tmp_path: Path) -> None:
    upload = tmp_path / "kassa.csv"
    upload.write_text(FILE, encoding="utf-8")
    page.goto("/hallinta/integrations/importjob/add/")
    page.get_by_label("CSV-tiedosto").set_input_files(upload)
    for n, (column, target) in enumerate(
        [
            ("Tunnus", "verkkokaupan tunniste"),
            ("Nimi", "Etunimi"),
            ("Sukunimi", "Sukunimi"),
            ("Posti", "Sähköposti"),
            ("Uutiskirje", "Sähköpostimarkkinoinnin lupa (kyllä/ei)"),
        ],
        start=1,
    ):
        page.locator(f"#id_column_{n}").fill(column)
        page.locator(f"#id_target_{n}").select_option(label=target[0].upper() + target[1:])
    page.get_by_label("Tallenna määritys nimellä").fill("Kassajärjestelmä")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_staff_map_a_files_columns_save_the_mapping_and_see_what_each_became(
    new_page, register_admin, tmp_path, device
):
    viewport = DESKTOP if device == "desktop" else PHONE
    page = new_page(viewport=viewport, is_mobile=device == "phone", locale="fi-FI")
    staff_login(page, register_admin)
    _fill_mapping(page, tmp_path)
    if SHOTS:
        page.screenshot(path=SHOTS / f"import-mapping-{viewport['width']}.png", full_page=True)
    page.locator('input[name="_save"]').click()
    expect(page.get_by_role("status")).to_have_text("Tuonti on päättynyt.")
    expect(page.get_by_text("Tuntemattomat sarakkeet (ei tuotu): Pisteet")).to_be_visible()
    if SHOTS:
        page.screenshot(path=SHOTS / f"import-report-{viewport['width']}.png", full_page=True)
    assert Customer.objects.get(external_id="K-1").email == "aino@example.fi"
    assert ConsentEvent.objects.get().evidence.endswith("sarake Uutiskirje = kyllä")
    assert ImportMapping.objects.get().columns["Posti"] == "email"
