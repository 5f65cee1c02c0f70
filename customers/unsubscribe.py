"""One-click opt-out links: a signed link per customer, channel and scope that records the ban.

Every exported audience row carries one (customers.audiences), so every message can offer "a free
and easy opt-out" (917/2014 200 §) and an email can carry the RFC 8058 headers:

    List-Unsubscribe: <https://…/peru/TOKEN/>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click

The token is Django's signing (TimestampSigner, salted for this use) over the customer's public
code, the channel and the ban scope, so it names no personal data, cannot be forged or altered,
and survives a SECRET_KEY rotation made with SECRET_KEY_FALLBACKS. It expires after
LINK_VALID_DAYS. Opening the link (GET) only asks; a POST (the page's button, or a mail client's
one-click request, which carries no cookie) records the ban, audited, without logging in.
"""

import base64
import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from customers.models import BanChannel, BanScope, Channel, ConsentEvent, Customer, MarketingBan
from customers.services import set_marketing_ban
from privacy.audit import object_label, record
from privacy.models import AuditEntry
from statement.models import StatementVersion

SALT = "customers.unsubscribe"
# A message is often read, and its link clicked, months after it was sent; after this the page
# sends the person to their own pages instead.
LINK_VALID_DAYS = 400
ONE_CLICK = "List-Unsubscribe=One-Click"
# The audit log's name for the one who acted: the person who followed the link, not a user.
ACTOR_LABEL = "peruutuslinkki"

# What the link stops, as the pages say it before and after: "… %(by)s" with the channel's
# adverb below.
ASKS = {
    BanScope.DIRECT_MARKETING: _(
        "Kun vahvistat kiellon, emme enää lähetä sinulle markkinointia %(by)s."
    ),
    BanScope.RESEARCH: _(
        "Kun vahvistat kiellon, emme enää kutsu sinua markkina- ja mielipidetutkimuksiin %(by)s."
    ),
}
STOPS = {
    BanScope.DIRECT_MARKETING: _("Emme enää lähetä sinulle markkinointia %(by)s."),
    BanScope.RESEARCH: _("Emme enää kutsu sinua markkina- ja mielipidetutkimuksiin %(by)s."),
}
BY_CHANNEL = {
    Channel.EMAIL: _("sähköpostitse"),
    Channel.SMS: _("tekstiviestillä"),
    Channel.POST: _("postitse"),
    Channel.PHONE: _("puhelimitse"),
}


class InvalidLink(Exception):
    """The link is not one of ours, or it was altered."""


class ExpiredLink(InvalidLink):
    """The link is ours but older than LINK_VALID_DAYS."""


@dataclass(frozen=True)
class Link:
    """What an opt-out link names."""

    code: uuid.UUID
    channel: str
    scope: str

    @property
    def asks(self) -> str:
        """Return what confirming the link will stop, in the active language."""
        return str(ASKS[self.scope]) % {"by": BY_CHANNEL[self.channel]}

    @property
    def stops(self) -> str:
        """Return what following the link stopped, in the active language."""
        return str(STOPS[self.scope]) % {"by": BY_CHANNEL[self.channel]}


class LinkSigner(signing.TimestampSigner):
    """Django's TimestampSigner, made for signing a million links in one export.

    The same as TimestampSigner(salt=SALT).sign(), which read_token() checks, with two costs
    paid once instead of per link: the timestamp (the time of the export) and the derivation of
    the salted key (signing.base64_hmac derives it per call; here the keyed HMAC is copied).
    """

    def __init__(self) -> None:
        super().__init__(salt=SALT)
        self._timestamp = super().timestamp()
        self._keyed = salted_hmac(self.salt + "signer", b"", self.key, algorithm=self.algorithm)

    def timestamp(self) -> str:
        return self._timestamp

    def signature(self, value: str, key=None) -> str:
        if key is not None and key != self.key:
            return super().signature(value, key)
        mac = self._keyed.copy()
        mac.update(value.encode())
        return signing.b64_encode(mac.digest()).decode()


def _code_text(code: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(code.bytes).rstrip(b"=").decode()


def make_token(
    *, code: uuid.UUID, channel: str, scope: str, signer: LinkSigner | None = None
) -> str:
    """Return the signed token of a link that bans `scope` through `channel` for one customer."""
    return (signer or LinkSigner()).sign(f"{_code_text(code)}.{channel}.{scope}")


def read_token(token: str) -> Link:
    """Return what a token names; raise ExpiredLink or InvalidLink."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=dt.timedelta(days=LINK_VALID_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise ExpiredLink from exc
    except signing.BadSignature as exc:
        raise InvalidLink from exc
    try:
        code_text, channel, scope = value.split(".")
        code = uuid.UUID(bytes=base64.urlsafe_b64decode(code_text + "=" * (-len(code_text) % 4)))
    except ValueError as exc:
        raise InvalidLink from exc
    if channel not in BY_CHANNEL or scope not in STOPS:
        raise InvalidLink
    return Link(code=code, channel=channel, scope=scope)


class LinkMaker:
    """Make the opt-out URLs of an export: one signer and one path per language."""

    def __init__(self, *, channel: str, scope: str) -> None:
        self.channel = channel
        self.scope = scope
        self.signer = LinkSigner()
        self.site = settings.SITE_URL.rstrip("/")
        self._paths: dict[str, tuple[str, str]] = {}

    def url(self, code: uuid.UUID, language: str) -> str:
        """Return the link for one customer, in their language."""
        if language not in self._paths:
            with translation.override(language):
                path = reverse("portal:unsubscribe", args=["TOKEN"])
            self._paths[language] = tuple(path.split("TOKEN"))  # type: ignore[assignment]
        before, after = self._paths[language]
        token = make_token(code=code, channel=self.channel, scope=self.scope, signer=self.signer)
        return f"{self.site}{before}{token}{after}"


@dataclass(frozen=True)
class Unsubscribed:
    """The outcome of following a link."""

    link: Link
    # False when a ban of the same kind was already in force (or the customer is erased).
    recorded: bool


@transaction.atomic
def unsubscribe(
    *, token: str, one_click: bool = False, request: HttpRequest | None = None
) -> Unsubscribed:
    """Record the ban a link names, audited; raise InvalidLink or ExpiredLink.

    Following a link twice records one ban. An erased customer is marketed to no more anyway,
    and a ban is not written on their anonymised row.
    """
    link = read_token(token)
    customer = Customer.objects.select_for_update().filter(code=link.code).first()
    if customer is None:
        raise InvalidLink
    if customer.erased_at is not None:
        return Unsubscribed(link=link, recorded=False)
    in_force = MarketingBan.objects.filter(
        customer=customer,
        scope=link.scope,
        channel__in=[link.channel, BanChannel.ALL],
        lifted_at__isnull=True,
    ).exists()
    if in_force:
        return Unsubscribed(link=link, recorded=False)
    ban = set_marketing_ban(
        customer=customer,
        channel=link.channel,
        scope=link.scope,
        via=ConsentEvent.Via.LINK,
        statement_version=StatementVersion.latest(),
    )
    record(
        actor=None,
        actor_label=ACTOR_LABEL,
        action=AuditEntry.Action.ADD,
        customer_id=customer.pk,
        object_label=object_label(ban),
        details={"channel": link.channel, "scope": link.scope, "one_click": one_click},
        request=request,
    )
    return Unsubscribed(link=link, recorded=True)
