"""Settings for Rekisteri.

Every deployment difference is an environment variable read through django-environ; each one is
listed with its default in `.env.example`.
"""

import datetime as dt
import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

# A development key is only acceptable while DEBUG is on; production must set its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-rekisteri-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = _DEV_SECRET_KEY
# Earlier SECRET_KEYs still accepted for signatures (sessions, password resets, the opt-out links
# of marketing messages already sent) while a new one takes over.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

# The key of the suppression list's and the restriction lists' hashes (customers.marketing), kept
# apart from SECRET_KEY: those hashes cannot be recomputed (the contact details are gone), so
# rotating the key that made them would silently empty the lists. A retired key moves to the
# fallbacks and stays there while entries hashed with it may still be needed; matching tries all.
SUPPRESSION_KEY = env.str("SUPPRESSION_KEY", default="")
SUPPRESSION_KEY_FALLBACKS = env.list("SUPPRESSION_KEY_FALLBACKS", default=[])
if not SUPPRESSION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SUPPRESSION_KEY must be set when DEBUG is off: generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. An installation "
            "upgrading from a release that keyed the suppression list with SECRET_KEY also sets "
            "SUPPRESSION_KEY_FALLBACKS to that SECRET_KEY (docs/deploy.md, Upgrades)."
        )
    # Development: the key the entries of a development database were made with.
    SUPPRESSION_KEY = SECRET_KEY

# The key that encrypts the connected systems' API keys and webhook secrets at rest (platforms),
# apart from SECRET_KEY so that rotating SECRET_KEY leaves them readable. Empty: derived from
# SECRET_KEY. A retired key moves to the fallbacks; secrets are read with any, saved with the first.
CONNECTION_KEY = env.str("CONNECTION_KEY", default="")
CONNECTION_KEY_FALLBACKS = env.list("CONNECTION_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# The reverse proxies (addresses or networks) whose X-Forwarded-For names the client: every rate
# limit, the staff lockout and the audit log read the client's address through
# privacy.network.client_address. None by default: the socket's address is the client's.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list IP addresses or networks (127.0.0.1, 10.0.0.0/24), "
            f"not {_proxy!r}."
        ) from exc

INSTALLED_APPS = [
    # The staff panel: django.contrib.admin with a site that requires TOTP (staff.site).
    "staff.admin_app.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_countries",
    "customers",
    "privacy",
    "rights",
    "statement",
    "portal",
    "staff",
    "demo",
    "bench",
    "rekisteri",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "integrations",
    "notifications",
    "platforms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

# Benchmark runs (manage.py bench) add a framework-floor view beside the project's URLs.
ROOT_URLCONF = env.str("ROOT_URLCONF", default="rekisteri.urls")
WSGI_APPLICATION = "rekisteri.wsgi.application"
ASGI_APPLICATION = "rekisteri.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The embedded SQLite file is the zero-set-up default; production and the tests use PostgreSQL.
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'rekisteri.sqlite3'}")
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# Optional PostgreSQL read replica: the public statement pages read from it (rekisteri.routers).
if _replica_url := env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url_config(_replica_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["rekisteri.routers.ReplicaRouter"]
    MIDDLEWARE.append("rekisteri.routers.ReplicaReadsMiddleware")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    )
IS_POSTGRESQL = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("suomi")), ("sv", _("ruotsi")), ("en", _("englanti"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Country names django-countries' catalogues get wrong: its Swedish leaves these in English, its
# English says "Bahamas (The)" and "Naoero", its Finnish still "Makedonia" and "Swazimaa". The
# msgids are the Finnish names; locale/ gives the Swedish and English ones.
COUNTRIES_OVERRIDE = {
    "AL": pgettext_lazy("valtio", "Albania"),
    "AS": pgettext_lazy("valtio", "Amerikan Samoa"),
    "AU": pgettext_lazy("valtio", "Australia"),
    "BS": pgettext_lazy("valtio", "Bahama"),
    "BV": pgettext_lazy("valtio", "Bouvet'nsaari"),
    "BR": pgettext_lazy("valtio", "Brasilia"),
    "KH": pgettext_lazy("valtio", "Kambodža"),
    "CA": pgettext_lazy("valtio", "Kanada"),
    "TD": pgettext_lazy("valtio", "Tšad"),
    "CC": pgettext_lazy("valtio", "Kookossaaret"),
    "CU": pgettext_lazy("valtio", "Kuuba"),
    "EG": pgettext_lazy("valtio", "Egypti"),
    "GE": pgettext_lazy("valtio", "Georgia"),
    "HK": pgettext_lazy("valtio", "Hongkong"),
    "IN": pgettext_lazy("valtio", "Intia"),
    "ID": pgettext_lazy("valtio", "Indonesia"),
    "JO": pgettext_lazy("valtio", "Jordania"),
    "LB": pgettext_lazy("valtio", "Libanon"),
    "NR": pgettext_lazy("valtio", "Nauru"),
    "NF": pgettext_lazy("valtio", "Norfolkinsaari"),
    "PH": pgettext_lazy("valtio", "Filippiinit"),
    "SS": pgettext_lazy("valtio", "Etelä-Sudan"),
    "HM": pgettext_lazy("valtio", "Heard ja McDonaldinsaaret"),
    "PS": pgettext_lazy("valtio", "Palestiina"),
    "PN": pgettext_lazy("valtio", "Pitcairn"),
    "MK": pgettext_lazy("valtio", "Pohjois-Makedonia"),
    "SZ": pgettext_lazy("valtio", "Eswatini"),
}
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "media/"
# Uploaded and generated files hold personal data (access packages): readable by the app's own
# user and group only, whatever the umask of the process that writes them.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
# In production mail must reach people: the console, file and in-memory backends would swallow
# every portal login code and decision letter while the worker logs them as sent.
_UNDELIVERED_MAIL = {
    "django.core.mail.backends.console.EmailBackend": "consolemail://",
    "django.core.mail.backends.filebased.EmailBackend": "filemail://",
    "django.core.mail.backends.locmem.EmailBackend": "memorymail://",
}
if not DEBUG and _email["EMAIL_BACKEND"] in _UNDELIVERED_MAIL:
    raise ImproperlyConfigured(
        f"EMAIL_URL must name a mail server when DEBUG is off, not "
        f"{_UNDELIVERED_MAIL[_email['EMAIL_BACKEND']]}: set it in the environment, e.g. "
        "EMAIL_URL=smtp+tls://user:password@smtp.example.fi:587."
    )
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {k: v for k, v in _smtp_options.items() if v not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="rekisteri@localhost")

# Django's tasks framework: immediate in development and tests, the django-tasks-db worker
# (`manage.py db_worker`) in production.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
# A broker-backed backend (docs/deploy.md: RQ or Celery) is named by its dotted class path.
if TASKS_BACKEND not in _TASK_BACKENDS and "." not in TASKS_BACKEND:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)} or the dotted path of a task "
        f"backend class, not {TASKS_BACKEND!r}."
    )
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND),
        "QUEUES": ["default"],
    }
}

# The portal's and the API's rate limits are counted in the cache; with several gunicorn workers
# it must be one they share: rediscache://127.0.0.1:6379/1, or dbcache://rekisteri_cache after
# `manage.py createcachetable`.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    # Rendered portal fragments (the order list), under a digest of the rows they show, so a
    # change to the rows is a new key and nothing needs invalidating. Kept in each process's
    # memory, never in the shared cache, bounded in entries and time: they hold the customer's
    # personal data, and stale ones are unreachable once the rows change or the data is erased.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal-fragments",
        "TIMEOUT": 900,
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, reusing its Redis clients (rekisteri/cache.py).
    CACHES["default"]["BACKEND"] = "rekisteri.cache.RedisCache"

# Customers inactive this long are anonymised by the retention sweep (months).
RETENTION_INACTIVE_MONTHS = env.int("RETENTION_INACTIVE_MONTHS", default=36)

# The shop's promise about authorities' requests for a customer's data: the customer is told
# before anything is handed over, unless the law forbids telling (rights.authority enforces it;
# the statement's disclosures section says it).
AUTHORITY_REQUESTS_TOLD_FIRST = env.bool("AUTHORITY_REQUESTS_TOLD_FIRST", default=True)

# How many days of nightly backups are kept (deploy/backup.sh prunes older ones). The erasure
# ledger is kept as long, so an erasure outlives every backup that could bring the person back.
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=30)

# Every erasure is also appended to this file, kept outside the database and its backups, so
# `reapply_erasures` can erase again whoever a restored backup brings back.
ERASURE_LEDGER_FILE = env.path(
    "ERASURE_LEDGER_FILE", default=BASE_DIR / "var" / "erasure-ledger.jsonl"
)

# `seed_demo` writes the demo staff accounts' passwords and TOTP keys here (tests elsewhere).
DEMO_CREDENTIALS_FILE = BASE_DIR / "var" / "demo-credentials.txt"

# Nightly backups (deploy/backup.sh reads the same variables): where they are kept and for how
# many days. The statement tells customers how long a backup keeps erased data.
BACKUP_DIR = env.path("BACKUP_DIR", default="/var/backups/rekisteri")
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=30)

# The last day of the shop's financial year as MM-DD: accounting vouchers are kept 6 years from
# the end of the calendar year in which their financial year ended (Kirjanpitolaki 2:10 §).
_year_end = env.str("ACCOUNTING_YEAR_END", default="12-31")
try:
    ACCOUNTING_YEAR_END = tuple(int(part) for part in _year_end.split("-"))
    dt.date(2024, *ACCOUNTING_YEAR_END)
except (TypeError, ValueError) as exc:
    raise ImproperlyConfigured(
        f"ACCOUNTING_YEAR_END must be the financial year's last day as MM-DD, not {_year_end!r}."
    ) from exc

# Email marketing to existing customers without consent (917/2014 200 § 2 mom.) needs buyers to
# have been told at purchase that their address may be used and how to refuse: the day the web
# shop's checkout began to say so. Empty: the exception is not used and email needs consent.
_notice_since = env.str("EXISTING_CUSTOMER_NOTICE_SINCE", default="")
try:
    EXISTING_CUSTOMER_NOTICE_SINCE = dt.date.fromisoformat(_notice_since) if _notice_since else None
except ValueError as exc:
    raise ImproperlyConfigured(
        f"EXISTING_CUSTOMER_NOTICE_SINCE must be a date like 2024-01-31, not {_notice_since!r}."
    ) from exc

LOGIN_URL = "admin:login"

# Staff login: password and TOTP (django-otp); django-axes locks an account or address out for
# 15 minutes after 5 failed passwords. Axes must come first to see every attempt.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with a user's permissions read in one query (privacy/auth_backends.py).
    "staff.auth_backends.ModelBackendOneQuery",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# A user name is locked out from the address that failed too often, never from everywhere: a
# flood of wrong passwords, or of made-up user names, locks out only its sender, so nobody can
# lock the register admin out from elsewhere. The second factor (TOTP) and the one generic login
# error (staff.site) keep password guessing from paying off meanwhile.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind the proxies, as every rate limit and the audit log read it.
AXES_CLIENT_IP_CALLABLE = "privacy.network.client_ip"
AXES_RESET_ON_SUCCESS = True
# Successful logins are recorded in the audit log (privacy.audit); axes keeps only failures.
AXES_DISABLE_ACCESS_LOG = True
# The lockout page says in the staff member's language when to try again (staff.views.lockout).
AXES_LOCKOUT_CALLABLE = "staff.views.lockout"
# No start-up banner on every manage.py run, and no user agents in lockout log lines.
AXES_VERBOSE = False
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Rekisteri")
# A new staff account confirms its authenticator app at first login within this many hours.
STAFF_TOTP_ENROLMENT_HOURS = env.int("STAFF_TOTP_ENROLMENT_HOURS", default=72)
# A staff session ends after this many idle minutes (and SESSION_COOKIE_AGE after it began).
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)

# Sessions are read from the cache (and written through to the database) when the cache is one
# the workers share (Redis or Memcached): a portal page then needs no session query. With a
# per-process cache (locmem) a logout in one worker would not reach another worker's copy, and
# with the database cache there is nothing to gain, so those keep sessions in the database alone.
_SHARED_CACHE = CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in {
    "RedisCache",
    "PyMemcacheCache",
    "PyLibMCCache",
}
SESSION_ENGINE = env.str("SESSION_ENGINE", default="") or (
    "django.contrib.sessions.backends." + ("cached_db" if _SHARED_CACHE else "db")
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# No page reads the CSRF cookie from script (the forms carry the token), so script never may.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: nothing from other origins, no inline script, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health endpoint over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "rekisteri.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every failed login at INFO; lockouts (WARNING) are what matter.
        "axes": {"level": "WARNING"},
    },
}

# The web shop's API (integrations/): authentication, scopes and throttling are set on its views.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # No session or password authentication anywhere in the API: the API views name their token
    # authentication, and the public schema must not become a password oracle without TOTP.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Rekisteri API",
    "DESCRIPTION": (
        "Verkkokaupan rajapinta: asiakkaat, tilaukset, lähetykset, suostumukset, kiellot."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The human docs page (/api/v1/docs/) serves Swagger UI from static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Requests per API token, e.g. "600/min" or "20/s".
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/min")
# Requests per client address without a valid token (the public schema and docs, wrong tokens).
API_CLIENT_THROTTLE_RATE = env.str("API_CLIENT_THROTTLE_RATE", default="60/min")
# Signed webhook requests per web shop connection (platforms.throttling): far above a shop's
# bursts, so it stops only a runaway sender or a leaked secret.
WEBHOOK_THROTTLE_RATE = env.str("WEBHOOK_THROTTLE_RATE", default="3000/min")
# Webhook requests per client address that fail verification (wrong or no signature).
WEBHOOK_CLIENT_THROTTLE_RATE = env.str("WEBHOOK_CLIENT_THROTTLE_RATE", default="30/min")
