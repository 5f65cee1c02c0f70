"""The webhook section of `manage.py bench` answers signed webhooks and leaves nothing behind."""

import pytest

from bench.harness import BenchContext, discover
from bench.sections.webhooks import webhooks
from customers.models import Order
from platforms.models import Connection, WebhookEvent


@pytest.mark.django_db(transaction=True)
def test_the_webhook_section_measures_beside_the_floor_and_rolls_back():
    ctx = BenchContext(size="S", customers=0, runs=3, heavy=None, typical=None, floor=(1.0, 2.0))

    figures = webhooks(ctx)

    assert [f.label for f in figures] == [
        "signed webhook answered (event stored, work queued)",
        "signed webhook applied in the request (no worker; a new order)",
    ]
    assert figures[0].target == "< 100 ms"
    for figure in figures:
        assert figure.median_ms > 0 and figure.baseline_label == "minimal view, one query"
    # Each post was new: none was answered as a replay (every event stored is rolled back).
    assert not Connection.objects.exists()
    assert not WebhookEvent.objects.exists() and not Order.objects.exists()
    assert webhooks in discover()[0]
