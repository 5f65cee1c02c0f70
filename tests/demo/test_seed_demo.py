import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from customers import validators as v
from customers.models import ConsentEvent, Customer, Order, Shipment, TrackingEvent
from staff.roles import CUSTOMER_SERVICE, MARKETING, REGISTER_ADMIN
from statement.models import Controller
from statement.publishing import stale_reason


def _snapshot():
    return list(
        Customer.objects.order_by("number").values_list(
            "number", "first_name", "last_name", "email", "phone", "postal_code"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_seed_demo_creates_the_demo_shop_staff_and_customers(capsys, settings):
    call_command("seed_demo", customers=60, seed=3)
    out = capsys.readouterr().out
    # The accounts go to the credentials file, a test's own (tests/conftest.py): a test run
    # never replaces the developer's var/demo-credentials.txt.
    written = settings.DEMO_CREDENTIALS_FILE.read_text(encoding="utf-8")
    assert Controller.current().name == "Esimerkkikauppa Oy"
    assert Customer.objects.count() == 60
    assert Order.objects.exists() and Shipment.objects.exists()
    assert TrackingEvent.objects.exists() and ConsentEvent.objects.exists()
    for username in ("paakayttaja", "asiakaspalvelu", "markkinointi"):
        assert username in out and username in written
    assert {g.name for g in Group.objects.all()} == {REGISTER_ADMIN, CUSTOMER_SERVICE, MARKETING}
    for customer in Customer.objects.all():
        customer.full_clean()
        v.validate_customer_number(customer.number)
        assert v.normalise_phone(customer.phone) == customer.phone
        if customer.business_id:
            assert v.normalise_business_id(customer.business_id) == customer.business_id
    for order in Order.objects.prefetch_related("lines"):
        gross = sum(line.total_gross for line in order.lines.all())
        assert order.total_gross == gross
    # The statement it publishes tells what the seeded register does (the screening included).
    assert stale_reason() is None


@pytest.mark.django_db(transaction=True)
def test_seed_demo_is_deterministic_for_a_seed():
    call_command("seed_demo", customers=40, seed=11)
    first = _snapshot()
    Order.objects.all().delete()
    Customer.objects.all().delete()
    call_command("seed_demo", customers=40, seed=11)
    assert _snapshot() == first


@pytest.mark.django_db(transaction=True)
def test_seed_demo_refuses_a_non_empty_register_without_append():
    call_command("seed_demo", customers=5, seed=1)
    with pytest.raises(CommandError, match="--append"):
        call_command("seed_demo", customers=5, seed=2)
    call_command("seed_demo", customers=5, seed=2, append=True)
    assert Customer.objects.count() == 10
