"""The marketing rules: who may be contacted through a channel, and why not.

`marketable()` is the one place the marketing rule lives; `Customer.objects.marketable(channel)`
calls it, and the export (customers.audiences), the single-customer check and any count read it.
The rules it is made of live here too, each once: the purposes that count as consent, the ban
scopes that block marketing, the age limit, the keyed hash of a contact detail under which the
suppression and restriction lists hold it. The whole rule is
one SQL queryset: the suppression list and the restriction lists hold keyed hashes, which the
query computes for each customer with `KeyedHash` (PostgreSQL builtins; a Python function on
SQLite) so that they are compared in the database. Every condition is a top-level EXISTS or NOT
EXISTS, so PostgreSQL plans a million customers as hash semi- and anti-joins; see
`bench_staff` for the figures.
"""

import datetime as dt
import hashlib
import hmac
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import NotSupportedError
from django.db.models import (
    CharField,
    Exists,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Concat
from django.utils import timezone

from customers import validators as v
from customers.models import (
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

# Consent to either purpose for a channel is consent to market through it.
MARKETING_PURPOSES = (ConsentPurpose.DIRECT_MARKETING, ConsentPurpose.NEWSLETTER)
# Either ban stops marketing: distance selling is marketing with an offer to buy.
BLOCKING_SCOPES = (BanScope.DIRECT_MARKETING, BanScope.DISTANCE_SELLING)
# A child under 13 cannot consent alone (Tietosuojalaki 1050/2018 5 §).
MINIMUM_AGE = 13
# The restriction services (ASML) screen addressed direct mail and telemarketing.
SCREENED_CHANNELS = {Channel.POST: "post", Channel.PHONE: "phone"}
# Why a person is in the email audience: the sender may use the existing-customer basis only for
# the shop's own similar products, with an opt-out in every message (917/2014 200 § 2 mom.).
BASIS_CONSENT = "consent"
BASIS_EXISTING_CUSTOMER = "existing_customer"
# What a postal restriction-list entry is matched on: conservative, so a namesake at the same
# address is left out too (an opt-out list errs towards not sending).
ADDRESS_KEY_FIELDS = ("last_name", "street_address", "postal_code")

# A person without the channel's contact detail cannot be in its audience.
REQUIRED: dict[str, list[str]] = {
    Channel.EMAIL: ["email"],
    Channel.SMS: ["phone"],
    Channel.POST: ["street_address", "postal_code", "post_office"],
    Channel.PHONE: ["phone"],
}


def keyed_hash(kind: str, value: str) -> str:
    """Return the HMAC-SHA256 (keyed with SECRET_KEY) of "kind:value", as hex.

    The suppression list and the restriction lists hold contact details so, which cannot be
    reversed by hashing guessed addresses; KeyedHash computes the same in SQL.
    """
    message = f"{kind}:{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def normalise_text(value: str) -> str:
    """Return letters and digits only, upper-cased: "Hämeentie 5 a-3" → "HÄMEENTIE5A3"."""
    return "".join(ch for ch in value or "" if ch.isalnum()).upper()


def address_key(*, last_name: str, street_address: str, postal_code: str) -> str:
    """Return the key a postal ban-register entry is matched on (AddressKey in SQL)."""
    return "|".join(normalise_text(v) for v in (last_name, street_address, postal_code))


def phone_key(phone: str) -> str:
    """Return the key a phone ban-register entry is matched on: the number in E.164."""
    return (phone or "").strip()


def _hmac_pads() -> tuple[bytes, bytes]:
    """Return HMAC's inner and outer padded keys (RFC 2104), for computing it in SQL."""
    key = settings.SECRET_KEY.encode()
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def _sqlite_function(connection, name: str, arity: int, function) -> None:
    connection.ensure_connection()
    connection.connection.create_function(name, arity, function, deterministic=True)


class KeyedHash(Func):
    """SQL for keyed_hash(kind, expression): the value of a column hashed as the lists hold it."""

    output_field = CharField()

    def __init__(self, expression, *, kind: str) -> None:
        super().__init__(expression)
        self.kind = kind

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("KeyedHash supports PostgreSQL and SQLite.")

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        inner, outer = _hmac_pads()
        # HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) with builtins only (no pgcrypto).
        template = (
            "ENCODE(SHA256(%s::bytea || SHA256(%s::bytea || "
            f"CONVERT_TO(%s || COALESCE(({sql})::text, ''), 'UTF8'))), 'hex')"
        )
        return template, (outer, inner, f"{self.kind}:", *params)

    def as_sqlite(self, compiler, connection, **extra):
        _sqlite_function(
            connection, "rk_keyed_hash", 2, lambda kind, value: keyed_hash(kind, value or "")
        )
        sql, params = compiler.compile(self.source_expressions[0])
        return f"rk_keyed_hash(%s, {sql})", (self.kind, *params)


class NormalisedText(Func):
    """SQL for normalise_text(expression)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("NormalisedText supports PostgreSQL and SQLite.")

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"UPPER(REGEXP_REPLACE(COALESCE({sql}, ''), '[^[:alnum:]]+', '', 'g'))", params

    def as_sqlite(self, compiler, connection, **extra):
        _sqlite_function(connection, "rk_normalise_text", 1, normalise_text)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"rk_normalise_text({sql})", params


def current_consents(channel: str, *, granted: bool) -> QuerySet:
    """Return consent events still in force for the channel: grants (or withdrawals) to market.

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
        channel=channel, purpose__in=MARKETING_PURPOSES, is_granted=granted
    ).filter(~Exists(later))


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


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Return a person's age in whole years on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def can_consent_alone(birth_date: dt.date | None, day: dt.date) -> bool:
    """Return whether a person born on `birth_date` may consent alone on `day` (unknown: yes)."""
    return birth_date is None or age_on(birth_date, day) >= MINIMUM_AGE


def age_cutoff(today: dt.date) -> dt.date:
    """Return the latest birth date of a person who is at least MINIMUM_AGE today."""
    try:
        return today.replace(year=today.year - MINIMUM_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - MINIMUM_AGE, day=28)


def existing_customer_notice_since() -> dt.datetime | None:
    """Return when the checkout began informing buyers of email marketing, or None if never."""
    day = settings.EXISTING_CUSTOMER_NOTICE_SINCE
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _on_ban_register(channel: str) -> Exists:
    service = SCREENED_CHANNELS[channel]
    if channel == Channel.PHONE:
        key = KeyedHash(OuterRef("phone"), kind=f"ban_register_{service}")
    else:
        key = KeyedHash(
            Concat(
                *_join("|", [NormalisedText(OuterRef(name)) for name in ADDRESS_KEY_FIELDS]),
                output_field=CharField(),
            ),
            kind=f"ban_register_{service}",
        )
    return Exists(BanRegisterEntry.objects.filter(service=service, value_hash=key))


def _join(separator: str, parts: list) -> list:
    joined: list = []
    for part in parts:
        if joined:
            joined.append(Value(separator))
        joined.append(part)
    return joined


def _suppressed() -> list[Exists]:
    """Return the conditions "the customer's email (phone) is on the suppression list".

    A suppressed detail is an objection the person made before (GDPR 21(3)); it keeps them out
    of every channel, not only the one the detail belongs to. A kind with no entries adds no
    condition (one cheap query to know): hashing every customer's detail would find nothing.
    """
    return [
        Exists(
            SuppressionEntry.objects.filter(
                kind=kind, value_hash=KeyedHash(OuterRef(field), kind=kind)
            )
        )
        for field, kind in (
            ("email", SuppressionEntry.Kind.EMAIL),
            ("phone", SuppressionEntry.Kind.PHONE),
        )
        if SuppressionEntry.objects.filter(kind=kind).exists()
    ]


def _basis_condition(channel: str, basis: str | None) -> Q:
    """Return who may be contacted on which basis; None: on either basis."""
    consented = Exists(current_consents(channel, granted=True).filter(customer=OuterRef("pk")))
    notice_since = existing_customer_notice_since()
    if channel != Channel.EMAIL or notice_since is None:
        return Q(consented) if basis != BASIS_EXISTING_CUSTOMER else Q(pk__in=[])
    # The existing-customer exception (917/2014 200 § 2 mom.): an address obtained in a sale
    # after the checkout told the buyer about it may be used for the seller's own similar
    # products unless the customer opted out. A gift-card redeemer bought nothing themselves.
    # An IN-subquery rather than a correlated EXISTS: it plans as one hash semi-join over the
    # orders instead of an index probe per customer.
    informed_purchase = Q(
        pk__in=Order.objects.filter(ordered_at__gte=notice_since).values("customer_id")
    )
    opted_out = Exists(current_consents(channel, granted=False).filter(customer=OuterRef("pk")))
    existing = informed_purchase & ~Q(opted_out) & ~Q(source=Customer.Source.GIFT_CARD)
    if basis == BASIS_CONSENT:
        return Q(consented)
    if basis == BASIS_EXISTING_CUSTOMER:
        # Disjoint from the consent basis, so the two parts of an export never repeat a person.
        return existing & ~Q(consented)
    return Q(consented) | existing


def marketable(
    queryset: QuerySet, channel: str, *, basis: str | None = None, today: dt.date | None = None
) -> QuerySet:
    """Return the customers of `queryset` who may be marketed to through `channel`.

    Everyone in it has consented to marketing through the channel (or, for email, is an
    existing customer informed at purchase who has not opted out, 917/2014 200 §), has the
    channel's contact detail, no active ban for it, is not on the suppression list or (post,
    phone) the imported restriction list, not restricted (GDPR 18), not erased and not under 13.
    `basis` limits it to those on one basis (BASIS_CONSENT or BASIS_EXISTING_CUSTOMER): each
    such part is a chain of semi- and anti-joins, which is how the export reads a million
    customers in seconds; without it, the two bases are OR-ed (fine for a few customers).
    """
    if channel not in REQUIRED:
        raise ValueError(f"Unknown marketing channel {channel!r}.")
    today = today or timezone.localdate()
    banned = Exists(
        MarketingBan.objects.filter(
            customer=OuterRef("pk"),
            lifted_at__isnull=True,
            scope__in=BLOCKING_SCOPES,
            channel__in=[channel, "all"],
        )
    )
    has_contact = Q()
    for name in REQUIRED[channel]:
        has_contact &= ~Q(**{name: ""})
    # Each exclusion is its own NOT EXISTS, so PostgreSQL can plan it as an anti-join.
    excluded = [banned, *_suppressed()]
    if (
        channel in SCREENED_CHANNELS
        and BanRegisterEntry.objects.filter(service=SCREENED_CHANNELS[channel]).exists()
    ):
        excluded.append(_on_ban_register(channel))
    return queryset.filter(
        has_contact,
        _basis_condition(channel, basis),
        Q(birth_date__isnull=True) | Q(birth_date__lte=age_cutoff(today)),
        *[~Q(condition) for condition in excluded],
        erased_at__isnull=True,
        is_restricted=False,
    )


def is_marketable(customer: Customer, channel: str) -> bool:
    """Return whether one customer is in the channel's audience."""
    return Customer.objects.filter(pk=customer.pk).marketable(channel).exists()


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
    Returns how many entries went.
    """
    field, kind = _CHANNEL_CONTACT.get(channel, (None, None))
    value = getattr(customer, field, "") if field else ""
    if not value:
        return 0
    normalised = value.strip().lower() if kind == SuppressionEntry.Kind.EMAIL else value.strip()
    deleted, _by_model = SuppressionEntry.objects.filter(
        kind=kind, value_hash=keyed_hash(kind, normalised)
    ).delete()
    return deleted
