"""The personal-data declaration of outgoing mail."""

from notifications.models import OutgoingEmail
from notifications.services import prune_sent_emails
from privacy.declaration import Erasure, Field, declare
from privacy.retention import register_sweep_step
from privacy.vocabulary import (
    CONTACT,
    CUSTOMER_RELATIONSHIP,
    DATA_SUBJECT_RIGHTS,
    FROM_SYSTEM,
    OUTGOING_MAIL,
)

_mail = Field(
    category=CONTACT,
    purposes=(CUSTOMER_RELATIONSHIP, DATA_SUBJECT_RIGHTS),
    source=FROM_SYSTEM,
    retention=OUTGOING_MAIL,
    erasure=Erasure.DELETE,
    # A message waiting to be sent is a copy of what the rest of the export already holds.
    exported=False,
)

declare(
    OutgoingEmail,
    customer_path="customer",
    fields={"recipient": _mail, "subject": _mail, "body": _mail},
    not_personal=[
        "id",
        "key",
        "kind",
        "status",
        "customer",
        "message_id",
        "send_before",
        "created_at",
        "finished_at",
    ],
)

register_sweep_step("sent_mail_records", prune_sent_emails, rules=(OUTGOING_MAIL,))
