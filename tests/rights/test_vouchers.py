"""A paid order is an accounting voucher: kept as booked until its retention ends, then erased.

Kirjanpitolaki 1336/1997 2:10 §: vouchers 6 years from the end of the calendar year in which the
financial year ended; a business buyer's invoice shows its name and address (ALV 209 e §).
Meanwhile the voucher serves bookkeeping alone.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from customers.models import Order
from privacy.declaration import Erasure
from rights.erasure import erase_customer, plan_erasure
from rights.retention import retention_sweep
from tests.factories import CustomerFactory, OrderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("finnish")]

HELSINKI = ZoneInfo("Europe/Helsinki")


def _voucher_customer():
    customer = CustomerFactory(company="Rakennus Oy", email="ostaja@rakennus.example")
    order = OrderFactory(
        customer=customer,
        ordered_at=dt.datetime(2024, 3, 10, 12, tzinfo=HELSINKI),
        invoice_state=Order.InvoiceState.PAID,
        billing_name="Rakennus Oy",
        billing_street="Tehdaskatu 5",
        billing_postal_code="33100",
        billing_post_office="Tampere",
        billing_email="laskut@rakennus.example",
        delivery_name="Työmaa Hervanta",
    )
    return customer, order


def test_the_plan_keeps_the_booked_voucher_until_its_dated_end(settings):
    settings.ACCOUNTING_YEAR_END = (12, 31)
    customer, _order = _voucher_customer()
    items = {(i.model, i.field): i for i in plan_erasure(customer=customer).items}
    name = items["customers.Order", "billing_name"]
    assert name.action == Erasure.KEEP
    assert "Kirjanpitolain" in name.legal_reason
    assert name.kept_until == dt.date(2030, 12, 31)
    assert items["customers.Order", "billing_email"].action == Erasure.ANONYMISE
    assert items["customers.Order", "delivery_name"].action == Erasure.ANONYMISE


def test_the_sweep_erases_the_voucher_on_the_day_after_its_retention_ends(settings):
    settings.ACCOUNTING_YEAR_END = (12, 31)
    customer, order = _voucher_customer()
    erase_customer(customer=customer)
    order.refresh_from_db()
    assert (order.billing_name, order.billing_street) == ("Rakennus Oy", "Tehdaskatu 5")
    assert order.billing_email == order.delivery_name == ""

    last_day = dt.datetime(2030, 12, 31, 12, tzinfo=HELSINKI)
    assert retention_sweep(now=last_day)["orders_past_accounting_retention"] == 0
    order.refresh_from_db()
    assert order.billing_name == "Rakennus Oy"

    next_day = dt.datetime(2031, 1, 1, 12, tzinfo=HELSINKI)
    assert retention_sweep(now=next_day)["orders_past_accounting_retention"] == 1
    order.refresh_from_db()
    assert order.billing_name == order.billing_street == order.billing_post_office == ""
    # What remains names nobody: the amounts and the date of a sale.
    assert order.total_gross and order.ordered_at


def test_only_the_bookkeeping_role_sees_an_erased_customers_vouchers(
    client, customer_service, register_admin, otp_login
):
    customer, order = _voucher_customer()
    erase_customer(customer=customer)
    url = f"/hallinta/customers/order/{order.pk}/change/"
    otp_login(client, customer_service)
    assert client.get(url).status_code == 302  # "no such order", back to the list
    listing = client.get("/hallinta/customers/order/").content.decode()
    assert str(order.number) not in listing
    assert client.get(f"/hallinta/customers/customer/{customer.pk}/change/").status_code == 302
    otp_login(client, register_admin)
    assert client.get(url).status_code == 200
