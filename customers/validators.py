"""Normalisers and validators for Finnish register data.

Each `normalise_*` function returns the canonical stored form or raises `ValidationError` with a
Finnish message; the model fields, forms, API and CSV import all call these, so every path agrees.
"""

import datetime as dt
import functools
import random
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.fi import ytunnus

# How far ahead of the register's clock a time another system sends may be: the web shop's clock,
# the network, a webhook arriving seconds after the order. Beyond it, the time is in the future.
CLOCK_SKEW = dt.timedelta(minutes=5)

POSTAL_CODE_RE = re.compile(r"^[0-9]{5}$")
BUSINESS_ID_RE = re.compile(r"^[0-9]{7}-[0-9]$")
E164_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")
CUSTOMER_NUMBER_RE = re.compile(r"^[1-9][0-9]{8}$")

_system_random = random.SystemRandom()
_email_validator = EmailValidator(message=_("Anna kelvollinen sähköpostiosoite."))


def normalise_business_id(value: str) -> str:
    """Return a Y-tunnus in the canonical `1234567-8` form, checking its check digit."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        compact = ytunnus.validate(value)
    except ytunnus.InvalidChecksum:
        raise ValidationError(
            _("Y-tunnuksen %(value)s tarkistusmerkki ei täsmää."),
            code="business_id_checksum",
            params={"value": value},
        ) from None
    except ytunnus.ValidationError:
        raise ValidationError(
            _("Y-tunnus %(value)s ei ole muotoa 1234567-8."),
            code="business_id_format",
            params={"value": value},
        ) from None
    return f"{compact[:7]}-{compact[7]}"


def business_id_check_digit(first_seven: str) -> str | None:
    """Return the check digit for seven Y-tunnus digits, or None when no digit is valid."""
    for digit in "0123456789":
        if ytunnus.is_valid(first_seven + digit):
            return digit
    return None


def normalise_phone(value: str, region: str = "FI") -> str:
    """Return a phone number in E.164; Finnish local forms like `040 123 4567` are accepted."""
    value = (value or "").strip()
    if not value:
        return ""
    return _parse_phone(value, region or "FI")


# An import meets each number twice or more (the customer, then each of their orders; the cache
# holds a 100,000-customer export's), and parsing one with `phonenumbers` is most of the time
# spent reading an order. A number that fails is not cached: its error is raised each time.
@functools.lru_cache(maxsize=131_072)
def _parse_phone(value: str, region: str) -> str:
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Puhelinnumero %(value)s ei ole kelvollinen."),
            code="phone_format",
            params={"value": value},
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("Puhelinnumero %(value)s ei ole kelvollinen."),
            code="phone_invalid",
            params={"value": value},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    """Return an E.164 number in the national form a Finnish reader expects."""
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, "FI")
    except phonenumbers.NumberParseException:
        return value
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 358
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)


def normalise_email(value: str) -> str:
    """Return an email address trimmed and lower-cased, or raise if it is not an address."""
    value = (value or "").strip().lower()
    if not value:
        return ""
    _email_validator(value)
    return value


def normalise_postal_code(value: str, country: str = "FI") -> str:
    """Return a postal code; Finnish ones must be five digits."""
    value = (value or "").strip().replace(" ", "")
    if value and (country or "FI") == "FI" and not POSTAL_CODE_RE.match(value):
        raise ValidationError(
            _("Postinumeron %(value)s pitää olla viisi numeroa."),
            code="postal_code",
            params={"value": value},
        )
    return value


def new_customer_number(rng: random.Random | None = None) -> str:
    """Return a random nine-digit customer number whose last digit is a Luhn check digit."""
    rng = rng or _system_random
    body = str(rng.randint(10_000_000, 99_999_999))
    return body + luhn.calc_check_digit(body)


def validate_customer_number(value: str) -> None:
    """Check a nine-digit customer number and its Luhn check digit."""
    if not CUSTOMER_NUMBER_RE.match(value or "") or not luhn.is_valid(value):
        raise ValidationError(
            _("Asiakasnumero %(value)s ei ole kelvollinen."),
            code="customer_number",
            params={"value": value},
        )


def compact_customer_number(value: str) -> str:
    """Return a customer number as typed (spaces, dashes) in its stored nine-digit form."""
    return re.sub(r"[\s-]", "", value or "")


def format_customer_number(value: str) -> str:
    """Return a customer number grouped 3+3+3 for reading over the phone."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 9 else value


def normalise_country(value: str, country: str = "FI") -> str:
    """Return an ISO country code upper-cased; Finland when none is given."""
    return (value or "FI").strip().upper()


# The customer fields with a normal form, each with its one normaliser: the model's clean(),
# corrections, the portal and imports all store a value as the one function here returns it.
# Country comes before the postal code, whose format depends on it.
FIELD_NORMALISERS = {
    "email": lambda value, country: normalise_email(value),
    "phone": lambda value, country: normalise_phone(value),
    "business_id": lambda value, country: normalise_business_id(value),
    "country": normalise_country,
    "postal_code": normalise_postal_code,
}


def normalise_field(name: str, value: str, country: str = "FI") -> str:
    """Return a customer field's value as the register stores it, or raise ValidationError.

    `country` is the customer's country (postal codes are checked against it); a field without
    a normal form is only trimmed.
    """
    normaliser = FIELD_NORMALISERS.get(name)
    if normaliser is None:
        return (value or "").strip()
    if name == "postal_code":
        country = normalise_country(country)
    return normaliser(value, country)


def in_the_future(value: dt.datetime) -> bool:
    """Return whether a time another system sent (an order's, a request's) is still to come.

    An order time is the voucher's date its retention counts from, and a request's receipt its
    deadline's start: neither can be later than now, beyond the senders' clock skew.
    """
    return value > timezone.now() + CLOCK_SKEW
