"""The webhook figures for `manage.py bench`: a signed Shopify order answered, beside the floor.

The answer is what the platform waits for (Shopify gives up after five seconds and retries): the
signature checked, the event stored and its processing queued. With the database task backend
of production the worker applies it afterwards; the second figure applies it inline, as the
embedded default does, to show what the worker takes off the request.
"""

import itertools
import json
from pathlib import Path

from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from bench.harness import BenchContext, Figure, timed
from platforms.models import Connection
from platforms.services import save_connection
from platforms.webhooks import signature

TARGET = "< 100 ms"
SECRET = "bench-webhook-secret"  # noqa: S105 - a benchmark's own throwaway secret
ORDER = (
    Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "platforms" / "shopify_order.json"
)
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    },
}


# Shared by every poster: each post is a new event and a new order, never a replay.
_NUMBERS = itertools.count(1)


class _Rollback(Exception):
    pass


def _poster(template: dict):
    """Return post(): one signed orders/create of a new order (a new event id and order id)."""
    client = Client()

    def post() -> None:
        n = next(_NUMBERS)
        body = json.dumps({**template, "id": 10**15 + n, "name": f"#B{n}"}).encode()
        response = client.post(
            "/hooks/shopify/",
            body,
            content_type="application/json",
            HTTP_X_SHOPIFY_TOPIC="orders/create",
            HTTP_X_SHOPIFY_HMAC_SHA256=signature(SECRET, body),
            HTTP_X_SHOPIFY_SHOP_DOMAIN="bench.myshopify.com",
            HTTP_X_SHOPIFY_EVENT_ID=f"bench-{n}",
        )
        assert response.status_code == 200, response.status_code

    return post


def webhooks(ctx: BenchContext) -> list[Figure]:
    """Signed Shopify order webhooks vs the framework floor"""
    template = json.loads(ORDER.read_bytes())
    figures = []
    try:
        # Everything the section writes (connection, events, orders, task rows) is rolled back.
        with transaction.atomic():
            save_connection(
                connection=Connection(
                    name="Bench",
                    kind=Connection.Kind.SHOPIFY,
                    base_url="https://bench.myshopify.com",
                ),
                secrets={"webhook_secret": SECRET},
            )
            with override_settings(TASKS=DATABASE_TASKS):
                figures.append(
                    ctx.vs_floor(
                        "signed webhook answered (event stored, work queued)",
                        timed(_poster(template), runs=ctx.runs),
                        target=TARGET,
                    )
                )
            with override_settings(TASKS=IMMEDIATE_TASKS):
                figures.append(
                    ctx.vs_floor(
                        "signed webhook applied in the request (no worker; a new order)",
                        timed(_poster(template), runs=ctx.runs),
                    )
                )
            raise _Rollback
    except _Rollback:
        pass
    return figures


SECTIONS = [webhooks]
