"""Portal tests: a customer logs in through the mailed code, as in the browser."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def mailed_code(to: str | None = None) -> str:
    """Return the six-digit code of the latest mail (to one address, when given)."""
    messages = [m for m in mail.outbox if to is None or m.to == [to]]
    return re.search(r"\b(\d{6})\b", messages[-1].body).group(1)


def log_in(client, customer) -> None:
    """Log the customer in with the code mailed to them."""
    client.post(reverse("portal:login"), {"email": customer.email})
    response = client.post(reverse("portal:login_code"), {"code": mailed_code(customer.email)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == reverse("portal:details")


@pytest.fixture
def portal_client(client):
    """Return login(customer): the test client logged in to the portal as that customer."""

    def login(customer):
        log_in(client, customer)
        return client

    return login
