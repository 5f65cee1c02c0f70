"""The demo shop's postal and phone audiences: non-empty, and screened against its lists."""

import pytest
from django.core.management import call_command

from customers.audiences import audience_rows
from customers.hashing import address_key, keyed_hash, phone_key
from customers.models import BanRegisterEntry, BanRegisterImport, Customer


@pytest.mark.django_db(transaction=True)
def test_the_demo_shops_post_and_phone_audiences_are_non_empty_and_screened():
    call_command("seed_demo", customers=300, seed=5)
    assert set(BanRegisterImport.objects.values_list("service", flat=True)) == {"post", "phone"}
    for channel, service in (("post", "post"), ("phone", "phone")):
        in_audience = {row[0] for row in audience_rows(channel)}
        assert len(in_audience) > 100
        listed = {
            number
            for number, last, street, code, phone in Customer.objects.values_list(
                "number", "last_name", "street_address", "postal_code", "phone"
            )
            if BanRegisterEntry.objects.filter(
                service=service,
                value_hash=keyed_hash(
                    f"ban_register_{service}",
                    phone_key(phone)
                    if service == "phone"
                    else address_key(last_name=last, street_address=street, postal_code=code),
                ),
            ).exists()
        }
        # The lists name some demo customers, and none of them is in the audience.
        assert len(listed) >= 10
        assert not listed & in_audience
