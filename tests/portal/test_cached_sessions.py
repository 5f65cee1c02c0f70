"""Portal sessions held in a shared cache (production with Redis) still expire and log out.

With CACHE_URL pointing at Redis or Memcached the sessions are read from the cache and written
through to the database (settings.SESSION_ENGINE); a per-process cache keeps them in the
database alone, since a logout in one worker could not reach another worker's copy.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CustomerFactory
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db

CACHED_DB = "django.contrib.sessions.backends.cached_db"


@pytest.fixture(autouse=True)
def _cached_sessions(settings):
    settings.SESSION_ENGINE = CACHED_DB


def test_a_logged_in_page_reads_the_session_from_the_cache(client):
    log_in(client, CustomerFactory())
    client.get(reverse("portal:orders"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:orders")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]


def test_after_logout_the_old_cookie_opens_nothing(client):
    log_in(client, CustomerFactory())
    old_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("portal:orders")).status_code == 200
    client.post(reverse("portal:logout"))

    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = old_cookie
    assert replay.get(reverse("portal:orders")).url == reverse("portal:login")


def test_an_idle_cached_session_ends(client):
    log_in(client, CustomerFactory())
    assert client.get(reverse("portal:details")).status_code == 200
    session = client.session
    session["portal_customer"]["seen_at"] -= 16 * 60
    session.save()
    assert client.get(reverse("portal:details")).url == reverse("portal:login")
    # Ended for good: coming back does not revive it.
    assert client.get(reverse("portal:orders")).url == reverse("portal:login")


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        ("rediscache://127.0.0.1:6379/1", CACHED_DB),
        ("locmemcache://", "django.contrib.sessions.backends.db"),
        ("dbcache://rekisteri_cache", "django.contrib.sessions.backends.db"),
    ],
)
def test_sessions_use_the_cache_only_when_the_workers_share_it(cache_url, engine):
    env = {k: v for k, v in os.environ.items() if k != "SESSION_ENGINE"}
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        env={**env, "CACHE_URL": cache_url},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == engine
