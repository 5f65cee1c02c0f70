"""Connecting a web shop or a newsletter tool, and pruning the connections' records."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from platforms.models import Connection, OutboxMessage, WebhookEvent
from privacy import audit
from privacy.vocabulary import PLATFORM_MESSAGES
from statement import registry
from statement.models import StatementDraft, StatementRecipient

SECRET_FIELDS = ("api_key", "api_secret", "webhook_secret")


def _recipient_kind(kind: str) -> str:
    if kind == Connection.Kind.NEWSLETTER:
        return StatementRecipient.Kind.NEWSLETTER
    return StatementRecipient.Kind.HOSTING


def _new_recipient(connection: Connection) -> StatementRecipient:
    """Add the connected system to the statement's draft recipients, as a processor."""
    names = {}
    for language in ("fi", "sv", "en"):
        with override(language):
            names[f"name_{language}"] = str(Connection.Kind(connection.kind).label).capitalize()
    return StatementRecipient.objects.create(
        draft=StatementDraft.current(),
        role=StatementRecipient.Role.PROCESSOR,
        kind=_recipient_kind(connection.kind),
        position=registry.registry().count(),
        **names,
    )


@transaction.atomic
def save_connection(
    *, connection: Connection, secrets: dict[str, str], user=None, request=None
) -> Connection:
    """Save a connection with the secrets given (an empty one keeps the stored), audited.

    Without a chosen recipient the system is added to the statement's recipients (a processor of
    the web shop platform or newsletter kind): the next published statement names it.
    """
    created = connection.pk is None
    changed = [name for name, value in secrets.items() if value]
    for name in changed:
        setattr(connection, name, secrets[name])
    if connection.recipient_id is None:
        connection.recipient = _new_recipient(connection)
    connection.save()
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.ADD if created else audit.AuditEntry.Action.CHANGE,
        object_label=audit.object_label(connection),
        # Which secrets were replaced, never their values.
        details={"kind": connection.kind, "secrets_changed": sorted(changed)},
        request=request,
    )
    return connection


@transaction.atomic
def prune_platform_records(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete processed webhook events and finished outbox messages past PLATFORM_MESSAGES.

    A message of a case stays while the case's record does: the case page shows it.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=PLATFORM_MESSAGES.in_days())
    events = WebhookEvent.objects.exclude(status=WebhookEvent.Status.RECEIVED).filter(
        processed_at__lt=cutoff
    )
    messages = OutboxMessage.objects.filter(
        status__in=(OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED),
        created_at__lt=cutoff,
        request=None,
    )
    if dry_run:
        return events.count() + messages.count()
    return events.delete()[0] + messages.delete()[0]


def secret_state(connection: Connection, name: str) -> str:
    """Return whether a secret is stored, for the settings page (the value is never shown)."""
    return _("tallennettu") if getattr(connection, f"{name}_sealed") else _("ei asetettu")
