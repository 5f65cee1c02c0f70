"""The personal-data declaration of the connected systems' records."""

from platforms.models import ExternalId, OutboxMessage, WebhookEvent
from platforms.services import prune_platform_records
from privacy.declaration import Erasure, Field, declare
from privacy.retention import register_sweep_step
from privacy.vocabulary import (
    BASIC,
    CUSTOMER_RELATIONSHIP,
    DATA_SUBJECT_RIGHTS,
    FROM_SYSTEM,
    FROM_WEB_SHOP,
    PLATFORM_MESSAGES,
    WHILE_CUSTOMER,
)

declare(
    ExternalId,
    customer_path="customer",
    fields={
        "platform_id": Field(
            category=BASIC,
            purposes=(CUSTOMER_RELATIONSHIP, DATA_SUBJECT_RIGHTS),
            source=FROM_WEB_SHOP,
            retention=WHILE_CUSTOMER,
            erasure=Erasure.DELETE,
        ),
    },
    not_personal=["id", "connection", "kind", "customer", "order", "platform_updated_at"],
)

# Not linked to a customer: an event may name someone the register does not know, and a message
# must outlive the erasure it reports until it is sent. Both are cleared on their own schedule.
declare(
    WebhookEvent,
    customer_path=None,
    fields={
        "body": Field(
            category=BASIC,
            purposes=(CUSTOMER_RELATIONSHIP,),
            source=FROM_WEB_SHOP,
            retention=PLATFORM_MESSAGES,
            erasure=Erasure.DELETE,
            exported=False,
        ),
    },
    not_personal=[
        "id",
        "connection",
        "event_id",
        "topic",
        "status",
        "message",
        "received_at",
        "processed_at",
    ],
)
declare(
    OutboxMessage,
    customer_path=None,
    fields={
        "target": Field(
            category=BASIC,
            purposes=(DATA_SUBJECT_RIGHTS,),
            source=FROM_SYSTEM,
            retention=PLATFORM_MESSAGES,
            erasure=Erasure.DELETE,
            exported=False,
        ),
    },
    not_personal=[
        "id",
        "key",
        "connection",
        "action",
        "request",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ],
)

register_sweep_step("platform_messages", prune_platform_records, rules=(PLATFORM_MESSAGES,))
