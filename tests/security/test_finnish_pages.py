"""Every staff page each role may open is in Finnish: no English leftover of Django or its apps.

Nor Django's Finnish that reads wrong with our model names (tests/staff/test_admin_wording.py).

The pages are the access matrix's (tests/security/test_access_matrix.py): every URL pattern of the
staff panel, its parameters filled with real rows, visited as each staff role; each page answered
200 is scanned for the English strings Django, django-otp and django-axes would show where the
project's catalogue lacks them. A page refused (403) or not found (404) is the site's Finnish
error page with a way back.
"""

import re

import pytest
from django.apps import apps
from django.test import Client

from tests.security.conftest import client_maker
from tests.security.test_access_matrix import _media_root, cases  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

# What the panel showed in English before: the admin's actions bar and blank choice, the bare
# 403, django-axes' section, django-otp's throttling message, the dashed blank choice, a list's
# heading for screen readers, the delete confirmation.
LEFTOVERS = re.compile(
    r"Select an option|\bRun\b|Forbidden|\bAxes\b|Access attempts|Access failures|Access logs"
    r"|failed attempt|---------|Pagination|Are you sure|would re(?:sult|quire)"
)


def _ungrammatical() -> re.Pattern:
    """Django's Finnish with a model's name where Finnish needs the partitive.

    "Muokkaa asiakas" (to edit takes the partitive) and "3 asiakkaat" (so does a number).
    """
    names = {str(m._meta.verbose_name) for m in apps.get_models()}
    plurals = {str(m._meta.verbose_name_plural) for m in apps.get_models()}
    return re.compile(
        rf"Muokkaa (?:{'|'.join(map(re.escape, names))})\b"
        rf"|\b\d+ (?:{'|'.join(map(re.escape, plurals))})\b"
    )


def _leftovers(body: str) -> list[str]:
    # Scripts and the CSRF token are not read by anyone.
    text = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    return sorted(set(LEFTOVERS.findall(text)) | set(_ungrammatical().findall(text)))


@pytest.fixture
def make_client(shared_world, otp_login):
    return client_maker(shared_world, otp_login)


@pytest.mark.parametrize("actor", ["admin", "cs", "mk", "norole"])
def test_every_staff_page_a_role_opens_has_no_english_leftovers(actor, shared_world, make_client):
    client = make_client(actor)
    found, pages, refused = [], 0, 0
    for key, _route, url, _row, _prefix in cases(shared_world, languages=("",)):
        if not key.startswith("admin:") or key in ("admin:logout",):
            continue
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        body = response.content.decode()
        if response.status_code == 200:
            pages += 1
            if words := _leftovers(body):
                found.append(f"{url} [{key}]: {words}")
        elif response.status_code == 403:
            refused += 1
            assert "Ei käyttöoikeutta" in body, url
            assert 'href="/hallinta/"' in body, url
            assert not _leftovers(body), url
    assert pages > 10 if actor != "norole" else pages >= 1
    assert not found, "\n".join(found)


def test_the_login_page_and_the_lockout_are_in_finnish(client: Client, register_admin):
    body = client.get("/hallinta/login/").content.decode()
    assert not _leftovers(body)


def test_a_missing_page_is_finnish_with_a_way_back(client: Client):
    response = client.get("/ei-tallaista-sivua/")
    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fi">' in body
    assert "Sivua ei löytynyt" in body
    assert 'href="/"' in body


def test_a_missing_staff_page_leads_back_to_the_staff_front_page(client, register_admin, otp_login):
    otp_login(client, register_admin)
    response = client.get("/hallinta/ei-ole/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Sivua ei löytynyt" in body
    assert 'href="/hallinta/"' in body


def test_a_refused_staff_page_is_finnish_with_a_way_back(client, customer_service, otp_login):
    otp_login(client, customer_service)
    response = client.get("/hallinta/statement/statementdraft/tuo/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "Ei käyttöoikeutta" in body and "Forbidden" not in body
    assert 'href="/hallinta/"' in body


def test_the_server_error_page_needs_no_database_or_request(settings):
    from django.db import connection
    from django.template import loader
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        body = loader.get_template("500.html").render()
    assert not queries.captured_queries
    assert "Palvelussa tapahtui virhe" in body
    assert 'href="/"' in body and 'href="/hallinta/"' in body
