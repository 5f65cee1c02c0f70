"""Erasures and bans reach the web shop and the newsletter tool through the outbox.

The stand-in server (tests/platforms/conftest.py) plays Shopify, WooCommerce and a
Mailchimp-compatible newsletter tool, and records what the register asked of them.
"""

import base64
import datetime as dt
import hashlib
import json

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from customers.models import BanChannel, BanScope, ConsentEvent, Customer
from customers.services import set_marketing_ban
from platforms import outbox
from platforms.models import Connection, ExternalId, OutboxMessage
from rights.cases import fulfil_request, receive_request, verify_identity
from rights.erasure import erase_customer
from rights.models import DataSubjectRequest
from tests.factories import CustomerFactory

EMAIL = "ilona.outbox@esimerkki.fi"
MEMBER_HASH = hashlib.md5(EMAIL.encode()).hexdigest()  # noqa: S324 - Mailchimp's contact id


@pytest.fixture
def shop_customer(shopify):
    customer = CustomerFactory(email=EMAIL, external_id="7012345678901")
    ExternalId.objects.create(
        connection=shopify,
        kind=ExternalId.Kind.CUSTOMER,
        platform_id="7012345678901",
        customer=customer,
    )
    return customer


def _erase(customer, django_capture_on_commit_callbacks) -> DataSubjectRequest:
    case = receive_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=customer,
        requester_contact=customer.email,
    )
    verify_identity(case=case, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    with django_capture_on_commit_callbacks(execute=True):
        fulfil_request(case=case, send_letter=False)
    case.refresh_from_db()
    return case


def _case_page(client, otp_login, user, case) -> str:
    otp_login(client, user)
    url = reverse("admin:rights_datasubjectrequest_case", args=[case.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_completing_an_erasure_tells_the_shop_and_the_newsletter_tool(
    shop_customer,
    newsletter,
    stand_in,
    django_capture_on_commit_callbacks,
    client,
    otp_login,
    customer_service,
):
    case = _erase(shop_customer, django_capture_on_commit_callbacks)

    (shopify_call,) = [r for r in stand_in.requests if r["path"].startswith("/admin/")]
    (newsletter_call,) = [r for r in stand_in.requests if r["path"].startswith("/3.0/")]
    assert shopify_call["method"] == "POST"
    assert shopify_call["path"] == "/admin/api/2025-01/graphql.json"
    assert shopify_call["headers"]["x-shopify-access-token"] == "shpat_testitunnus"
    graphql = json.loads(shopify_call["body"])
    assert "customerRequestDataErasure" in graphql["query"]
    assert graphql["variables"] == {"customerId": "gid://shopify/Customer/7012345678901"}
    assert newsletter_call["method"] == "POST"
    assert (
        newsletter_call["path"]
        == f"/3.0/lists/a1b2c3/members/{MEMBER_HASH}/actions/delete-permanent"
    )
    _user, key = base64.b64decode(newsletter_call["headers"]["authorization"][6:]).split(b":")
    assert key == b"mc-testiavain-us21"
    # The letter names the systems that were asked, and when.
    today = timezone.localdate().strftime("%-d.%-m.%Y")
    assert "Pyysimme myös seuraavia järjestelmiä poistamaan tietosi:" in case.decision_text
    assert f"- Kahvikauppa (Shopify): pyyntö tehty {today}" in case.decision_text
    assert f"- Uutiskirje: pyyntö tehty {today}" in case.decision_text
    # Sent: the person's id in the system is no longer kept, and the external id is erased.
    assert set(OutboxMessage.objects.values_list("status", "target")) == {("sent", "")}
    assert not ExternalId.objects.exists()
    page = _case_page(client, otp_login, customer_service, case)
    assert "Pyynnöt verkkokauppaan ja uutiskirjepalveluun" in page
    assert page.count(f"Lähetetty {today} klo ") == 2


def test_a_woocommerce_shop_gets_the_documented_delete(
    woocommerce, stand_in, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(email=EMAIL, external_id="26")

    _erase(customer, django_capture_on_commit_callbacks)

    (call,) = stand_in.requests
    assert (call["method"], call["path"]) == ("DELETE", "/wp-json/wc/v3/customers/26?force=true")
    assert (
        call["headers"]["authorization"]
        == "Basic " + base64.b64encode(b"ck_testiavain:cs_testisalaisuus").decode()
    )


def test_a_platform_that_is_down_is_retried_with_backoff_and_the_case_shows_it(
    shop_customer,
    stand_in,
    django_capture_on_commit_callbacks,
    client,
    otp_login,
    customer_service,
):
    stand_in.status = 503

    case = _erase(shop_customer, django_capture_on_commit_callbacks)

    message = OutboxMessage.objects.get()
    assert message.status == OutboxMessage.Status.RETRYING
    assert message.attempts == 1
    assert message.target == "7012345678901"  # kept until it is sent
    page = _case_page(client, otp_login, customer_service, case)
    assert "Yritetään uudelleen" in page
    assert "Järjestelmä vastasi virhekoodilla 503." in page

    # Not yet due: nothing is sent early.
    assert outbox.requeue_due_messages() == 0
    later = message.next_attempt_at + dt.timedelta(seconds=1)
    assert outbox.deliver_message(message_id=message.pk, now=later) == "retrying"
    message.refresh_from_db()
    # Exponential backoff: the second wait is twice the first.
    assert message.next_attempt_at - later == 2 * outbox.FIRST_RETRY

    stand_in.status = 200
    assert outbox.deliver_message(message_id=message.pk, now=message.next_attempt_at) == "sent"
    assert len(stand_in.requests) == 3
    assert "Lähetetty" in _case_page(client, otp_login, customer_service, case)


def test_a_system_that_cannot_be_reached_is_given_up_after_the_last_attempt(
    shop_customer, stand_in, django_capture_on_commit_callbacks, client, otp_login, customer_service
):
    stand_in.shutdown()
    stand_in.server_close()

    case = _erase(shop_customer, django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    while message.status == OutboxMessage.Status.RETRYING:
        outbox.deliver_message(message_id=message.pk, now=message.next_attempt_at)
        message.refresh_from_db()

    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == outbox.MAX_ATTEMPTS
    assert message.target == ""
    page = _case_page(client, otp_login, customer_service, case)
    assert "Epäonnistui 10 yrityksen jälkeen: Järjestelmään ei saatu yhteyttä." in page


def test_a_marketing_ban_unsubscribes_the_person_from_the_newsletter_tool_and_the_shop(
    shop_customer, newsletter, stand_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_marketing_ban(
            customer=shop_customer,
            channel=BanChannel.EMAIL,
            scope=BanScope.DIRECT_MARKETING,
            via=ConsentEvent.Via.PORTAL,
        )

    calls = {call["method"]: call for call in stand_in.requests}
    assert calls["PATCH"]["path"] == f"/3.0/lists/a1b2c3/members/{MEMBER_HASH}"
    assert json.loads(calls["PATCH"]["body"]) == {"status": "unsubscribed"}
    graphql = json.loads(calls["POST"]["body"])
    assert graphql["variables"]["input"]["emailMarketingConsent"] == {
        "marketingState": "UNSUBSCRIBED"
    }


def test_a_ban_of_phone_marketing_tells_no_email_system(
    shop_customer, newsletter, stand_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_marketing_ban(
            customer=shop_customer,
            channel=BanChannel.PHONE,
            scope=BanScope.DIRECT_MARKETING,
            via=ConsentEvent.Via.PORTAL,
        )

    assert stand_in.requests == []


def test_an_erasure_rolled_back_sends_nothing(
    shop_customer, stand_in, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        erase_customer(customer=shop_customer)
        raise RuntimeError("the transaction fails after the erasure")

    assert not OutboxMessage.objects.exists()
    assert stand_in.requests == []


def test_an_inactive_connection_is_not_told(shopify, shop_customer, stand_in):
    Connection.objects.filter(pk=shopify.pk).update(is_active=False)

    assert outbox.tell_erasure(customer=shop_customer) == []


def test_a_shopify_redact_leads_to_an_erasure_the_shop_and_newsletter_tool_are_told_of(
    shopify,
    newsletter,
    stand_in,
    post_shopify,
    django_capture_on_commit_callbacks,
    client,
    otp_login,
    customer_service,
):
    from platforms.models import WebhookEvent
    from tests.platforms.conftest import payload

    # The whole way: the shop's customer arrives by webhook, Shopify forwards their erasure
    # request, staff verify and complete it, and both systems are asked to erase them.
    post_shopify("customers/create", payload("shopify_customer"), event_id="j-1")
    post_shopify("customers/redact", payload("shopify_customers_redact"), event_id="j-2")
    case = DataSubjectRequest.objects.get(kind=DataSubjectRequest.Kind.ERASURE)
    assert case.channel == DataSubjectRequest.Channel.WEB_SHOP
    verify_identity(case=case, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    with django_capture_on_commit_callbacks(execute=True):
        fulfil_request(case=case, send_letter=False)

    paths = sorted((r["method"], r["path"]) for r in stand_in.requests)
    member = hashlib.md5(b"bob@biller.com").hexdigest()  # noqa: S324 - Mailchimp's contact id
    assert paths == [
        ("POST", "/3.0/lists/a1b2c3/members/" + member + "/actions/delete-permanent"),
        ("POST", "/admin/api/2025-01/graphql.json"),
    ]
    (shopify_call,) = [r for r in stand_in.requests if r["path"].startswith("/admin/")]
    assert json.loads(shopify_call["body"])["variables"] == {
        "customerId": "gid://shopify/Customer/706405506930370084"
    }
    today = timezone.localdate().strftime("%-d.%-m.%Y")
    page = _case_page(client, otp_login, customer_service, case)
    assert page.count(f"Lähetetty {today} klo ") == 2
    # Shopify has not processed the erasure yet and sends the customer again: refused.
    post_shopify("customers/update", payload("shopify_customer"), event_id="j-3")
    assert WebhookEvent.objects.get(event_id="j-3").status == WebhookEvent.Status.SKIPPED
    assert not Customer.objects.active().exists()
