"""Staff login: password and TOTP, lockout, audit of every attempt, enrolment, session expiry."""

import datetime as dt
import re
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacy.models import AuditEntry
from staff.accounts import open_totp_enrolment
from staff.site import SESSION_SEEN_KEY, SESSION_STARTED_KEY

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


GENERIC_ERROR = (
    "Kirjautuminen epäonnistui. Tarkista käyttäjätunnus, salasana ja todennussovelluksen "
    "kertakäyttökoodi."
)


def test_login_without_a_totp_code_fails(client, register_admin, device):
    response = _login(client, "paakayttaja", PASSWORD)
    assert response.status_code == 200
    assert GENERIC_ERROR in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_every_failed_login_gets_the_same_page_whatever_failed(
    client, register_admin, customer_service, device
):
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    attempts = {
        "unknown user": ("ei-ketaan", PASSWORD, _token(device)),
        "wrong password": ("paakayttaja", "väärä-salasana", _token(device)),
        "right password, no code": ("paakayttaja", PASSWORD, ""),
        "right password, wrong code": ("paakayttaja", PASSWORD, "000000"),
        "right password, malformed code": ("paakayttaja", PASSWORD, "abc"),
        "staff member without a device": ("asiakaspalvelu", PASSWORD, "123456"),
    }
    pages = {}
    for name, (username, password, token) in attempts.items():
        response = client.__class__().post(
            reverse("admin:login") + "?next=/hallinta/",
            {"username": username, "password": password, "otp_token": token},
        )
        assert response.status_code == 200, name
        page = csrf.sub("", response.content.decode())
        assert GENERIC_ERROR in page, name
        # The page echoes the user name and code typed, and nothing else of the attempt.
        assert password not in page, name
        page = page.replace(f'value="{username}"', 'value=""')
        pages[name] = re.sub(r'name="otp_token"( value="[^"]*")?', 'name="otp_token"', page)
    assert len(set(pages.values())) == 1, [n for n in pages if pages[n] != pages["unknown user"]]


def test_login_with_a_wrong_totp_code_fails_and_is_audited_with_the_address(
    client, register_admin, device
):
    response = _login(client, "paakayttaja", PASSWORD, "000000")
    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.actor == register_admin
    assert entry.details == {"factor": "totp"}
    assert entry.ip_address == "127.0.0.1"


def test_login_with_password_and_a_valid_totp_code_succeeds_and_is_audited(
    client, register_admin, device
):
    response = _login(client, "paakayttaja", PASSWORD, _token(device))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.actor == register_admin
    assert entry.details == {"factor": "totp"}
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


def test_five_failed_passwords_lock_the_account_out_and_the_lockout_is_audited(
    client, register_admin, device
):
    for _attempt in range(5):
        _login(client, "paakayttaja", "väärä-salasana")
    response = _login(client, "paakayttaja", PASSWORD, _token(device))
    assert response.status_code == 429
    body = " ".join(response.content.decode().split())
    assert "Kirjautuminen on estetty hetkeksi, koska kirjautuminen epäonnistui 5 kertaa." in body
    until = timezone.localtime() + dt.timedelta(minutes=15)
    assert "Yritä uudelleen 15 minuutin kuluttua, kello" in body
    assert (
        until.strftime("%H.%M") in body
        or (until - dt.timedelta(minutes=1)).strftime("%H.%M") in body
    )
    assert client.get(reverse("admin:index")).status_code == 302
    lockout = AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT).first()
    assert lockout is not None and lockout.actor == register_admin
    assert lockout.ip_address == "127.0.0.1"


def test_wrong_totp_codes_count_towards_the_lockout(client, register_admin, device):
    for _attempt in range(5):
        _login(client, "paakayttaja", PASSWORD, "000000")
    response = _login(client, "paakayttaja", PASSWORD, _token(device))
    assert response.status_code == 429
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT).exists()


def test_the_lockout_ends_after_the_cool_off(client, register_admin, device):
    from axes.models import AccessAttempt

    for _attempt in range(5):
        _login(client, "paakayttaja", "väärä-salasana")
    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = _login(client, "paakayttaja", PASSWORD, _token(device))
    assert response.status_code == 302


def test_passwords_are_hashed_with_argon2_in_production():
    from django.test import override_settings

    from rekisteri import settings as project_settings

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert make_password("salasana-testi-123").startswith("argon2")


def test_enrol_totp_prints_a_working_secret_once(register_admin, capsys):
    from django.core.management import call_command

    call_command("enrol_totp", "paakayttaja", no_qr=True)
    url = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user=register_admin)
    assert url == device.config_url and url.startswith("otpauth://totp/")
    assert device.verify_token(_token(device))


def _secret_from(page: str) -> TOTPDevice:
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    return secret


def test_a_new_staff_member_enrols_their_authenticator_at_first_login(
    client, register_admin, device, otp_login
):
    admin_client = otp_login(client.__class__(), register_admin)
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "uusi.asiakaspalvelija",
            "first_name": "Uusi",
            "last_name": "Palvelija",
            "email": "uusi@esimerkkikauppa.example",
            "groups": [register_admin.groups.get().pk],
            "password1": "pitka-ja-hyva-salasana-42",
            "password2": "pitka-ja-hyva-salasana-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = _login(client, "uusi.asiakaspalvelija", "pitka-ja-hyva-salasana-42")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:totp_enrolment")
    # The password alone opens nothing else.
    assert client.get(reverse("admin:customers_customer_changelist")).status_code == 302
    page = client.get(reverse("admin:totp_enrolment")).content.decode()
    assert "<svg" in page
    new_device = TOTPDevice.objects.get(user__username="uusi.asiakaspalvelija")
    assert not new_device.confirmed
    import base64

    assert base64.b32decode(_secret_from(page) + "=" * (-len(_secret_from(page)) % 8)) == (
        new_device.bin_key
    )
    wrong = client.post(reverse("admin:totp_enrolment"), {"token": "000000"})
    assert "Koodi on väärä" in wrong.content.decode()
    new_device.refresh_from_db()
    new_device.throttling_failure_count = 0
    new_device.throttling_failure_timestamp = None
    new_device.save()
    response = client.post(reverse("admin:totp_enrolment"), {"token": _token(new_device)})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    new_device.refresh_from_db()
    assert new_device.confirmed
    stages = list(
        AuditEntry.objects.filter(details__factor="totp", details__stage__isnull=False)
        .order_by("id")
        .values_list("details__stage", flat=True)
    )
    assert stages == ["enrolment_opened", "confirmed"]


def test_an_enrolment_closes_after_its_window(client, register_admin, settings):
    open_totp_enrolment(user=register_admin, opened_by=None)
    TOTPDevice.objects.filter(user=register_admin).update(
        created_at=timezone.now() - dt.timedelta(hours=settings.STAFF_TOTP_ENROLMENT_HOURS + 1)
    )
    response = _login(client, "paakayttaja", PASSWORD)
    assert response.status_code == 200
    assert client.get(reverse("admin:totp_enrolment")).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_working_second_factor_cannot_be_replaced_with_the_password_alone(
    client, register_admin, device
):
    TOTPDevice.objects.create(user=register_admin, name="toinen", confirmed=False)
    response = _login(client, "paakayttaja", PASSWORD)
    assert response.status_code == 200
    assert client.get(reverse("admin:totp_enrolment")).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302


def test_reopening_enrolment_revokes_the_lost_phone_at_once(
    client, register_admin, customer_service, otp_login
):
    otp_login(client, customer_service)
    assert client.get(reverse("admin:index")).status_code == 200
    open_totp_enrolment(user=customer_service, opened_by=register_admin)
    assert client.get(reverse("admin:index")).status_code == 302


def test_an_idle_staff_session_ends(client, register_admin, otp_login, settings):
    otp_login(client, register_admin)
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session[SESSION_SEEN_KEY] = time.time() - settings.STAFF_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_staff_session_ends_after_a_working_day_however_busy(
    client, register_admin, otp_login, settings
):
    otp_login(client, register_admin)
    client.get(reverse("admin:index"))
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_COOKIE_AGE - 5
    session.save()
    assert client.get(reverse("admin:index")).status_code == 302


def test_an_active_session_is_kept(client, register_admin, otp_login):
    otp_login(client, register_admin)
    for _i in range(3):
        assert client.get(reverse("admin:index")).status_code == 200
