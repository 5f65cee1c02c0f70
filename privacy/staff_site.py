"""The staff panel's admin site: TOTP required, every model admin audited, role dashboards."""

from django.contrib.admin import ModelAdmin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.models import Device

from privacy.audited_admin import AuditedAdminMixin


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin login form with a TOTP code; a staff member's only device is chosen for them."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Anna todennussovelluksen kertakäyttökoodi."),
        "invalid_token": _("Kertakäyttökoodi on väärä tai vanhentunut."),
        "device_required": _("Valitse todennuslaite."),
    }

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user))
            if len(devices) == 1:
                # Locked like a chosen device, so throttling counts concurrent attempts.
                device = Device.from_persistent_id(devices[0].persistent_id, for_verify=True)
        return device


class StaffAdminSite(OTPAdminSite):
    site_header = _("Asiakasrekisteri")
    site_title = _("Asiakasrekisteri")
    index_title = _("Etusivu")
    login_form = StaffAuthenticationForm
    login_template = "admin/otp_login.html"
    index_template = "admin/staff_index.html"

    def __init__(self, name: str = "admin") -> None:
        # OTPAdminSite defaults to the namespace "otpadmin"; the project reverses "admin:…".
        super().__init__(name)

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AuditedAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        from customers import audience_views

        own = [
            path(
                "markkinointi/yleisot/",
                self.admin_view(audience_views.audience_index),
                name="audiences",
            ),
            path(
                "markkinointi/yleisot/<str:channel>.csv",
                self.admin_view(audience_views.audience_export),
                name="audience_export",
            ),
        ]
        return own + super().get_urls()

    def index(self, request, extra_context=None):
        from privacy.dashboard import dashboard_context

        context = {**dashboard_context(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)
