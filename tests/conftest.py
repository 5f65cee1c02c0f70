import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    # Argon2 is deliberately slow; tests only need hashing to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ERASURE_LEDGER_FILE = tmp_path / "erasure-ledger.jsonl"
    # seed_demo's accounts of a test database must not replace the developer's own file.
    settings.DEMO_CREDENTIALS_FILE = tmp_path / "demo-credentials.txt"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache outlives each test's rolled-back transaction (it holds the rendered statement
    # page and the rate-limit counters): every test starts with an empty one.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _finnish_by_default():
    # LocaleMiddleware leaves the language of the last request active in the thread; every
    # test starts from the site default (Finnish), as a new request would.
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def finnish():
    """Pin the language: an earlier test's request may have left another one active."""
    with translation.override("fi"):
        yield


@pytest.fixture
def register_admin(db, django_user_model):
    from staff.roles import REGISTER_ADMIN, ensure_role_groups

    user = django_user_model.objects.create_user(
        "paakayttaja", password="salasana-testi-123", is_staff=True
    )
    user.groups.add(ensure_role_groups()[REGISTER_ADMIN])
    return user


@pytest.fixture
def customer_service(db, django_user_model):
    from staff.roles import CUSTOMER_SERVICE, ensure_role_groups

    user = django_user_model.objects.create_user(
        "asiakaspalvelu", password="salasana-testi-123", is_staff=True
    )
    user.groups.add(ensure_role_groups()[CUSTOMER_SERVICE])
    return user


@pytest.fixture
def marketing(db, django_user_model):
    from staff.roles import MARKETING, ensure_role_groups

    user = django_user_model.objects.create_user(
        "markkinointi", password="salasana-testi-123", is_staff=True
    )
    user.groups.add(ensure_role_groups()[MARKETING])
    return user


@pytest.fixture
def otp_login(db):
    """Return login(client, user): log a staff member in with a verified TOTP device.

    The staff panel requires a second factor; this is what a password and a valid code leave
    in the session.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(client, user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="testi", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return login


@pytest.fixture(autouse=True, scope="session")
def _compiled_messages(django_db_blocker):
    # The Swedish and English statements are read from the compiled catalogues (*.mo are not
    # committed); compilemessages skips catalogues that are already up to date.
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)


# Figures the security and reliability tests count, printed at the end of the run: each xdist
# worker sends its counts to the controller, which adds them up (tests/reliability/figures.py).
def pytest_sessionfinish(session):
    import json

    from tests.reliability import figures

    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["reliability"] = json.dumps(figures.as_dict())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    import json

    from tests.reliability import figures

    figures.merge(json.loads(getattr(node, "workeroutput", {}).get("reliability", "{}")))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from tests.reliability import figures as reliability
    from tests.security import figures as security

    if hasattr(config, "workerinput"):
        return
    totals = security.write_totals()
    if totals:
        terminalreporter.section("security figures")
        for name, value in totals.items():
            terminalreporter.write_line(f"{name}: {value}")
    lines = reliability.summary_lines(leave_out=(security.SECTION,))
    if lines:
        terminalreporter.section("reliability figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def gnupg_home(tmp_path_factory):
    """A GnuPG home holding the backup key pair (tests/backups.py), made once per run."""
    from tests.backups import make_gnupg_home

    return make_gnupg_home(tmp_path_factory.mktemp("gnupg") / "home")
