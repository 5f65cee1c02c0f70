"""The client's address behind the proxies: who is believed, and what every limit then counts."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from privacy.network import client_address
from tests.manage_subprocess import run_manage

NGINX = ["127.0.0.1"]
NGINX_AND_BALANCER = ["127.0.0.1", "10.0.0.0/24"]

# (trusted proxies, socket address, X-Forwarded-For or None, the client's address)
MATRIX = [
    # No proxy trusted (the default): the socket's address, whatever the header says.
    ([], "203.0.113.7", None, "203.0.113.7"),
    ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
    ([], "127.0.0.1", "198.51.100.1", "127.0.0.1"),
    # A spoofed header from a peer that is not a trusted proxy is ignored.
    (NGINX, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
    (NGINX, "203.0.113.7", "127.0.0.1", "203.0.113.7"),
    # Through nginx: the hop nginx appended ($proxy_add_x_forwarded_for).
    (NGINX, "127.0.0.1", "198.51.100.1", "198.51.100.1"),
    (NGINX, "127.0.0.1", " 198.51.100.1 ", "198.51.100.1"),
    # What the client wrote itself stays to the left of it, and is ignored.
    (NGINX, "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
    (NGINX, "127.0.0.1", "127.0.0.1, 198.51.100.1", "198.51.100.1"),
    (NGINX, "127.0.0.1", "not-an-address, 198.51.100.1", "198.51.100.1"),
    # A balancer in front of nginx: both trusted, the right-most other hop is the client.
    (NGINX_AND_BALANCER, "127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.5", "198.51.100.1"),
    (NGINX_AND_BALANCER, "10.0.0.9", "198.51.100.1", "198.51.100.1"),
    # Only trusted hops (a health check from the balancer itself): the left-most of them.
    (NGINX_AND_BALANCER, "127.0.0.1", "10.0.0.5", "10.0.0.5"),
    # Through a trusted proxy without the header, or with an empty one: the proxy itself.
    (NGINX, "127.0.0.1", None, "127.0.0.1"),
    (NGINX, "127.0.0.1", "", "127.0.0.1"),
    # A malformed hop right next to the proxy: nothing further left is believed.
    (NGINX, "127.0.0.1", "198.51.100.1, garbage", "127.0.0.1"),
    # Ports and IPv6, as proxies write them.
    (NGINX, "127.0.0.1", "198.51.100.1:51234", "198.51.100.1"),
    (NGINX, "127.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
    (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
    (NGINX, "::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1"),
    ([], "::ffff:203.0.113.7", None, "203.0.113.7"),
    # No socket address at all (a unit-test request or a broken server).
    (NGINX, "", "198.51.100.1", "unknown"),
]


@pytest.mark.parametrize(("trusted", "remote", "forwarded", "expected"), MATRIX)
def test_the_client_address_believes_only_trusted_proxies(
    settings, trusted, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = trusted
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_address(request) == expected


def test_no_proxy_is_trusted_unless_configured_and_a_malformed_one_stops_the_app():
    show = "from django.conf import settings; print(settings.TRUSTED_PROXIES)"
    assert run_manage("shell", "-v0", "-c", show, env={}).stdout.strip() == "[]"
    result = run_manage("check", env={"TRUSTED_PROXIES": "127.0.0.1,nginx.local"})
    assert result.returncode != 0
    assert ImproperlyConfigured.__name__ in result.stderr
    assert "TRUSTED_PROXIES" in result.stderr and "nginx.local" in result.stderr
