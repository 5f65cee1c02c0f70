"""The client's address: the one answer every rate limit, the staff lockout and the audit log use.

Behind the documented nginx → gunicorn set-up the socket's address (`REMOTE_ADDR`) is the
proxy's for every visitor, so limits keyed on it would be shared by everyone. `X-Forwarded-For`
names the real client, but any client can write the header itself: it is believed only when the
connecting peer is a proxy named in `TRUSTED_PROXIES` (addresses or networks; none by default),
and then only its right-most hop that is not one of those proxies — the address the outermost
trusted proxy saw. Everything to the left of that hop came from the client and is ignored.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in configured)


def trusted_proxies() -> tuple[Network, ...]:
    """Return the networks of the proxies whose X-Forwarded-For is believed."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _parse(value: str) -> Address | None:
    """Return the address of one hop ("203.0.113.7", "[2001:db8::1]:443"…), or None."""
    value = value.strip()
    if value.startswith("["):  # [IPv6] or [IPv6]:port
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket is the same client as over IPv4.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """Return the client's address: the socket's, or behind a trusted proxy the one it saw.

    Never raises: an unparsable socket address is returned as it is (or "unknown" when empty),
    and a malformed hop ends the walk at the last address a trusted proxy vouched for.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    peer = _parse(remote)
    if peer is None:
        return remote or UNKNOWN
    proxies = trusted_proxies()
    if not proxies or not _trusted(peer, proxies):
        return str(peer)
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def client_ip(request: HttpRequest | None) -> str | None:
    """Return client_address() where it is an IP address, else None: what logs may store.

    The audit log and django-axes (AXES_CLIENT_IP_CALLABLE) keep it in an address column.
    """
    if request is None:
        return None
    address = client_address(request)
    # client_address() returns a parsed address in its normal form, or what it could not parse.
    return address if _parse(address) is not None else None
