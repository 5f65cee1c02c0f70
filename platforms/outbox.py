"""Telling the web shop and the newsletter tool of an erasure or a ban: an outbox with retries.

`tell_erasure` and `tell_ban` run in the transaction of the erasure or the ban (registered in
`privacy.connected_systems`) and write one `OutboxMessage` per system that holds the person, so
the register's change and its messages commit together. The task worker sends each
(`deliver_message`), under a row lock so a retried task never sends twice; a system that is down
or answers with a server error is tried again after 1, 2, 4 … minutes (at most 12 hours apart),
and given up after MAX_ATTEMPTS. What each system is asked (`platforms.clients`) follows its
published API.
"""

import datetime as dt
import hashlib
import logging

from django.db import transaction
from django.db.models import Q
from django.tasks import task_backends
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from customers.models import BanChannel, BanScope, Customer, MarketingBan
from platforms import clients, tasks
from platforms.models import Connection, ExternalId, OutboxMessage
from privacy.connected_systems import Told
from rekisteri.tasks import enqueue_after_commit
from rights.models import DataSubjectRequest

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status
Action = OutboxMessage.Action

FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=12)
MAX_ATTEMPTS = 10

# A ban of these stops email marketing: the newsletter tool and the shop's email list stop too.
_EMAIL_BAN_CHANNELS = (BanChannel.ALL, BanChannel.EMAIL)
_EMAIL_BAN_SCOPES = (BanScope.DIRECT_MARKETING, BanScope.DISTANCE_SELLING)


def newsletter_contact_hash(email: str) -> str:
    """Return how a Mailchimp-compatible tool names a contact: MD5 of the lower-cased address."""
    return hashlib.md5(email.strip().lower().encode(), usedforsecurity=False).hexdigest()


def shop_customer_ids(*, customer: Customer, connection: Connection) -> list[str]:
    """Return the web shop's ids for the customer.

    The ids a webhook or an import linked (`ExternalId`); without one, the customer's own
    `external_id` (what the API and the CSV import set), when this is the only web shop
    connected, so that the id can be no other shop's.
    """
    ids = list(
        ExternalId.objects.filter(
            connection=connection, customer=customer, kind=ExternalId.Kind.CUSTOMER
        ).values_list("platform_id", flat=True)
    )
    if not ids and customer.external_id:
        shops = Connection.objects.filter(is_active=True, kind__in=Connection.WEB_SHOPS)
        if list(shops.values_list("pk", flat=True)) == [connection.pk]:
            ids = [customer.external_id]
    return ids


def linked_shop_ids(*, customer: Customer) -> list[str]:
    """Return every web shop's id for the customer that a webhook or an import linked."""
    return list(
        ExternalId.objects.filter(
            customer=customer,
            kind=ExternalId.Kind.CUSTOMER,
            connection__kind__in=Connection.WEB_SHOPS,
        ).values_list("platform_id", flat=True)
    )


def _targets(*, customer: Customer, connection: Connection) -> list[str]:
    if connection.is_web_shop:
        return shop_customer_ids(customer=customer, connection=connection)
    return [newsletter_contact_hash(customer.email)] if customer.email else []


def _queue(
    *,
    key: str,
    connection: Connection,
    action: str,
    target: str,
    case: DataSubjectRequest | None = None,
) -> OutboxMessage:
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={"connection": connection, "action": action, "target": target, "request": case},
    )
    if created:
        # After the commit: a message is sent only for an erasure or ban that happened. Should
        # the enqueue be lost, recover_tasks sends what is due (requeue_due_messages).
        enqueue_after_commit(tasks.deliver_outbox_message_task, message_id=message.pk)
    return message


def _digest(value: str) -> str:
    # The key names the change without holding the person's id in the clear.
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def tell_erasure(*, customer: Customer, case: DataSubjectRequest | None = None) -> list[Told]:
    """Queue an erasure request to each active system that holds the customer; return them."""
    told = []
    for connection in Connection.objects.filter(is_active=True).order_by("name", "pk"):
        targets = _targets(customer=customer, connection=connection)
        for target in targets:
            message = _queue(
                key=f"erase:{customer.code}:{connection.code}:{_digest(target)}",
                connection=connection,
                action=Action.ERASE,
                target=target,
                case=case,
            )
        if targets:
            told.append(Told(system=connection.name, at=message.created_at))
    return told


def tell_ban(*, customer: Customer, ban: MarketingBan) -> list[Told]:
    """Queue an unsubscribe to each system that emails the customer, for a ban of email marketing.

    WooCommerce keeps no marketing permission of its own, so only Shopify and the newsletter
    tool are told.
    """
    if ban.channel not in _EMAIL_BAN_CHANNELS or ban.scope not in _EMAIL_BAN_SCOPES:
        return []
    told = []
    connections = Connection.objects.filter(is_active=True).exclude(
        kind=Connection.Kind.WOOCOMMERCE
    )
    for connection in connections.order_by("name", "pk"):
        targets = _targets(customer=customer, connection=connection)
        for target in targets:
            message = _queue(
                key=f"unsubscribe:{ban.pk}:{connection.code}:{_digest(target)}",
                connection=connection,
                action=Action.UNSUBSCRIBE,
                target=target,
            )
        if targets:
            told.append(Told(system=connection.name, at=message.created_at))
    return told


def retry_delay(attempts: int) -> dt.timedelta:
    """Return how long to wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most 12 h."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def _finish(message: OutboxMessage, status: str, error: str = "") -> None:
    message.status = status
    message.last_error = error[:300]
    if status == Status.SENT:
        message.sent_at = timezone.now()
    # The system's id of the person is needed no longer: the outbox is not a register of them.
    message.target = ""
    message.save(update_fields=["status", "last_error", "sent_at", "target"])


def _schedule_retry(message: OutboxMessage) -> None:
    backend = task_backends[tasks.deliver_outbox_message_task.backend]
    if backend.supports_defer:
        run_after = message.next_attempt_at
        transaction.on_commit(
            lambda: tasks.deliver_outbox_message_task.using(run_after=run_after).enqueue(
                message_id=message.pk
            ),
            robust=True,
        )
    # Otherwise (tasks run at once) recover_tasks sends it when it is due.


@transaction.atomic
def deliver_message(*, message_id: int, now: dt.datetime | None = None) -> str:
    """Send one due message to its system; return its status afterwards.

    Locked while sending, so a retried task cannot send it twice. A message not yet due (a retry
    enqueued early) waits; a temporary failure schedules the next attempt.
    """
    now = now or timezone.now()
    message = (
        OutboxMessage.objects.select_for_update()
        .select_related("connection")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return "missing"
    if message.status in (Status.SENT, Status.FAILED) or message.next_attempt_at > now:
        return message.status
    if not message.connection.is_active:
        _finish(message, Status.FAILED, _("Yhteys on poistettu käytöstä."))
        return message.status
    outcome = clients.send(message)
    message.attempts += 1
    message.save(update_fields=["attempts"])
    if outcome.ok:
        _finish(message, Status.SENT)
        logger.info("outbox message sent", extra={"event": "platform_message_sent"})
    elif outcome.permanent or message.attempts >= MAX_ATTEMPTS:
        _finish(message, Status.FAILED, outcome.error)
        logger.warning("outbox message failed", extra={"event": "platform_message_failed"})
    else:
        message.status = Status.RETRYING
        message.last_error = outcome.error[:300]
        message.next_attempt_at = now + retry_delay(message.attempts)
        message.save(update_fields=["status", "last_error", "next_attempt_at"])
        _schedule_retry(message)
    return message.status


def requeue_due_messages(*, now: dt.datetime | None = None) -> int:
    """Enqueue delivery of every message due and not yet sent or given up; return how many.

    Run by recover_tasks (every ten minutes): retries where the task backend cannot defer a
    task, and messages whose delivery task was lost. Extra deliveries are harmless.
    """
    due = OutboxMessage.objects.filter(
        status__in=(Status.PENDING, Status.RETRYING), next_attempt_at__lte=now or timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for message_id in due.iterator():
        tasks.deliver_outbox_message_task.enqueue(message_id=message_id)
        count += 1
    return count


def _time(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return _("%(date)s klo %(time)s") % {
        "date": formats.date_format(local, "j.n.Y"),
        "time": local.strftime("%H.%M"),
    }


def status_text(message: OutboxMessage) -> str:
    """Return a message's state as staff read it: "Lähetetty 7.12.2026 klo 14.02"."""
    if message.status == Status.SENT:
        return _("Lähetetty %(time)s") % {"time": _time(message.sent_at)}
    if message.status == Status.RETRYING:
        return _("Yritetään uudelleen %(time)s (epäonnistui %(count)s kertaa: %(error)s)") % {
            "time": _time(message.next_attempt_at),
            "count": message.attempts,
            "error": message.last_error,
        }
    if message.status == Status.FAILED:
        return _("Epäonnistui %(count)s yrityksen jälkeen: %(error)s") % {
            "count": message.attempts,
            "error": message.last_error,
        }
    return _("Odottaa lähetystä")


def messages_of_case(case: DataSubjectRequest) -> list[tuple[str, str, str]]:
    """Return (system, request, status) for each message a case caused, for its page."""
    return [
        (message.connection.name, message.get_action_display(), status_text(message))
        for message in case.outbox_messages.select_related("connection")
    ]


def waiting() -> Q:
    """Return the filter of messages not yet sent or given up."""
    return Q(status__in=(Status.PENDING, Status.RETRYING))
