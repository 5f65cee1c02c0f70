import json
import os
import re
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from customers.models import PortalLoginCode
from notifications.models import OutgoingEmail
from portal import auth as portal_auth
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _request_code(client, email):
    return client.post(reverse("portal:login"), {"email": email})


def _mailed_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def _login(client, customer) -> None:
    _request_code(client, customer.email)
    client.post(reverse("portal:login_code"), {"code": _mailed_code()})


def test_a_customer_logs_in_with_the_mailed_code(client):
    customer = CustomerFactory()
    response = _request_code(client, customer.email.upper())
    assert response.status_code == 302
    assert mail.outbox[-1].to == [customer.email]
    response = client.post(reverse("portal:login_code"), {"code": _mailed_code()}, follow=True)
    assert customer.formatted_number in response.content.decode()


def test_the_page_says_the_same_whether_or_not_the_address_is_known(client):
    customer = CustomerFactory()
    csrf = re.compile(r'value="[A-Za-z0-9]{64}"')
    known = client.get(_request_code(client, customer.email).url).content.decode()
    other = client.get(_request_code(client, "tuntematon@example.fi").url).content.decode()
    known = csrf.sub("", known.replace(customer.email, "X"))
    assert known == csrf.sub("", other.replace("tuntematon@example.fi", "X"))
    assert len(mail.outbox) == 1


def test_a_code_works_only_once(client):
    customer = CustomerFactory()
    _request_code(client, customer.email)
    code = _mailed_code()
    client.post(reverse("portal:login_code"), {"code": code})
    client.post(reverse("portal:logout"))
    # Logging out deleted the session cookie, as a browser would drop it.
    client.cookies.pop(settings.SESSION_COOKIE_NAME)
    session = client.session
    session["portal_login_email"] = customer.email
    session.save()
    response = client.post(reverse("portal:login_code"), {"code": code})
    assert "väärä tai vanhentunut" in response.content.decode()


def test_a_code_allows_five_tries(client):
    customer = CustomerFactory()
    _request_code(client, customer.email)
    code = _mailed_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        client.post(reverse("portal:login_code"), {"code": wrong})
    response = client.post(reverse("portal:login_code"), {"code": code})
    assert "väärä tai vanhentunut" in response.content.decode()
    assert PortalLoginCode.objects.get().attempts == 5


def test_an_expired_code_is_refused(client):
    customer = CustomerFactory()
    _request_code(client, customer.email)
    from django.utils import timezone

    PortalLoginCode.objects.update(expires_at=timezone.now())
    response = client.post(reverse("portal:login_code"), {"code": _mailed_code()})
    assert "väärä tai vanhentunut" in response.content.decode()


def test_an_address_that_asks_too_often_is_slowed_down(client):
    customer = CustomerFactory()
    for _ in range(3):
        assert _request_code(client, customer.email).status_code == 302
    response = _request_code(client, customer.email)
    assert response.status_code == 429
    assert "Liian monta pyyntöä" in response.content.decode()


def _mailed_link_token() -> str:
    link = re.search(r"http://\S+", mail.outbox[-1].body).group(0)
    path, _mark, query = link.split("8000", 1)[1].partition("?")
    assert path == reverse("portal:login_link")  # the token is not in the path
    return re.fullmatch(r"t=([A-Za-z0-9_-]{43})", query).group(1)


def test_the_mailed_link_logs_in_after_a_confirming_press(client):
    customer = CustomerFactory()
    _request_code(client, customer.email)
    token = _mailed_link_token()
    page = client.get(reverse("portal:login_link"), {"t": token})
    assert page.status_code == 200
    body = page.content.decode()
    # The button posts the token in the form, to the path without the query string, and the
    # page sends no Referer that would carry the token anywhere.
    assert f'<input type="hidden" name="token" value="{token}">' in body
    assert f'<form method="post" action="{reverse("portal:login_link")}">' in body
    assert page["Referrer-Policy"] == "no-referrer"
    assert portal_auth.SESSION_KEY not in client.session  # opening the link used nothing up
    response = client.post(reverse("portal:login_link"), {"token": token}, follow=True)
    assert customer.formatted_number in response.content.decode()
    client.post(reverse("portal:logout"))
    again = client.post(reverse("portal:login_link"), {"token": token}, follow=True)
    assert "Kirjautumislinkki on käytetty tai vanhentunut" in again.content.decode()
    assert portal_auth.SESSION_KEY not in client.session


def test_logging_out_leaves_nothing_of_the_customer_in_the_browser_s_session(client):
    first, second = CustomerFactory(), CustomerFactory()
    _login(client, first)
    client.post(
        reverse("portal:details"),
        {
            "first_name": first.first_name,
            "last_name": first.last_name,
            "street_address": first.street_address,
            "postal_code": first.postal_code,
            "post_office": first.post_office,
            "phone": first.phone,
            "email": "ensimmaisen.uusi@example.fi",
            "preferred_language": first.preferred_language,
            "company": first.company,
            "business_id": first.business_id,
            "reason": "",
        },
    )
    assert "ensimmaisen.uusi@example.fi" in client.get(reverse("portal:details")).content.decode()
    old_key = client.session.session_key
    client.post(reverse("portal:logout"))
    assert dict(client.session.items()) == {}
    assert client.session.session_key != old_key
    _login(client, second)
    assert (
        "ensimmaisen.uusi@example.fi" not in client.get(reverse("portal:details")).content.decode()
    )
    assert set(client.session.keys()) == {portal_auth.SESSION_KEY}


def test_logging_in_starts_a_new_empty_session(client):
    customer = CustomerFactory()
    session = client.session
    session["portal_new_email"] = "edellisen.kavijan@example.fi"
    session.save()
    old_key = session.session_key
    _login(client, customer)
    assert set(client.session.keys()) == {portal_auth.SESSION_KEY}
    assert client.session.session_key != old_key


def test_logging_out_ends_the_session(client):
    customer = CustomerFactory()
    _login(client, customer)
    assert client.get(reverse("portal:details")).status_code == 200
    client.post(reverse("portal:logout"))
    assert client.get(reverse("portal:details")).status_code == 302


def test_an_idle_session_ends(client):
    customer = CustomerFactory()
    _login(client, customer)
    session = client.session
    session["portal_customer"]["seen_at"] -= 16 * 60
    session.save()
    assert client.get(reverse("portal:details")).url == reverse("portal:login")


def test_portal_login_page_is_served_in_each_language(client):
    for prefix, lang in (("", "fi"), ("/sv", "sv"), ("/en", "en")):
        response = client.get(f"{prefix}/oma/kirjaudu/")
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()


def test_a_session_ends_two_hours_after_the_login_however_active(client):
    customer = CustomerFactory()
    _login(client, customer)
    session = client.session
    session["portal_customer"]["verified_at"] -= 2 * 60 * 60 + 1
    session.save()
    assert client.get(reverse("portal:details")).url == reverse("portal:login")


def test_a_client_that_asks_for_codes_too_often_is_slowed_down(client):
    for n in range(10):
        assert _request_code(client, f"osoite{n}@example.fi").status_code == 302
    response = _request_code(client, "yksitoista@example.fi")
    assert response.status_code == 429


def test_a_client_that_guesses_codes_too_often_is_slowed_down(client):
    customer = CustomerFactory()
    _request_code(client, customer.email)
    for _ in range(20):
        client.post(reverse("portal:login_code"), {"code": "000000"})
    response = client.post(reverse("portal:login_code"), {"code": _mailed_code()})
    assert response.status_code == 429
    assert "Liian monta yritystä" in response.content.decode()


def test_the_code_form_explains_a_malformed_code_at_the_field(client):
    customer = CustomerFactory()
    _request_code(client, customer.email)
    body = client.post(reverse("portal:login_code"), {"code": "12ab"}).content.decode()
    assert "Koodissa on kuusi numeroa." in body
    assert 'aria-describedby="id_code_error"' in body


def test_an_erased_customer_gets_no_code(client):
    from rights.erasure import erase_customer

    customer = CustomerFactory()
    email = customer.email
    erase_customer(customer=customer)
    _request_code(client, email)
    assert not mail.outbox


def test_a_new_code_replaces_the_earlier_one(client):
    customer = CustomerFactory()
    _request_code(client, customer.email)
    first = _mailed_code()
    _request_code(client, customer.email)
    second = _mailed_code()
    if first != second:
        response = client.post(reverse("portal:login_code"), {"code": first})
        assert "väärä tai vanhentunut" in response.content.decode()
    response = client.post(reverse("portal:login_code"), {"code": second})
    assert response.url == reverse("portal:details")


def _login_request_work(email: str) -> tuple[list[str], list[str]]:
    """Return the project functions called and the SQL run while the login page takes `email`.

    SQL literals (the address, the sealed address, ids, times) are left out: what is compared
    is which code runs and which statements it sends, not the values.
    """
    root = f"{settings.BASE_DIR}{os.sep}"
    skip = (f"{settings.BASE_DIR / '.venv'}{os.sep}", f"{settings.BASE_DIR / 'tests'}{os.sep}")
    calls: list[str] = []

    def profile(frame, event, _arg):
        path = frame.f_code.co_filename
        if event == "call" and path.startswith(root) and not path.startswith(skip):
            calls.append(f"{path.removeprefix(root)}:{frame.f_code.co_name}")

    client = Client()
    with CaptureQueriesContext(connection) as queries:
        sys.setprofile(profile)
        try:
            response = client.post(reverse("portal:login"), {"email": email})
        finally:
            sys.setprofile(None)
    assert response.status_code == 302
    literal = re.compile(r"'(?:[^']|'')*'|\b\d+\b|\"s\d+_x\d+\"")
    return calls, [literal.sub("?", q["sql"]) for q in queries.captured_queries]


def test_a_login_request_does_the_same_work_for_known_and_unknown_addresses(settings):
    # As in production: the request enqueues the task in the database; the worker decides.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    customer = CustomerFactory()
    _login_request_work("lammittely@example.fi")  # first-use caches filled
    known_calls, known_sql = _login_request_work(customer.email)
    unknown_calls, unknown_sql = _login_request_work("ei.asiakas@example.fi")
    assert "portal/auth.py:request_login_code" in known_calls
    assert known_calls == unknown_calls
    assert known_sql == unknown_sql
    assert any(q.startswith(f'INSERT INTO "{DBTaskResult._meta.db_table}"') for q in known_sql)
    # Nothing was decided yet: no code exists and no mail is queued, for either address.
    assert not PortalLoginCode.objects.exists() and not mail.outbox


def test_the_queued_login_request_holds_no_readable_address(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    customer = CustomerFactory()
    Client().post(reverse("portal:login"), {"email": customer.email})
    [queued] = DBTaskResult.objects.filter(task_path="portal.tasks.send_login_code_task")
    assert customer.email not in json.dumps(queued.args_kwargs)
    # The worker's run decides and mails the code; a second run of the same task does nothing.
    kwargs = queued.args_kwargs["kwargs"]
    assert portal_auth.send_login_code(**kwargs) is True
    assert portal_auth.send_login_code(**kwargs) is True
    assert PortalLoginCode.objects.filter(customer=customer).count() == 1
    # The mail is queued for the delivery worker, once.
    assert list(OutgoingEmail.objects.values_list("recipient", flat=True)) == [customer.email]
