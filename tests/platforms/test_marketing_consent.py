"""Shopify's marketing consent topics (API 2025-01 on): an unsubscribe becomes the register's ban.

Since 2025-01 `customers/create` and `customers/update` carry no consent; email comes in
`customers_email_marketing_consent/update`, SMS in `customers_marketing_consent/update`.
"""

import copy

import pytest

from customers.models import Customer, MarketingBan
from platforms.models import WebhookEvent
from tests.factories import ConsentEventFactory
from tests.platforms.conftest import payload

SMS = "customers_marketing_consent/update"
EMAIL = "customers_email_marketing_consent/update"
BOB = "706405506930370084"


@pytest.fixture
def bob(shopify, post_shopify):
    post_shopify("customers/create", payload("shopify_customer"), event_id="ev-bob")


def _event(event_id: str) -> WebhookEvent:
    return WebhookEvent.objects.get(event_id=event_id)


def test_an_sms_unsubscribe_records_an_sms_marketing_ban_once_even_when_sent_twice(
    bob, post_shopify
):
    customer = Customer.objects.get(external_id=BOB)
    customer.phone = "+358401112233"
    customer.save(update_fields=["phone"])
    ConsentEventFactory(customer=customer, purpose="direct_marketing", channel="sms")
    assert Customer.objects.filter(pk=customer.pk).marketable("sms").exists()
    unsubscribed = payload("shopify_customers_marketing_consent_update")

    first = post_shopify(SMS, unsubscribed, event_id="ev-s1")
    again = post_shopify(SMS, unsubscribed, event_id="ev-s1")
    # The shop's second event of the same unsubscribe, with an id of its own.
    post_shopify(SMS, unsubscribed, event_id="ev-s2")

    assert first.status_code == again.status_code == 200
    ban = MarketingBan.objects.get(customer__external_id=BOB)
    assert (ban.channel, ban.scope, ban.lifted_at) == ("sms", "direct_marketing", None)
    # The register's SMS audience no longer has the customer.
    assert not Customer.objects.filter(pk=customer.pk).marketable("sms").exists()
    assert _event("ev-s1").message == "Markkinointikielto tallennettu (tekstiviesti)."
    assert WebhookEvent.objects.filter(event_id__in=["ev-s1", "ev-s2"]).count() == 2


@pytest.mark.parametrize("state", ["subscribed", "not_subscribed", "pending", None])
def test_an_sms_consent_that_is_not_an_unsubscribe_writes_nothing(bob, post_shopify, state):
    body = copy.deepcopy(payload("shopify_customers_marketing_consent_update"))
    body["sms_marketing_consent"]["state"] = state

    post_shopify(SMS, body, event_id="ev-s3")

    assert not MarketingBan.objects.exists()
    event = _event("ev-s3")
    assert event.status == WebhookEvent.Status.SKIPPED
    assert event.message == "Ohitettu: asiakas ei kieltänyt markkinointia (tekstiviesti)."


def test_an_sms_unsubscribe_of_a_customer_the_register_does_not_know_is_skipped(
    shopify, post_shopify
):
    post_shopify(SMS, payload("shopify_customers_marketing_consent_update"), event_id="ev-s4")

    assert not MarketingBan.objects.exists()
    event = _event("ev-s4")
    assert event.status == WebhookEvent.Status.SKIPPED
    assert event.message == "Ohitettu: asiakasta ei löydy rekisteristä."


def test_an_email_unsubscribe_records_an_email_marketing_ban(bob, post_shopify):
    post_shopify(EMAIL, payload("shopify_customers_email_marketing_consent_update"), "ev-e1")

    ban = MarketingBan.objects.get(customer__external_id=BOB)
    assert (ban.channel, ban.scope, ban.lifted_at) == ("email", "direct_marketing", None)
    assert _event("ev-e1").message == "Markkinointikielto tallennettu (sähköposti)."


def test_an_sms_unsubscribe_bans_no_email(bob, post_shopify):
    post_shopify(SMS, payload("shopify_customers_marketing_consent_update"), event_id="ev-x1")

    assert list(MarketingBan.objects.values_list("channel", flat=True)) == ["sms"]


def test_a_customer_update_records_no_ban(bob, post_shopify):
    update = {**payload("shopify_customer"), "updated_at": "2026-12-06T12:00:00-05:00"}

    post_shopify("customers/update", update, event_id="ev-u1")

    assert _event("ev-u1").status == WebhookEvent.Status.PROCESSED
    assert not MarketingBan.objects.exists()
