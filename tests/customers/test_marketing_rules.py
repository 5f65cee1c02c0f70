"""The marketing rules as Finnish law has them, each with who it lets in and who it keeps out.

Email and SMS need a consumer's consent (917/2014 200 §), business addresses are allowed until
refused, post and phone until the person refuses (GDPR 21(2)); every ban scope removes the
customer from the processing it names; a gift-card redeemer is marketed only on their own
consent; nobody under 13 is in any audience.
"""

import datetime as dt

import pytest
from django.utils import timezone

from customers.audiences import audience_rows, publication_rows
from customers.marketing import (
    USE_MARKETING,
    USE_RESEARCH,
    USE_TARGETED,
    USES,
    basis_for,
    is_marketable,
    publishable,
)
from customers.models import BanScope, Customer
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    MarketingBanFactory,
    OrderFactory,
)

pytestmark = pytest.mark.django_db


def _business(**kwargs) -> Customer:
    return CustomerFactory(company="Virtanen Oy", business_id="1572860-0", **kwargs)


def _in(customer: Customer, channel: str, use=USE_MARKETING) -> bool:
    return is_marketable(customer, channel, use=use)


def _listed(customer: Customer) -> bool:
    return publishable(Customer.objects.filter(pk=customer.pk)).exists()


# Business addresses: allowed unless refused, with an opt-out in every message.


def test_a_business_gets_email_and_sms_until_it_refuses():
    business = _business()
    consumer = CustomerFactory()
    assert _in(business, "email") and _in(business, "sms")
    assert basis_for(business, "email") == basis_for(business, "sms") == "business"
    assert not _in(consumer, "email") and not _in(consumer, "sms")
    ConsentEventFactory(customer=business, purpose="newsletter", channel="email", is_granted=False)
    MarketingBanFactory(customer=_business(), channel="sms")
    assert not _in(business, "email") and _in(business, "sms")


def test_a_business_is_in_the_email_audience_once_on_the_business_basis(settings):
    settings.EXISTING_CUSTOMER_NOTICE_SINCE = timezone.localdate() - dt.timedelta(days=365)
    business = _business()
    OrderFactory(customer=business)
    consumer = CustomerFactory()
    OrderFactory(customer=consumer)
    consented = _business()
    ConsentEventFactory(customer=consented, purpose="direct_marketing", channel="email")
    rows = [(row[0], row[5]) for row in audience_rows("email")]
    assert sorted(rows) == sorted(
        [
            (consented.number, "consent"),
            (business.number, "business"),
            (consumer.number, "existing_customer"),
        ]
    )


# Every ban scope removes the customer from what it bans, and only from that.


def _recent_buyer(**kwargs) -> Customer:
    customer = CustomerFactory(**kwargs)
    OrderFactory(customer=customer, ordered_at=timezone.now() - dt.timedelta(days=30))
    return customer


# scope → (who is in the processing before the ban, is in it?, the processing it leaves alone)
SCOPES = {
    BanScope.DIRECT_MARKETING: (
        lambda: _recent_buyer(),
        lambda c: _in(c, "post"),
        lambda c: _in(c, "post", USE_RESEARCH),
    ),
    # Distance selling stops phone sales (and every other offer to buy at a distance).
    BanScope.DISTANCE_SELLING: (
        lambda: _recent_buyer(),
        lambda c: _in(c, "phone") and _in(c, "post"),
        lambda c: _in(c, "phone", USE_RESEARCH),
    ),
    BanScope.RESEARCH: (
        lambda: _recent_buyer(),
        lambda c: _in(c, "post", USE_RESEARCH) or _in(c, "phone", USE_RESEARCH),
        lambda c: _in(c, "post"),
    ),
    # Targeting by purchase history is profiling; its ban leaves plain marketing.
    BanScope.PROFILING: (
        lambda: _recent_buyer(),
        lambda c: _in(c, "post", USE_TARGETED),
        lambda c: _in(c, "post"),
    ),
    BanScope.PUBLICATION: (
        lambda: _business(),
        _listed,
        lambda c: _in(c, "email"),
    ),
}


def test_every_ban_scope_has_processing_that_it_stops():
    assert set(SCOPES) == set(BanScope)
    honoured = {scope for use in USES.values() for scope in use.ban_scopes}
    assert honoured | {BanScope.PUBLICATION} == set(BanScope)


@pytest.mark.parametrize("scope", list(BanScope))
def test_each_ban_scope_removes_the_customer_from_what_it_bans(scope):
    make, banned_from, left_alone = SCOPES[scope]
    customer = make()
    assert banned_from(customer) and left_alone(customer)
    MarketingBanFactory(customer=customer, channel="all", scope=scope)
    assert not banned_from(customer)
    assert left_alone(customer)


def test_a_ban_on_one_channel_leaves_the_others():
    customer = _recent_buyer()
    MarketingBanFactory(customer=customer, channel="phone", scope=BanScope.DISTANCE_SELLING)
    assert not _in(customer, "phone") and _in(customer, "post")
    MarketingBanFactory(customer=customer, channel="post", scope=BanScope.RESEARCH)
    assert not _in(customer, "post", USE_RESEARCH) and _in(customer, "phone", USE_RESEARCH)


def test_a_lifted_ban_no_longer_removes_anyone():
    customer = _recent_buyer()
    MarketingBanFactory(customer=customer, scope=BanScope.PROFILING, lifted_at=timezone.now())
    assert _in(customer, "post", USE_TARGETED)


def test_targeting_reaches_only_recent_buyers_who_have_not_objected_to_profiling():
    recent = _recent_buyer()
    long_ago = CustomerFactory()
    OrderFactory(customer=long_ago, ordered_at=timezone.now() - dt.timedelta(days=400))
    objected = _recent_buyer()
    ConsentEventFactory(customer=objected, purpose="profiling", channel="post", is_granted=False)
    ids = set(Customer.objects.marketable("post", use=USE_TARGETED).values_list("pk", flat=True))
    assert ids == {recent.pk}
    assert _in(long_ago, "post") and _in(objected, "post")


def test_research_by_email_needs_consent_to_research_not_to_marketing():
    marketing_only = CustomerFactory()
    ConsentEventFactory(customer=marketing_only, purpose="direct_marketing", channel="email")
    research = CustomerFactory()
    ConsentEventFactory(customer=research, purpose="research", channel="email")
    assert not _in(marketing_only, "email", USE_RESEARCH)
    assert _in(research, "email", USE_RESEARCH) and not _in(research, "email")


def test_only_business_customers_who_have_not_forbidden_it_are_published_in_lists():
    listed = _business()
    consumer = CustomerFactory(company="Oma toiminimi")
    gift = _business(source=Customer.Source.GIFT_CARD)
    MarketingBanFactory(customer=_business(), channel="email", scope=BanScope.PUBLICATION)
    assert [row[0] for row in publication_rows()] == [listed.number]
    assert not _listed(consumer) and not _listed(gift)


# Gift-card redeemers and children.


def test_a_gift_card_redeemer_is_marketed_only_on_their_own_consent():
    redeemer = _recent_buyer(source=Customer.Source.GIFT_CARD)
    business_redeemer = _business(source=Customer.Source.GIFT_CARD)
    for channel in ("email", "sms", "post", "phone"):
        assert not _in(redeemer, channel) and not _in(business_redeemer, channel)
    assert not _in(redeemer, "post", USE_RESEARCH)
    ConsentEventFactory(customer=redeemer, purpose="direct_marketing", channel="post")
    assert _in(redeemer, "post") and basis_for(redeemer, "post") == "consent"
    assert not _in(redeemer, "phone")


def test_nobody_under_13_is_in_an_opt_out_audience_either():
    today = timezone.localdate()
    child = _recent_buyer(birth_date=today.replace(year=today.year - 12))
    teen = _recent_buyer(birth_date=today.replace(year=today.year - 13))
    for use in USES.values():
        assert not _in(child, "post", use)
        assert _in(teen, "post", use)


def test_the_post_audience_comes_consent_first_then_everyone_who_has_not_refused():
    consented = CustomerFactory()
    ConsentEventFactory(customer=consented, purpose="direct_marketing", channel="post")
    other = CustomerFactory()
    no_address = CustomerFactory(street_address="")
    rows = list(audience_rows("post"))
    assert [(r[0], r[8]) for r in rows] == [
        (consented.number, "consent"),
        (other.number, "not_refused"),
    ]
    assert no_address.number not in {r[0] for r in rows}
