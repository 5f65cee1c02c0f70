"""Abuse: guessing login codes, flooding the portal and the API, forged POSTs, and the HTTP
headers and cookies of the production settings."""

import json
import secrets

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from customers.models import ConsentEvent
from integrations.models import ApiToken
from integrations.services import create_api_token
from portal import auth as portal_auth
from tests.manage_subprocess import run_manage, test_database_url
from tests.portal.conftest import log_in, mailed_code
from tests.security import figures
from tests.security.test_access_matrix import ACCESS, cases

pytestmark = pytest.mark.django_db


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# Login codes.


def test_a_login_code_dies_after_five_wrong_tries(world, client):
    customer = world["a"].customer
    client.post(reverse("portal:login"), {"email": customer.email})
    code = mailed_code(customer.email)
    for _ in range(portal_auth.MAX_ATTEMPTS):
        response = client.post(reverse("portal:login_code"), {"code": _wrong(code)})
        assert response.status_code == 200
    response = client.post(reverse("portal:login_code"), {"code": code})
    assert response.status_code == 200  # the right code, too late: still the code form
    assert portal_auth.SESSION_KEY not in client.session
    figures.count("abuse checks")


def test_guessing_codes_for_many_addresses_from_one_client_gets_429(world, client):
    for i in range(portal_auth.VERIFY_PER_CLIENT):
        session = client.session
        session["portal_login_email"] = f"arvaus{i}@example.fi"
        session.save()
        response = client.post(reverse("portal:login_code"), {"code": "123456"})
        assert response.status_code == 200
    response = client.post(reverse("portal:login_code"), {"code": "123456"})
    assert response.status_code == 429
    assert "Liian monta yritystä" in response.content.decode()
    figures.count("abuse checks")


def test_asking_codes_for_one_address_too_often_gets_429(world):
    email = world["a"].customer.email
    statuses = []
    for i in range(portal_auth.REQUESTS_PER_ADDRESS + 1):
        # A different client address each time: the limit is the address's own.
        c = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
        statuses.append(c.post(reverse("portal:login"), {"email": email}).status_code)
    assert statuses == [302] * portal_auth.REQUESTS_PER_ADDRESS + [429]
    assert len(mail.outbox) == portal_auth.REQUESTS_PER_ADDRESS
    figures.count("abuse checks")


def test_asking_codes_for_many_addresses_from_one_client_gets_429(world, client):
    statuses = [
        client.post(reverse("portal:login"), {"email": f"kokeilu{i}@example.fi"}).status_code
        for i in range(portal_auth.REQUESTS_PER_CLIENT + 1)
    ]
    assert statuses == [302] * portal_auth.REQUESTS_PER_CLIENT + [429]
    figures.count("abuse checks")


def test_guessing_login_links_from_one_client_gets_429(world, client):
    statuses = [
        client.post(reverse("portal:login_link"), {"token": secrets.token_urlsafe(32)}).status_code
        for _ in range(portal_auth.VERIFY_PER_CLIENT + 1)
    ]
    assert statuses == [302] * portal_auth.VERIFY_PER_CLIENT + [429]
    figures.count("abuse checks")


# Flooding the portal and the API.


def test_a_customer_replaying_a_form_gets_429_and_no_more_rows(world, client):
    log_in(client, world["a"].customer)
    url = reverse("portal:marketing")
    on, off = {"marketing_email": "yes"}, {"marketing_email": "no"}
    statuses = [
        client.post(url, on if i % 2 else off).status_code
        for i in range(portal_auth.WRITES_PER_CUSTOMER)
    ]
    assert 429 not in statuses
    rows = ConsentEvent.objects.filter(customer=world["a"].customer).count()
    response = client.post(url, on)
    assert response.status_code == 429
    assert "Liian monta pyyntöä" in response.content.decode()
    assert ConsentEvent.objects.filter(customer=world["a"].customer).count() == rows
    # Reading stays possible.
    assert client.get(url).status_code == 200
    figures.count("abuse checks")


def test_asking_for_access_packages_too_often_gets_429(world, client):
    from portal.services import PACKAGES_PER_HOUR
    from rights.models import AccessPackage

    log_in(client, world["a"].customer)
    customer = world["a"].customer
    # The hour's allowance already used (each would render a PDF): the next request is refused.
    for _ in range(PACKAGES_PER_HOUR):
        portal_auth.hit_rate_limit(f"access-package:{customer.pk}", PACKAGES_PER_HOUR, 3600)
    packages = AccessPackage.objects.filter(customer=customer).count()
    response = client.post(reverse("portal:download"))
    assert response.status_code == 429
    assert AccessPackage.objects.filter(customer=customer).count() == packages
    figures.count("abuse checks")


def test_a_token_that_calls_too_often_gets_429(world, settings):
    settings.API_THROTTLE_RATE = "5/min"
    _token, secret = create_api_token(name="Kauppa", scopes=list(ApiToken.Scope.values))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    statuses = [client.get(reverse("api:customer-list")).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert "Retry-After" in client.get(reverse("api:customer-list"))
    figures.count("abuse checks")


@pytest.mark.parametrize(
    "authorization", ["", "Bearer väärä", "Bearer {random}", "Basic dHVydmE6dHVydmE="]
)
def test_calls_without_a_valid_token_are_limited_per_client(world, settings, authorization):
    settings.API_CLIENT_THROTTLE_RATE = "5/min"
    statuses = []
    for _ in range(6):
        client = APIClient()
        if authorization:
            header = authorization.replace("{random}", secrets.token_urlsafe(32))
            client.credentials(HTTP_AUTHORIZATION=header)
        statuses.append(client.get(reverse("api:customer-list")).status_code)
    assert statuses[:5] == [401] * 5 or statuses[:5] == [403] * 5
    assert statuses[5] == 429
    figures.count("abuse checks")


def test_the_public_schema_is_limited_per_client(world, settings):
    settings.API_CLIENT_THROTTLE_RATE = "3/min"
    client = APIClient()
    statuses = [client.get(reverse("api:schema")).status_code for _ in range(4)]
    assert statuses == [200] * 3 + [429]
    figures.count("abuse checks")


def test_the_throttles_do_not_trust_x_forwarded_for(world, settings):
    settings.API_CLIENT_THROTTLE_RATE = "3/min"
    statuses = [
        APIClient().get(reverse("api:customer-list"), HTTP_X_FORWARDED_FOR=f"10.1.1.{i}")
        for i in range(4)
    ]
    assert [r.status_code for r in statuses] == [401] * 3 + [429]
    figures.count("abuse checks")


# CSRF: every form POST without a token is refused.


def _actor_for(key: str, row) -> str:
    """Return a visitor who may use the view, so the refusal can only come from CSRF."""
    if key.startswith("admin:"):
        return "admin"
    if key.startswith("portal:") and row.get[1] != row.get[0]:
        return "a"
    return "anon"


def test_every_post_without_a_csrf_token_is_refused(world, make_client):
    clients: dict[str, Client] = {}
    refused, controls, wrong = 0, 0, []
    for key, _route, url, row, _prefix in cases(world):
        if row.csrf_exempt:
            continue
        actor = _actor_for(key, row)
        if actor not in clients:
            logged_in = make_client(actor)
            clients[actor] = Client(enforce_csrf_checks=True)
            clients[actor].cookies = logged_in.cookies
        response = clients[actor].post(url, {"x": "1"})
        refused += 1
        if response.status_code != 403 or "CSRF" not in response.content.decode():
            wrong.append(f"{actor} POST {url} [{key}] without a token: {response.status_code}")
    # The control: the same forms with the token are not refused (so the refusals above are
    # the CSRF check's, not a login's or a permission's). Logout last: it ends the session.
    # Controls for every form but the staff panel's model pages (one admin form stands for
    # them) and the package download, which renders a PDF.
    forms = [
        c
        for c in cases(world, languages=("",))
        if c[3].form
        and not c[3].csrf_exempt
        and (not str(c[3].get[3]).startswith("model:") or c[0] == "admin:customers_customer_add")
        and c[0] != "portal:download"
    ]
    forms.sort(key=lambda c: "logout" in c[0])
    for key, _route, url, row, _prefix in forms:
        client = clients[_actor_for(key, row)]
        client.get(reverse("portal:login"))  # a page with a form sets the CSRF cookie
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        response = client.post(url, {"csrfmiddlewaretoken": token})
        controls += 1
        if response.status_code == 403 and "CSRF" in response.content.decode():
            wrong.append(f"POST {url} [{key}] with the token refused")
    assert not wrong, "\n".join(wrong)
    figures.count("csrf refusals checked", refused)
    figures.count("csrf controls (with token) checked", controls)


def test_the_api_is_csrf_exempt_because_cookies_grant_it_nothing(world, make_client):
    for actor in ("a", "admin"):
        logged_in = make_client(actor)
        client = Client(enforce_csrf_checks=True)
        client.cookies = logged_in.cookies
        for key, row in ACCESS.items():
            if key.startswith("api:") and key not in ("api:schema", "api:docs"):
                assert row.csrf_exempt
        response = client.post(reverse("api:customer-list"), "{}", content_type="application/json")
        assert response.status_code == 401
    figures.count("abuse checks")


# Production settings: headers, cookies and the deployment check, in a process of their own.

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SUPPRESSION_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "rekisteri.example.fi",
    "CSRF_TRUSTED_ORIGINS": "https://rekisteri.example.fi",
    "SITE_URL": "https://rekisteri.example.fi",
    "EMAIL_URL": "smtp+tls://mailer:salasana@smtp.example.fi:587",
}

PAGES = {
    "portal": "/oma/kirjaudu/",
    "statement": "/tietosuojaseloste/",
    "admin": "/hallinta/login/",
    "api": "/api/v1/customers/",
    "api docs": "/api/v1/docs/",
}

# Runs in the production process: fetch each page over HTTPS, then log-in POSTs that set the
# session and CSRF cookies; print what came back as JSON. Everything is rolled back.
_PROBE = """
import json
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
pages = json.loads({pages!r})
out = {{}}
# Plain static storage: the hashed manifest exists only after collectstatic.
static = {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
storages = {{**settings.STORAGES, "staticfiles": static}}
with override_settings(STORAGES=storages), transaction.atomic():
    c = Client(HTTP_HOST="rekisteri.example.fi")
    for name, path in pages.items():
        r = c.get(path, secure=True)
        out[name] = {{"status": r.status_code, "headers": dict(r.headers)}}
    r = c.post("/oma/kirjaudu/", {{"email": "ei.asiakas@example.fi"}}, secure=True)
    out["cookies"] = {{
        name: {{"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}}
        for name, m in c.cookies.items()
    }}
    out["plain http"] = c.get("/oma/kirjaudu/").status_code
    transaction.set_rollback(True)
print(json.dumps(out))
"""


def _manage(*args: str, env: dict[str, str]):
    return run_manage(*args, env=env)


@pytest.fixture(scope="module")
def production(django_db_setup, django_db_blocker):
    """What the production settings answer: headers per page, cookies, plain-HTTP status."""
    with django_db_blocker.unblock():
        env = {**PRODUCTION_ENV, "DATABASE_URL": test_database_url()}
    result = _manage("shell", "-v0", "-c", _PROBE.format(pages=json.dumps(PAGES)), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("page", list(PAGES))
def test_every_kind_of_response_carries_the_security_headers(production, page):
    headers = production[page]["headers"]
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    hsts = headers.get("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin"
    figures.count("security header checks", 7)


def test_session_and_csrf_cookies_are_secure_and_httponly(production):
    cookies = production["cookies"]
    assert set(cookies) >= {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        assert cookies[name] == {"secure": True, "httponly": True}, name
    assert production["plain http"] == 301
    figures.count("abuse checks")


PUBLISH_DEMO_STATEMENT = "from demo.shop import ensure_demo_statement; ensure_demo_statement()"


@pytest.mark.django_db(transaction=True)
def test_the_deployment_check_finds_nothing_with_production_variables():
    # The check also compares the statement in force with the register (statement.W001): run it
    # on the test database, with a statement published under the same settings (the statement
    # names the site's address), as a set-up shop has. The transactional test empties it after.
    env = {**PRODUCTION_ENV, "DATABASE_URL": test_database_url()}
    published = _manage("shell", "-c", PUBLISH_DEMO_STATEMENT, env=env)
    assert published.returncode == 0, published.stderr
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    figures.count("abuse checks")
