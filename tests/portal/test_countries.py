"""The country list of My details names each country in the reader's language.

django-countries' Swedish catalogue leaves some twenty names in English (Brazil, Canada,
Philippines…) and its English list says "Bahamas (The)" and "Naoero"; settings.COUNTRIES_OVERRIDE
names them, with Finnish msgids, in locale/.
"""

import re

import pytest

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _options(body: str) -> list[str]:
    select = body.split('name="country"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_swedish_country_names_are_swedish(portal_client):
    options = _options(portal_client(CustomerFactory()).get("/sv/oma/tiedot/").content.decode())
    for swedish in (
        "Albanien",
        "Brasilien",
        "Kanada",
        "Filippinerna",
        "Egypten",
        "Indien",
        "Libanon",
        "Sydsudan",
        "Nordmakedonien",
        "Palestina",
        "Finland",
    ):
        assert swedish in options, swedish
    for english in (
        "Albania",
        "Brazil",
        "Canada",
        "Philippines",
        "Egypt",
        "India",
        "Lebanon",
        "South Sudan",
        "Palestina, State of",
        "Bouvet Island",
        "Norfolk Island",
    ):
        assert english not in options, english


def test_english_country_names_are_the_usual_ones(portal_client):
    options = _options(portal_client(CustomerFactory()).get("/en/oma/tiedot/").content.decode())
    assert "Bahamas" in options and "Nauru" in options
    assert "Bahamas (The)" not in options and "Naoero" not in options


def test_finnish_names_are_the_current_ones(portal_client):
    options = _options(portal_client(CustomerFactory()).get("/oma/tiedot/").content.decode())
    assert "Pohjois-Makedonia" in options and "Eswatini" in options
    assert "Makedonia" not in options and "Swazimaa" not in options
    assert "Brasilia" in options and "Suomi" in options
