import pytest
from rest_framework.test import APIClient

from integrations.models import ApiCallLog, ApiToken
from integrations.services import revoke_api_token
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_call_without_token_is_refused_with_401():
    response = APIClient().get("/api/v1/customers/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer rk_not-a-real-token")
    assert client.get("/api/v1/customers/").status_code == 401


def test_revoked_token_is_refused(api):
    assert api.get("/api/v1/customers/").status_code == 200
    revoke_api_token(token=api.token)
    response = api.get("/api/v1/customers/")
    assert response.status_code == 401
    assert "peruttu" in response.json()["detail"]


def test_token_secret_is_stored_only_as_a_hash(api):
    token = ApiToken.objects.get(pk=api.token.pk)
    secret = api._credentials["HTTP_AUTHORIZATION"].split()[1]
    assert secret not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64


def test_token_without_the_resource_scope_is_forbidden(make_client):
    client = make_client(["orders:read"])
    assert client.get("/api/v1/customers/").status_code == 403
    assert client.get("/api/v1/orders/").status_code == 200


def test_read_scope_cannot_write(make_client):
    client = make_client(["customers:read"])
    response = client.put("/api/v1/customers/c-1/", {"first_name": "Aino"}, format="json")
    assert response.status_code == 403


def test_every_call_is_logged_with_token_and_customer_but_no_content(api):
    customer = CustomerFactory(external_id="c-1")
    api.get("/api/v1/customers/c-1/")
    APIClient().get("/api/v1/customers/")
    logged = list(ApiCallLog.objects.order_by("id"))
    assert [(c.token_id, c.status_code) for c in logged] == [(api.token.pk, 200), (None, 401)]
    assert logged[0].customer_id == customer.pk
    assert logged[0].path == "/api/v1/customers/c-1/"
    assert ApiToken.objects.get(pk=api.token.pk).last_used_at is not None


def test_call_log_survives_a_nul_byte_in_the_path(api):
    response = api.get("/api/v1/customers/a%00b/")
    assert response.status_code == 404
    assert ApiCallLog.objects.get().path == "/api/v1/customers/a\ufffdb/"
