import datetime as dt

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse

from privacy.audit import object_label, record
from privacy.declaration import get_declaration
from privacy.models import AuditEntry
from tests.factories import CustomerFactory, OrderFactory
from tests.staff.forms import customer_page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


@pytest.fixture
def audit_trigger(db):
    """Skip where the append-only trigger of migration privacy.0004_audit cannot exist."""
    if connection.vendor != "postgresql":
        pytest.skip("The trigger exists on PostgreSQL only.")


def test_viewing_a_customer_page_leaves_an_audit_row_without_personal_data(
    admin_client, register_admin
):
    customer = CustomerFactory()
    response = admin_client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert entry.actor == register_admin
    assert entry.customer_id == customer.pk
    assert entry.object_label == f"customers.customer:{customer.pk}"
    stored = f"{entry.object_label} {entry.details} {entry.actor_label}"
    for value in (customer.email, customer.last_name, customer.phone):
        assert value not in stored


def test_viewing_an_order_is_logged_against_its_customer(admin_client):
    order = OrderFactory()
    admin_client.get(reverse("admin:customers_order_change", args=[order.pk]))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert entry.customer_id == order.customer_id


def test_a_change_through_the_staff_panel_is_audited_with_field_names_only(admin_client):
    customer = CustomerFactory(first_name="Aino")
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    data = customer_page_data(customer, first_name="Aina")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE)
    assert entry.customer_id == customer.pk
    assert entry.details["changes"][0]["verb"] == "changed"
    assert "Aina" not in str(entry.details) and "Aino" not in str(entry.details)


def test_a_customer_search_logs_the_kind_of_term_but_not_the_term(admin_client):
    customer = CustomerFactory()
    admin_client.get(reverse("admin:customers_customer_changelist"), {"q": customer.email})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SEARCH)
    assert entry.details == {"kind": "email"} and entry.customer_id is None
    shown = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert shown.customer_id == customer.pk and shown.details["search"] == "email"
    assert customer.email not in str(shown.details)


def test_a_search_that_finds_no_one_is_still_on_record(admin_client):
    admin_client.get(reverse("admin:customers_customer_changelist"), {"q": "ei.ketaan@example.fi"})
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SEARCH).count() == 1
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


def test_a_list_page_leaves_one_entry_per_customer_it_shows(admin_client, register_admin):
    shown = CustomerFactory.create_batch(3)
    response = admin_client.get(reverse("admin:customers_customer_changelist"))
    assert response.status_code == 200
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.VIEW)
    assert sorted(e.customer_id for e in entries) == sorted(c.pk for c in shown)
    entry = entries.first()
    assert entry.actor == register_admin and entry.object_label == "customers.customer:list"
    assert entry.details["view"] == "list" and entry.details["objects"] == [entry.customer_id]


def test_a_list_of_orders_is_logged_against_each_order_s_customer(admin_client):
    first, second = OrderFactory(), OrderFactory()
    OrderFactory(customer=first.customer)
    admin_client.get(reverse("admin:customers_order_changelist"))
    entries = {
        e.customer_id: e.details["objects"]
        for e in AuditEntry.objects.filter(action=AuditEntry.Action.VIEW)
    }
    assert set(entries) == {first.customer_id, second.customer_id}
    assert len(entries[first.customer_id]) == 2


def test_a_history_page_is_a_read_of_the_customer(admin_client):
    customer = CustomerFactory()
    admin_client.get(reverse("admin:customers_customer_history", args=[customer.pk]))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert entry.customer_id == customer.pk and entry.details == {"view": "history"}


def test_a_step_on_the_case_page_is_audited_as_request_handling(admin_client):
    from rights.cases import receive_request

    customer = CustomerFactory()
    request = receive_request(kind="access", channel="email", customer=customer)
    response = admin_client.post(
        reverse("admin:rights_datasubjectrequest_case_verify", args=[request.pk]),
        {"method": "email_on_file"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REQUEST)
    assert entry.customer_id == customer.pk
    assert entry.details == {"request": request.pk, "case_step": "verify"}
    assert entry.object_label == f"rights.datasubjectrequest:{request.pk}"


def test_an_audit_entry_cannot_be_changed_or_deleted_through_the_orm(register_admin):
    entry = record(actor=register_admin, action=AuditEntry.Action.EXPORT, details={"count": 1})
    entry.details = {"count": 2}
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.filter(pk=entry.pk).update(details={})
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).details == {"count": 1}


def test_the_database_refuses_update_and_delete_of_an_audit_entry(register_admin, audit_trigger):
    entry = record(actor=register_admin, action=AuditEntry.Action.LOGIN)
    table = AuditEntry._meta.db_table
    for sql in (
        f"UPDATE {table} SET action = 'view' WHERE id = %s",  # noqa: S608
        f"DELETE FROM {table} WHERE id = %s",  # noqa: S608
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action="login").exists()


def test_the_retention_sweep_prunes_entries_past_their_declared_retention(register_admin):
    import datetime as dt

    from django.utils import timezone

    from privacy.vocabulary import AUDIT_LOG
    from rights.retention import retention_sweep

    months = AUDIT_LOG.months
    old = AuditEntry.objects.create(
        action=AuditEntry.Action.LOGIN,
        occurred_at=timezone.now() - dt.timedelta(days=31 * months + 5),
    )
    young = AuditEntry.objects.create(
        action=AuditEntry.Action.LOGIN,
        occurred_at=timezone.now() - dt.timedelta(days=30 * months - 5),
    )
    assert retention_sweep(dry_run=True)["audit_entries_past_retention"] == 1
    assert retention_sweep()["audit_entries_past_retention"] == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=young.pk).exists()


def test_the_trigger_and_the_declared_retention_agree(audit_trigger):
    from privacy.vocabulary import AUDIT_LOG

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_functiondef('privacy_auditentry_append_only'::regproc)")
        source = cursor.fetchone()[0]
    assert f"interval '{AUDIT_LOG.months // 12} years'" in source
    assert AUDIT_LOG.months % 12 == 0


def test_the_database_refuses_to_prune_entries_still_within_retention(
    register_admin, audit_trigger
):
    entry = record(actor=register_admin, action=AuditEntry.Action.LOGIN)
    from django.utils import timezone

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.prune(before=timezone.now() + dt.timedelta(days=1))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_register_admin_reads_the_log_per_customer_and_per_staff_member(
    admin_client, register_admin, customer_service
):
    record(actor=customer_service, action=AuditEntry.Action.VIEW, customer_id=101)
    record(actor=register_admin, action=AuditEntry.Action.VIEW, customer_id=202)
    url = reverse("admin:privacy_auditentry_changelist")
    by_customer = admin_client.get(url, {"customer_id": "101"})
    assert by_customer.status_code == 200
    assert [e.customer_id for e in by_customer.context["cl"].result_list] == [101]
    by_actor = admin_client.get(url, {"actor": str(register_admin.pk)})
    listed = by_actor.context["cl"].result_list
    assert {e.actor for e in listed} == {register_admin}
    assert 101 not in {e.customer_id for e in listed}
    entry = AuditEntry.objects.first()
    assert (
        admin_client.get(reverse("admin:privacy_auditentry_delete", args=[entry.pk])).status_code
        == 403
    )


def test_customer_service_cannot_read_the_audit_log(client, customer_service, otp_login):
    otp_login(client, customer_service)
    response = client.get(reverse("admin:privacy_auditentry_changelist"))
    assert response.status_code == 403


# Every admin view that can show a customer's data leaves a row naming that customer.


def _reads_of(customer_id: int) -> int:
    return AuditEntry.objects.filter(
        customer_id=customer_id, action__in=[AuditEntry.Action.VIEW, AuditEntry.Action.EXPORT]
    ).count()


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _linked(model) -> bool:
    declaration = get_declaration(model)
    return declaration is not None and declaration.extra["linked"]


def test_every_admin_view_that_shows_a_customer_leaves_an_audit_row(otp_login):
    from tests.security.conftest import build_world

    world = build_world()
    a = world["a"]
    client = otp_login(Client(), world["staff"]["admin"])
    urls = []
    for model in admin.site._registry:
        if not _linked(model):
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        row = get_declaration(model).rows_for(a.customer).first()
        if row is not None:
            for view in ("change", "history", "delete"):
                urls.append(reverse(f"{info}_{view}", args=[row.pk]))
    urls += [
        reverse("admin:rights_accesspackage_download", args=[a.package.pk, kind])
        for kind in ("json", "zip")
    ]
    unaudited, shown = [], 0
    for url in urls:
        before = _reads_of(a.customer.pk)
        response = client.get(url)
        body = _body(response)
        if response.status_code == 200 and any(secret in body for secret in a.secrets):
            shown += 1
            if _reads_of(a.customer.pk) == before:
                unaudited.append(url)
    assert not unaudited, f"shown without an audit row: {unaudited}"
    assert shown >= 20  # the walk reached the pages that show the customer


def _autocomplete(client, model, field: str, term: str):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": term,
        },
    )


def test_autocomplete_answers_no_field_that_no_admin_offers_it_on(customer_service, otp_login):
    client = otp_login(Client(), customer_service)
    customer = CustomerFactory()
    tried = 0
    for model in admin.site._registry:
        for field in model._meta.concrete_fields:
            if field.is_relation and _linked(field.related_model):
                for term in (customer.email, customer.phone, customer.formatted_number):
                    response = _autocomplete(client, model, field.name, term)
                    assert response.status_code == 403, (model, field.name)
                    assert customer.last_name not in response.content.decode()
                    tried += 1
    assert tried >= 3  # the probe's order → customer among them
    assert not AuditEntry.objects.filter(customer_id=customer.pk).exists()


def test_an_autocomplete_an_admin_offers_is_audited_like_a_search(
    customer_service, otp_login, monkeypatch
):
    from customers.models import Order

    monkeypatch.setattr(admin.site._registry[Order], "autocomplete_fields", ["customer"])
    client = otp_login(Client(), customer_service)
    customer = CustomerFactory(last_name="Haettava")
    response = _autocomplete(client, Order, "customer", "Haettava")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(customer.pk)]
    search = AuditEntry.objects.get(action=AuditEntry.Action.SEARCH)
    assert search.details == {"kind": "name", "view": "autocomplete"}
    shown = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert shown.customer_id == customer.pk and shown.actor == customer_service
    assert shown.details["view"] == "autocomplete" and shown.details["objects"] == [customer.pk]
    assert "Haettava" not in str(search.details) + str(shown.details)


def test_the_audit_log_names_customers_and_orders_by_their_numbers(
    client, register_admin, otp_login
):
    customer = CustomerFactory()
    order = OrderFactory(customer=customer)
    for row in (customer, order):
        record(actor=register_admin, action=AuditEntry.Action.VIEW, object_label=object_label(row))
    otp_login(client, register_admin)
    body = client.get(reverse("admin:privacy_auditentry_changelist")).content.decode()
    assert f"asiakas {customer.formatted_number}" in body
    assert f"tilaus {order.number}" in body
    assert f"customers.customer:{customer.pk}" not in body
    assert f"customers.order:{order.pk}" not in body
