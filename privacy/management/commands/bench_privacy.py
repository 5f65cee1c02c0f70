import datetime as dt
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from customers.models import Customer, Order, OrderLine, Shipment, TrackingEvent
from privacy.access import (
    build_access_archive,
    build_access_json,
    build_access_pdf,
    exported_tables,
)
from privacy.erasure import erase_customer
from privacy.pdf import render_pdf


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Time the access package (JSON + PDF) and the erasure of a customer with 500 orders and "
        "5,000 tracking events; targets under 2 s and 1 s. Everything is rolled back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--orders", type=int, default=500)
        parser.add_argument("--events", type=int, default=5000)

    def handle(self, *args, orders: int, events: int, **options) -> None:
        try:
            with transaction.atomic():
                self._run(orders, events)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, order_count: int, event_count: int) -> None:
        customer = self.create_customer(order_count, event_count)
        self._time(customer)

    def create_customer(self, order_count: int, event_count: int) -> Customer:
        """Create the benchmark customer with its orders, shipments and tracking events."""
        customer = Customer.objects.create(
            first_name="Benkki",
            last_name="Mittari",
            email="benkki.mittari@example.fi",
            phone="+358401234567",
            street_address="Mittakuja 1",
            postal_code="00100",
            post_office="Helsinki",
        )
        now = timezone.now()
        orders = Order.objects.bulk_create(
            Order(
                customer=customer,
                number=f"BENCH{i:08d}",
                ordered_at=now - dt.timedelta(days=i),
                billing_name="Benkki Mittari",
                billing_email=customer.email,
                delivery_name="Benkki Mittari",
                delivery_street="Mittakuja 1",
                total_net=Decimal("10.00"),
                total_vat=Decimal("2.55"),
                total_gross=Decimal("12.55"),
            )
            for i in range(order_count)
        )
        OrderLine.objects.bulk_create(
            OrderLine(order=o, product_name="Tuote", unit_price_net=Decimal("10.00"))
            for o in orders
        )
        shipments = Shipment.objects.bulk_create(
            Shipment(order=o, carrier="posti", tracking_code=f"JJFI{o.pk:012d}") for o in orders
        )
        per_shipment = max(1, event_count // len(shipments))
        TrackingEvent.objects.bulk_create(
            TrackingEvent(
                shipment=s,
                occurred_at=now,
                status="in_transit",
                description="Kuljetuksessa",
                location="Vantaa",
            )
            for s in shipments
            for _ in range(per_shipment)
        )
        self.stdout.write(
            f"Customer with {len(orders)} orders, {len(shipments) * per_shipment} tracking events."
        )
        return customer

    def _time(self, customer: Customer) -> None:
        # A web or task worker has WeasyPrint's fonts loaded already; the first render of a
        # process pays for loading them, so it is timed and reported apart.
        started = time.perf_counter()
        render_pdf("<p>.</p>", title="", author="", language="fi")
        self.stdout.write(
            f"WeasyPrint start-up (once per process): {time.perf_counter() - started:.2f} s"
        )

        started = time.perf_counter()
        tables = exported_tables(customer)
        json_bytes = build_access_json(customer=customer, tables=tables)
        build_access_archive(json_bytes=json_bytes, tables=tables)
        json_done = time.perf_counter()
        pdf = build_access_pdf(customer=customer, tables=tables)
        pdf_done = time.perf_counter()
        self.stdout.write(
            f"Access package: JSON+ZIP {json_done - started:.2f} s ({len(json_bytes)} bytes), "
            f"PDF {pdf_done - json_done:.2f} s ({len(pdf)} bytes), "
            f"total {pdf_done - started:.2f} s (target < 2 s)"
        )

        started = time.perf_counter()
        result = erase_customer(customer=customer, record=False)
        erased = time.perf_counter()
        self.stdout.write(
            f"Erasure: {erased - started:.2f} s (target < 1 s); "
            f"{sum(result.deleted.values())} rows deleted, "
            f"{sum(result.anonymised.values())} rows anonymised"
        )
