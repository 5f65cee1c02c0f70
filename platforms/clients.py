"""What each connected system is asked, over HTTP, per its published API.

- Shopify (GraphQL Admin API): `customerRequestDataErasure` erases a customer, as Shopify's own
  "erase personal data" does (the shop's orders stay for its accounting);
  `customerEmailMarketingConsentUpdate` with UNSUBSCRIBED stops its email marketing.
- WooCommerce (REST API v3): `DELETE /wp-json/wc/v3/customers/<id>?force=true` deletes the
  customer account (orders stay, detached, for the shop's accounting).
- A Mailchimp-compatible newsletter tool (Marketing API 3.0): `POST
  /lists/<list>/members/<hash>/actions/delete-permanent` erases the contact, `PATCH
  /lists/<list>/members/<hash>` with status "unsubscribed" stops mailing them.

A 404 means the system no longer has the person: nothing is left to do, so it counts as done.
Server errors, timeouts and refused connections are temporary (tried again); any other answer is
permanent and shown to staff.
"""

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.utils.translation import gettext as _

from platforms.models import Connection, OutboxMessage

SHOPIFY_API_VERSION = "2025-01"
TIMEOUT_SECONDS = 15
USER_AGENT = "Rekisteri"

_SHOPIFY_ERASE = (
    "mutation customerRequestDataErasure($customerId: ID!) { "
    "customerRequestDataErasure(customerId: $customerId) { customerId userErrors { field message "
    "code } } }"
)
_SHOPIFY_UNSUBSCRIBE = (
    "mutation customerEmailMarketingConsentUpdate("
    "$input: CustomerEmailMarketingConsentUpdateInput!) { "
    "customerEmailMarketingConsentUpdate(input: $input) { userErrors { field message } } }"
)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    permanent: bool = False
    error: str = ""


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None = None
    # The GraphQL mutation whose userErrors say whether it was done.
    mutation: str = ""


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _json(data: dict) -> bytes:
    return json.dumps(data).encode()


def _shopify(message: OutboxMessage) -> Call:
    connection = message.connection
    customer_id = f"gid://shopify/Customer/{message.target}"
    if message.action == OutboxMessage.Action.ERASE:
        mutation, query, variables = (
            "customerRequestDataErasure",
            _SHOPIFY_ERASE,
            {"customerId": customer_id},
        )
    else:
        mutation, query, variables = (
            "customerEmailMarketingConsentUpdate",
            _SHOPIFY_UNSUBSCRIBE,
            {
                "input": {
                    "customerId": customer_id,
                    "emailMarketingConsent": {"marketingState": "UNSUBSCRIBED"},
                }
            },
        )
    return Call(
        "POST",
        f"{connection.base_url.rstrip('/')}/admin/api/{SHOPIFY_API_VERSION}/graphql.json",
        {"Content-Type": "application/json", "X-Shopify-Access-Token": connection.api_key},
        _json({"query": query, "variables": variables}),
        mutation=mutation,
    )


def _woocommerce(message: OutboxMessage) -> Call:
    connection = message.connection
    return Call(
        "DELETE",
        f"{connection.base_url.rstrip('/')}/wp-json/wc/v3/customers/{message.target}?force=true",
        {"Authorization": _basic(connection.api_key, connection.api_secret)},
    )


def _newsletter(message: OutboxMessage) -> Call:
    connection = message.connection
    member = (
        f"{connection.base_url.rstrip('/')}/lists/{connection.list_id}/members/{message.target}"
    )
    auth = {"Authorization": _basic("rekisteri", connection.api_key)}
    if message.action == OutboxMessage.Action.ERASE:
        return Call("POST", f"{member}/actions/delete-permanent", auth)
    return Call(
        "PATCH",
        member,
        {**auth, "Content-Type": "application/json"},
        _json({"status": "unsubscribed"}),
    )


_BUILDERS = {
    Connection.Kind.SHOPIFY: _shopify,
    Connection.Kind.WOOCOMMERCE: _woocommerce,
    Connection.Kind.NEWSLETTER: _newsletter,
}


def call_for(message: OutboxMessage) -> Call:
    """Return the HTTP call that tells the message's system what the message asks."""
    return _BUILDERS[message.connection.kind](message)


def _graphql_errors(body: bytes, mutation: str) -> str:
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return _("Järjestelmän vastausta ei voitu lukea.")
    if answer.get("errors"):
        return _("Järjestelmä hylkäsi pyynnön.")
    errors = ((answer.get("data") or {}).get(mutation) or {}).get("userErrors") or []
    return "; ".join(str(error.get("message", "")) for error in errors)


def send(message: OutboxMessage) -> Outcome:
    """Make the message's call and say whether it was done, or why not."""
    call = call_for(message)
    request = urllib.request.Request(  # noqa: S310 - the URL is the staff's configured https one
        call.url,
        data=call.body,
        method=call.method,
        headers={**call.headers, "User-Agent": USER_AGENT, "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return Outcome(ok=True)
        error = _("Järjestelmä vastasi virhekoodilla %(code)s.") % {"code": exc.code}
        temporary = exc.code >= 500 or exc.code == 429
        return Outcome(ok=False, permanent=not temporary, error=error)
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
        return Outcome(ok=False, error=_("Järjestelmään ei saatu yhteyttä."))
    if call.mutation:
        errors = _graphql_errors(body, call.mutation)
        if errors:
            return Outcome(ok=False, permanent=True, error=errors)
    return Outcome(ok=True)
