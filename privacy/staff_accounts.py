"""Staff accounts' second factor: enrolling a TOTP device."""

import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacy.audit import AuditEntry, object_label, record


@transaction.atomic
def enrol_totp_device(*, user, name: str = "", enrolled_by=None) -> TOTPDevice:
    """Give a staff member a new confirmed TOTP device, replacing any earlier ones; audited.

    The caller shows the device's `config_url` (or `qr_svg()` of it) to the staff member once.
    """
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=name or "TOTP", confirmed=True)
    record(
        actor=enrolled_by or user,
        action=AuditEntry.Action.ADD,
        object_label=object_label(device),
        details={"staff_user": user.pk, "factor": "totp"},
    )
    return device


def qr_svg(url: str) -> str:
    """Return a QR code of an otpauth URL as an SVG document, for scanning into an app."""
    buffer = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue().decode()


def qr_text(url: str) -> str:
    """Return a QR code of an otpauth URL drawn with block characters, for a terminal."""
    code = qrcode.QRCode(border=1)
    code.add_data(url)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()
