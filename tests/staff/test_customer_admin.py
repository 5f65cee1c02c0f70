import pytest
from django.urls import reverse

from customers import validators as v
from tests.factories import (
    ConsentEventFactory,
    CustomerNoteFactory,
    MarketingBanFactory,
    OrderLineFactory,
    ShipmentFactory,
    TrackingEventFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


@pytest.fixture
def shop():
    line = OrderLineFactory()
    order = line.order
    shipment = ShipmentFactory(order=order)
    TrackingEventFactory(shipment=shipment, status="at_pickup_point", location="Tampere")
    customer = order.customer
    ConsentEventFactory(customer=customer)
    MarketingBanFactory(customer=customer)
    CustomerNoteFactory(customer=customer, body="Reklamaatio käsitelty.")
    return customer, order, shipment


def test_every_admin_list_and_add_page_loads(staff_client, shop):
    from django.contrib import admin

    for model in admin.site._registry:
        if model._meta.app_label not in {"customers", "privacy"}:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        response = staff_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, info


def test_customer_page_shows_orders_consents_bans_and_notes(staff_client, shop):
    customer, order, _ = shop
    response = staff_client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert order.number in body
    assert "uutiskirje" in body
    assert "suoramarkkinointi" in body
    assert "Reklamaatio käsitelty." in body
    assert "Sähköpostiosoite" in body or "sähköpostiosoite" in body


def test_order_page_shows_lines_shipments_and_tracking_events(staff_client, shop):
    _, order, shipment = shop
    response = staff_client.get(reverse("admin:customers_order_change", args=[order.pk]))
    body = response.content.decode()
    assert "Postikortti" in body
    assert shipment.tracking_code in body
    assert "Tampere" in body
    response = staff_client.get(reverse("admin:customers_shipment_change", args=[shipment.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "key", ["number", "spaced_number", "email", "phone", "local_phone", "surname"]
)
def test_customer_search_finds_a_customer_by_each_key(staff_client, shop, key):
    customer, _, _ = shop
    term = {
        "number": customer.number,
        "spaced_number": v.format_customer_number(customer.number),
        "email": customer.email.upper(),
        "phone": customer.phone,
        "local_phone": v.format_phone(customer.phone),
        "surname": customer.last_name[2:7].lower(),
    }[key]
    response = staff_client.get(reverse("admin:customers_customer_changelist"), {"q": term})
    assert response.status_code == 200
    assert customer.email in response.content.decode()


def test_a_bad_value_in_the_customer_form_is_named_in_finnish(staff_client, shop):
    customer, _, _ = shop
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    response = staff_client.post(
        url,
        {
            "first_name": "Aino",
            "last_name": "Virtanen",
            "preferred_language": "fi",
            "email": customer.email,
            "phone": "123",
            "postal_code": "001",
            "country": "FI",
            "source": "registration",
            "business_id": "1234567-8",
            "last_activity_at_0": "1.1.2026",
            "last_activity_at_1": "12:00:00",
            "loaded_version": customer.updated_at.isoformat(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Puhelinnumero 123 ei ole kelvollinen." in body
    assert "Postinumeron 001 pitää olla viisi numeroa." in body
    customer.refresh_from_db()
    assert customer.phone != "123"
