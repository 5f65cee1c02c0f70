"""Behind the proxy every limit counts the real client: one client's flood never reaches another.

The requests come from the proxy's socket address (127.0.0.1) with X-Forwarded-For as nginx
writes it, and from outside peers that write the header themselves. The same is shown behind a
real proxy process in front of gunicorn in `test_behind_proxy.py`.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from portal import auth as portal_auth
from privacy.models import AuditEntry
from tests.factories import CustomerFactory
from tests.security import figures

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
PASSWORD = "salasana-testi-123"


@pytest.fixture(autouse=True)
def _behind_nginx(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def behind_proxy(address: str, client_class=Client):
    """A client whose requests reach the app through nginx from `address`."""
    return client_class(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_a_flood_of_code_requests_from_one_client_does_not_throttle_another():
    customer = CustomerFactory()
    flooder = behind_proxy("198.51.100.1")
    statuses = [
        flooder.post(reverse("portal:login"), {"email": f"keksitty{i}@example.fi"}).status_code
        for i in range(portal_auth.REQUESTS_PER_CLIENT + 1)
    ]
    assert statuses[-1] == 429
    response = behind_proxy("198.51.100.2").post(reverse("portal:login"), {"email": customer.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[customer.email]]
    figures.count("client address checks")


def test_a_spoofed_forwarded_for_from_outside_does_not_reset_the_count():
    statuses = []
    for i in range(portal_auth.REQUESTS_PER_CLIENT + 1):
        # Straight to the app, not through the proxy: the header is the client's own.
        client = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        statuses.append(
            client.post(reverse("portal:login"), {"email": f"keksitty{i}@example.fi"}).status_code
        )
    assert statuses == [302] * portal_auth.REQUESTS_PER_CLIENT + [429]
    figures.count("client address checks")


def test_what_a_client_writes_before_the_proxy_s_hop_does_not_reset_the_count():
    statuses = [
        behind_proxy(f"10.9.9.{i}, 198.51.100.1")
        .post(reverse("portal:login"), {"email": f"keksitty{i}@example.fi"})
        .status_code
        for i in range(portal_auth.REQUESTS_PER_CLIENT + 1)
    ]
    assert statuses == [302] * portal_auth.REQUESTS_PER_CLIENT + [429]
    figures.count("client address checks")


def test_two_api_clients_behind_the_proxy_have_separate_limits(settings):
    settings.API_CLIENT_THROTTLE_RATE = "3/min"
    first = [
        behind_proxy("198.51.100.1", APIClient).get(reverse("api:customer-list")).status_code
        for _ in range(4)
    ]
    assert first == [401] * 3 + [429]
    other = behind_proxy("198.51.100.2", APIClient).get(reverse("api:customer-list"))
    assert other.status_code == 401
    figures.count("client address checks")


def _staff_login(client, username: str, password: str, token: str = ""):
    data = {"username": username, "password": password, "otp_token": token}
    return client.post(reverse("admin:login") + "?next=/hallinta/", data)


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def test_a_flood_of_failed_staff_logins_does_not_lock_out_the_register_admin(
    register_admin, settings
):
    device = TOTPDevice.objects.create(user=register_admin, name="puhelin", confirmed=True)
    attacker = behind_proxy("198.51.100.66")
    for i in range(settings.AXES_FAILURE_LIMIT + 2):
        _staff_login(attacker, f"keksitty{i}", "arvaus")
    # The admin's own name too: that locks the admin out from the attacker's address only.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _staff_login(attacker, "paakayttaja", "arvaus")
    assert _staff_login(attacker, "paakayttaja", PASSWORD, _token(device)).status_code == 429
    admin = behind_proxy("198.51.100.7")
    response = _staff_login(admin, "paakayttaja", PASSWORD, _token(device))
    assert response.status_code == 302
    assert admin.get(reverse("admin:index")).status_code == 200
    login = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert login.actor == register_admin and login.ip_address == "198.51.100.7"
    lockouts = AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT)
    assert {e.ip_address for e in lockouts} == {"198.51.100.66"}
    figures.count("client address checks")


def test_the_audit_log_records_the_client_not_the_proxy(register_admin, otp_login):
    client = otp_login(behind_proxy("198.51.100.23"), register_admin)
    customer = CustomerFactory()
    client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert entry.ip_address == "198.51.100.23"
    spoofed = otp_login(
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1"), register_admin
    )
    spoofed.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    latest = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).latest("pk")
    assert latest.ip_address == "203.0.113.9"
    figures.count("client address checks")
