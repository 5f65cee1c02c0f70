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
# no orders, notes, requests or customer pages.
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
        "privacy.datasubjectrequest": ("view", "add", "change"),
        "privacy.requestevent": ("view", "add"),
        "privacy.correctionitem": ("view", "add", "change"),
        "privacy.recipientnotification": ("view", "add", "change"),
        "privacy.accesspackage": _READ,
        "privacy.accesspackagedownload": _READ,
    },
    MARKETING: {
        "customers.consentevent": ("view", "add"),
        "customers.marketingban": ("view", "add", "change"),
        "customers.suppressionentry": _READ,
    },
}

# Permissions beyond a model's view/add/change/delete, as "app_label.codename".
ROLE_EXTRA_PERMISSIONS: dict[str, tuple[str, ...]] = {
    MARKETING: ("privacy.export_audience",),
}

# The register admin also unlocks locked-out accounts (axes) and enrols TOTP devices.
_ADMIN_APPS = ("customers", "privacy", "integrations", "auth", "otp_totp", "axes")


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
