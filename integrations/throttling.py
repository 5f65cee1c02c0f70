"""Rate limiting per API token, and per client address for calls without a valid token."""

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from integrations.models import ApiToken
from privacy.network import client_address


class TokenRateThrottle(SimpleRateThrottle):
    """Limit each token to settings.API_THROTTLE_RATE requests (e.g. "600/min")."""

    scope = "api_token"

    def get_rate(self) -> str | None:
        # Read at call time (DRF caches its rates at import), so the rate follows the settings.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ClientRateThrottle(SimpleRateThrottle):
    """Limit one client address to settings.API_CLIENT_THROTTLE_RATE calls without a token.

    Counts the public schema and docs, and every call whose token is missing or wrong, so that
    neither guessing tokens nor flooding the call log gets far. The address is the client's as
    every limit reads it (privacy.network): X-Forwarded-For counts only from a trusted proxy.
    """

    scope = "api_client"

    def get_rate(self) -> str | None:
        return settings.API_CLIENT_THROTTLE_RATE

    def get_cache_key(self, request: Request, view) -> str | None:
        address = client_address(request)
        return self.cache_format % {"scope": self.scope, "ident": address}
