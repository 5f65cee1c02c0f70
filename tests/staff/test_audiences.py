import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.audiences import audience_rows, is_marketable
from customers.models import Customer, SuppressionEntry
from privacy.audit import AuditEntry
from privacy.erasure import suppression_hash
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    MarketingBanFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db


def _consented(channel="email", **kwargs):
    customer = CustomerFactory(**kwargs)
    ConsentEventFactory(customer=customer, purpose="direct_marketing", channel=channel)
    return customer


def _marketable_ids(channel):
    return set(Customer.objects.marketable(channel).values_list("pk", flat=True))


def test_a_customer_who_consented_to_a_channel_is_marketable_through_it():
    customer = _consented("sms")
    assert is_marketable(customer, "sms")
    assert not is_marketable(customer, "email")


def test_a_withdrawn_consent_wins_over_an_earlier_grant():
    customer = _consented("sms")
    ConsentEventFactory(
        customer=customer,
        purpose="direct_marketing",
        channel="sms",
        is_granted=False,
        occurred_at=timezone.now() + dt.timedelta(minutes=1),
    )
    assert not is_marketable(customer, "sms")


def test_an_existing_customer_gets_email_marketing_without_consent():
    customer = CustomerFactory()
    OrderFactory(customer=customer)
    assert is_marketable(customer, "email")
    assert not is_marketable(customer, "sms")
    assert not is_marketable(CustomerFactory(), "email")


def test_an_existing_customer_who_opted_out_gets_no_email_marketing():
    customer = CustomerFactory()
    OrderFactory(customer=customer)
    ConsentEventFactory(customer=customer, purpose="newsletter", is_granted=False)
    assert not is_marketable(customer, "email")


def test_a_banned_customer_is_not_marketable():
    by_channel = _consented("email")
    MarketingBanFactory(customer=by_channel, channel="email")
    everywhere = _consented("email")
    MarketingBanFactory(customer=everywhere, channel="all")
    lifted = _consented("email")
    MarketingBanFactory(customer=lifted, channel="all", lifted_at=timezone.now())
    other_scope = _consented("email")
    MarketingBanFactory(customer=other_scope, channel="all", scope="research")
    other_channel = _consented("email")
    MarketingBanFactory(customer=other_channel, channel="post")
    assert _marketable_ids("email") == {lifted.pk, other_scope.pk, other_channel.pk}


def test_a_customer_on_the_suppression_list_is_not_in_the_audience():
    suppressed = _consented("email")
    SuppressionEntry.objects.create(
        kind="email", value_hash=suppression_hash("email", suppressed.email)
    )
    by_phone = _consented("email")
    SuppressionEntry.objects.create(
        kind="phone", value_hash=suppression_hash("phone", by_phone.phone)
    )
    kept = _consented("email")
    assert not is_marketable(suppressed, "email")
    assert not is_marketable(by_phone, "email")
    assert [row[0] for row in audience_rows("email")] == [kept.number]


def test_a_restricted_or_erased_customer_is_not_marketable():
    restricted = _consented("email", is_restricted=True)
    erased = _consented("email", erased_at=timezone.now())
    assert not is_marketable(restricted, "email")
    assert not is_marketable(erased, "email")


def test_a_gift_card_redeemer_needs_their_own_consent():
    redeemer = CustomerFactory(source=Customer.Source.GIFT_CARD)
    OrderFactory(customer=redeemer)
    assert not is_marketable(redeemer, "email")
    ConsentEventFactory(customer=redeemer, purpose="newsletter", channel="email")
    assert is_marketable(redeemer, "email")


def test_a_child_under_13_is_not_marketable():
    today = timezone.localdate()
    child = _consented("email", birth_date=today.replace(year=today.year - 12))
    teen = _consented("email", birth_date=today.replace(year=today.year - 13))
    assert not is_marketable(child, "email")
    assert is_marketable(teen, "email")


def test_a_customer_without_the_channels_contact_detail_is_left_out():
    no_phone = _consented("sms", phone="")
    assert not is_marketable(no_phone, "sms")


@pytest.fixture
def marketing_client(client, marketing, otp_login):
    return otp_login(client, marketing)


def test_marketing_exports_a_streamed_audited_csv(marketing_client, marketing):
    kept = _consented("email")
    _consented("sms")
    response = marketing_client.get(reverse("admin:audience_export", args=["email"]))
    assert response.status_code == 200
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["number", "first_name", "last_name", "email", "preferred_language"]
    assert [r[0] for r in rows[1:]] == [kept.number]
    started, finished = AuditEntry.objects.filter(action="export").order_by("id")
    assert started.actor == marketing
    assert started.details["criteria"]["channel"] == "email"
    assert finished.details["count"] == 1 and finished.details["completed"] is True
    assert kept.email not in str(started.details) + str(finished.details)


def test_customer_service_cannot_export_audiences(client, customer_service, otp_login):
    otp_login(client, customer_service)
    assert client.get(reverse("admin:audience_export", args=["email"])).status_code == 403
    assert client.get(reverse("admin:audiences")).status_code == 403


def test_the_audience_page_lists_every_channel(marketing_client):
    response = marketing_client.get(reverse("admin:audiences"))
    assert response.status_code == 200
    for channel in ("email", "sms", "post", "phone"):
        assert reverse("admin:audience_export", args=[channel]) in response.content.decode()
