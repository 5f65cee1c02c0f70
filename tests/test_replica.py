"""The optional read replica (DATABASE_REPLICA_URL): which pages read from it."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from demo.shop import ensure_demo_statement
from rekisteri.routers import ReplicaRouter, replica_reads
from statement.models import StatementVersion


@pytest.fixture(scope="module", autouse=True)
def _replica_alias():
    """Add a replica alias before the test database is set up: a second connection to it."""
    connections.settings["replica"] = {**connections.settings["default"]}
    yield
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


@pytest.fixture
def replica(settings):
    """Route as settings.py does when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ["rekisteri.routers.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "rekisteri.routers.ReplicaReadsMiddleware"]
    return connections["replica"]


with_replica = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@with_replica
def test_the_public_statement_reads_from_the_replica(replica, client):
    ensure_demo_statement()
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get("/tietosuojaseloste/")
    assert response.status_code == 200
    assert "Tietosuojaseloste" in response.content.decode()
    assert any("privacy_statementversion" in q["sql"] for q in on_replica.captured_queries)
    assert on_primary.captured_queries == []


@with_replica
def test_portal_and_writes_stay_on_the_primary(replica, client):
    with CaptureQueriesContext(replica) as on_replica:
        client.post("/oma/kirjaudu/", {"email": "ei.ketaan@example.fi"})
        client.get("/oma/kirjaudu/")
    assert on_replica.captured_queries == []


def test_router_reads_from_the_replica_only_when_asked_and_outside_transactions(replica):
    router = ReplicaRouter()
    assert router.db_for_read(StatementVersion) is None
    with replica_reads():
        assert router.db_for_read(StatementVersion) == "replica"
        assert router.db_for_write(StatementVersion) == "default"
    assert not router.allow_migrate("replica", "privacy")


@with_replica
def test_reads_inside_a_transaction_use_the_primary(replica):
    router = ReplicaRouter()
    with replica_reads(), transaction.atomic():
        assert router.db_for_read(StatementVersion) is None
