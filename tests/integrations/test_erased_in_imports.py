"""A platform export that still holds a customer the register erased does not bring them back."""

import pytest

from customers.models import Customer, Order
from integrations.csv_import import RowAction, import_customers
from rights.erasure import erase_customer
from tests.integrations.test_platform_imports import fixture, run, snapshot

pytestmark = pytest.mark.django_db

ERASED = (
    "Asiakas on poistettu rekisteristä, mutta verkkokauppa ei ole vielä poistanut häntä. Poista "
    "rivi tiedostosta ja tarkista poistopyynnön sivulta, että verkkokauppa on saanut pyynnön."
)


def _erase(external_id: str) -> None:
    erase_customer(customer=Customer.objects.get(external_id=external_id))


@pytest.mark.parametrize(
    ("export", "external_id", "row"),
    [
        ("shopify_customers.csv", "7012345678901", 2),
        ("woocommerce_customers.csv", "101", 2),
    ],
)
def test_a_customer_export_row_of_an_erased_customer_is_rejected(export, external_id, row):
    run(fixture(export))
    _erase(external_id)
    before = snapshot()

    report = import_customers(data=fixture(export), dry_run=False)

    (rejected,) = report.rejected
    assert (rejected.row, rejected.reasons) == (row, [ERASED])
    assert snapshot() == before
    assert not Customer.objects.active().filter(external_id=external_id).exists()


def test_an_order_export_row_of_an_erased_buyer_is_rejected():
    run(fixture("woocommerce_customers.csv"))
    _erase("101")
    customers = Customer.objects.count()

    report = import_customers(data=fixture("woocommerce_orders.csv"), dry_run=False)

    rejected = report.rejected
    assert rejected and all(r.reasons == [ERASED] for r in rejected)
    assert {r.external_id for r in rejected} == {"5001"}
    assert not Order.objects.exists()
    assert Customer.objects.count() == customers
    assert not Customer.objects.filter(email="helmi.makela@example.fi").exists()


def test_without_the_erased_row_the_rest_of_the_file_imports():
    run(fixture("woocommerce_customers.csv"))
    _erase("101")
    lines = fixture("woocommerce_customers.csv").decode("utf-8-sig").splitlines()
    rest = "\n".join(line for line in lines if not line.startswith("101,")).encode()

    report = run(rest)

    assert report.count(RowAction.REJECT) == 0
    assert not Customer.objects.active().filter(external_id="101").exists()
