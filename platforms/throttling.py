"""Rate limits of the webhook endpoints, with DRF's throttles as the API has them.

- Per client address, the requests that fail verification (no or a wrong signature, an
  unreadable body) are counted: past WEBHOOK_CLIENT_THROTTLE_RATE the address is answered 429
  before any signature is computed, so guessing a secret or flooding the endpoint gets nowhere.
  A platform's signed requests do not count: its bursts are never refused for another's noise.
- Per connection, the signed requests: past WEBHOOK_THROTTLE_RATE they are answered 429 and
  nothing is stored. The default (3000 a minute) is far above what a shop's platform sends: a
  burst follows the changes made in the shop, at most at its Admin API's documented rate
  (Shopify Plus: a bucket of 400 requests refilled at 20 a second, 1,600 in the first minute).
  A platform delivers a refused event again later (Shopify retries 8 times in 4 hours), so the
  limit only stops a runaway sender or a leaked secret.

Both answer with `Retry-After` (seconds), read from the throttle's window.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from platforms.models import Connection
from privacy.network import client_address


class FailedWebhookThrottle(SimpleRateThrottle):
    """Count the unverified webhook requests of one client address."""

    scope = "webhook_client"

    def get_rate(self) -> str | None:
        # Read at call time, as the API's throttles do, so the rate follows the settings.
        return settings.WEBHOOK_CLIENT_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def is_over(self, request) -> bool:
        """Return whether the address is over its limit, counting nothing."""
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def count_failure(self, request) -> None:
        """Count one request that failed verification."""
        self.allow_request(request, None)


class ConnectionWebhookThrottle(SimpleRateThrottle):
    """Limit the signed webhook requests of one connection, in fixed windows of the rate's period.

    A counter per window (one cache increment a request) rather than DRF's list of times: the
    limit is high, and the list would be rewritten whole on every request.
    """

    scope = "webhook_connection"

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        super().__init__()

    def get_rate(self) -> str | None:
        return settings.WEBHOOK_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.connection.pk}

    def allow_request(self, request, view) -> bool:
        self.now = self.timer()
        window = int(self.now // self.duration)
        key = f"{self.get_cache_key(request, view)}:{window}"
        self.cache.add(key, 0, self.duration * 2)
        try:
            count = self.cache.incr(key)
        except ValueError:  # expired between add and incr
            self.cache.set(key, 1, self.duration * 2)
            count = 1
        return count <= self.num_requests

    def wait(self) -> float:
        return self.duration - self.now % self.duration


def retry_after(throttle: SimpleRateThrottle) -> int:
    """Return the seconds to wait before the throttle lets a request through, at least one."""
    wait = throttle.wait()
    return max(1, int(wait + 0.999)) if wait is not None else 1
