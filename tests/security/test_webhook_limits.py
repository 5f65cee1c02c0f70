"""The webhook endpoints' rate limits: a client failing verification is cut off before any
signature is computed, a connection's signed requests have a ceiling, both answer 429 with
Retry-After, and a platform's burst at its documented rate passes."""

import json

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from platforms.models import Connection, WebhookEvent
from platforms.services import save_connection
from tests.platforms.conftest import SHOPIFY_SECRET, WOOCOMMERCE_SECRET, shopify_headers
from tests.platforms.conftest import woocommerce_headers as woo_headers
from tests.security import figures

pytestmark = pytest.mark.django_db

SHOPIFY_ADDRESS = "198.51.100.20"  # one of the platform's delivery addresses
FLOODER = "203.0.113.66"
# A topic the worker skips at once: the burst measures the endpoint, not the processing.
QUIET_TOPIC = "products/update"


@pytest.fixture
def shops():
    for kind, secret in (
        (Connection.Kind.SHOPIFY, SHOPIFY_SECRET),
        (Connection.Kind.WOOCOMMERCE, WOOCOMMERCE_SECRET),
    ):
        save_connection(
            connection=Connection(name=kind, kind=kind, base_url="https://kauppa.example"),
            secrets={"webhook_secret": secret},
        )


def _post(
    client: Client, platform: str, event_id: str, *, secret: str | None = None, topic: str = ""
):
    body = json.dumps({"id": event_id}).encode()
    if platform == "shopify":
        headers = shopify_headers(topic or QUIET_TOPIC, event_id, body, secret or SHOPIFY_SECRET)
    else:
        headers = woo_headers(
            topic or "product.updated", event_id, body, secret or WOOCOMMERCE_SECRET
        )
    return client.post(f"/hooks/{platform}/", body, content_type="application/json", **headers)


@pytest.mark.parametrize("platform", ["shopify", "woocommerce"])
def test_a_client_failing_verification_gets_429_with_retry_after(shops, settings, platform):
    settings.WEBHOOK_CLIENT_THROTTLE_RATE = "5/min"
    flooder = Client(REMOTE_ADDR=FLOODER)

    statuses = [
        _post(flooder, platform, f"x-{i}", secret=f"arvaus-{i}").status_code for i in range(6)
    ]

    assert statuses == [401] * 5 + [429]
    refused = _post(flooder, platform, "x-7", secret="arvaus")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    # The address is not heard at all now, signed or not; the platform from its own is.
    assert _post(flooder, platform, "ok-1").status_code == 429
    assert _post(Client(REMOTE_ADDR=SHOPIFY_ADDRESS), platform, "ok-2").status_code == 200
    assert list(WebhookEvent.objects.values_list("event_id", flat=True)) == ["ok-2"]
    figures.count("abuse checks")


def test_a_forged_forwarded_for_does_not_reset_the_count(shops, settings):
    settings.WEBHOOK_CLIENT_THROTTLE_RATE = "3/min"
    statuses = [
        _post(
            Client(REMOTE_ADDR=FLOODER, HTTP_X_FORWARDED_FOR=f"10.1.1.{i}"),
            "shopify",
            f"x-{i}",
            secret="arvaus",
        ).status_code
        for i in range(4)
    ]
    assert statuses == [401] * 3 + [429]
    figures.count("abuse checks")


@pytest.mark.parametrize("platform", ["shopify", "woocommerce"])
def test_a_connection_over_its_rate_gets_429_and_nothing_is_stored(
    shops, settings, monkeypatch, platform
):
    settings.WEBHOOK_THROTTLE_RATE = "5/min"
    now = [1_800_000_000.0]
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now[0])
    platform_client = Client(REMOTE_ADDR=SHOPIFY_ADDRESS)

    statuses = [_post(platform_client, platform, f"e-{i}").status_code for i in range(6)]

    assert statuses == [200] * 5 + [429]
    assert WebhookEvent.objects.count() == 5
    refused = _post(platform_client, platform, "e-5")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 60
    # The platform delivers the event again after the wait, and it is taken.
    now[0] += 60
    assert _post(platform_client, platform, "e-5").status_code == 200
    assert WebhookEvent.objects.filter(event_id="e-5").exists()
    figures.count("abuse checks")


def test_a_burst_at_the_platforms_documented_rate_passes_with_the_default_limits(shops):
    # Shopify Plus's Admin API: a bucket of 400 requests, each change one webhook, at once.
    platform_client = Client(REMOTE_ADDR=SHOPIFY_ADDRESS)

    statuses = {_post(platform_client, "shopify", f"b-{i}").status_code for i in range(400)}

    assert statuses == {200}
    assert WebhookEvent.objects.count() == 400
    figures.count("abuse checks")
