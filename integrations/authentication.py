"""Bearer-token authentication of the web shop's integrations."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from integrations.models import ApiToken, hash_secret

KEYWORD = "Bearer"
# Writing last_used_at on every call would turn each read into a write; a minute is precise enough.
LAST_USED_PRECISION_SECONDS = 60


class ApiTokenAuthentication(BaseAuthentication):
    """Authenticate `Authorization: Bearer <secret>`; request.auth is the ApiToken."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Virheellinen Authorization-otsake."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Virheellinen API-avain.")) from None
        token = ApiToken.objects.filter(token_hash=hash_secret(secret)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Virheellinen API-avain."))
        if not token.is_active:
            raise exceptions.AuthenticationFailed(_("API-avain on peruttu."))
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        # The token, not a staff user, is the caller; request.user stays anonymous.
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'
