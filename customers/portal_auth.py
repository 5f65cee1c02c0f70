"""Passwordless portal login: a one-time code and link mailed to the customer's address.

The answer to a code request is the same whether or not the address belongs to a customer, so
the login page cannot be used to find out who is in the register. Codes are single-use, expire
in ten minutes and allow five tries; addresses and clients that ask too often are slowed down.
Logging in this way verifies the customer's identity for the requests they then file
(GDPR Art. 12(6): no more identification than needed).
"""

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.models import Customer, PortalLoginCode
from customers.validators import normalise_email
from notifications.models import OutgoingEmail
from notifications.services import queue_email

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Code requests allowed per window, per address and per client.
REQUESTS_PER_ADDRESS = 3
REQUESTS_PER_CLIENT = 10
VERIFY_PER_CLIENT = 20
WINDOW_SECONDS = 15 * 60
SESSION_KEY = "portal_customer"
IDLE_SECONDS = 15 * 60
SEEN_RESOLUTION_SECONDS = 60
VERIFICATION_METHOD = "portal_email_code"


class LoginError(Exception):
    """A login step failed; the message is safe to show."""


class Throttled(LoginError):
    """Too many requests from an address or a client."""


def _digest(value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def _hit(bucket: str, limit: int) -> bool:
    """Count one request in a rate-limit bucket; return True when it is over the limit."""
    key = f"portal-rate:{_digest(bucket)}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


def client_address(request: HttpRequest) -> str:
    """Return the client's address as the proxy or the socket reports it."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def request_login_code(*, email: str, client: str, language: str) -> None:
    """Mail a login code and link if the address belongs to a customer; otherwise do nothing.

    Raises Throttled when the address or the client has asked too often.
    """
    try:
        email = normalise_email(email)
    except Exception:
        email = (email or "").strip().lower()
    over_client = _hit(f"request-client:{client}", REQUESTS_PER_CLIENT)
    over_address = _hit(f"request-address:{email}", REQUESTS_PER_ADDRESS)
    if over_client or over_address:
        raise Throttled(_("Liian monta pyyntöä. Odota 15 minuuttia ja yritä sitten uudelleen."))
    customer = Customer.objects.active().filter(email=email).first() if email else None
    if customer is None:
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    link_token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # A new code replaces any earlier live one.
        PortalLoginCode.objects.filter(customer=customer, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        login = PortalLoginCode.objects.create(
            customer=customer,
            code_hash=_digest(f"code:{customer.pk}:{code}"),
            link_hash=_digest(f"link:{link_token}"),
            expires_at=timezone.now() + CODE_LIFETIME,
        )
        with translation.override(language):
            link = settings.SITE_URL.rstrip("/") + reverse("portal:login_link", args=[link_token])
            minutes = int(CODE_LIFETIME.total_seconds() // 60)
            context = {"code": code, "link": link, "minutes": minutes}
            # Sent by the task worker; a code that expires before it is sent is not sent.
            queue_email(
                key=f"login-code:{login.pk}",
                kind=OutgoingEmail.Kind.LOGIN_CODE,
                recipient=customer.email,
                subject=_("Kirjautumiskoodisi: %(code)s") % {"code": code},
                body=render_to_string("portal/email/login_code.txt", context),
                customer=customer,
                send_before=login.expires_at,
            )


def verify_login_code(*, email: str, code: str, client: str) -> Customer:
    """Return the customer whose live code this is, marking the code used; raise LoginError.

    A wrong code counts as a try even though the caller gets an error: the count is committed
    before the error is raised.
    """
    if _hit(f"verify-client:{client}", VERIFY_PER_CLIENT):
        raise Throttled(_("Liian monta yritystä. Odota 15 minuuttia ja yritä sitten uudelleen."))
    try:
        email = normalise_email(email)
    except Exception:
        email = ""
    customer = _consume_code(email, (code or "").strip()) if email else None
    if customer is None:
        raise LoginError(_("Koodi on väärä tai vanhentunut. Tilaa tarvittaessa uusi koodi."))
    return customer


@transaction.atomic
def _consume_code(email: str, code: str) -> Customer | None:
    login = (
        PortalLoginCode.objects.select_for_update()
        .filter(customer__email=email, customer__erased_at__isnull=True, used_at__isnull=True)
        .select_related("customer")
        .order_by("-created_at")
        .first()
    )
    if login is None or login.expires_at <= timezone.now() or login.attempts >= MAX_ATTEMPTS:
        return None
    if not hmac.compare_digest(_digest(f"code:{login.customer_id}:{code}"), login.code_hash):
        login.attempts += 1
        login.save(update_fields=["attempts"])
        return None
    login.used_at = timezone.now()
    login.save(update_fields=["used_at"])
    return login.customer


@transaction.atomic
def verify_login_link(*, token: str) -> Customer:
    """Return the customer whose live login link this is, marking it used; raise LoginError."""
    login = (
        PortalLoginCode.objects.select_for_update()
        .filter(link_hash=_digest(f"link:{token}"), used_at__isnull=True)
        .select_related("customer")
        .first()
    )
    if login is None or login.expires_at <= timezone.now() or login.customer.erased_at:
        raise LoginError(_("Kirjautumislinkki on käytetty tai vanhentunut. Tilaa uusi koodi."))
    login.used_at = timezone.now()
    login.save(update_fields=["used_at"])
    return login.customer


def start_session(request: HttpRequest, customer: Customer) -> None:
    """Log the customer in to the portal, recording how their identity was verified."""
    request.session.cycle_key()
    now = timezone.now().timestamp()
    request.session[SESSION_KEY] = {
        "id": customer.pk,
        "verified_at": now,
        "seen_at": now,
        "method": VERIFICATION_METHOD,
    }
    Customer.objects.filter(pk=customer.pk).update(last_activity_at=timezone.now())


def end_session(request: HttpRequest) -> None:
    """Log the customer out of the portal."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def portal_customer(request: HttpRequest) -> Customer | None:
    """Return the logged-in customer, or None when nobody is, or the session has gone idle."""
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    now = timezone.now().timestamp()
    if now - state.get("seen_at", 0) > IDLE_SECONDS:
        end_session(request)
        return None
    customer = Customer.objects.active().filter(pk=state["id"]).first()
    if customer is None:
        end_session(request)
        return None
    # Saving the session costs a database write: refresh the idle clock once a minute, not on
    # every page (the idle limit is 15 minutes either way).
    if now - state.get("seen_at", 0) > SEEN_RESOLUTION_SECONDS:
        state["seen_at"] = now
        request.session[SESSION_KEY] = state
    return customer


def identity_verification(request: HttpRequest) -> dict:
    """Return how and when the logged-in customer's identity was verified."""
    state = request.session.get(SESSION_KEY) or {}
    return {
        "method": state.get("method", ""),
        "verified_at": dt.datetime.fromtimestamp(state.get("verified_at", 0), tz=dt.UTC),
    }
