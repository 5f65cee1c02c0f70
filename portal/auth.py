"""Passwordless portal login: a one-time code and link mailed to the customer's address.

The answer to a code request is the same whether or not the address belongs to a customer, so
the login page cannot be used to find out who is in the register. It does the same work for
both, too: the request only counts the limits and hands the address, sealed, to a task, which
decides whether the address is a customer's and makes and mails the code (`send_login_code`);
so a known address is not answered more slowly either. Codes are single-use, expire in ten
minutes and allow five tries; addresses and clients that ask too often are slowed down. The
mailed link carries its token in the query string, which no access log records, and opens a
page whose button logs in, so a link scanner does not use it up. Logging in and out starts a
new, empty session. A session ends after 15 idle minutes and at the latest two hours after the
login.

Logging in this way verifies the customer's identity for the requests they then file
(GDPR Art. 12(6): no more identification than needed); the requests record it as
`DataSubjectRequest.Verification.PORTAL_LOGIN`.

The same kind of code confirms a new email address before it replaces the one on file.
"""

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from urllib.parse import urlencode

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from customers.models import Customer, PortalLoginCode
from customers.services import record_activity
from customers.validators import normalise_email
from notifications.models import OutgoingEmail
from notifications.services import queue_email
from portal import tasks
from rekisteri.tasks import enqueue
from rights.models import DataSubjectRequest

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Code requests allowed per window, per address and per client.
REQUESTS_PER_ADDRESS = 3
REQUESTS_PER_CLIENT = 10
VERIFY_PER_CLIENT = 20
# Form submissions (changes) allowed per window per logged-in customer.
WRITES_PER_CUSTOMER = 60
WINDOW_SECONDS = 15 * 60
SESSION_KEY = "portal_customer"
# The query parameter of the mailed login link that holds its token.
LINK_PARAMETER = "t"
IDLE_SECONDS = 15 * 60
# However active, a session ends this long after the login that verified the customer.
MAX_SESSION_SECONDS = 2 * 60 * 60
# The idle clock is refreshed at most this often (each refresh saves the session).
SEEN_RESOLUTION_SECONDS = 60
VERIFICATION_METHOD = DataSubjectRequest.Verification.PORTAL_LOGIN
# Customer.objects.active() for one id, as the plain query portal_customer_id runs.
_ACTIVE_CUSTOMER_SQL = (
    f"SELECT 1 FROM {Customer._meta.db_table} WHERE id = %s AND erased_at IS NULL"  # noqa: S608
)


class LoginError(Exception):
    """A login step failed; the message is safe to show."""


class Throttled(LoginError):
    """Too many requests from an address or a client."""


def _digest(value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def hit_rate_limit(bucket: str, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """Count one request in a rate-limit bucket; return True when it is over the limit."""
    key = f"portal-rate:{_digest(bucket)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def clear_rate_limit(bucket: str) -> None:
    """Forget the requests counted in a bucket (the benchmark repeats a limited action)."""
    cache.delete(f"portal-rate:{_digest(bucket)}")


def _clean_email(email: str) -> str:
    try:
        return normalise_email(email)
    except ValidationError:
        return ""


def _mail(
    *,
    key: str,
    kind: str,
    to: str,
    subject: str,
    template: str,
    context: dict,
    customer: Customer | None = None,
    send_before: dt.datetime | None = None,
) -> None:
    """Queue one portal message in the outbox; the task worker sends it once."""
    queue_email(
        key=key,
        kind=kind,
        recipient=to,
        subject=subject,
        body=render_to_string(f"portal/email/{template}", context),
        customer=customer,
        send_before=send_before,
    )


def _new_code(customer: Customer, *, new_email: str = "") -> tuple[PortalLoginCode, str, str]:
    """Store a fresh code (and link) for the customer, replacing the live one.

    Return the stored row, the code and the link token.
    """
    code = f"{secrets.randbelow(1_000_000):06d}"
    link_token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # A new code replaces any earlier live one of the same kind.
        same_kind = {"new_email__gt": ""} if new_email else {"new_email": ""}
        PortalLoginCode.objects.filter(customer=customer, used_at__isnull=True, **same_kind).update(
            used_at=timezone.now()
        )
        login = PortalLoginCode.objects.create(
            customer=customer,
            code_hash=_digest(f"code:{customer.pk}:{new_email}:{code}"),
            link_hash=_digest(f"link:{link_token}"),
            expires_at=timezone.now() + CODE_LIFETIME,
            new_email=new_email,
        )
    return login, code, link_token


def _minutes() -> int:
    return int(CODE_LIFETIME.total_seconds() // 60)


def _sealer() -> Fernet:
    key = salted_hmac("portal.auth.login-request", "", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str) -> str:
    """Return `value` encrypted and authenticated with a key derived from SECRET_KEY.

    A login request's address travels to its task so: the task row, kept for a fortnight,
    then holds nothing readable.
    """
    return _sealer().encrypt(value.encode()).decode()


def unseal(sealed: str, *, max_age: dt.timedelta) -> str | None:
    """Return what seal() sealed, or None when it is older than max_age or not ours."""
    try:
        return _sealer().decrypt(sealed.encode(), ttl=int(max_age.total_seconds())).decode()
    except (InvalidToken, ValueError):
        return None


def request_login_code(*, email: str, client: str, language: str) -> None:
    """Count a code request against the limits and hand it to the task that answers it.

    The same work whether or not the address is a customer's: the task decides, and mails the
    code and link only to a customer (send_login_code). Raises Throttled when the address or
    the client has asked too often.
    """
    email = _clean_email(email) or (email or "").strip().lower()
    over_client = hit_rate_limit(f"request-client:{client}", REQUESTS_PER_CLIENT)
    over_address = hit_rate_limit(f"request-address:{email}", REQUESTS_PER_ADDRESS)
    if over_client or over_address:
        raise Throttled(_("Liian monta pyyntöä. Odota 15 minuuttia ja yritä sitten uudelleen."))
    enqueue(
        tasks.send_login_code_task,
        sealed_email=seal(email),
        language=language,
        request_id=secrets.token_hex(16),
    )


@transaction.atomic
def send_login_code(*, sealed_email: str, language: str, request_id: str) -> bool:
    """Mail a login code and link if the address belongs to a customer; return whether it did.

    Run by the task a code request enqueues. Idempotent: the code and its mail are made in one
    transaction under the request's key, so a repeated run finds the mail and stops.
    """
    key = f"login-request:{request_id}"
    if OutgoingEmail.objects.filter(key=key).exists():
        return True
    email = unseal(sealed_email, max_age=CODE_LIFETIME)
    customer = Customer.objects.active().filter(email=email).first() if email else None
    if customer is None:
        return False
    login, code, link_token = _new_code(customer)
    with translation.override(language):
        link = (
            settings.SITE_URL.rstrip("/")
            + reverse("portal:login_link")
            + "?"
            + urlencode({LINK_PARAMETER: link_token})
        )
        # A code that expires before the worker gets to it is not sent.
        _mail(
            key=key,
            kind=OutgoingEmail.Kind.LOGIN_CODE,
            customer=customer,
            send_before=login.expires_at,
            to=customer.email,
            subject=_("Kirjautumiskoodisi: %(code)s") % {"code": code},
            template="login_code.txt",
            context={"code": code, "link": link, "minutes": _minutes()},
        )
    return True


def verify_login_code(*, email: str, code: str, client: str) -> Customer:
    """Return the customer whose live code this is, marking the code used; raise LoginError.

    A wrong code counts as a try even though the caller gets an error: the count is committed
    before the error is raised.
    """
    if hit_rate_limit(f"verify-client:{client}", VERIFY_PER_CLIENT):
        raise Throttled(_("Liian monta yritystä. Odota 15 minuuttia ja yritä sitten uudelleen."))
    email = _clean_email(email)
    login = (
        _consume_code(
            PortalLoginCode.objects.filter(
                customer__email=email, customer__erased_at__isnull=True, new_email=""
            ),
            (code or "").strip(),
        )
        if email
        else None
    )
    if login is None:
        raise LoginError(_("Koodi on väärä tai vanhentunut. Tilaa tarvittaessa uusi koodi."))
    return login.customer


@transaction.atomic
def _consume_code(codes, code: str) -> PortalLoginCode | None:
    """Use up the newest live code of `codes` if `code` matches it; count a wrong try."""
    login = (
        codes.select_for_update()
        .filter(used_at__isnull=True)
        .select_related("customer")
        .order_by("-created_at")
        .first()
    )
    if login is None or login.expires_at <= timezone.now() or login.attempts >= MAX_ATTEMPTS:
        return None
    expected = _digest(f"code:{login.customer_id}:{login.new_email}:{code}")
    if not hmac.compare_digest(expected, login.code_hash):
        login.attempts += 1
        login.save(update_fields=["attempts"])
        return None
    login.used_at = timezone.now()
    login.save(update_fields=["used_at"])
    return login


@transaction.atomic
def verify_login_link(*, token: str) -> Customer:
    """Return the customer whose live login link this is, marking it used; raise LoginError."""
    login = (
        PortalLoginCode.objects.select_for_update()
        .filter(link_hash=_digest(f"link:{token}"), used_at__isnull=True, new_email="")
        .select_related("customer")
        .first()
    )
    if login is None or login.expires_at <= timezone.now() or login.customer.erased_at:
        raise LoginError(_("Kirjautumislinkki on käytetty tai vanhentunut. Tilaa uusi koodi."))
    login.used_at = timezone.now()
    login.save(update_fields=["used_at"])
    return login.customer


# Confirming a new email address.


def request_email_change(*, customer: Customer, new_email: str, language: str) -> None:
    """Mail a code to the new address that confirms the customer controls it.

    When the address already belongs to another customer, that address gets a notice instead of
    a code, so the portal does not reveal who else is a customer. Raises Throttled.
    """
    new_email = normalise_email(new_email)
    over_customer = hit_rate_limit(f"email-change:{customer.pk}", REQUESTS_PER_ADDRESS)
    over_address = hit_rate_limit(f"request-address:{new_email}", REQUESTS_PER_ADDRESS)
    if over_customer or over_address:
        raise Throttled(_("Liian monta pyyntöä. Odota 15 minuuttia ja yritä sitten uudelleen."))
    taken = Customer.objects.filter(email=new_email).exclude(pk=customer.pk).exists()
    with translation.override(language):
        if taken:
            _mail(
                key=f"email-taken:{secrets.token_hex(16)}",
                kind=OutgoingEmail.Kind.PORTAL_NOTICE,
                to=new_email,
                subject=_("Sähköpostiosoitteen vaihto"),
                template="email_taken.txt",
                context={},
            )
            return
        login, code, _link = _new_code(customer, new_email=new_email)
        _mail(
            key=f"email-change-code:{login.pk}",
            kind=OutgoingEmail.Kind.LOGIN_CODE,
            customer=customer,
            send_before=login.expires_at,
            to=new_email,
            subject=_("Vahvista uusi sähköpostiosoitteesi: %(code)s") % {"code": code},
            template="email_change_code.txt",
            context={"code": code, "minutes": _minutes()},
        )


def verify_email_change_code(*, customer: Customer, code: str) -> str:
    """Return the new address the code confirms, marking the code used; raise LoginError."""
    if hit_rate_limit(f"email-verify:{customer.pk}", VERIFY_PER_CLIENT):
        raise Throttled(_("Liian monta yritystä. Odota 15 minuuttia ja yritä sitten uudelleen."))
    login = _consume_code(
        PortalLoginCode.objects.filter(customer=customer, new_email__gt=""), (code or "").strip()
    )
    if login is None:
        raise LoginError(_("Koodi on väärä tai vanhentunut. Vaihda osoite tarvittaessa uudelleen."))
    return login.new_email


def notify_email_changed(*, old_email: str, new_email: str, language: str) -> None:
    """Tell the old address that the customer's address was changed, in case it was not them."""
    if not old_email:
        return
    with translation.override(language):
        _mail(
            key=f"email-changed:{secrets.token_hex(16)}",
            kind=OutgoingEmail.Kind.PORTAL_NOTICE,
            to=old_email,
            subject=_("Sähköpostiosoitteesi on vaihdettu"),
            template="email_changed.txt",
            context={"new_email": new_email},
        )


# The session.


def start_session(request: HttpRequest, customer: Customer) -> None:
    """Log the customer in to the portal, recording how their identity was verified.

    The session starts empty under a new key: nothing an earlier visitor of the same browser
    left (a pending address change, a login in progress) carries over.
    """
    request.session.flush()
    now = timezone.now().timestamp()
    request.session[SESSION_KEY] = {
        "id": customer.pk,
        "verified_at": now,
        "seen_at": now,
        "method": VERIFICATION_METHOD,
    }
    record_activity(customer=customer)


def end_session(request: HttpRequest) -> None:
    """Log the customer out of the portal, emptying the session and giving it a new key."""
    request.session.flush()


def portal_customer_id(request: HttpRequest) -> int | None:
    """Return the logged-in customer's id, or None when nobody is or the session has ended.

    A session ends when it has gone idle, is older than MAX_SESSION_SECONDS, or its customer has
    been erased. Every portal page runs this check and the orders page needs nothing more of the
    customer, so it does not load them: a plain query costs a third of the CPU of an ORM one.
    """
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    now = timezone.now().timestamp()
    idle = now - state.get("seen_at", 0) > IDLE_SECONDS
    too_old = now - state.get("verified_at", 0) > MAX_SESSION_SECONDS
    if idle or too_old:
        end_session(request)
        return None
    with connection.cursor() as cursor:
        cursor.execute(_ACTIVE_CUSTOMER_SQL, [state["id"]])
        if cursor.fetchone() is None:
            # Erased since the login (or never there).
            end_session(request)
            return None
    # Saving the session costs a write: refresh the idle clock once a minute, not on every
    # page (the idle limit is 15 minutes either way).
    if now - state.get("seen_at", 0) > SEEN_RESOLUTION_SECONDS:
        state["seen_at"] = now
        request.session[SESSION_KEY] = state
    return state["id"]
