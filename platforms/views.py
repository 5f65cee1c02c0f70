"""The platforms' webhook endpoints: /hooks/shopify/ and /hooks/woocommerce/.

Signed by the platform, not by a browser session, so CSRF does not apply; POST only. The view
stores the verified event and answers at once: the task worker applies it (platforms.webhooks).
Rate limits (platforms.throttling): per client address for requests that fail verification,
per connection for signed ones; both answer 429 with Retry-After.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from platforms.models import Connection
from platforms.throttling import ConnectionWebhookThrottle, FailedWebhookThrottle, retry_after
from platforms.webhooks import receive_webhook


def _too_many(wait: int) -> HttpResponse:
    response = JsonResponse({"ok": False}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _answer(request: HttpRequest, kind: str) -> HttpResponse:
    failures = FailedWebhookThrottle()
    if failures.is_over(request):
        # Before any signature is computed: an address that keeps failing is not heard.
        return _too_many(retry_after(failures))

    def throttle(connection: Connection) -> int | None:
        limit = ConnectionWebhookThrottle(connection)
        return None if limit.allow_request(request, None) else retry_after(limit)

    receipt = receive_webhook(
        kind=kind, body=request.body, headers=request.headers, throttle=throttle
    )
    if receipt.status == 429:
        return _too_many(receipt.retry_after)
    if receipt.status in (400, 401):
        failures.count_failure(request)
    # Platforms read only the status; the body carries no data back.
    return JsonResponse({"ok": receipt.status == 200}, status=receipt.status)


@csrf_exempt
@require_POST
def shopify(request: HttpRequest) -> HttpResponse:
    return _answer(request, Connection.Kind.SHOPIFY)


@csrf_exempt
@require_POST
def woocommerce(request: HttpRequest) -> HttpResponse:
    return _answer(request, Connection.Kind.WOOCOMMERCE)
