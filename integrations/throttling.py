"""Rate limiting per API token."""

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from integrations.models import ApiToken


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
