"""Enrol a staff member's authenticator app (TOTP), printing its QR code and secret once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from staff.accounts import enrol_totp_device, qr_text


class Command(BaseCommand):
    help = (
        "Create a new TOTP device for a staff account (replacing any earlier one) and print the "
        "otpauth URL and a QR code to scan into an authenticator app. Run when a staff member "
        "starts or loses their phone; the staff panel asks for the app's code at every login."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--no-qr", action="store_true", help="Print only the URL.")

    def handle(self, *args, username: str, no_qr: bool, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None or not user.is_staff:
            raise CommandError(f"No staff account {username!r}.")
        device = enrol_totp_device(user=user)
        if not no_qr:
            self.stdout.write(qr_text(device.config_url))
        self.stdout.write(device.config_url)
