"""Staff accounts' second factor: enrolling a TOTP device, by the staff member or the operator.

A new account (or one whose phone was lost) gets a *pending* enrolment from the register admin:
an unconfirmed TOTP device that the staff member may confirm at their first login within
STAFF_TOTP_ENROLMENT_HOURS, with their password and a code from their own authenticator app.
Until then the password alone opens nothing but the enrolment page; the secret is shown to the
staff member only, never to the admin who opened the enrolment.
"""

import base64
import datetime as dt
import io
import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacy.audit import object_label, record
from privacy.models import AuditEntry

DEVICE_NAME = "TOTP"


@transaction.atomic
def enrol_totp_device(*, user, name: str = "", enrolled_by=None) -> TOTPDevice:
    """Give a staff member a new confirmed TOTP device, replacing any earlier ones; audited.

    For the operator's `enrol_totp` command: the caller shows the device's `config_url` (or its
    QR code) to the staff member once.
    """
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=name or DEVICE_NAME, confirmed=True)
    record(
        actor=enrolled_by or user,
        action=AuditEntry.Action.ADD,
        object_label=object_label(device),
        details={"staff_user": user.pk, "factor": "totp", "stage": "confirmed"},
    )
    return device


@transaction.atomic
def open_totp_enrolment(*, user, opened_by, request: HttpRequest | None = None) -> TOTPDevice:
    """Replace a staff member's second factor with a pending one they confirm at next login.

    Any earlier device stops working at once, so this is also how a lost phone is revoked.
    """
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    record(
        actor=opened_by,
        action=AuditEntry.Action.CHANGE,
        object_label=object_label(user),
        details={"staff_user": user.pk, "factor": "totp", "stage": "enrolment_opened"},
        request=request,
    )
    return device


def enrolment_deadline(device: TOTPDevice) -> dt.datetime:
    """Return when a pending enrolment stops being usable."""
    return device.created_at + dt.timedelta(hours=settings.STAFF_TOTP_ENROLMENT_HOURS)


def pending_enrolment(user) -> TOTPDevice | None:
    """Return the staff member's pending TOTP device while its window is open, else None.

    A user with a confirmed device has no pending enrolment: the password alone must never
    replace a working second factor.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return None
    devices = list(TOTPDevice.objects.filter(user=user).order_by("-created_at", "-id"))
    if any(d.confirmed for d in devices):
        return None
    for device in devices:
        if device.created_at and timezone.now() < enrolment_deadline(device):
            return device
    return None


@transaction.atomic
def confirm_totp_enrolment(*, user, token: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Confirm the staff member's pending device with a code from their app; audited.

    Raises ValidationError when the window has closed or the code is wrong (a wrong code also
    counts towards the device's throttling).
    """
    device = pending_enrolment(user)
    if device is None:
        raise ValidationError(
            _(
                "Kaksivaiheisen tunnistautumisen käyttöönottoaika on päättynyt. Pyydä "
                "pääkäyttäjää avaamaan käyttöönotto uudelleen."
            )
        )
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    token = re.sub(r"\s", "", token or "")
    if not token.isdigit() or not device.verify_token(token):
        raise ValidationError(
            _("Koodi on väärä tai vanhentunut. Tarkista puhelimen kellonaika ja yritä uudelleen.")
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(
        actor=user,
        action=AuditEntry.Action.ADD,
        object_label=object_label(device),
        details={"staff_user": user.pk, "factor": "totp", "stage": "confirmed"},
        request=request,
    )
    return device


def second_factor_state(user) -> str:
    """Return "confirmed", "pending", "expired" or "none" for a staff member's TOTP device."""
    devices = list(TOTPDevice.objects.filter(user=user))
    if any(d.confirmed for d in devices):
        return "confirmed"
    if pending_enrolment(user) is not None:
        return "pending"
    return "expired" if devices else "none"


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """Return the device's secret in base32, in groups of four, for typing into an app."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(url: str) -> str:
    """Return a QR code of an otpauth URL as an inline SVG element, for scanning into an app."""
    buffer = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    svg = buffer.getvalue().decode()
    # Inline in HTML: the XML declaration is only valid at the start of a document.
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg)


def qr_text(url: str) -> str:
    """Return a QR code of an otpauth URL drawn with block characters, for a terminal."""
    code = qrcode.QRCode(border=1)
    code.add_data(url)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()
