import re

import pytest
from django.core import mail
from django.urls import reverse

from customers.models import PortalLoginCode
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


def test_the_mailed_link_logs_in_after_a_confirming_press(client):
    customer = CustomerFactory()
    _request_code(client, customer.email)
    link = re.search(r"http://\S+", mail.outbox[-1].body).group(0)
    path = link.split("8000", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path, follow=True)
    assert customer.formatted_number in response.content.decode()
    assert client.post(path).status_code == 302  # used up


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
