"""The customer list, search and page: what staff see, and that the page's queries are bounded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import Customer
from privacy.audit import record
from privacy.models import AuditEntry
from rights.cases import receive_request
from staff.customer_page import SECTION_LIMIT
from staff.paginator import COUNT_CAP, EstimatedCountPaginator
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    CustomerNoteFactory,
    MarketingBanFactory,
    OrderFactory,
    ShipmentFactory,
)
from tests.staff.forms import customer_page_data

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
    MarketingBanFactory(customer=customer, channel="post")
    CustomerNoteFactory(customer=customer)
    record(actor=None, action=AuditEntry.Action.VIEW, customer_id=customer.pk)
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


def test_the_customer_page_takes_fewer_than_20_queries(admin_client):
    # Session, user, OTP device, permissions, the customer and one query per section.
    assert _page_queries(admin_client, _customer_with(SECTION_LIMIT + 5)) < 20


def test_the_customer_page_shows_everything_about_the_person(admin_client):
    customer = _customer_with(SECTION_LIMIT + 5)
    request = receive_request(kind="access", channel="email", customer=customer)
    response = admin_client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    body = response.content.decode()
    numbers = list(customer.orders.order_by("-ordered_at", "-id").values_list("number", flat=True))
    assert all(n in body for n in numbers[:SECTION_LIMIT])
    assert not any(n in body for n in numbers[SECTION_LIMIT:])
    assert f"Tilauksia {SECTION_LIMIT + 5}" in body
    assert f"?customer__id__exact={customer.pk}" in body
    shipment = customer.orders.order_by("-ordered_at", "-id").first().shipments.get()
    assert shipment.tracking_code in body
    for text in ("uutiskirje", "suoramarkkinointi", "posti", "Käyttöloki", request.reference):
        assert text in body
    assert customer.notes.get().body in body
    all_orders = admin_client.get(
        reverse("admin:customers_order_changelist"), {"customer__id__exact": customer.pk}
    )
    assert all_orders.status_code == 200
    assert len(all_orders.context["cl"].result_list) == SECTION_LIMIT + 5


def test_customer_service_sees_the_customer_but_not_who_looked_at_them(
    client, customer_service, otp_login
):
    otp_login(client, customer_service)
    customer = _customer_with(1)
    response = client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    assert response.status_code == 200
    assert customer.email in response.content.decode()
    assert "Koko käyttöloki" not in response.content.decode()


def test_customer_service_adds_a_note_signed_with_their_name(client, customer_service, otp_login):
    otp_login(client, customer_service)
    customer = CustomerFactory()
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    data = customer_page_data(
        customer,
        **{
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "phone",
            "notes-0-body": "Soitti toimituksesta.",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    note = customer.notes.get()
    assert note.author == customer_service and note.body == "Soitti toimituksesta."


def _counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def test_the_customer_list_never_counts_the_whole_table(admin_client):
    CustomerFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:customers_customer_changelist"))
    assert response.status_code == 200
    # A first page that is not full is its own count: no COUNT at all.
    assert _counts(queries) == []
    assert "Asiakkaat: 3" in response.content.decode()


def test_a_full_first_page_is_counted_up_to_the_cap_and_pages_on(admin_client, monkeypatch):
    from staff.admin.customers import CustomerAdmin

    monkeypatch.setattr(CustomerAdmin, "list_per_page", 2)
    CustomerFactory.create_batch(5)
    url = reverse("admin:customers_customer_changelist")
    with CaptureQueriesContext(connection) as queries:
        first = admin_client.get(url)
    counts = _counts(queries)
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts
    page = first.content.decode()
    assert "Asiakkaat: 5" in page and "?p=2" in page and "?p=3" in page
    assert len(first.context["cl"].result_list) == 2
    last = admin_client.get(url, {"p": 3})
    assert last.status_code == 200 and len(last.context["cl"].result_list) == 1


def test_an_exact_search_reads_only_the_columns_it_shows_and_counts_nothing(admin_client):
    wanted = CustomerFactory()
    CustomerFactory.create_batch(2)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(
            reverse("admin:customers_customer_changelist"), {"q": wanted.email}
        )
    rows = [q["sql"] for q in queries if 'FROM "customers_customer"' in q["sql"]]
    assert len(rows) == 1 and '"interests"' not in rows[0], rows
    assert _counts(queries) == []
    page = response.content.decode()
    assert wanted.email in page and "Asiakkaat: 1" in page


def test_the_lookup_popup_keeps_the_stock_list_that_returns_the_choice(admin_client):
    wanted = CustomerFactory()
    response = admin_client.get(
        reverse("admin:customers_customer_changelist"), {"_popup": "1", "_to_field": "id"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    # The stock list's link hands the chosen id back to the form that opened the popup.
    assert f'data-popup-opener="{wanted.pk}"' in page
    assert "RelatedObjectLookups" in page


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        ("email", lambda c: c.email.upper()),
        ("phone", lambda c: "040" + c.phone[6:]),
        ("number", lambda c: c.formatted_number),
        ("surname", lambda c: c.last_name[2:6].lower()),
    ],
)
def test_search_finds_a_customer_by_each_key_staff_use(admin_client, field, shown):
    wanted = CustomerFactory(last_name="Hämäläinen")
    CustomerFactory(last_name="Korhonen")
    response = admin_client.get(
        reverse("admin:customers_customer_changelist"), {"q": shown(wanted)}
    )
    assert [c.pk for c in response.context["cl"].result_list] == [wanted.pk]


def test_a_name_search_matches_first_and_last_name_word_by_word(admin_client):
    aino = CustomerFactory(first_name="Aino", last_name="Hämäläinen")
    CustomerFactory(first_name="Eino", last_name="Hämäläinen")
    response = admin_client.get(reverse("admin:customers_customer_changelist"), {"q": "aino hämä"})
    assert [c.pk for c in response.context["cl"].result_list] == [aino.pk]


def test_the_paginator_uses_the_planner_estimate_for_a_big_unfiltered_table(monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "_estimate", staticmethod(lambda qs: 1_000_000))
    paginator = EstimatedCountPaginator(Customer.objects.all(), 50)
    assert paginator.count == 1_000_000 and paginator.is_estimate
    filtered = EstimatedCountPaginator(Customer.objects.filter(last_name="x"), 50)
    assert filtered.count == 0 and not filtered.is_estimate
    assert COUNT_CAP >= 1000


def test_a_long_result_list_is_counted_only_up_to_the_cap(monkeypatch):

    import staff.paginator

    monkeypatch.setattr(staff.paginator, "COUNT_CAP", 3)
    CustomerFactory.create_batch(5, first_name="Sama")
    paginator = EstimatedCountPaginator(Customer.objects.filter(first_name="Sama"), 2)
    assert paginator.count == 4 and paginator.is_capped


def test_bench_staff_prints_figures_beside_stock_admin(capsys):
    from django.core.management import call_command

    from customers.models import Order

    _customer_with(2)
    call_command("bench_staff", runs=1, warmup=0, orders=5)
    out = capsys.readouterr().out
    assert "customer page, 5 orders" in out and "stock" in out
    assert "email audience CSV export (with existing customers)" in out and "peak" in out
    assert not Order.objects.filter(number__startswith="BENCH-").exists()


def test_the_customer_list_sorts_by_a_column_and_links_each_row_to_its_page(admin_client):
    later = CustomerFactory(last_name="Öberg")
    first = CustomerFactory(last_name="Aalto")
    response = admin_client.get(reverse("admin:customers_customer_changelist"), {"o": "2"})
    body = response.content.decode()
    assert body.index("Aalto") < body.index("Öberg")
    for customer in (first, later):
        url = reverse("admin:customers_customer_change", args=[customer.pk])
        # The sort is kept for the way back, as the admin's own rows do.
        link = f'<a href="{url}?_changelist_filters=o%3D2">{customer.formatted_number}</a>'
        assert link in body


def test_the_customer_page_shows_times_in_the_shops_time_zone(admin_client):
    import datetime as dt

    customer = CustomerFactory()
    OrderFactory(customer=customer, ordered_at=dt.datetime(2026, 6, 1, 21, 30, tzinfo=dt.UTC))
    response = admin_client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    # 21.30 UTC is 0.30 the next day in Helsinki (UTC+3 in summer).
    assert "2.6.2026 0.30" in response.content.decode()


def test_the_project_benchmark_runs_the_staff_section():
    from bench.harness import discover
    from bench.management.commands.bench_staff import staff_section
    from bench.sections.staff import staff_panel
    from customers.models import Order

    assert staff_panel in discover()[0]
    figures = staff_section(heavy=_customer_with(3), runs=1, floor=None)
    labels = [f.label for f in figures]
    assert "Staff: customer page, 3 orders" in labels
    assert all(f.baseline_median_ms is not None for f in figures if "search" in f.label)
    assert not Order.objects.filter(number__startswith="BENCH-").exists()


def test_customer_service_files_a_request_from_the_customer_page(
    client, customer_service, otp_login
):
    otp_login(client, customer_service)
    customer = CustomerFactory(first_name="Hilkka", last_name="Hämäläinen")
    page = client.get(reverse("admin:customers_customer_change", args=[customer.pk]))
    link = f"{reverse('admin:rights_datasubjectrequest_add')}?customer={customer.pk}"
    assert f'<a href="{link}">Kirjaa tietosuojapyyntö</a>' in page.content.decode()
    form = client.get(link).content.decode()
    # The customer is already chosen: the raw-id box holds them and names them beside it.
    assert f'value="{customer.pk}"' in form and "Hilkka Hämäläinen" in form


def test_a_new_note_has_no_type_until_staff_choose_one(client, customer_service, otp_login):
    otp_login(client, customer_service)
    customer = CustomerFactory()
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    html = client.get(url).content.decode()
    select = html[html.index('name="notes-0-kind"') :].split("</select>")[0]
    assert '<option value="" selected>' in select
    data = customer_page_data(
        customer, **{"notes-TOTAL_FORMS": "1", "notes-0-body": "Soitti toimituksesta."}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Tämä kenttä vaaditaan" in response.content.decode()
    assert not customer.notes.exists()


def test_customer_service_reads_who_wrote_a_note_without_a_link_they_cannot_open(
    client, customer_service, otp_login
):
    otp_login(client, customer_service)
    customer = CustomerFactory()
    CustomerNoteFactory(customer=customer, author=customer_service, body="Soitti.")
    request = receive_request(kind="access", channel="email", customer=customer)
    html = client.get(reverse("admin:customers_customer_change", args=[customer.pk])).content
    html = html.decode()
    assert "/hallinta/auth/user/" not in html
    assert customer_service.username in html
    # The request is listed by its reference once; its kind is in the next column.
    assert f">{request.reference}</a>" in html
    assert f">{request}</a>" not in html
