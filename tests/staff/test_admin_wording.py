"""The staff panel's own titles and messages read as Finnish with our nouns in them.

Django's Finnish puts a model's name, a noun in the nominative, where Finnish needs another case
("Muokkaa asiakas") or at the start of a sentence in lower case ("asiakas ”Matti” on lisätty.");
some of its messages it leaves in English. Ours (staff/library_messages.py, locale/) puts the
noun after a colon or in brackets. The panel is Finnish only; the Swedish and English catalogues
keep Django's own words.
"""

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from customers.models import Carrier
from integrations.models import ImportMapping
from tests.factories import CustomerFactory
from tests.staff.test_case_admin import _submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(register_admin, otp_login) -> Client:
    return otp_login(Client(), register_admin)


def _text(answer) -> str:
    # Tags dropped in place: a message's name is a link inside its sentence.
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", answer.content.decode()))


def test_a_change_page_is_titled_with_the_noun_after_a_colon(staff):
    customer = CustomerFactory(first_name="Aino", last_name="Virtanen")
    answer = staff.get(f"/hallinta/customers/customer/{customer.pk}/change/")
    body = answer.content.decode()
    assert "| Muokkaa: asiakas |" in body.split("</title>")[0]
    assert re.search(r"<h1[^>]*>Muokkaa: asiakas</h1>", body)
    assert "Muokkaa asiakas" not in _text(answer)


def test_lists_and_add_pages_keep_the_nominative_where_finnish_takes_it(staff):
    text = _text(staff.get("/hallinta/customers/carrier/"))
    assert "Valitse muokattava kuljetusliike" in text
    assert "Lisää kuljetusliike" in text
    # A count takes the partitive in Finnish ("6 kuljetusliikettä"): the name comes first.
    assert f"Kuljetusliikkeet: {Carrier.objects.count()}" in text
    assert "Sivutus: kuljetusliikkeet" in text and "Pagination" not in text
    assert "Lisää kuljetusliike" in _text(staff.get("/hallinta/customers/carrier/add/"))


def test_saving_says_what_was_saved_in_a_finnish_sentence(staff):
    answer = staff.post(
        "/hallinta/customers/carrier/add/",
        {"name": "Kaukokiito", "key": "kaukokiito", "tracking_url": "", "is_active": "on"},
        follow=True,
    )
    assert "Lisätty: kuljetusliike ”Kaukokiito”." in _text(answer)
    carrier = Carrier.objects.get(key="kaukokiito")
    url = f"/hallinta/customers/carrier/{carrier.pk}/change/"
    answer = _submit(staff, url, "carrier_form", name="Kaukokiito Oy", _continue="1")
    text = _text(staff.get(answer["Location"]))
    assert "Tallennettu: kuljetusliike ”Kaukokiito Oy”. Voit jatkaa muokkaamista alla." in text
    assert "successfully" not in text


def test_the_delete_confirmation_and_its_result_are_finnish(staff, register_admin):
    mapping = ImportMapping.objects.create(
        name="Vanha kassa", columns={"Sähköposti": "email"}, created_by=register_admin
    )
    url = f"/hallinta/integrations/importmapping/{mapping.pk}/delete/"
    text = _text(staff.get(url))
    assert (
        "Haluatko varmasti poistaa kohteen ”Vanha kassa” (sarakemääritys)? Samalla poistetaan "
        "kaikki seuraavat siihen liittyvät kohteet:"
    ) in text
    assert "Are you sure" not in text
    answer = staff.post(url, {"post": "yes"}, follow=True)
    assert "Poistettu: sarakemääritys ”Vanha kassa”." in _text(answer)
    assert not ImportMapping.objects.exists()


def test_a_missing_row_is_reported_in_finnish(staff):
    answer = staff.get("/hallinta/customers/carrier/999999/change/", follow=True)
    text = _text(answer)
    assert "Kohdetta ei löydy (kuljetusliike, tunniste ”999999”). Se on ehkä poistettu." in text


@pytest.mark.parametrize(
    ("language", "title", "added"),
    [
        ("fi", "Muokkaa: %s", "Lisätty: {name} ”{obj}”."),
        ("sv", "Ändra %s", "Lade till {name} “{obj}”."),
        ("en", "Change %s", "The {name} “{obj}” was added successfully."),
    ],
)
def test_swedish_and_english_keep_djangos_own_words(language, title, added):
    with translation.override(language):
        assert gettext("Change %s") == title
        assert gettext("The {name} “{obj}” was added successfully.") == added
        assert gettext("Add %s") in ("Lisää %s", "Lägg till %s", "Add %s")


def test_the_front_pages_lists_name_their_columns_in_finnish_for_screen_readers(staff):
    text = _text(staff.get("/hallinta/"))
    assert "Change or view list link" not in text and "Lisää linkki" not in text
    assert "Muokkaus- tai katselulinkki" in text


def test_a_yes_or_no_column_says_kylla_or_ei_not_true_or_false(staff):
    from tests.factories import ConsentEventFactory

    ConsentEventFactory(is_granted=True)
    ConsentEventFactory(is_granted=False)
    html = staff.get("/hallinta/customers/consentevent/").content.decode()
    assert 'alt="kyllä"' in html and 'alt="ei"' in html
    assert 'alt="True"' not in html and 'alt="False"' not in html


def test_an_inlines_add_link_names_what_it_adds_first(staff):
    customer = CustomerFactory()
    html = staff.get(f"/hallinta/customers/customer/{customer.pk}/change/").content.decode()
    data = re.search(
        r'id="notes-group"\s+data-inline-type="\w+"\s+data-inline-formset="([^"]+)"', html
    )
    options = json.loads(unescape(data[1]))["options"]
    assert options["addText"] == "Asiakaspalvelun viesti: lisää uusi"


def test_the_date_widgets_time_zone_note_is_in_finnish(staff):
    # Django 6.1's note, shown when the browser's clock is in another time zone than the shop's.
    catalog = staff.get("/hallinta/jsi18n/").content.decode()
    assert "Huom: anna ajat aikavy\\u00f6hykkeell\\u00e4 %(timezone)s." in catalog
    assert "tuntia j\\u00e4ljess\\u00e4" in catalog
