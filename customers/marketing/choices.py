"""The marketing choices a customer makes: one yes or no per declared purpose and channel.

A choice is offered while the declaration uses one of its purposes (privacy.declaration.used),
so a purpose the shop does not declare is never asked about. Each choice says, per channel,
what its "yes" and "no" record, from the rules (customers.marketing.rules): where consent is
the basis (email and text messages, 917/2014 200 §) "yes" is a consent and "no" withdraws it;
where the basis is the shop's legitimate interest (post, phone, profiling, a reference list)
"no" is a ban (GDPR Art. 21) and "yes" lifts it. What a switch shows is what is in force now,
so that saving an untouched switch changes nothing.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from customers.marketing.rules import (
    BASIS_BUSINESS,
    BASIS_EXISTING_CUSTOMER,
    BLOCKING_SCOPES,
    OPT_OUT_CHANNELS,
    PUBLICATION_SCOPES,
    USE_MARKETING,
    USE_RESEARCH,
    USE_TARGETED,
    Use,
    basis_for,
)
from customers.models import BanChannel, BanScope, ConsentPurpose, Customer, MarketingBan
from customers.services import consent_state
from privacy import declaration, vocabulary
from privacy.declaration import Purpose

# A switch: the choice's key and a channel (BanChannel.ALL for a choice without channels).
Switch = tuple[str, str]


@dataclass(frozen=True)
class Choice:
    """One purpose as the portal asks it, with the channels that make sense for it."""

    key: str
    question: Promise
    # Offered while the declaration uses one of these purposes.
    declared: tuple[Purpose, ...]
    # The channels asked, or (BanChannel.ALL,) for a purpose that reaches no channel.
    channels: tuple[str, ...]
    # What "no" records where the basis is legitimate interest.
    ban_scope: str
    # The bans that stop it (a "no" in force).
    blocked_by: tuple[str, ...]
    # What "yes" records where consent is the basis; None: no consent is asked.
    consent_purpose: str | None = None
    # The consents that count as a "yes" for it (the use's).
    consent_purposes: tuple[str, ...] = ()
    # The use whose audience it decides, for the basis a channel is marketed on now.
    use: Use | None = None
    # A total direct-marketing ban (GDPR Art. 21(3)) says "no" to it.
    under_total: bool = False
    # Only a business is ever published (customers.marketing.publishable).
    business_only: bool = False

    def needs_consent(self, channel: str) -> bool:
        """Return whether "yes" through the channel is a consent (else only the lack of a ban)."""
        return self.consent_purpose is not None and channel not in (
            *OPT_OUT_CHANNELS,
            BanChannel.ALL,
        )


_CHANNELS = (BanChannel.EMAIL, BanChannel.SMS, BanChannel.POST, BanChannel.PHONE)

CHOICES = (
    Choice(
        "marketing",
        _("Tarjoukset ja uutiskirjeet meiltä"),
        declared=(vocabulary.DIRECT_MARKETING, vocabulary.EXISTING_CUSTOMER_MARKETING),
        channels=_CHANNELS,
        ban_scope=BanScope.DIRECT_MARKETING,
        blocked_by=USE_MARKETING.ban_scopes,
        consent_purpose=ConsentPurpose.DIRECT_MARKETING,
        consent_purposes=USE_MARKETING.consent_purposes,
        use=USE_MARKETING,
        under_total=True,
    ),
    Choice(
        "profiling",
        _("Markkinoinnin kohdentaminen ostojesi perusteella"),
        declared=(vocabulary.TARGETING,),
        channels=(BanChannel.ALL,),
        ban_scope=BanScope.PROFILING,
        blocked_by=USE_TARGETED.ban_scopes,
        use=USE_TARGETED,
        under_total=True,
    ),
    Choice(
        "research",
        _("Markkina- ja mielipidetutkimukset"),
        declared=(vocabulary.MARKET_RESEARCH,),
        channels=_CHANNELS,
        ban_scope=BanScope.RESEARCH,
        blocked_by=USE_RESEARCH.ban_scopes,
        consent_purpose=ConsentPurpose.RESEARCH,
        consent_purposes=USE_RESEARCH.consent_purposes,
        use=USE_RESEARCH,
    ),
    Choice(
        "publication",
        _("Yrityksesi nimi asiakasluettelossamme"),
        declared=(vocabulary.REFERENCE_LIST,),
        channels=(BanChannel.ALL,),
        ban_scope=BanScope.PUBLICATION,
        blocked_by=PUBLICATION_SCOPES,
        business_only=True,
    ),
)
CHOICES_BY_KEY = {choice.key: choice for choice in CHOICES}
# The total ban a customer sets with one choice, and the bans that count as one.
TOTAL_BAN = (BanScope.DIRECT_MARKETING, BanChannel.ALL)
TOTAL_SCOPES = BLOCKING_SCOPES


def offered_choices(customer: Customer) -> list[Choice]:
    """Return the choices the customer is asked: those whose purpose the declaration uses."""
    used = set(declaration.used("purposes"))
    return [
        choice
        for choice in CHOICES
        if used.intersection(choice.declared) and (customer.business_id or not choice.business_only)
    ]


@dataclass
class MarketingState:
    """What is in force for a customer: the total ban, and each switch's yes or no."""

    total: bool
    switches: dict[Switch, bool]
    # Switches whose "yes" is a consent in force (a ban that comes replaces it).
    consented: set[Switch]
    # Switches a ban says "no" to.
    banned: set[Switch]


def marketing_state(customer: Customer, choices: list[Choice] | None = None) -> MarketingState:
    """Return the total ban and every offered switch as it is in force now.

    A consent channel says "yes" with a consent in force, or while the customer is marketed on
    the existing-customer or business basis (which a "no" then bans); a legitimate-interest
    channel says "yes" until a ban or a withdrawn consent refuses it.
    """
    choices = offered_choices(customer) if choices is None else choices
    bans = set(
        MarketingBan.objects.filter(customer=customer, lifted_at__isnull=True).values_list(
            "scope", "channel"
        )
    )
    consents = consent_state(customer)
    switches: dict[Switch, bool] = {}
    consented: set[Switch] = set()
    banned: set[Switch] = set()
    for choice in choices:
        for channel in choice.channels:
            blocked = any(
                (scope, channel) in bans or (scope, BanChannel.ALL) in bans
                for scope in choice.blocked_by
            )
            granted = any(consents.get((p, channel)) for p in choice.consent_purposes)
            refused = not granted and any(
                consents.get((p, channel)) is False for p in choice.consent_purposes
            )
            if blocked:
                banned.add((choice.key, channel))
                value = False
            elif granted:
                consented.add((choice.key, channel))
                value = True
            elif choice.needs_consent(channel):
                value = granted or basis_for(customer, channel, use=choice.use) in (
                    BASIS_EXISTING_CUSTOMER,
                    BASIS_BUSINESS,
                )
            else:
                value = not refused
            switches[(choice.key, channel)] = value
    total = any((scope, BanChannel.ALL) in bans for scope in TOTAL_SCOPES)
    return MarketingState(total=total, switches=switches, consented=consented, banned=banned)
