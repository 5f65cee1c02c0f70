"""The suppression list survives key rotation: its own key, with fallbacks, never SECRET_KEY.

A suppression entry is a keyed hash of a contact detail whose owner was erased; it cannot be
re-hashed, so the key that made it must stay usable. The restriction lists are hashed the same way.
"""

import pytest
from django.utils import timezone

from customers.hashing import keyed_hash, keyed_hashes
from customers.marketing import is_marketable
from customers.models import BanScope, Customer, MarketingBan, SuppressionEntry
from rights.erasure import erase_customer
from tests.factories import ConsentEventFactory, CustomerFactory
from tests.manage_subprocess import run_manage

pytestmark = pytest.mark.django_db

OLD_KEY = "vanha-estolistan-avain-" + "x" * 30
NEW_KEY = "uusi-estolistan-avain-" + "y" * 30


def _objector_erased(email: str, phone: str) -> None:
    """A customer who forbade marketing and was erased: their contacts go on the list."""
    customer = CustomerFactory(email=email, phone=phone)
    MarketingBan.objects.create(
        customer=customer, channel="all", scope=BanScope.DIRECT_MARKETING, via="portal"
    )
    erase_customer(customer=customer)


def _comes_back(email: str, phone: str) -> Customer:
    """The same person registers again and consents, by email, SMS and post."""
    customer = CustomerFactory(email=email, phone=phone)
    for channel in ("email", "sms", "post"):
        ConsentEventFactory(customer=customer, purpose="direct_marketing", channel=channel)
    return customer


def _kept_out(customer: Customer) -> bool:
    return not any(is_marketable(customer, c) for c in ("email", "sms", "post", "phone"))


def test_rotating_the_suppression_key_keeps_the_erased_objector_out(settings):
    settings.SUPPRESSION_KEY, settings.SUPPRESSION_KEY_FALLBACKS = OLD_KEY, []
    _objector_erased("paluu@example.fi", "+358401112223")
    assert SuppressionEntry.objects.filter(
        kind="email", value_hash=keyed_hash("email", "paluu@example.fi", key=OLD_KEY)
    ).exists()

    settings.SUPPRESSION_KEY, settings.SUPPRESSION_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    returning = _comes_back("paluu@example.fi", "+358401112223")
    assert _kept_out(returning)
    assert is_marketable(CustomerFactory(email="muu@example.fi"), "post")

    # What the fallback is for: without it the list would silently be empty.
    settings.SUPPRESSION_KEY_FALLBACKS = []
    assert is_marketable(returning, "email")


def test_new_entries_are_hashed_with_the_current_key_and_old_ones_still_match(settings):
    settings.SUPPRESSION_KEY, settings.SUPPRESSION_KEY_FALLBACKS = OLD_KEY, []
    _objector_erased("eka@example.fi", "+358401112224")
    settings.SUPPRESSION_KEY, settings.SUPPRESSION_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    _objector_erased("toka@example.fi", "+358401112225")
    assert SuppressionEntry.objects.filter(
        value_hash=keyed_hash("email", "toka@example.fi", key=NEW_KEY)
    ).exists()
    assert keyed_hashes("email", "eka@example.fi") == [
        keyed_hash("email", "eka@example.fi", key=NEW_KEY),
        keyed_hash("email", "eka@example.fi", key=OLD_KEY),
    ]
    assert _kept_out(_comes_back("eka@example.fi", "+358401112224"))
    assert _kept_out(_comes_back("toka@example.fi", "+358401112225"))


def test_rotating_secret_key_does_not_touch_the_suppression_list(settings):
    settings.SUPPRESSION_KEY, settings.SUPPRESSION_KEY_FALLBACKS = NEW_KEY, []
    _objector_erased("pysyy@example.fi", "+358401112226")
    settings.SECRET_KEY = "aivan-uusi-salainen-avain-" + "z" * 30
    assert _kept_out(_comes_back("pysyy@example.fi", "+358401112226"))


def test_an_upgraded_installation_keeps_its_secret_key_hashed_entries(settings):
    # Before the suppression key, entries were hashed with SECRET_KEY; the upgrade step puts
    # that SECRET_KEY among the fallbacks (docs/deploy.md, Upgrades).
    SuppressionEntry.objects.create(
        kind="email",
        value_hash=keyed_hash("email", "ennen@example.fi", key=settings.SECRET_KEY),
        created_at=timezone.now(),
    )
    settings.SUPPRESSION_KEY, settings.SUPPRESSION_KEY_FALLBACKS = NEW_KEY, [settings.SECRET_KEY]
    assert _kept_out(_comes_back("ennen@example.fi", "+358401112227"))


def test_the_restriction_lists_match_under_an_old_key_too(settings, register_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from customers.ban_register import import_ban_register, parse_ban_register

    settings.SUPPRESSION_KEY, settings.SUPPRESSION_KEY_FALLBACKS = OLD_KEY, []
    listed = CustomerFactory(phone="+358405556667")
    upload = SimpleUploadedFile("puhelin.csv", b"puhelin\n040 555 6667\n")
    import_ban_register(
        parsed=parse_ban_register(service="phone", upload=upload),
        file_name="puhelin.csv",
        list_date=timezone.localdate(),
        imported_by=register_admin,
    )
    settings.SUPPRESSION_KEY, settings.SUPPRESSION_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert not is_marketable(listed, "phone") and is_marketable(listed, "post")


def test_production_refuses_to_start_without_a_suppression_key():
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "x9ZlQk2v7Hf3Rr8sTt0uWw1yY4aA6bB5cC7dD9eE2fF4gG6hH8jJ0kK1mM3nN5pP",
        "ALLOWED_HOSTS": "rekisteri.example.fi",
    }
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SUPPRESSION_KEY must be set" in result.stderr
    assert "SUPPRESSION_KEY_FALLBACKS" in result.stderr
