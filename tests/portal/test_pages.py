"""Every portal page: three languages, the statement linked, the same frame."""

import pytest
from django.urls import reverse
from django.utils import translation

from demo.shop import ensure_demo_statement
from tests.factories import CustomerFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

PAGES = ["details", "orders", "marketing", "download", "erase", "requests"]
# Words of the Finnish frame that a translated page must not show.
FINNISH = ["Omat tiedot", "Tilaukset ja toimitukset", "Kirjaudu ulos", "Tietosuojaseloste"]


@pytest.mark.parametrize("prefix,lang", [("", "fi"), ("/sv", "sv"), ("/en", "en")])
def test_every_page_is_served_in_each_language_with_the_statement_linked(
    portal_client, prefix, lang
):
    version = ensure_demo_statement()
    customer = OrderLineFactory().order.customer
    client = portal_client(customer)
    for name in PAGES:
        with translation.override("fi"):
            url = prefix + reverse(f"portal:{name}")
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in body
        assert f'href="{prefix}/tietosuojaseloste/"' in body
        assert f'href="{prefix}/tietosuojaseloste/pdf/"' in body
        assert f"{version.number})" in body
        assert 'aria-current="page"' in body
        if lang != "fi":
            for word in FINNISH:
                assert word not in body, (url, word)


def test_the_login_pages_link_the_statement_too(client):
    ensure_demo_statement()
    body = client.get(reverse("portal:login")).content.decode()
    assert 'href="/tietosuojaseloste/pdf/"' in body


def test_the_language_switch_leads_to_the_same_page_in_each_language(portal_client):
    client = portal_client(CustomerFactory())
    finnish = client.get(reverse("portal:orders"), {"sivu": 2}).content.decode()
    assert 'href="/sv/oma/tilaukset/?sivu=2" lang="sv" hreflang="sv"' in finnish
    assert 'href="/en/oma/tilaukset/?sivu=2" lang="en" hreflang="en"' in finnish
    swedish = client.get("/sv/oma/tilaukset/").content.decode()
    assert 'href="/oma/tilaukset/" lang="fi" hreflang="fi"' in swedish
    assert 'lang="sv" hreflang="sv" aria-current="true">Svenska' in swedish


def test_portal_home_leads_to_the_details(portal_client):
    client = portal_client(CustomerFactory())
    assert client.get(reverse("portal:home")).url == reverse("portal:details")


def test_the_front_page_leads_to_the_portal_the_statement_and_the_shop(client):
    from django.contrib.staticfiles import finders

    from statement.models import Controller

    ensure_demo_statement()
    controller = Controller.current()
    body = client.get("/").content.decode()
    assert f"{controller.name}: asiakasrekisteri ja tietosuoja" in body
    assert 'href="/oma/kirjaudu/"' in body
    assert 'href="/tietosuojaseloste/"' in body and 'href="/tietosuojaseloste/pdf/"' in body
    assert (controller.contact_email or controller.email) in body
    # Every page names its icon, and the icon is there.
    assert 'rel="icon" href="/static/img/favicon.svg"' in body
    assert finders.find("img/favicon.svg")


def test_the_statement_page_leads_back_to_the_portal(client):
    ensure_demo_statement()
    body = client.get("/tietosuojaseloste/").content.decode()
    assert '<a href="/oma/">Omat tiedot</a>' in body
