"""The statement writes its dates as its reader's language does, as the portal and the access
package do (privacy.dates.date_text): 8.12.2026 in Finnish and Swedish, 8 Dec 2026 in English."""

import re

import pytest
from django.utils import translation

from demo.shop import ensure_demo_statement
from privacy.dates import date_text
from statement.publishing import get_statement_pdf
from tests.statement.pdf_layout import page_texts

pytestmark = pytest.mark.django_db

DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.20\d\d\b")


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", response.content.decode()))


def test_the_english_statement_page_pdf_and_versions_spell_the_month_out(client):
    version = ensure_demo_statement()
    with translation.override("en"):
        day = date_text(version.published_at)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 20\d\d", day)
    page = _text(client.get("/en/tietosuojaseloste/"))
    assert f"Version {version.number}, published {day}" in page
    versions = _text(client.get("/en/tietosuojaseloste/versiot/"))
    assert day in versions
    pdf = " ".join(page_texts(get_statement_pdf(version=version, language="en").file.read()))
    assert f"in force from {day}" in pdf
    for text in (page, versions, pdf):
        assert not DOTTED_DATE.search(text), DOTTED_DATE.search(text).group()


def test_the_swedish_statement_keeps_the_finnish_way(client):
    version = ensure_demo_statement()
    day = f"{version.published_at.astimezone().day}."
    page = _text(client.get("/sv/tietosuojaseloste/"))
    assert re.search(rf"Version {version.number}, publicerad \d{{1,2}}\.\d{{1,2}}\.20\d\d", page)
    assert day in page
