"""The register admin's staff accounts and roles (the enrolment page itself is staff.views).

Accounts are personal and get their rights only from the role groups of `staff.roles`; the
groups themselves are kept in code and read-only here. TOTP secrets are shown to nobody but the
staff member enrolling, so django-otp's own device admin (which shows secrets and QR codes to
whoever may view devices) is not on the staff site.
"""

from axes.admin import AccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import roles
from staff.accounts import (
    open_totp_enrolment,
    second_factor_state,
)

User = get_user_model()

SECOND_FACTOR_LABELS = {
    "confirmed": _("käytössä"),
    "pending": _("käyttöönotto avoinna"),
    "expired": _("käyttöönottoaika päättynyt"),
    "none": _("ei käytössä"),
}

# axes' access and failure logs stay empty (AXES_DISABLE_ACCESS_LOG; the audit log records
# logins), so they are not shown.
for model in (User, Group, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(AccessAttempt)
class LockoutAdmin(AccessAttemptAdmin):
    """django-axes' failed attempts; deleting one lifts a lockout at once."""

    # axes' own list shows the request's raw GET and POST data beside each attempt.
    list_display = ["attempt_time", "ip_address", "username", "failures_since_start"]
    # Every attempt is on the login page: axes' filter by path would offer one choice.
    list_filter = ["attempt_time"]

    @admin.action(description=_("Poista vanhentuneet yritykset"))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet) -> None:
        # axes reads the attempt time from attributes its login handler sets; an admin request
        # has not been through it.
        AxesProxyHandler.update_request(request)
        super().cleanup_expired_attempts(request, queryset)


class StaffCreationForm(UserCreationForm):
    """A new staff account always has a password; the second factor is enrolled at first login."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    add_form = StaffCreationForm
    list_display = ["username", "first_name", "last_name", "role_list", "is_active", "factor"]
    list_filter = ["is_active", "groups"]
    readonly_fields = ["last_login", "date_joined", "factor", "audit_trail"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Henkilötiedot"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Rooli ja voimassaolo"), {"fields": ["groups", "is_active"]}),
        (
            _("Kirjautuminen"),
            {"fields": ["factor", "last_login", "date_joined", "audit_trail"]},
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "groups",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    filter_horizontal = []
    actions = ["reopen_totp_enrolment"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = Group.objects.filter(name__in=roles.ROLE_LABELS).order_by("name")
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["required"] = True
            kwargs["help_text"] = _(
                "Rooli antaa käyttäjälle vain työtehtävien vaatimat oikeudet. Pääkäyttäjä "
                "hallitsee myös tunnuksia, selostetta ja käyttölokia."
            )
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    @admin.display(description=_("roolit"))
    def role_list(self, obj) -> str:
        return ", ".join(str(roles.ROLE_LABELS.get(g.name, g.name)) for g in obj.groups.all())

    @admin.display(description=_("kaksivaiheinen tunnistautuminen"))
    def factor(self, obj) -> str:
        if obj.pk is None:
            return "–"
        return str(SECOND_FACTOR_LABELS[second_factor_state(obj)])

    @admin.display(description=_("käyttöloki"))
    def audit_trail(self, obj) -> str:
        url = reverse("admin:privacy_auditentry_changelist") + f"?actor={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Käyttäjän toimet käyttölokissa"))

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if not change:
            obj.is_staff = True
        super().save_model(request, obj, form, change)
        if not change:
            open_totp_enrolment(user=obj, opened_by=request.user, request=request)

    def response_add(self, request: HttpRequest, obj, post_url_continue=None):
        self.message_user(
            request,
            gettext(
                "Anna käyttäjälle tunnus ja salasana. Hän ottaa kaksivaiheisen tunnistautumisen "
                "käyttöön ensimmäisellä kirjautumisellaan %(hours)s tunnin kuluessa."
            )
            % {"hours": settings.STAFF_TOTP_ENROLMENT_HOURS},
            messages.INFO,
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(
        description=_("Avaa kaksivaiheisen tunnistautumisen käyttöönotto (vanha laite lakkaa)"),
        permissions=["change"],
    )
    def reopen_totp_enrolment(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            open_totp_enrolment(user=user, opened_by=request.user, request=request)
        self.message_user(
            request,
            gettext("Käyttöönotto avattu %(count)s käyttäjälle %(hours)s tunniksi.")
            % {"count": len(queryset), "hours": settings.STAFF_TOTP_ENROLMENT_HOURS},
            messages.SUCCESS,
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Accounts are closed (is_active off), never deleted: the audit log names its actors.
        return False


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """The roles, read-only: their permissions are defined in staff.roles and set on migrate."""

    list_display = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
