"""Random JSON bodies to every write endpoint of the shop's API: never a 500, a clear message on
refusal, and a refused call writes nothing."""

import json

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from integrations.models import ApiToken
from integrations.services import create_api_token
from tests.factories import CustomerFactory, OrderFactory, ShipmentFactory
from tests.reliability import figures
from tests.reliability.counts import BOOKKEEPING, row_counts

pytestmark = pytest.mark.django_db

API_BOOKKEEPING = BOOKKEEPING | {"integrations_apicalllog", "integrations_idempotencyrecord"}
FIELDS = [
    "external_id", "first_name", "last_name", "email", "phone", "street_address", "postal_code",
    "post_office", "country", "company", "business_id", "customer", "number", "ordered_at",
    "invoice_state", "lines", "sku", "product_name", "quantity", "unit_price_net", "vat_rate",
    "total_net", "total_vat", "total_gross", "billing_name", "billing_email", "order", "carrier",
    "tracking_code", "events", "occurred_at", "status", "description", "location", "purpose",
    "is_granted", "channel", "scope", "wording", "statement_version",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(
        [
            "Áilu",
            "O'Brien",
            "<script>alert(1)</script>",
            "\x00",
            "x" * 400,
            "2026-13-45",
            "kauppa-1",
        ]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), children, max_size=8
        ),
    ),
    max_leaves=20,
)
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=12),
    JSON,
)
ENDPOINTS = [
    ("post", "/api/v1/customers/"),
    ("put", "/api/v1/customers/kauppa-1/"),
    ("post", "/api/v1/orders/"),
    ("put", "/api/v1/orders/tilaus-1/"),
    ("post", "/api/v1/shipments/"),
    ("post", "/api/v1/shipments/lahetys-1/events/"),
    ("post", "/api/v1/consents/"),
    ("post", "/api/v1/bans/"),
    ("post", "/api/v1/bans/lift/"),
]


@pytest.fixture
def shop_api(db) -> APIClient:
    customer = CustomerFactory(external_id="kauppa-1")
    ShipmentFactory(
        order=OrderFactory(customer=customer, external_id="tilaus-1"), external_id="lahetys-1"
    )
    _token, secret = create_api_token(name="Verkkokauppa", scopes=list(ApiToken.Scope.values))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(endpoint=st.sampled_from(ENDPOINTS), body=BODIES, raw=st.booleans())
def test_any_json_body_is_answered_without_a_server_error(shop_api, endpoint, body, raw):
    cache.clear()  # the throttle counts
    method, url = endpoint
    before = row_counts(API_BOOKKEEPING)
    payload = json.dumps(body) if not raw else json.dumps(body)[:-1] or "{"
    response = getattr(shop_api, method)(url, payload, content_type="application/json")
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        answer = response.json()
        assert answer and all(answer.values()), answer
        assert row_counts(API_BOOKKEEPING) == before
    figures.add("fuzz", "API write endpoints", inputs=1, refused=int(response.status_code >= 400))
