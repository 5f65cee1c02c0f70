"""The privacy section of `manage.py bench` runs and leaves the measured customer as it was."""

import re

import pytest

from bench.harness import discover
from bench.management.commands.bench_privacy import privacy_figures
from bench.sections.privacy import access_and_erasure
from customers.models import Customer
from tests.factories import ShipmentFactory, TrackingEventFactory


@pytest.mark.django_db(transaction=True)
def test_the_privacy_section_measures_beside_its_floors_and_rolls_erasure_back():
    shipment = ShipmentFactory()
    TrackingEventFactory(shipment=shipment)
    customer = shipment.order.customer
    figures = privacy_figures(heavy=customer, runs=3, floor=(1.0, 2.0))
    labels = [f.label for f in figures]
    # The customer's wait first: the click, with the package left to the task worker.
    assert labels[0].startswith("Portal: download click")
    assert figures[0].target == "target < 2000 ms"
    assert labels[1].startswith("Access package JSON + ZIP (")
    assert any(
        re.fullmatch(r"Access package PDF, every row \(\d+ pages; task worker\)", label)
        for label in labels
    )
    assert "Erasure, one transaction (rolled back)" in labels
    for figure in figures:
        assert figure.median_ms > 0 and figure.baseline_median_ms > 0, figure.label
    assert figures[1].baseline_label == "psql \\copy of the same rows"
    # Each press was rolled back: no request filed, nothing queued.
    assert not customer.privacy_requests.exists()
    customer.refresh_from_db()
    assert customer.erased_at is None and customer.email
    assert Customer.objects.filter(pk=customer.pk, orders__shipments__events__isnull=False).exists()
    assert access_and_erasure in discover()[0]
