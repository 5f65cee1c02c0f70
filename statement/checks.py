"""`manage.py check` warns when the published statement no longer matches the register, and
`check --deploy` when the address the statement and its PDF link to is still a local one."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from statement.publishing import stale_reason


@checks.register("statement")
def check_statement_is_current(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn (statement.W001) when the statement in force says other things than it would now."""
    try:
        reason = stale_reason()
    except DatabaseError:
        # Before `migrate` has made the tables there is nothing published to compare.
        return []
    if reason is None:
        return []
    return [
        checks.Warning(
            reason,
            hint="Publish a new version in the staff panel (Tietosuojaseloste › luonnos).",
            id="statement.W001",
        )
    ]


def site_url_problem(url: str) -> str | None:
    """Return why SITE_URL cannot be the public address customers follow, or None when it can."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or host == "localhost" or host.endswith(".localhost") or _is_local_address(host):
        return f"SITE_URL {url!r} names this machine, not the public site."
    if parts.scheme != "https":
        return f"SITE_URL {url!r} is not an https: address."
    return None


def _is_local_address(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_link_local


@checks.register("statement", deploy=True)
def check_site_url_is_public(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn (statement.W002) when SITE_URL is still a local or plain-HTTP address.

    The statement, its stored PDFs, letters and mails link to the portal and to earlier versions
    through SITE_URL; a statement published with a local one links every reader to their own
    machine, and a published version cannot be changed.
    """
    problem = site_url_problem(settings.SITE_URL)
    if problem is None:
        return []
    return [
        checks.Warning(
            problem,
            hint=(
                "Set SITE_URL to the public https address of the site (e.g. "
                "https://rekisteri.example.fi) before publishing the privacy statement: its "
                "links, the stored PDFs and the mails are written with it."
            ),
            id="statement.W002",
        )
    ]
