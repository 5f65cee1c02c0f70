"""A stand-in for the web shop and the newsletter tool, connections to it, and signed webhooks."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from platforms.models import Connection
from platforms.services import save_connection
from platforms.webhooks import signature

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "platforms"
SHOPIFY_SECRET = "shpss_testisalaisuus"
WOOCOMMERCE_SECRET = "woo-testisalaisuus"


def payload(name: str) -> dict:
    """Return a fixture payload, shaped as the platform's documentation shows it."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


class StandIn(ThreadingHTTPServer):
    """Records every request (method, path, headers, body) and answers with `status`."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict] = []
        self.status = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
            }
        )
        status = self.server.status
        answer = b""
        if status == 200 and body.startswith(b"{") and b"mutation" in body:
            mutation = json.loads(body)["query"].split("{", 2)[1].split("(")[0].strip()
            answer = json.dumps({"data": {mutation: {"userErrors": []}}}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def stand_in():
    server = StandIn()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _connect(**fields) -> Connection:
    secrets = {name: fields.pop(name, "") for name in ("api_key", "api_secret", "webhook_secret")}
    return save_connection(connection=Connection(**fields), secrets=secrets)


@pytest.fixture
def shopify(db, stand_in):
    return _connect(
        name="Kahvikauppa (Shopify)",
        kind=Connection.Kind.SHOPIFY,
        base_url=stand_in.url,
        api_key="shpat_testitunnus",
        webhook_secret=SHOPIFY_SECRET,
    )


@pytest.fixture
def woocommerce(db, stand_in):
    return _connect(
        name="Villakauppa (WooCommerce)",
        kind=Connection.Kind.WOOCOMMERCE,
        base_url=stand_in.url,
        api_key="ck_testiavain",
        api_secret="cs_testisalaisuus",
        webhook_secret=WOOCOMMERCE_SECRET,
    )


@pytest.fixture
def newsletter(db, stand_in):
    return _connect(
        name="Uutiskirje",
        kind=Connection.Kind.NEWSLETTER,
        base_url=stand_in.url + "/3.0",
        list_id="a1b2c3",
        api_key="mc-testiavain-us21",
    )


def shopify_headers(topic: str, event_id: str, body: bytes, secret: str = SHOPIFY_SECRET) -> dict:
    return {
        "HTTP_X_SHOPIFY_TOPIC": topic,
        "HTTP_X_SHOPIFY_HMAC_SHA256": signature(secret, body),
        "HTTP_X_SHOPIFY_SHOP_DOMAIN": "kahvikauppa.myshopify.com",
        "HTTP_X_SHOPIFY_EVENT_ID": event_id,
        "HTTP_X_SHOPIFY_WEBHOOK_ID": f"delivery-{event_id}",
        "HTTP_X_SHOPIFY_API_VERSION": "2025-01",
    }


def woocommerce_headers(
    topic: str, delivery_id: str, body: bytes, secret: str = WOOCOMMERCE_SECRET
) -> dict:
    return {
        "HTTP_X_WC_WEBHOOK_TOPIC": topic,
        "HTTP_X_WC_WEBHOOK_SIGNATURE": signature(secret, body),
        "HTTP_X_WC_WEBHOOK_DELIVERY_ID": delivery_id,
        "HTTP_X_WC_WEBHOOK_SOURCE": "https://villakauppa.fi/",
        "HTTP_X_WC_WEBHOOK_ID": "3",
    }


def _poster(client, platform: str, headers, default_secret: str):
    def post(topic: str, data: dict, event_id: str, secret: str = default_secret):
        body = json.dumps(data).encode()
        return client.post(
            f"/hooks/{platform}/",
            body,
            content_type="application/json",
            **headers(topic, event_id, body, secret),
        )

    return post


@pytest.fixture
def post_shopify(client):
    """Return post(topic, data, event_id): a webhook signed as Shopify signs it."""
    return _poster(client, "shopify", shopify_headers, SHOPIFY_SECRET)


@pytest.fixture
def post_woocommerce(client):
    """Return post(topic, data, event_id): a webhook signed as WooCommerce signs it."""
    return _poster(client, "woocommerce", woocommerce_headers, WOOCOMMERCE_SECRET)
