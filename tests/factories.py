"""factory_boy factories for the register's models."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from customers.models import (
    ConsentEvent,
    Customer,
    CustomerNote,
    MarketingBan,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    first_name = "Aino"
    last_name = factory.Sequence(lambda n: f"Virtanen{n}")
    street_address = "Mannerheimintie 1 A 2"
    postal_code = "00100"
    post_office = "Helsinki"
    phone = factory.Sequence(lambda n: f"+35840{1000000 + n}")
    email = factory.Sequence(lambda n: f"aino.virtanen{n}@example.fi")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    customer = factory.SubFactory(CustomerFactory)
    number = factory.Sequence(lambda n: f"T{n:08d}")
    ordered_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    billing_name = factory.LazyAttribute(lambda o: o.customer.full_name)
    billing_email = factory.LazyAttribute(lambda o: o.customer.email)
    delivery_name = factory.LazyAttribute(lambda o: o.customer.full_name)
    delivery_street = factory.LazyAttribute(lambda o: o.customer.street_address)
    delivery_postal_code = "00100"
    delivery_post_office = "Helsinki"
    total_net = Decimal("10.00")
    total_vat = Decimal("2.55")
    total_gross = Decimal("12.55")


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product_name = "Postikortti"
    quantity = 1
    unit_price_net = Decimal("10.00")
    vat_rate = Decimal("25.5")


class ShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shipment

    order = factory.SubFactory(OrderFactory)
    carrier = "posti"
    tracking_code = factory.Sequence(lambda n: f"JJFI{n:012d}")
    shipped_at = factory.LazyFunction(timezone.now)


class TrackingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackingEvent

    shipment = factory.SubFactory(ShipmentFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    status = "delivered"
    description = "Toimitettu vastaanottajalle"
    location = "Helsinki"


class ConsentEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentEvent

    customer = factory.SubFactory(CustomerFactory)
    purpose = "newsletter"
    channel = "email"
    is_granted = True
    via = "portal"


class MarketingBanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketingBan

    customer = factory.SubFactory(CustomerFactory)
    channel = "all"
    scope = "direct_marketing"
    via = "portal"


class CustomerNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerNote

    customer = factory.SubFactory(CustomerFactory)
    body = "Asiakas kysyi toimituksen tilaa."
