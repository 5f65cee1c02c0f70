"""The staff panel's admin site: TOTP required, sessions that expire, every model admin audited.

Login: password and a TOTP code (django-otp); a wrong code counts towards the django-axes lockout
like a wrong password. A new staff member whose register admin opened an enrolment logs in with
the password alone and is sent to the enrolment page (staff.accounts), which is the only
page such a session opens. A session ends after STAFF_IDLE_MINUTES without a staff-panel request,
and in any case SESSION_COOKIE_AGE after it began.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.models import Device

from staff import person_lookup, views
from staff.accounts import pending_enrolment
from staff.audited import AuditedAdminMixin, AuditedAutocompleteView
from staff.dashboard import dashboard_context

# The navigation's app list is rebuilt at most this often per staff member and permission set:
# it asks every model admin for its permissions (some query), and every view checks its own.
APP_LIST_SECONDS = 60
_app_lists: dict[tuple, tuple[float, list]] = {}

SESSION_STARTED_KEY = "staff_session_started_at"
SESSION_SEEN_KEY = "staff_session_seen_at"
# The last-seen time is written at most this often, so a busy session costs no extra query.
SEEN_RESOLUTION_SECONDS = 60


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin login form with a TOTP code; a staff member's only device is chosen for them.

    Whatever failed — an unknown user name, a wrong password, a missing, wrong or throttled
    code, an account that is not staff — the answer is the same page with one error, so the
    form never confirms a leaked password before the second factor is checked.
    """

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Kirjautuminen epäonnistui. Tarkista käyttäjätunnus, salasana ja "
            "todennussovelluksen kertakäyttökoodi."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            raise ValidationError(
                self.error_messages["invalid_login"], code="invalid_login"
            ) from exc

    def _update_form(self, user) -> None:
        # django-otp lists the user's devices and re-renders the typed password once the
        # password was right: both would tell a right password from a wrong one.
        return

    def clean_otp(self, user) -> None:
        if user is not None and pending_enrolment(user) is not None:
            # First login of an account with an open enrolment: the password opens only the
            # enrolment page, where the staff member confirms their own authenticator.
            user.otp_device = None
            return
        try:
            super().clean_otp(user)
        except ValidationError:
            if self.cleaned_data.get("otp_token"):
                # A code that did not verify (wrong, reused, or sent while django-otp throttles
                # the device) counts towards the django-axes lockout like a wrong password, and
                # is audited (privacy.audit).
                user_login_failed.send(
                    sender=type(self),
                    credentials={"username": user.get_username(), "factor": "totp"},
                    request=self.request,
                )
            raise

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user))
            if len(devices) == 1:
                # Locked like a chosen device, so throttling counts concurrent attempts.
                device = Device.from_persistent_id(devices[0].persistent_id, for_verify=True)
        return device


def expire_idle_session(request: HttpRequest) -> bool:
    """Log a staff member out whose session was idle or open too long; return whether it ended.

    Stamps the session's start and last-seen times (the latter at most once a minute).
    """
    if not request.user.is_authenticated:
        return False
    now = time.time()
    session = request.session
    started = session.get(SESSION_STARTED_KEY)
    seen = session.get(SESSION_SEEN_KEY)
    idle = seen is not None and now - seen > settings.STAFF_IDLE_MINUTES * 60
    too_long = started is not None and now - started > settings.SESSION_COOKIE_AGE
    if idle or too_long:
        logout(request)
        messages.info(
            request,
            gettext("Istunto päättyi käyttämättömyyden vuoksi. Kirjaudu uudelleen.")
            if idle
            else gettext("Istunto päättyi työpäivän mittaisen enimmäisajan jälkeen."),
        )
        return True
    if started is None:
        session[SESSION_STARTED_KEY] = now
    if seen is None or now - seen > SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN_KEY] = now
    return False


class StaffAdminSite(OTPAdminSite):
    site_header = _("Asiakasrekisteri")
    site_title = _("Asiakasrekisteri")
    index_title = _("Etusivu")
    login_form = StaffAuthenticationForm
    login_template = "admin/otp_login.html"
    index_template = "admin/staff_index.html"
    # Staff move by the front page and the breadcrumbs; the sidebar would re-render every model's
    # links on every page, a fifth of a customer search's time.
    enable_nav_sidebar = False

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

    def admin_view(self, view, cacheable: bool = False):
        guarded = super().admin_view(view, cacheable)

        @wraps(guarded)
        def inner(request, *args, **kwargs):
            expire_idle_session(request)
            return guarded(request, *args, **kwargs)

        return inner

    def get_urls(self):

        own = [
            path(
                "markkinointi/yleisot/",
                self.admin_view(views.audience_index),
                name="audiences",
            ),
            path(
                "markkinointi/yleisot/asiakasluettelo.csv",
                self.admin_view(views.publication_list_export),
                name="publication_list_export",
            ),
            path(
                "markkinointi/yleisot/<str:channel>.csv",
                self.admin_view(views.audience_export),
                name="audience_export",
            ),
            path(
                "markkinointi/yleisot/<str:use>/<str:channel>.csv",
                self.admin_view(views.audience_export),
                name="audience_use_export",
            ),
            path(
                "markkinointi/hae-henkilo/",
                self.admin_view(person_lookup.person_lookup),
                name="person_lookup",
            ),
            # Not behind admin_view: a password-only session must reach it to finish enrolment.
            path(
                "kaksivaiheinen-tunnistautuminen/",
                views.totp_enrolment,
                name="totp_enrolment",
            ),
        ]
        return own + super().get_urls()

    def autocomplete_view(self, request):
        return AuditedAutocompleteView.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        user = request.user
        if not user.is_authenticated:
            return super().get_app_list(request, app_label)
        key = (
            user.pk,
            app_label,
            get_language(),
            hash(frozenset(user.get_all_permissions())),
        )
        now = time.monotonic()
        cached = _app_lists.get(key)
        if cached is None or now - cached[0] > APP_LIST_SECONDS:
            cached = (now, super().get_app_list(request, app_label))
            _app_lists[key] = cached
        return cached[1]

    def login(self, request, extra_context=None):

        response = super().login(request, extra_context)
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "otp_device", None) is None
            and pending_enrolment(user) is not None
        ):
            return HttpResponseRedirect(reverse("admin:totp_enrolment", current_app=self.name))
        return response

    def index(self, request, extra_context=None):

        context = {**dashboard_context(request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)
