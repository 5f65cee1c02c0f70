"""Random text in every field of the portal's forms and the staff panel's add and change forms:
never a server error, a refused form says why, and a refused form writes nothing."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CustomerFactory, OrderFactory
from tests.portal.conftest import log_in
from tests.reliability import figures
from tests.reliability.counts import row_counts
from tests.reliability.html_forms import all_forms, form_data

pytestmark = pytest.mark.django_db

TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            "Áilu",
            "O'Brien",
            "Anna-Liisa",
            "<script>alert(1)</script>",
            "\x00",
            "\u202e",
            "x" * 3000,
            "-1",
            "99999999999999999999",
            "31.02.2026",
            "+358 40 123 4567",
            "ei@osoite",
        ]
    ),
)
ERROR_MARKS = ("errorlist", "errornote", 'role="alert"', "error")
FORM_FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _fuzz(client: Client, url: str, form_id: str | None, data, target: str) -> None:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    html = page.content.decode()
    if form_id:
        fields = form_data(html, form_id)
        action, controls = url, set(fields)
    else:
        # Any form of the page that takes input (not the header's log-out button).
        candidates = [
            (a or url, f, n) for a, f, n in all_forms(html) if n - {"csrfmiddlewaretoken"}
        ]
        assert candidates, f"no form at {url}"
        action, fields, controls = data.draw(st.sampled_from(candidates))
    names = sorted(
        n
        for n in controls
        if n != "csrfmiddlewaretoken"
        and not n.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS"))
        and not n.endswith(("-MIN_NUM_FORMS", "-MAX_NUM_FORMS"))
    )
    assert names, f"no fields at {url}"
    changed = data.draw(
        st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=min(len(names), 6))
    )
    post = dict(fields)
    for name in changed:
        post[name] = [data.draw(TEXT)]
    cache.clear()  # rate limits
    before = row_counts()
    response = client.post(action, post)
    assert response.status_code in (200, 302, 400, 403, 404), (url, response.status_code)
    refused = response.status_code != 302
    if refused:
        body = response.content.decode()
        assert response.status_code != 200 or any(mark in body for mark in ERROR_MARKS), url
        assert row_counts() == before, f"{target}: a refused form wrote rows"
    figures.add("fuzz", target, inputs=1, refused=int(refused))


@contextmanager
def _example():
    """Run one example in a savepoint rolled back afterwards: each starts from the same data."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def customer(db):
    return CustomerFactory(first_name="Máret", last_name="Čalmmet", email="maret@example.fi")


PORTAL_PAGES = ["portal:details", "portal:marketing", "portal:requests", "portal:erase"]


@FORM_FUZZ
@given(data=st.data(), name=st.sampled_from(PORTAL_PAGES))
def test_portal_forms_refuse_bad_input_clearly_and_write_nothing(customer, data, name):
    with _example():
        client = Client()
        log_in(client, customer)
        _fuzz(client, reverse(name), None, data, f"portal form {name.split(':')[1]}")


ADMIN_FORMS = [
    ("admin:customers_customer_add", None, "customer_form"),
    ("admin:customers_customer_change", "customer", "customer_form"),
    ("admin:customers_order_change", "order", "order_form"),
    ("admin:customers_consentevent_add", None, "consentevent_form"),
    ("admin:customers_marketingban_add", None, "marketingban_form"),
    ("admin:rights_datasubjectrequest_add", None, "datasubjectrequest_form"),
]


@FORM_FUZZ
@given(data=st.data(), target=st.sampled_from(ADMIN_FORMS))
def test_staff_add_and_change_forms_refuse_bad_input_clearly_and_write_nothing(
    register_admin, otp_login, customer, data, target
):
    name, obj, form_id = target
    with _example():
        client = otp_login(Client(), register_admin)
        args = []
        if obj == "customer":
            args = [customer.pk]
        elif obj == "order":
            args = [OrderFactory(customer=customer).pk]
        _fuzz(client, reverse(name, args=args), form_id, data, f"staff form {name.split(':')[1]}")
