"""Scope checks: each view names its resource, the method decides read or write."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from integrations.models import ApiToken


class HasTokenScope(BasePermission):
    """Allow a live token holding `<view.scope_resource>:read` or `:write`."""

    message = _("API-avaimella ei ole oikeutta tähän toimintoon.")

    def has_permission(self, request: Request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        action = "read" if request.method in SAFE_METHODS else "write"
        return token.has_scope(f"{view.scope_resource}:{action}")
