"""Staff roles: each a group holding only the permissions its work needs."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REGISTER_ADMIN = "pääkäyttäjä"
CUSTOMER_SERVICE = "asiakaspalvelu"
MARKETING = "markkinointi"

ROLE_LABELS = {
    REGISTER_ADMIN: _("Pääkäyttäjä"),
    CUSTOMER_SERVICE: _("Asiakaspalvelu"),
    MARKETING: _("Markkinointi"),
}

_ALL = ("view", "add", "change", "delete")
_READ = ("view",)

# Permissions per role as {"app_label.model": actions}. The register admin holds every
# permission of the project's apps and of the login-security apps (see role_permissions()).
# Least privilege: customer service has no statement, staff accounts or audit log; marketing has
# no orders, notes, requests or customer pages. tests/staff/test_permission_matrix.py holds the
# resulting answer of every staff URL and admin action for every role.
ROLE_MODEL_ACTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    CUSTOMER_SERVICE: {
        "customers.customer": ("view", "add", "change"),
        # Orders are accounting vouchers (Kirjanpitolaki 2:10 §): corrected, never deleted.
        "customers.order": ("view", "add", "change"),
        "customers.orderline": _ALL,
        "customers.shipment": _ALL,
        "customers.trackingevent": _ALL,
        "customers.customernote": ("view", "add", "change"),
        "customers.disclosure": ("view", "add"),
        "customers.consentevent": ("view", "add"),
        "customers.marketingban": ("view", "add", "change"),
        "rights.datasubjectrequest": ("view", "add", "change"),
        "rights.authorityrequest": ("view", "add", "change"),
        "rights.requestevent": ("view", "add"),
        "rights.correctionitem": ("view", "add", "change"),
        "rights.recipientnotification": ("view", "add", "change"),
        "rights.accesspackage": _READ,
        "rights.accesspackagedownload": _READ,
    },
    MARKETING: {
        "customers.consentevent": ("view", "add"),
        "customers.marketingban": ("view", "add", "change"),
        "customers.suppressionentry": _READ,
        # Importing the restriction lists (ASML) that postal and phone audiences are screened by.
        "customers.banregisterimport": ("view", "add"),
    },
}

# Permissions beyond a model's view/add/change/delete, as "app_label.codename".
ROLE_EXTRA_PERMISSIONS: dict[str, tuple[str, ...]] = {
    MARKETING: ("privacy.export_audience",),
}

# The register admin also unlocks locked-out accounts (axes) and enrols TOTP devices.
_ADMIN_APPS = (
    "customers",
    "privacy",
    "rights",
    "statement",
    "integrations",
    "platforms",
    "auth",
    "otp_totp",
    "axes",
)


def has_role(user, role: str) -> bool:
    """Return whether an active staff member holds a role (superusers hold every role).

    The user's group names are read once and kept on the user object for the request, as
    Django's ModelBackend does with permissions.
    """
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return role in user._role_names


def role_permissions(role: str) -> list[Permission]:
    """Return the permissions a role's group holds."""
    if role == REGISTER_ADMIN:
        return list(Permission.objects.filter(content_type__app_label__in=_ADMIN_APPS))
    query = Q(pk__in=[])
    for label, actions in ROLE_MODEL_ACTIONS.get(role, {}).items():
        app_label, model = label.split(".")
        query |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    for permission in ROLE_EXTRA_PERMISSIONS.get(role, ()):
        app_label, codename = permission.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


@transaction.atomic
def ensure_role_groups() -> dict[str, Group]:
    """Create or update the three role groups with exactly their permissions."""
    groups = {}
    for role in ROLE_LABELS:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role))
        groups[role] = group
    return groups


def sync_role_groups(sender, *, using: str = "default", apps=None, **kwargs) -> None:
    """Create every app's permissions, then the role groups (a post_migrate handler).

    Permissions of apps migrated after this one do not exist yet when this app's post_migrate
    runs, so they are created here first (Django's create_permissions is idempotent).
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_role_groups()
