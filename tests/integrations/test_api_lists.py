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


@override_settings(API_THROTTLE_RATE="1/min")
def test_throttled_call_says_when_to_retry(api):
    api.get("/api/v1/customers/")
    response = api.get("/api/v1/customers/")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("page_size", ["0", "501", "x", "null"])
def test_bad_page_size_is_refused_not_ignored(api, page_size):
    response = api.get("/api/v1/customers/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Sivun koon pitää olla kokonaisluku 1–500."]}


def test_unknown_query_parameter_is_refused(api):
    response = api.get("/api/v1/customers/", {"pagesize": "3"})
    assert response.status_code == 400
    assert "”pagesize”" in response.json()["non_field_errors"][0]


def test_consents_can_be_listed_per_customer(api):
    CustomerFactory(external_id="c-1")
    assert api.get("/api/v1/consents/", {"customer": "c-1"}).json()["count"] == 0


def test_schema_documents_upsert_and_error_answers():
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    put = schema["paths"]["/api/v1/customers/{external_id}/"]["put"]
    assert {"200", "201", "400", "401", "403", "404", "409", "429"} <= set(put["responses"])
    body = schema["components"]["schemas"]["CustomerPutRequest"]
    assert "external_id" not in body.get("required", [])


def test_human_docs_page_serves_swagger_from_own_static_files():
    page = APIClient().get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style>" not in html
    script = APIClient().get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()
