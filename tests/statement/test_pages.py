"""Public statement pages: the current version per language and earlier versions."""

import io

import pytest

from demo.shop import ensure_demo_statement
from statement.models import StatementDraft, StatementPart
from statement.publishing import publish_statement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "heading", "lang"),
    [
        ("/tietosuojaseloste/", "Rekisterin tietosisältö", "fi"),
        ("/sv/tietosuojaseloste/", "Registrets datainnehåll", "sv"),
        ("/en/tietosuojaseloste/", "Data content of the register", "en"),
    ],
)
def test_the_current_statement_is_shown_in_each_language(client, url, heading, lang):
    ensure_demo_statement()
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert heading in body
    assert f'<html lang="{lang}">' in body
    assert "Esimerkkikauppa Oy" in body


def test_earlier_versions_stay_readable_with_their_dates(client):
    first = ensure_demo_statement()
    draft = StatementDraft.current()
    draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    draft.confirm_translations(StatementPart.COOKIES)  # still say the same
    draft.save()
    publish_statement(draft=draft)

    current = client.get("/tietosuojaseloste/").content.decode()
    assert "Emme käytä evästeitä lainkaan." in current
    old = client.get(f"/tietosuojaseloste/versiot/{first.number}/").content.decode()
    assert "Emme käytä evästeitä lainkaan." not in old
    assert "ei ole enää voimassa" in old
    listing = client.get("/tietosuojaseloste/versiot/").content.decode()
    assert "Versio 1" in listing and "Versio 2" in listing
    assert first.published_at.strftime("%Y") in listing


def test_an_unknown_version_is_not_found(client):
    ensure_demo_statement()
    assert client.get("/tietosuojaseloste/versiot/99/").status_code == 404


def test_before_publishing_the_page_says_so(client):
    response = client.get("/tietosuojaseloste/")
    assert response.status_code == 200
    assert "ei ole vielä julkaistu" in response.content.decode()


def test_seed_demo_publishes_the_demo_shops_statement(client):
    from django.core.management import call_command

    call_command("seed_demo", customers=0, no_progress=True, stdout=io.StringIO())
    response = client.get("/tietosuojaseloste/")
    assert "Esimerkkikauppa Oy" in response.content.decode()
    assert client.get("/tietosuojaseloste/pdf/").status_code == 200
