"""The marketing rules as Finnish law has them: who may be contacted, how, for what, and why not.

`marketable()` is the one place the rule lives; `Customer.objects.marketable(channel)` calls it,
and the export (customers.audiences), the single-customer check, the portal's "how you hear from
us" and any count read it. `publishable()` is the rule for publishing customers in a list. The
rules they are made of live here too, each once: the channels that need consent, the purposes
that count as consent, the ban scopes each use honours, the age limit. The sentences the
statement, the portal and the staff pages tell about them are rendered from the same facts in
customers.marketing.text.

The law (LEGAL.md): email and SMS to a consumer need prior consent, except the shop's own similar
products to an existing customer told at purchase (917/2014 200 § 1–2 mom.); to a business they
are allowed unless it refused (917/2014, legal persons). Post and phone marketing need no consent;
the person may refuse it at any time (GDPR 21(2)–(3)), and the lists are screened against ASML's
restriction lists. Every message carries an opt-out (customers.unsubscribe makes the link).

The whole rule is one SQL queryset: the suppression list and the restriction lists hold keyed
hashes (customers.hashing), which the query computes per customer so that they are compared in
the database. Every condition is a top-level EXISTS, NOT EXISTS or IN, so PostgreSQL plans a
million customers as hash semi- and anti-joins; see `bench_staff` for the figures.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from customers import validators as v
from customers.hashing import KeyedHash, NormalisedText, keyed_hashes, suppression_keys
from customers.models import (
    BanChannel,
    BanRegisterEntry,
    BanScope,
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    MarketingBan,
    Order,
    SuppressionEntry,
)
from privacy import vocabulary
from privacy.declaration import Purpose
from statement.purposes import in_use

# Consent to either purpose for a channel is consent to market through it.
MARKETING_PURPOSES = (ConsentPurpose.DIRECT_MARKETING, ConsentPurpose.NEWSLETTER)
# Either ban stops marketing: distance selling (phone sales, mail order) is marketing with an
# offer to buy, so its ban stops every channel's marketing, phone sales included.
BLOCKING_SCOPES = (BanScope.DIRECT_MARKETING, BanScope.DISTANCE_SELLING)
# A child under 13 cannot consent alone (Tietosuojalaki 1050/2018 5 §); no audience holds one.
MINIMUM_AGE = 13
# Post and phone marketing is allowed until the person refuses it (GDPR 21(2)); the other
# channels are electronic, which a consumer must consent to first (917/2014 200 § 1 mom.).
OPT_OUT_CHANNELS = (Channel.POST, Channel.PHONE)
# The restriction services (ASML) screen addressed direct mail and telemarketing.
SCREENED_CHANNELS = {Channel.POST: "post", Channel.PHONE: "phone"}
# How long back a purchase makes a customer one of the recent buyers a targeted audience is made of.
TARGETING_MONTHS = 12
# What a postal restriction-list entry is matched on: conservative, so a namesake at the same
# address is left out too (an opt-out list errs towards not sending).
ADDRESS_KEY_FIELDS = ("last_name", "street_address", "postal_code")

# Why a person is in an audience; the export says it per row.
# A consent to the use through the channel in force (GDPR 6(1)(a), 917/2014 200 § 1 mom.).
BASIS_CONSENT = "consent"
# An existing customer told at purchase: only the shop's own similar products, with an opt-out in
# every message (917/2014 200 § 2 mom.); email only, since the checkout tells about email.
BASIS_EXISTING_CUSTOMER = "existing_customer"
# A business customer (a business id, its contact details the business's): electronic messages
# unless it refused (917/2014, marketing to legal persons); the message must concern the business,
# or its contact person's work address counts as a person's (LEGAL.md).
BASIS_BUSINESS = "business"
# Post and phone: anyone who has not refused (GDPR 6(1)(f) and 21(2)), screened as above.
BASIS_NOT_REFUSED = "not_refused"

# A person without the channel's contact detail cannot be in its audience.
REQUIRED: dict[str, list[str]] = {
    Channel.EMAIL: ["email"],
    Channel.SMS: ["phone"],
    Channel.POST: ["street_address", "postal_code", "post_office"],
    Channel.PHONE: ["phone"],
}


@dataclass(frozen=True)
class Use:
    """What an audience is for, and the consents and bans that decide who may be in it."""

    key: str
    label: Promise
    # A grant in force for the channel is consent; a withdrawal in force is a refusal.
    consent_purposes: tuple[str, ...]
    # An active ban of any of these scopes, for the channel or for all, removes the person.
    ban_scopes: tuple[str, ...]
    # The ban an opt-out link in the use's messages records.
    unsubscribe_scope: str
    # A withdrawal in force of any of these removes the person too (an objection).
    objection_purposes: tuple[str, ...] = ()
    # The existing-customer exception applies (marketing of the shop's own similar products).
    existing_customer_exception: bool = False
    # Only customers who bought within TARGETING_MONTHS: targeting by purchase history is
    # profiling for direct marketing, which the person may forbid (GDPR 21(2)).
    recent_buyers_only: bool = False
    # The declared purpose the use serves when the shop may switch it off (statement.purposes):
    # while it is off, no audience of the use is formed.
    purpose: Purpose | None = None


USE_MARKETING = Use(
    "marketing",
    gettext_lazy("Suoramarkkinointi"),
    consent_purposes=MARKETING_PURPOSES,
    ban_scopes=BLOCKING_SCOPES,
    unsubscribe_scope=BanScope.DIRECT_MARKETING,
    existing_customer_exception=True,
)
USE_TARGETED = Use(
    "targeted",
    gettext_lazy("Ostohistorian perusteella kohdennettu markkinointi"),
    consent_purposes=MARKETING_PURPOSES,
    ban_scopes=(*BLOCKING_SCOPES, BanScope.PROFILING),
    unsubscribe_scope=BanScope.DIRECT_MARKETING,
    objection_purposes=(ConsentPurpose.PROFILING,),
    existing_customer_exception=True,
    recent_buyers_only=True,
    purpose=vocabulary.TARGETING,
)
USE_RESEARCH = Use(
    "research",
    gettext_lazy("Markkina- ja mielipidetutkimus"),
    consent_purposes=(ConsentPurpose.RESEARCH,),
    ban_scopes=(BanScope.RESEARCH,),
    unsubscribe_scope=BanScope.RESEARCH,
    purpose=vocabulary.MARKET_RESEARCH,
)
USES = {use.key: use for use in (USE_MARKETING, USE_TARGETED, USE_RESEARCH)}
# A consent and a ban that forbids what it consents to are never in force together, for the
# same channel (customers.services): the bans that contradict each consent purpose. A partner's
# offers are direct marketing as much as the shop's own.
BANS_AGAINST_CONSENT: dict[str, tuple[str, ...]] = {
    **{
        purpose: USE_MARKETING.ban_scopes
        for purpose in (*USE_MARKETING.consent_purposes, ConsentPurpose.PARTNERS)
    },
    **{purpose: USE_RESEARCH.ban_scopes for purpose in USE_RESEARCH.consent_purposes},
    # A consent to targeting by purchases (given through the API, say) gives way to a ban of
    # profiling or of direct marketing: targeting is marketing (Art. 21(2)–(3)).
    ConsentPurpose.PROFILING: USE_TARGETED.ban_scopes,
}


def consents_against_ban(scope: str) -> tuple[str, ...]:
    """Return the consent purposes a ban of `scope` contradicts."""
    return tuple(p for p, scopes in BANS_AGAINST_CONSENT.items() if scope in scopes)


# Publishing a business customer in a list (a reference list) is stopped by this ban, whatever
# channel it names: a list has none.
PUBLICATION_SCOPES = (BanScope.PUBLICATION,)


def existing_customer_notice_since() -> dt.datetime | None:
    """Return when the checkout began informing buyers of email marketing, or None if never."""
    day = settings.EXISTING_CUSTOMER_NOTICE_SINCE
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Return a person's age in whole years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def can_consent_alone(birth_date: dt.date | None, day: dt.date) -> bool:
    """Return whether a person born on `birth_date` may consent alone on `day` (unknown: yes)."""
    return birth_date is None or age_on(birth_date, day) >= MINIMUM_AGE


def age_cutoff(today: dt.date) -> dt.date:
    """Return the latest birth date of a person who is at least MINIMUM_AGE today."""
    return months_before(today, 12 * MINIMUM_AGE)


def bases(channel: str, use: Use = USE_MARKETING) -> list[str]:
    """Return the bases on which a channel's audience for a use is formed, in export order."""
    if channel in OPT_OUT_CHANNELS:
        return [BASIS_CONSENT, BASIS_NOT_REFUSED]
    found = [BASIS_CONSENT, BASIS_BUSINESS]
    if (
        channel == Channel.EMAIL
        and use.existing_customer_exception
        and existing_customer_notice_since() is not None
    ):
        found.append(BASIS_EXISTING_CUSTOMER)
    return found


def current_consents(
    channel: str, *, granted: bool, purposes: tuple[str, ...] = MARKETING_PURPOSES
) -> QuerySet:
    """Return consent events still in force for the channel: grants (or withdrawals) of purposes.

    An event is in force when no later event exists for the same customer, purpose and channel
    (consent_latest_idx serves that probe).
    """
    later = ConsentEvent.objects.filter(
        customer=OuterRef("customer"), purpose=OuterRef("purpose"), channel=channel
    ).filter(
        Q(occurred_at__gt=OuterRef("occurred_at"))
        | Q(occurred_at=OuterRef("occurred_at"), pk__gt=OuterRef("pk"))
    )
    return ConsentEvent.objects.filter(
        channel=channel, purpose__in=purposes, is_granted=granted
    ).filter(~Exists(later))


def _in_force(channel: str, purposes: tuple[str, ...], *, granted: bool) -> Exists:
    return Exists(
        current_consents(channel, granted=granted, purposes=purposes).filter(
            customer=OuterRef("pk")
        )
    )


def months_before(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` months earlier (the month's last day where it has fewer)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _basis_condition(channel: str, use: Use, basis: str) -> Q:
    """Return who is in the audience on one basis; the bases' conditions are disjoint."""
    consented = Q(_in_force(channel, use.consent_purposes, granted=True))
    if basis == BASIS_CONSENT:
        return consented
    # Every other basis holds only who has not refused, and never a gift-card redeemer: they
    # bought nothing themselves and are marketed only when they opt in through their own consent.
    refused = Q(_in_force(channel, use.consent_purposes, granted=False))
    without_consent = ~consented & ~refused & ~Q(source=Customer.Source.GIFT_CARD)
    business = ~Q(business_id="")
    if basis == BASIS_NOT_REFUSED:
        return without_consent
    if basis == BASIS_BUSINESS:
        return without_consent & business
    if basis == BASIS_EXISTING_CUSTOMER:
        # An IN-subquery rather than a correlated EXISTS: it plans as one hash semi-join over
        # the orders instead of an index probe per customer.
        informed_purchase = Q(
            pk__in=Order.objects.filter(ordered_at__gte=existing_customer_notice_since()).values(
                "customer_id"
            )
        )
        return without_consent & ~business & informed_purchase
    raise ValueError(f"Unknown basis {basis!r}.")


def _on_ban_register(channel: str) -> list[Exists]:
    """Return "the customer is on the channel's restriction list", once per suppression key."""
    service = SCREENED_CHANNELS[channel]
    if channel == Channel.PHONE:
        value = OuterRef("phone")
    else:
        parts: list = []
        for name in ADDRESS_KEY_FIELDS:
            parts += [Value("|")] if parts else []
            parts.append(NormalisedText(OuterRef(name)))
        value = Concat(*parts, output_field=CharField())
    return [
        Exists(
            BanRegisterEntry.objects.filter(
                service=service,
                value_hash=KeyedHash(value, kind=f"ban_register_{service}", key=key),
            )
        )
        for key in suppression_keys()
    ]


def _suppressed() -> list[Exists]:
    """Return the conditions "the customer's email (phone) is on the suppression list".

    A suppressed detail is an objection the person made before (GDPR 21(3)); it keeps them out
    of every channel and use, not only the one the detail belongs to. One condition per key the
    entries may have been hashed with. A kind with no entries adds no condition (one cheap query
    to know): hashing every customer's detail would find nothing.
    """
    return [
        Exists(
            SuppressionEntry.objects.filter(
                kind=kind, value_hash=KeyedHash(OuterRef(field), kind=kind, key=key)
            )
        )
        for field, kind in (
            ("email", SuppressionEntry.Kind.EMAIL),
            ("phone", SuppressionEntry.Kind.PHONE),
        )
        if SuppressionEntry.objects.filter(kind=kind).exists()
        for key in suppression_keys()
    ]


def _banned(scopes: tuple[str, ...], channels: list[str] | None) -> Exists:
    bans = MarketingBan.objects.filter(
        customer=OuterRef("pk"), lifted_at__isnull=True, scope__in=scopes
    )
    if channels is not None:
        bans = bans.filter(channel__in=channels)
    return Exists(bans)


def marketable(
    queryset: QuerySet,
    channel: str,
    *,
    use: Use = USE_MARKETING,
    basis: str | None = None,
    today: dt.date | None = None,
) -> QuerySet:
    """Return the customers of `queryset` who may be contacted through `channel` for `use`.

    Everyone in it is there on a basis of `bases(channel, use)`: consent; for email the
    existing-customer exception; for email and SMS a business that has not refused; for post
    and phone anyone who has not refused. And everyone has the channel's contact detail, no
    active ban of the use's scopes for the channel, is not on the suppression list or (post,
    phone) the imported restriction list, not restricted (GDPR 18), not erased and not under 13.
    `basis` limits it to those on one basis: each such part is a chain of semi- and anti-joins,
    which is how the export reads a million customers in seconds; without it, the bases are
    OR-ed (fine for a few customers).
    """
    if channel not in REQUIRED:
        raise ValueError(f"Unknown marketing channel {channel!r}.")
    if use.purpose is not None and not in_use(use.purpose):
        # The statement in force switched the use's purpose off: no one is in its audience.
        return queryset.none()
    today = today or timezone.localdate()
    allowed = bases(channel, use)
    if basis is None:
        on_a_basis = Q(pk__in=[])
        for each in allowed:
            on_a_basis |= _basis_condition(channel, use, each)
    elif basis in allowed:
        on_a_basis = _basis_condition(channel, use, basis)
    else:
        on_a_basis = Q(pk__in=[])
    has_contact = Q()
    for name in REQUIRED[channel]:
        has_contact &= ~Q(**{name: ""})
    # Each exclusion is its own NOT EXISTS, so PostgreSQL can plan it as an anti-join.
    excluded = [_banned(use.ban_scopes, [channel, BanChannel.ALL]), *_suppressed()]
    if use.objection_purposes:
        excluded.append(_in_force(channel, use.objection_purposes, granted=False))
    if (
        channel in SCREENED_CHANNELS
        and BanRegisterEntry.objects.filter(service=SCREENED_CHANNELS[channel]).exists()
    ):
        excluded += _on_ban_register(channel)
    queryset = queryset.filter(
        has_contact,
        on_a_basis,
        Q(birth_date__isnull=True) | Q(birth_date__lte=age_cutoff(today)),
        *[~Q(condition) for condition in excluded],
        erased_at__isnull=True,
        is_restricted=False,
    )
    if use.recent_buyers_only:
        since = dt.datetime.combine(
            months_before(today, TARGETING_MONTHS), dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
        queryset = queryset.filter(
            pk__in=Order.objects.filter(ordered_at__gte=since).values("customer_id")
        )
    return queryset


def publishable(queryset: QuerySet) -> QuerySet:
    """Return the customers of `queryset` whose business may be named in a published list.

    Only business customers (a business id and a company name), never a gift-card redeemer, and
    only until they forbid publication in lists (a ban of that scope on any channel); not
    restricted (GDPR 18) and not erased. Consumers are never listed: nothing asks their consent.
    No one while the statement in force has switched the reference list off.
    """
    if not in_use(vocabulary.REFERENCE_LIST):
        return queryset.none()
    return queryset.filter(
        ~Q(business_id=""),
        ~Q(company=""),
        ~Q(source=Customer.Source.GIFT_CARD),
        ~Q(_banned(PUBLICATION_SCOPES, None)),
        erased_at__isnull=True,
        is_restricted=False,
    )


def is_marketable(customer: Customer, channel: str, *, use: Use = USE_MARKETING) -> bool:
    """Return whether one customer is in the channel's audience for a use."""
    return Customer.objects.filter(pk=customer.pk).marketable(channel, use=use).exists()


def basis_for(customer: Customer, channel: str, *, use: Use = USE_MARKETING) -> str | None:
    """Return the basis on which the customer is in the channel's audience, or None if not."""
    which = Case(
        *[When(_basis_condition(channel, use, b), then=Value(b)) for b in bases(channel, use)],
        default=Value(""),
        output_field=CharField(),
    )
    one = Customer.objects.filter(pk=customer.pk)
    found = marketable(one, channel, use=use).annotate(basis=which).values_list("basis", flat=True)
    return next(iter(found), None) or None


def has_marketing_ban(customer: Customer) -> bool:
    """Return whether the customer has a ban in force that stops marketing (any channel)."""
    return customer.bans.filter(lifted_at__isnull=True, scope__in=BLOCKING_SCOPES).exists()


def contact_keys(customer: Customer) -> set[tuple[str, str]]:
    """Return (kind, normalised value) of every email and phone the customer gave us.

    The customer's own details and those on their orders; these are what the suppression list
    holds (hashed) after an objection, so the person stays out of every future audience.
    """
    emails = {customer.email}
    phones = {customer.phone}
    for email, phone in Order.objects.filter(customer=customer).values_list(
        "billing_email", "billing_phone"
    ):
        emails.add(email)
        phones.add(phone)
    values: set[tuple[str, str]] = set()
    for email in filter(None, emails):
        values.add((SuppressionEntry.Kind.EMAIL, email.strip().lower()))
    for phone in filter(None, phones):
        try:
            values.add((SuppressionEntry.Kind.PHONE, v.normalise_phone(phone)))
        except ValidationError:
            # A malformed legacy number is suppressed as stored.
            values.add((SuppressionEntry.Kind.PHONE, phone.strip()))
    return values


def consents_in_force() -> QuerySet:
    """Return the consent events in force, of any purpose and channel.

    An event is in force when it grants consent and no later event exists for the same customer,
    purpose and channel.
    """
    later = ConsentEvent.objects.filter(
        customer=OuterRef("customer"), purpose=OuterRef("purpose"), channel=OuterRef("channel")
    ).filter(
        Q(occurred_at__gt=OuterRef("occurred_at"))
        | Q(occurred_at=OuterRef("occurred_at"), pk__gt=OuterRef("pk"))
    )
    return ConsentEvent.objects.filter(is_granted=True).filter(~Exists(later))


# The contact detail each channel reaches a person at, and the suppression list's kind for it.
_CHANNEL_CONTACT = {
    Channel.EMAIL: ("email", SuppressionEntry.Kind.EMAIL),
    Channel.SMS: ("phone", SuppressionEntry.Kind.PHONE),
    Channel.PHONE: ("phone", SuppressionEntry.Kind.PHONE),
}


def lift_suppression(*, customer: Customer, channel: str) -> int:
    """Remove the suppression of the contact detail a new consent for `channel` is given to.

    A suppressed detail is an earlier objection to direct marketing (GDPR 21(3)); the person's
    own new consent to be contacted there is the newer wish, and ends it (the SUPPRESSION rule).
    Entries hashed under any of the suppression keys go. Returns how many entries went.
    """
    field, kind = _CHANNEL_CONTACT.get(channel, (None, None))
    value = getattr(customer, field, "") if field else ""
    if not value:
        return 0
    normalised = value.strip().lower() if kind == SuppressionEntry.Kind.EMAIL else value.strip()
    deleted, _by_model = SuppressionEntry.objects.filter(
        kind=kind, value_hash__in=keyed_hashes(kind, normalised)
    ).delete()
    return deleted
