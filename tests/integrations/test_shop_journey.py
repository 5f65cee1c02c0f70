"""The issue's journey: a shop pushes everything, retries every call, staff see one of each."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from customers.models import Customer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_statement")]

CALLS = [
    (
        "put",
        "/api/v1/customers/wc-1001/",
        {
            "first_name": "Aino",
            "last_name": "Mäkelä",
            "email": "aino.makela@example.fi",
            "phone": "040 123 4567",
            "street_address": "Hämeenkatu 1",
            "postal_code": "33100",
            "post_office": "Tampere",
        },
    ),
    (
        "post",
        "/api/v1/orders/",
        {
            "external_id": "o-5001",
            "number": "T-5001",
            "customer": "wc-1001",
            "ordered_at": "2026-11-01T12:00:00+02:00",
            "status": "paid",
            "lines": [
                {"product_name": "Kahvikuppi", "quantity": 2, "unit_price_net": "10.00"},
                {
                    "product_name": "Kirja",
                    "quantity": 1,
                    "unit_price_net": "20.00",
                    "vat_rate": "14",
                },
            ],
        },
    ),
    (
        "post",
        "/api/v1/shipments/",
        {
            "external_id": "s-1",
            "order": "o-5001",
            "carrier": "matkahuolto",
            "tracking_code": "MH123456789FI",
            "shipped_at": "2026-11-02T08:00:00+02:00",
        },
    ),
    (
        "post",
        "/api/v1/shipments/s-1/events/",
        {
            "events": [
                {"occurred_at": "2026-11-02T08:00:00+02:00", "status": "received"},
                {"occurred_at": "2026-11-03T09:30:00+02:00", "status": "delivered"},
            ]
        },
    ),
    (
        "post",
        "/api/v1/consents/",
        {
            "customer": "wc-1001",
            "purpose": "newsletter",
            "channel": "email",
            "is_granted": True,
            "occurred_at": "2026-11-01T12:00:00+02:00",
            "statement_version": 1,
        },
    ),
]


def _total_forms(page: str, prefix: str) -> int:
    return int(re.search(rf'name="{prefix}-TOTAL_FORMS" value="(\d+)"', page).group(1))


def test_shop_pushes_everything_retries_each_call_and_staff_see_exactly_one_of_each(
    client, register_admin, otp_login
):
    staff = otp_login(client, register_admin)
    created = staff.post(
        reverse("admin:integrations_apitoken_add"),
        {"name": "Verkkokauppa", "scopes": ["customers:write", "orders:write", "marketing:write"]},
    )
    secret = re.search(r'id="api-token-secret">(rk_[^<]+)<', created.content.decode()).group(1)
    shop = APIClient()
    shop.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    for n, (method, path, body) in enumerate(CALLS):
        headers = {"Idempotency-Key": f"push-{n}"} if method == "post" else {}
        first = getattr(shop, method)(path, body, format="json", headers=headers)
        # A retry after a lost answer, with the same key, and one without the key.
        retried = getattr(shop, method)(path, body, format="json", headers=headers)
        again = getattr(shop, method)(path, body, format="json")
        assert first.status_code in (200, 201), (path, first.json())
        assert retried.json() == first.json()
        assert again.status_code == 200, (path, again.json())

    found = staff.get(
        reverse("admin:customers_customer_changelist"), {"q": "aino.makela@example.fi"}
    )
    assert found.content.decode().count('class="field-formatted_number"') == 1
    customer_id = re.search(r"/hallinta/customers/customer/(\d+)/change/", found.content.decode())

    page = staff.get(
        reverse("admin:customers_customer_change", args=[customer_id.group(1)])
    ).content.decode()
    customer = Customer.objects.get(pk=customer_id.group(1))
    assert customer.orders.count() == 1 and customer.consents.count() == 1
    assert len(set(re.findall(r"/hallinta/customers/order/(\d+)/change/", page))) == 1
    assert page.count("MH123456789FI") == 1
    assert "Tilauksia 1;" in page
    # The audit trail shows the shop's writes: the customer, order, shipment, events, consent.
    assert page.count("Rajapinta: Verkkokauppa") == 5

    order_page = staff.get(
        reverse("admin:customers_order_changelist"), {"q": "T-5001"}
    ).content.decode()
    order_id = re.search(r"/hallinta/customers/order/(\d+)/change/", order_page).group(1)
    order = staff.get(reverse("admin:customers_order_change", args=[order_id])).content.decode()
    assert _total_forms(order, "lines") == 2
    assert _total_forms(order, "shipments") == 1
    assert "47.90" in order or "47,90" in order
    shipment_id = re.search(r"/hallinta/customers/shipment/(\d+)/change/", order).group(1)
    shipment = staff.get(
        reverse("admin:customers_shipment_change", args=[shipment_id])
    ).content.decode()
    assert _total_forms(shipment, "events") == 2
