"""Marketing permissions from an export: a "yes" becomes a consent event with its evidence.

The evidence says where and when the permission was imported from and what the column meant
("Shopify-asiakasvienti 7.12.2026, sarake Accepts Email Marketing = yes"), so the shop can show
where the consent came from (GDPR Art. 7(1)). A "no" is never a consent. It withdraws one in
force (the person unsubscribed in the shop), and otherwise records nothing. A "yes" grants only
a consent never asked before: it never overrides a withdrawal or a ban recorded in the register,
which may be newer than the export, and it never lifts the suppression list (only the person's
own new consent does, customers.services.record_consent).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from customers import marketing
from customers.models import LOOKUP_CHUNK, BanChannel, ConsentEvent, ConsentPurpose, MarketingBan

PURPOSE = ConsentPurpose.DIRECT_MARKETING
YES = {"yes", "y", "true", "1", "kyllä", "k", "x", "ja", "subscribed", "opted_in"}
NO = {"no", "n", "false", "0", "ei", "e", "nej", "unsubscribed", "not_subscribed", "opted_out"}


def parse_permission(value: str) -> bool | None:
    """Return True for a yes, False for a no, None for an empty cell; raise for anything else."""
    value = value.strip().lower()
    if not value:
        return None
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(
        _("Tuntematon arvo %(value)s; käytä yes tai no (kyllä tai ei).") % {"value": value}
    )


@dataclass
class Permission:
    """One marketing permission column of one row, as the export gave it."""

    channel: str
    is_granted: bool
    header: str
    value: str

    def evidence(self, source: str) -> str:
        day = date_format(timezone.localdate(), "j.n.Y")
        text = _("%(source)s %(day)s, sarake %(header)s = %(value)s") % {
            "source": source,
            "day": day,
            "header": self.header,
            "value": self.value,
        }
        return text[:300]


def load_state(customer_ids: list[int]) -> tuple[dict[tuple[int, str], bool], set]:
    """Return the latest direct-marketing consent per (customer, channel), and the bans.

    The bans are (customer, channel) pairs a ban in force covers, BanChannel.ALL included.
    """
    state: dict[tuple[int, str], bool] = {}
    banned: set[tuple[int, str]] = set()
    scopes = marketing.BANS_AGAINST_CONSENT.get(PURPOSE, ())
    for i in range(0, len(customer_ids), LOOKUP_CHUNK):
        chunk = customer_ids[i : i + LOOKUP_CHUNK]
        events = ConsentEvent.objects.filter(customer_id__in=chunk, purpose=PURPOSE).order_by(
            "occurred_at", "id"
        )
        for customer_id, channel, is_granted in events.values_list(
            "customer_id", "channel", "is_granted"
        ):
            state[(customer_id, channel)] = is_granted
        bans = MarketingBan.objects.filter(
            customer_id__in=chunk, lifted_at__isnull=True, scope__in=scopes
        )
        banned.update(bans.values_list("customer_id", "channel"))
    return state, banned


def decide(
    permission: Permission, *, customer_id: int | None, state: dict, banned: set
) -> bool | None:
    """Return True to record a grant, False a withdrawal, None to record nothing."""
    if customer_id is None:
        return True if permission.is_granted else None
    current = state.get((customer_id, permission.channel))
    if permission.is_granted:
        is_banned = {(customer_id, permission.channel), (customer_id, BanChannel.ALL)} & banned
        return True if current is None and not is_banned else None
    return False if current else None


def event_row(*, customer_id: int, channel: str, is_granted: bool, evidence: str, now) -> dict:
    """Return the values of one imported consent event, as ConsentEvent() would set them."""
    return {
        "customer_id": customer_id,
        "purpose": PURPOSE,
        "channel": channel,
        "is_granted": is_granted,
        "occurred_at": now,
        "via": ConsentEvent.Via.IMPORT,
        "statement_version_id": None,
        "wording": "",
        "evidence": evidence,
        "recorded_by": "",
    }
