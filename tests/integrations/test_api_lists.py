import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_lists_are_paginated(api):
    for n in range(7):
        CustomerFactory(external_id=f"c-{n}")
    first = api.get("/api/v1/customers/", {"page_size": 3}).json()
    assert first["count"] == 7
    assert [c["external_id"] for c in first["results"]] == ["c-0", "c-1", "c-2"]
    last = api.get(first["next"].replace("http://testserver", "")).json()
    assert [c["external_id"] for c in last["results"]] == ["c-3", "c-4", "c-5"]


@pytest.mark.parametrize("path", ["orders", "shipments", "consents", "bans"])
def test_every_list_is_paginated(api, path):
    body = api.get(f"/api/v1/{path}/").json()
    assert set(body) == {"count", "next", "previous", "results"}


@override_settings(API_THROTTLE_RATE="3/min")
def test_each_token_is_rate_limited_on_its_own(make_client):
    one, two = make_client(), make_client()
    assert [one.get("/api/v1/customers/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert two.get("/api/v1/customers/").status_code == 200


def test_openapi_schema_is_served_without_a_token():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/customers/{external_id}/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
