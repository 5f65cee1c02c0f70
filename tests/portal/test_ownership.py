"""No URL lets one customer see or change another's data."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from customers.models import ConsentEvent, Customer, MarketingBan
from rights.models import AccessPackage, DataSubjectRequest
from tests.factories import CustomerFactory, OrderLineFactory, ShipmentFactory

pytestmark = pytest.mark.django_db

PAGES = ["details", "orders", "marketing", "download", "erase", "requests", "email_confirm"]


@pytest.fixture
def victim(client):
    """A customer with an order, a package, a request, a consent and a ban, and their ids."""
    line = OrderLineFactory(product_name="Uhrin tuote")
    ShipmentFactory(order=line.order, tracking_code="JJFIUHRI0001")
    customer = line.order.customer
    return customer


def _victims_ids(client, customer) -> dict[str, str]:
    """Log in as the victim, make a package and a request, log out; return their ids."""
    from tests.portal.conftest import log_in

    log_in(client, customer)
    client.post(reverse("portal:download"))
    client.post(reverse("portal:erase"), {"confirm": "on"})
    link = re.search(r"https?://\S+/oma/kirjaudu/linkki/\?t=(\S+)", mail.outbox[0].body).group(1)
    client.post(reverse("portal:logout"))
    return {
        "token": AccessPackage.objects.get(customer=customer).token,
        "request": str(DataSubjectRequest.objects.get(customer=customer, kind="erasure").code),
        "link": link,
    }


def test_every_page_shows_only_the_logged_in_customers_data(client, victim, portal_client):
    ids = _victims_ids(client, victim)
    intruder = CustomerFactory()
    client = portal_client(intruder)
    for name in PAGES:
        response = client.get(reverse(f"portal:{name}"), follow=True)
        body = response.content.decode()
        for secret in (
            victim.email,
            victim.last_name,
            victim.formatted_number,
            "Uhrin tuote",
            "JJFIUHRI0001",
            ids["token"],
            ids["request"][:8].upper(),
        ):
            assert secret not in body, (name, secret)


def test_the_victims_ids_in_urls_lead_nowhere(client, victim, portal_client):
    ids = _victims_ids(client, victim)
    intruder = CustomerFactory()
    client = portal_client(intruder)
    for kind in ("json", "pdf", "zip"):
        url = reverse("portal:access_download", args=[ids["token"], kind])
        assert client.get(url).status_code == 404
    withdraw = reverse("portal:request_withdraw", args=[ids["request"]])
    assert client.post(withdraw).status_code == 404
    assert client.post(reverse("portal:request_withdraw", args=[uuid.uuid4()])).status_code == 404
    assert DataSubjectRequest.objects.get(code=ids["request"]).is_open
    # The victim's used login link logs nobody in, and the intruder stays who they are.
    client.post(reverse("portal:login_link"), {"token": ids["link"]})
    assert intruder.formatted_number in client.get(reverse("portal:details")).content.decode()
    # Query strings naming the victim are ignored.
    for name in PAGES[:-1]:
        url = reverse(f"portal:{name}")
        body = client.get(url, {"customer": victim.pk, "id": victim.pk}).content.decode()
        assert victim.email not in body


def test_posting_to_every_page_changes_only_the_posters_data(client, victim, portal_client):
    intruder = CustomerFactory()
    client = portal_client(intruder)
    client.post(reverse("portal:marketing"), {"marketing_email": "yes", "customer": victim.pk})
    client.post(reverse("portal:details"), {"first_name": "Muutettu", "customer": victim.pk})
    client.post(reverse("portal:erase"), {"confirm": "on", "customer": victim.pk})
    assert not ConsentEvent.objects.filter(customer=victim).exists()
    assert not MarketingBan.objects.filter(customer=victim).exists()
    assert not DataSubjectRequest.objects.filter(customer=victim).exists()
    victim.refresh_from_db()
    assert victim.first_name == "Aino"
    assert Customer.objects.get(pk=intruder.pk).privacy_requests.filter(kind="erasure").exists()


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, victim):
    for name in PAGES:
        response = client.get(reverse(f"portal:{name}"))
        assert response.status_code == 302, name
        assert response.url == reverse("portal:login")
    for name in ("details", "marketing", "download", "erase", "requests"):
        assert client.post(reverse(f"portal:{name}"), {"confirm": "on"}).url == reverse(
            "portal:login"
        )
    assert not DataSubjectRequest.objects.exists()


def test_an_erased_customers_session_ends(client, victim, portal_client):
    from rights.erasure import erase_customer

    client = portal_client(victim)
    erase_customer(customer=victim)
    assert client.get(reverse("portal:details")).url == reverse("portal:login")
