import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacy.audit import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "salasana-testi-123"


@pytest.fixture
def device(register_admin):
    return TOTPDevice.objects.create(user=register_admin, name="puhelin", confirmed=True)


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def _login(client, username: str, password: str, token: str = ""):
    data = {"username": username, "password": password, "otp_token": token}
    return client.post(reverse("admin:login") + "?next=/hallinta/", data)


def test_login_without_a_totp_code_fails(client, register_admin, device):
    response = _login(client, "paakayttaja", PASSWORD)
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_login_with_a_wrong_totp_code_fails_and_is_audited(client, register_admin, device):
    response = _login(client, "paakayttaja", PASSWORD, "000000")
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.actor == register_admin
    assert entry.details == {"factor": "totp"}


def test_login_with_password_and_a_valid_totp_code_succeeds_and_is_audited(
    client, register_admin, device
):
    response = _login(client, "paakayttaja", PASSWORD, _token(device))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.actor == register_admin
    assert entry.ip_address == "127.0.0.1"


def test_a_wrong_password_is_audited_without_the_attempted_secret(client, register_admin):
    _login(client, "paakayttaja", "väärä-salasana")
    _login(client, "väärä-salasana-tunnuksena", "x")
    entries = list(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED))
    assert len(entries) == 2
    known, unknown = sorted(entries, key=lambda e: e.actor_label, reverse=True)
    assert known.actor == register_admin
    assert unknown.actor is None and unknown.actor_label == ""
    assert "väärä" not in str([e.details for e in entries])


def test_a_password_session_without_otp_does_not_open_the_staff_panel(client, register_admin):
    client.force_login(register_admin)
    assert client.get(reverse("admin:index")).status_code == 302


def test_five_failed_passwords_lock_the_account_out(client, register_admin, device, settings):
    for _attempt in range(5):
        _login(client, "paakayttaja", "väärä-salasana")
    response = _login(client, "paakayttaja", PASSWORD, _token(device))
    assert response.status_code == 429
    assert "Liian monta" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, register_admin, device, settings):
    import datetime as dt

    from axes.models import AccessAttempt

    for _attempt in range(5):
        _login(client, "paakayttaja", "väärä-salasana")
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = _login(client, "paakayttaja", PASSWORD, _token(device))
    assert response.status_code == 302


def test_enrol_totp_prints_a_working_secret_once(register_admin, capsys):
    from django.core.management import call_command

    call_command("enrol_totp", "paakayttaja", no_qr=True)
    url = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user=register_admin)
    assert url == device.config_url and url.startswith("otpauth://totp/")
    assert device.verify_token(_token(device))
