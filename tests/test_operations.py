import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from rekisteri.backups import record_verified_backup
from tests.disks import read_only_directory
from tests.manage_subprocess import run_manage, test_database_url

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x9ZlQk2v7Hf3Rr8sTt0uWw1yY4aA6bB5cC7dD9eE2fF4gG6hH8jJ0kK1mM3nN5pP",
    "SUPPRESSION_KEY": "pQ3rS5tU7vW9xY1zA2bC4dE6fG8hJ0kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG2h",
    "ALLOWED_HOSTS": "rekisteri.example.fi",
    "SITE_URL": "https://rekisteri.example.fi",
    "EMAIL_URL": "smtp+tls://mailer:salasana@smtp.example.fi:587",
}


def _manage(*args: str, env: dict[str, str]):
    return run_manage(*args, env=env, inherit=("PATH", "HOME", "DATABASE_URL"))


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_health_endpoint_reports_a_reachable_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "ledger": "ok", "backup": "none"}


@pytest.mark.django_db
def test_health_endpoint_fails_while_the_erasure_ledger_cannot_be_written(
    client, settings, tmp_path
):
    with read_only_directory(tmp_path / "ledger") as ledger_dir:
        settings.ERASURE_LEDGER_FILE = ledger_dir / "erasure-ledger.jsonl"
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "ledger": "unwritable",
        "backup": "none",
    }


@pytest.mark.django_db
def test_health_tells_monitors_a_backup_is_stale_and_only_the_register_admin_its_details(
    client, register_admin, customer_service, otp_login
):
    verified = timezone.now() - dt.timedelta(hours=27)
    record_verified_backup(file=Path("/var/backups/r.dump.gpg"), size=5, verified_at=verified)
    # A stale backup is reported, but the app still serves: the check stays 200.
    public = client.get("/health/")
    assert public.status_code == 200
    assert public.json()["backup"] == "stale" and "last_backup" not in public.json()
    otp_login(client, customer_service)
    assert "last_backup" not in client.get("/health/").json()
    otp_login(client, register_admin)
    assert client.get("/health/").json()["last_backup"] == {
        "verified_at": verified.isoformat(),
        "file": "/var/backups/r.dump.gpg",
        "size": 5,
    }


@pytest.mark.parametrize("email_url", ["consolemail://", "filemail:///tmp/mail", "memorymail://"])
def test_production_refuses_to_start_with_mail_that_reaches_no_one(email_url):
    result = _manage("check", env={**PRODUCTION_ENV, "EMAIL_URL": email_url})
    assert result.returncode != 0
    assert "EMAIL_URL must name a mail server when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_an_email_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "EMAIL_URL must name a mail server when DEBUG is off, not consolemail://" in (
        result.stderr
    )


def test_check_deploy_fails_while_the_erasure_ledger_cannot_be_written(tmp_path):
    with read_only_directory(tmp_path / "ledger") as ledger_dir:
        env = {**PRODUCTION_ENV, "ERASURE_LEDGER_FILE": str(ledger_dir / "ledger.jsonl")}
        result = _manage("check", "--deploy", "--fail-level", "ERROR", env=env)
    assert result.returncode != 0
    assert "rights.E001" in result.stderr and "is not writable" in result.stderr


def test_json_logs_carry_no_request_arguments():
    import json
    import logging

    from rekisteri.logging import JsonFormatter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "Sent %s", ("code",), None)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Sent code"
    assert set(line) == {"time", "name", "levelname", "module", "funcName", "message"}


@pytest.mark.django_db
def test_security_headers_are_set_on_every_page(client):
    response = client.get("/oma/kirjaudu/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def _shell(code: str, env: dict[str, str]) -> str:
    result = _manage("shell", "-v0", "-c", code, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


_GET = (
    "from django.test import Client; "
    "r = Client().get('{path}', HTTP_HOST='rekisteri.example.fi'); "
    "print(r.status_code, r.get('Location', ''), r.content.decode()[:200])"
)


def test_health_endpoint_answers_503_when_the_database_is_down():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://rekisteri@127.0.0.1:9/rekisteri"}
    env["SECURE_SSL_REDIRECT"] = "false"
    out = _shell(_GET.format(path="/health/"), env)
    assert out.startswith("503")
    assert '"database": "unreachable"' in out


@pytest.mark.django_db
def test_health_endpoint_is_not_redirected_to_https_but_pages_are():
    env = {**PRODUCTION_ENV, "DATABASE_URL": test_database_url()}
    assert _shell(_GET.format(path="/health/"), env).startswith("200")
    page = _shell(_GET.format(path="/oma/kirjaudu/"), env)
    assert page.startswith("301 https://rekisteri.example.fi/oma/kirjaudu/")


def test_manage_py_starts_without_the_axes_banner():
    result = _manage("check", env={})
    assert result.returncode == 0
    assert "AXES" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_log_lines_of_a_request_carry_no_email_or_name(client, caplog):
    import json
    import logging

    from rekisteri.logging import JsonFormatter
    from tests.factories import CustomerFactory

    customer = CustomerFactory(
        first_name="Aino", last_name="Kivistö", email="aino.kivisto@example.fi"
    )
    with caplog.at_level(logging.INFO):
        client.post("/oma/kirjaudu/", {"email": customer.email})
        client.get(f"/oma/{customer.email}/")  # a 404 whose path carries the address
        client.get("/oma/?puhelin=+358401234567")
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert any('"Not Found: /oma/[email]/"' in line for line in lines)
    assert any(json.loads(line).get("event") == "mail_sent" for line in lines)
    for line in lines:
        assert customer.email not in line
        assert "Kivistö" not in line and "Aino" not in line
        assert "+358401234567" not in line
