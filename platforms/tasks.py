"""Background tasks of the connected systems: processing webhooks and sending the outbox."""

from django.tasks import task

# The modules, not their functions: they enqueue these tasks, so the two import each other.
from platforms import outbox, webhooks


@task
def process_webhook_event_task(event_id: int) -> str:
    """Apply one stored webhook event to the register (idempotent: an event is applied once)."""
    return webhooks.process_event(event_id=event_id)


@task
def deliver_outbox_message_task(message_id: int) -> str:
    """Send one erasure or ban to its system (idempotent: a message is sent once)."""
    return outbox.deliver_message(message_id=message_id)
