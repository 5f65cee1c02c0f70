"""A consent and a ban that forbids what it consents to are never in force together.

The rule lives in customers.services: a new ban withdraws the consents it contradicts, and a
consent is refused while such a ban is in force (issue 19: "a consent and a ban for the same
purpose and channel cannot both be in force").
"""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers import marketing, services
from customers.models import (
    BanChannel,
    BanScope,
    Channel,
    ConsentEvent,
    ConsentPurpose,
    MarketingBan,
)
from portal.services import consent_state
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _grant(customer, purpose="newsletter", channel="email"):
    return services.record_consent(
        customer=customer, purpose=purpose, channel=channel, is_granted=True, via="portal"
    )


def _ban(customer, scope="direct_marketing", channel="email", via="phone"):
    return services.set_marketing_ban(customer=customer, channel=channel, scope=scope, via=via)


def _contradictions(customer) -> set[tuple[str, str, str]]:
    """Return (purpose, channel, scope) for every consent in force that a ban in force forbids."""
    bans = set(
        MarketingBan.objects.filter(customer=customer, lifted_at__isnull=True).values_list(
            "scope", "channel"
        )
    )
    return {
        (purpose, channel, scope)
        for (purpose, channel), granted in consent_state(customer).items()
        if granted
        for scope in marketing.BANS_AGAINST_CONSENT.get(purpose, ())
        if (scope, channel) in bans or (scope, BanChannel.ALL) in bans
    }


def test_a_ban_withdraws_the_consent_it_forbids_and_leaves_the_others():
    customer = CustomerFactory()
    _grant(customer, "newsletter", "email")
    _grant(customer, "newsletter", "sms")
    _grant(customer, "research", "email")

    ban = _ban(customer, "direct_marketing", "email", via="phone")

    state = consent_state(customer)
    assert state[("newsletter", "email")] is False
    assert state[("newsletter", "sms")] is True  # another channel
    assert state[("research", "email")] is True  # research is not direct marketing
    withdrawal = ConsentEvent.objects.filter(customer=customer, is_granted=False).get()
    assert (withdrawal.via, withdrawal.occurred_at) == ("phone", ban.created_at)


def test_a_ban_on_every_channel_withdraws_the_consent_on_each():
    customer = CustomerFactory()
    for channel in (Channel.EMAIL, Channel.SMS, Channel.POST):
        _grant(customer, "direct_marketing", channel)
    _ban(customer, "distance_selling", BanChannel.ALL)
    assert not any(consent_state(customer).values())


def test_a_consent_is_refused_while_a_ban_forbids_it_and_nothing_is_saved():
    customer = CustomerFactory()
    _ban(customer, "direct_marketing", "all")
    with pytest.raises(ValidationError) as refused:
        _grant(customer, "partners", "email")
    assert "Kielto on poistettava ennen kuin suostumuksen voi kirjata." in str(refused.value)
    assert not ConsentEvent.objects.filter(customer=customer).exists()

    services.lift_marketing_ban(customer=customer, channel="all", scope="direct_marketing")
    _grant(customer, "partners", "email")
    assert consent_state(customer)[("partners", "email")] is True


def test_every_consent_purpose_gives_way_to_a_ban():
    # A purpose missing here could be consented to under a ban against it, unseen by the rule.
    assert set(marketing.BANS_AGAINST_CONSENT) == set(ConsentPurpose.values)


def test_a_profiling_ban_withdraws_a_consent_to_targeting_and_refuses_a_new_one():
    customer = CustomerFactory()
    _grant(customer, "profiling", "email")
    _ban(customer, "profiling", BanChannel.ALL, via="portal")
    assert consent_state(customer)[("profiling", "email")] is False
    with pytest.raises(ValidationError):
        _grant(customer, "profiling", "sms")


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("grant"),
            st.sampled_from(list(marketing.BANS_AGAINST_CONSENT)),
            st.sampled_from(Channel.values),
        ),
        st.tuples(
            st.just("ban"), st.sampled_from(BanScope.values), st.sampled_from(BanChannel.values)
        ),
        st.tuples(
            st.just("lift"), st.sampled_from(BanScope.values), st.sampled_from(BanChannel.values)
        ),
    ),
    max_size=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_no_sequence_of_grants_bans_and_lifts_leaves_a_contradiction(operations):
    customer = CustomerFactory()
    for kind, first, second in operations:
        if kind == "grant":
            # Refused while a ban forbids it: that is the rule at work.
            with contextlib.suppress(ValidationError):
                _grant(customer, first, second)
        elif kind == "ban":
            _ban(customer, first, second)
        else:
            services.lift_marketing_ban(customer=customer, channel=second, scope=first)
        assert _contradictions(customer) == set()


def test_the_upgrade_withdraws_the_consents_a_ban_already_in_force_forbids():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("customers.migrations.0011_withdraw_consents_against_bans")
    customer = CustomerFactory()
    _grant(customer, "newsletter", "email")
    _grant(customer, "research", "email")
    # A pair from before 0.4.0: the ban was stored without withdrawing the consent.
    MarketingBan.objects.create(
        customer=customer, channel="all", scope="direct_marketing", via="portal"
    )
    assert _contradictions(customer)

    migration.withdraw(apps, None)
    migration.withdraw(apps, None)  # run again: nothing left to withdraw

    assert _contradictions(customer) == set()
    assert consent_state(customer)[("research", "email")] is True
    assert ConsentEvent.objects.filter(customer=customer, is_granted=False).count() == 1


def test_the_upgrade_withdraws_profiling_consents_a_ban_already_in_force_forbids():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("customers.migrations.0013_withdraw_profiling_consents_against_bans")
    customer = CustomerFactory()
    _grant(customer, "profiling", "email")
    _grant(customer, "profiling", "sms")
    # A pair from before: the ban was stored without withdrawing the consent.
    MarketingBan.objects.create(customer=customer, channel="email", scope="profiling", via="portal")
    assert _contradictions(customer)

    migration.withdraw(apps, None)
    migration.withdraw(apps, None)  # run again: nothing left to withdraw

    assert _contradictions(customer) == set()
    assert consent_state(customer)[("profiling", "sms")] is True
    assert ConsentEvent.objects.filter(customer=customer, is_granted=False).count() == 1
