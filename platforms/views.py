"""The platforms' webhook endpoints: /hooks/shopify/ and /hooks/woocommerce/.

Signed by the platform, not by a browser session, so CSRF does not apply; POST only. The view
stores the verified event and answers at once: the task worker applies it (platforms.webhooks).
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from platforms.models import Connection
from platforms.webhooks import receive_webhook


def _answer(request: HttpRequest, kind: str) -> HttpResponse:
    receipt = receive_webhook(kind=kind, body=request.body, headers=request.headers)
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
