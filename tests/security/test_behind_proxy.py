"""The security checks as deployed: gunicorn behind a reverse proxy, on 127.0.0.1.

gunicorn runs with deploy/gunicorn.conf.py and production settings (DEBUG off, the access log
on, TRUSTED_PROXIES=127.0.0.1); in front of it `reverse_proxy.py` forwards as the nginx block
of docs/deploy.md does, appending the address each client connected from to X-Forwarded-For.
Each client here connects from its own loopback address (127.0.0.2, 127.0.0.3, …), so the
proxy sees different visitors while its own connection to gunicorn always comes from
127.0.0.1 — the set-up in which every limit used to count the proxy's address for everyone.
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from customers.models import PortalLoginCode
from notifications.models import OutgoingEmail
from portal import auth as portal_auth
from privacy.models import AuditEntry
from tests.factories import CustomerFactory
from tests.manage_subprocess import test_database_url
from tests.security import figures

pytestmark = [pytest.mark.django_db(transaction=True)]

HOST = "rekisteri.example.fi"
PASSWORD = "salasana-testi-123"
API_CLIENT_RATE = 5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, name: str) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not listen in 30 s")


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start gunicorn and the proxy on free ports; yield their ports and log files."""
    with django_db_blocker.unblock():
        database_url = test_database_url()
    logs = tmp_path_factory.mktemp("deployment")
    app_port, proxy_port = _free_port(), _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "PYTHONUNBUFFERED": "1",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "SUPPRESSION_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": database_url,
        "TRUSTED_PROXIES": "127.0.0.1",
        # nginx's TLS server sets X-Forwarded-Proto; the direct probes below speak plain HTTP.
        "SECURE_SSL_REDIRECT": "false",
        # Tasks wait in the database for a worker, as in production (none runs here).
        "TASKS_BACKEND": "database",
        "EMAIL_URL": "dummymail://",
        "API_CLIENT_THROTTLE_RATE": f"{API_CLIENT_RATE}/min",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{app_port}",
        # One worker: the per-process cache then holds every rate-limit count (production
        # shares them between workers through Redis).
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": "-",
    }
    app_log = logs / "gunicorn.log"
    proxy_log = logs / "proxy-access.log"
    with app_log.open("w") as out:
        app = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "deploy/gunicorn.conf.py",
                "tests.security.deployed_wsgi:application",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    proxy = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("reverse_proxy.py")),
            str(proxy_port),
            str(app_port),
            str(proxy_log),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(app_port, app, "gunicorn")
        _wait_for(proxy_port, proxy, "reverse proxy")
        yield {"app": app_port, "proxy": proxy_port, "app_log": app_log, "proxy_log": proxy_log}
    finally:
        for process in (proxy, app):
            process.terminate()
            process.wait(timeout=30)


class Browser:
    """A visitor connecting from its own loopback address, keeping its cookies."""

    def __init__(self, source: str, port: int, *, through_proxy: bool = True) -> None:
        self.source, self.port = source, port
        self.origin = f"{'https' if through_proxy else 'http'}://{HOST}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        """Send one request; return (status, headers, body)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, source_address=(self.source, 0), timeout=60
        )
        sent = {"Host": HOST, "Origin": self.origin, "Referer": self.origin + path}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            if "csrftoken" in self.cookies:
                data = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **data}
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        return response.status, response.headers, text

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs):
        if "csrftoken" not in self.cookies:
            self.get(path)
        return self.request("POST", path, data=data, **kwargs)


def _browser(deployment, n: int) -> Browser:
    return Browser(f"127.0.0.{n}", deployment["proxy"])


def test_a_flood_of_code_requests_from_one_client_does_not_throttle_another(deployment):
    customer = CustomerFactory()
    flooder = _browser(deployment, 2)
    statuses = [
        flooder.post("/oma/kirjaudu/", {"email": f"keksitty{i}@example.fi"})[0]
        for i in range(portal_auth.REQUESTS_PER_CLIENT + 1)
    ]
    assert statuses == [302] * portal_auth.REQUESTS_PER_CLIENT + [429]
    status, _headers, _body = _browser(deployment, 3).post(
        "/oma/kirjaudu/", {"email": customer.email}
    )
    assert status == 302
    queued = DBTaskResult.objects.filter(task_path="portal.tasks.send_login_code_task").count()
    assert queued == portal_auth.REQUESTS_PER_CLIENT + 1
    figures.count("behind a real proxy")


def test_a_spoofed_forwarded_for_is_ignored_through_the_proxy_and_around_it(deployment):
    through = _browser(deployment, 4)
    around = Browser("127.0.0.5", deployment["app"], through_proxy=False)
    for client in (through, around):
        statuses = [
            client.post(
                "/oma/kirjaudu/",
                {"email": f"huijattu{i}@example.fi"},
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
            )[0]
            for i in range(portal_auth.REQUESTS_PER_CLIENT + 1)
        ]
        assert statuses == [302] * portal_auth.REQUESTS_PER_CLIENT + [429], client.port
    figures.count("behind a real proxy", 2)


def test_a_flood_of_failed_staff_logins_does_not_lock_out_the_register_admin(
    deployment, register_admin
):
    # Hashed as production can check it (the suite's own fast hasher is not among its hashers).
    register_admin.password = PBKDF2PasswordHasher().encode(PASSWORD, "suola1234567890")
    register_admin.save(update_fields=["password"])
    device = TOTPDevice.objects.create(user=register_admin, name="puhelin", confirmed=True)
    attacker, admin = _browser(deployment, 6), _browser(deployment, 7)
    for i in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post("/hallinta/login/", {"username": f"keksitty{i}", "password": "x"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/hallinta/login/", {"username": "paakayttaja", "password": "x"})
    assert attacker.post("/hallinta/login/", {"username": "paakayttaja", "password": "x"})[0] == 429
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    status, headers, _body = admin.post(
        "/hallinta/login/?next=/hallinta/",
        {"username": "paakayttaja", "password": PASSWORD, "otp_token": token},
    )
    assert status == 302 and headers["Location"] == "/hallinta/"
    assert admin.get("/hallinta/")[0] == 200
    login = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert (login.actor, login.ip_address) == (register_admin, "127.0.0.7")
    lockouts = AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT)
    assert {e.ip_address for e in lockouts} == {"127.0.0.6"}
    figures.count("behind a real proxy")


def test_each_api_client_behind_the_proxy_has_its_own_limit(deployment):
    first = _browser(deployment, 8)
    statuses = [first.get("/api/v1/customers/")[0] for _ in range(API_CLIENT_RATE + 1)]
    assert statuses == [401] * API_CLIENT_RATE + [429]
    assert _browser(deployment, 9).get("/api/v1/customers/")[0] == 401
    figures.count("behind a real proxy")


def test_a_login_link_token_reaches_no_access_log_line(deployment, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    customer = CustomerFactory()
    visitor = _browser(deployment, 10)
    assert visitor.post("/oma/kirjaudu/", {"email": customer.email})[0] == 302
    # The worker's part, run here: decide, make the code and queue the mail.
    [queued] = DBTaskResult.objects.filter(task_path="portal.tasks.send_login_code_task")
    assert portal_auth.send_login_code(**queued.args_kwargs["kwargs"])
    body = OutgoingEmail.objects.get(customer=customer).body
    link = re.search(r"https?://[^/\s]+(/\S+)", body).group(1)
    token = re.search(r"\?t=([A-Za-z0-9_-]+)", link).group(1)
    status, headers, _page = visitor.get(link)
    assert status == 200 and headers["Referrer-Policy"] == "no-referrer"
    assert "Content-Security-Policy" in headers
    status, headers, _page = visitor.post("/oma/kirjaudu/linkki/", {"token": token})
    assert status == 302 and headers["Location"] == "/oma/tiedot/"
    status, _headers, details = visitor.get("/oma/tiedot/")
    assert status == 200 and customer.formatted_number in details
    assert PortalLoginCode.objects.get(customer=customer).used_at is not None
    # Logging out empties the session: the next page is the login again.
    visitor.post("/oma/kirjaudu-ulos/", {})
    assert visitor.get("/oma/tiedot/")[0] == 302
    time.sleep(0.5)  # the access lines are written after each response
    gunicorn_lines = [
        json.loads(line)["message"]
        for line in deployment["app_log"].read_text().splitlines()
        if line.startswith("{") and '"gunicorn.access"' in line
    ]
    proxy_lines = deployment["proxy_log"].read_text().splitlines()
    for lines in (gunicorn_lines, proxy_lines):
        link_lines = [line for line in lines if "/oma/kirjaudu/linkki/" in line]
        assert len(link_lines) >= 2, lines[-5:]  # the GET and the POST were logged
        assert not [line for line in lines if token in line]
    figures.count("behind a real proxy")
