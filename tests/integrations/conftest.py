import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from demo.shop import ensure_demo_statement
from integrations.models import ApiToken
from integrations.services import create_api_token

ALL_SCOPES = list(ApiToken.Scope.values)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counters live in the local-memory cache, which outlives a test's transaction.
    cache.clear()


@pytest.fixture
def make_client(db):
    def make(scopes: list[str] | None = None) -> APIClient:
        token, secret = create_api_token(
            name="Verkkokauppa", scopes=ALL_SCOPES if scopes is None else scopes
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        client.token = token
        return client

    return make


@pytest.fixture
def api(make_client) -> APIClient:
    return make_client()


@pytest.fixture
def published_statement(db):
    """The demo shop's statement in force: its recipients are the shop's carriers and partners.

    A shipment is refused unless the statement names its carrier (statement.registry).
    """
    return ensure_demo_statement()
