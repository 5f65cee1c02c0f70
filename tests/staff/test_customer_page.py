import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.admin import ORDER_INLINE_LIMIT
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    CustomerNoteFactory,
    OrderFactory,
    ShipmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


def _customer_with(orders: int):
    customer = CustomerFactory()
    for _i in range(orders):
        ShipmentFactory(order=OrderFactory(customer=customer))
    for purpose in ("newsletter", "direct_marketing"):
        ConsentEventFactory(customer=customer, purpose=purpose)
    CustomerNoteFactory(customer=customer)
    return customer


def _page_queries(client, customer) -> int:
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    client.get(url)  # warm caches (content types, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_customer_page_takes_as_many_queries_for_60_orders_as_for_5(admin_client):
    few = _page_queries(admin_client, _customer_with(5))
    many = _page_queries(admin_client, _customer_with(60))
    assert many == few


def test_the_customer_page_stays_within_its_query_budget(
    admin_client, django_assert_max_num_queries
):
    customer = _customer_with(60)
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    admin_client.get(url)
    # Session, user, OTP device, permissions, the customer and each section: no per-order query.
    with django_assert_max_num_queries(30):
        admin_client.get(url)


def test_the_customer_page_shows_the_latest_orders_and_links_to_all(admin_client):
    customer = _customer_with(ORDER_INLINE_LIMIT + 5)
    response = admin_client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    body = response.content.decode()
    numbers = list(customer.orders.order_by("-ordered_at").values_list("number", flat=True))
    assert all(n in body for n in numbers[:ORDER_INLINE_LIMIT])
    assert f"?customer__id__exact={customer.pk}" in body
    all_orders = admin_client.get(
        reverse("admin:customers_order_changelist"), {"customer__id__exact": customer.pk}
    )
    assert all_orders.status_code == 200
    assert len(all_orders.context["cl"].result_list) == ORDER_INLINE_LIMIT + 5


def test_the_customer_list_never_counts_the_whole_table(admin_client):
    CustomerFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:customers_customer_changelist"))
    assert response.status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts


def test_the_paginator_uses_the_planner_estimate_for_a_big_unfiltered_table(monkeypatch):
    from customers.models import Customer
    from customers.paginator import COUNT_CAP, EstimatedCountPaginator

    monkeypatch.setattr(EstimatedCountPaginator, "_estimate", staticmethod(lambda qs: 1_000_000))
    assert EstimatedCountPaginator(Customer.objects.all(), 50).count == 1_000_000
    filtered = EstimatedCountPaginator(Customer.objects.filter(last_name="x"), 50)
    assert filtered.count == 0
    assert COUNT_CAP >= 1000


def test_bench_staff_prints_figures_beside_stock_admin(capsys):
    from django.core.management import call_command

    _customer_with(2)
    call_command("bench_staff", runs=1, warmup=0, orders=5)
    out = capsys.readouterr().out
    assert "customer page, 5 orders" in out and "stock median" in out
    from customers.models import Order

    assert not Order.objects.filter(number__startswith="BENCH-").exists()
