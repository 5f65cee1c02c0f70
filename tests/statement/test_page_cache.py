"""The public statement page is served from the cache and replaced when a version is published.

These tests commit for real (transactional_db): the cached page is forgotten when the publish
commits, as in production, not when the publishing code merely runs.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.shop import ensure_demo_statement
from statement.models import Controller, StatementDraft, StatementPart
from statement.publishing import publish_statement

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT_URL = "/hallinta/statement/statementdraft/"


def test_a_repeated_visit_is_served_without_touching_the_database(client):
    ensure_demo_statement()
    first = client.get("/tietosuojaseloste/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/tietosuojaseloste/")
    assert again.status_code == 200
    assert again.content == first.content
    assert len(queries) == 0
    assert "Rekisterin tietosisältö" in again.content.decode()


def test_publishing_through_the_panel_replaces_the_cached_page(client, register_admin, otp_login):
    ensure_demo_statement()
    before = client.get("/tietosuojaseloste/").content.decode()
    assert "Emme käytä evästeitä lainkaan." not in before
    assert "(versio 2)" not in before

    admin = otp_login(client.__class__(), register_admin)
    draft = StatementDraft.current()
    draft.set_text(StatementPart.COOKIES, "fi", "Emme käytä evästeitä lainkaan.")
    draft.confirm_translations(StatementPart.COOKIES)  # still say the same
    draft.save()
    preview = admin.get(f"{DRAFT_URL}{draft.pk}/esikatselu/")
    digest = preview.context["confirm_form"]["digest"].value()
    published = admin.post(f"{DRAFT_URL}{draft.pk}/julkaise/", {"digest": digest, "confirm": "on"})
    assert published.status_code == 302

    after = client.get("/tietosuojaseloste/").content.decode()
    assert "Emme käytä evästeitä lainkaan." in after
    old = client.get("/tietosuojaseloste/versiot/1/").content.decode()
    assert "ei ole enää voimassa" in old


def test_each_language_is_cached_apart_and_all_are_replaced_on_publish(client):
    ensure_demo_statement()
    client.get("/tietosuojaseloste/")
    sv = client.get("/sv/tietosuojaseloste/").content.decode()
    assert '<html lang="sv">' in sv and "Registrets datainnehåll" in sv
    assert '<html lang="fi">' in client.get("/tietosuojaseloste/").content.decode()

    draft = StatementDraft.current()
    draft.set_text(StatementPart.COOKIES, "sv", "Vi använder inga kakor alls.")
    draft.save()
    publish_statement(draft=draft)
    assert "Vi använder inga kakor alls." in client.get("/sv/tietosuojaseloste/").content.decode()


def test_renaming_the_controller_shows_on_the_cached_page(client):
    ensure_demo_statement()
    assert "Esimerkkikauppa Oy" in client.get("/tietosuojaseloste/").content.decode()
    controller = Controller.current()
    controller.name = "Uusinimi Oy"
    controller.save()
    assert "Uusinimi Oy" in client.get("/tietosuojaseloste/").content.decode()
