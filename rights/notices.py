"""Who must be told of a rectification, erasure or restriction (GDPR Art. 19).

The one listing of recipients to notify: a correction, an erasure and a restriction all list
theirs here, from the customer's disclosure log.
"""

from customers.models import Customer
from rights.models import DataSubjectRequest, RecipientNotification


def list_recipients_to_notify(
    *, case: DataSubjectRequest, customer: Customer, fields: set[str] | None = None
) -> list[RecipientNotification]:
    """List every recipient that received the given fields (all, when None) to be told.

    A recipient already listed for the case and not yet told is not listed twice. Returns the
    notifications created.
    """
    pending = set(
        case.notifications.filter(notified_at__isnull=True).values_list("disclosure_id", flat=True)
    )
    notifications = []
    for disclosure in customer.disclosures.all():
        received = set(disclosure.fields or [])
        touched = received if fields is None else received & fields
        if (fields is not None and not touched) or disclosure.pk in pending:
            continue
        notifications.append(
            RecipientNotification(
                request=case,
                disclosure=disclosure,
                recipient=disclosure.recipient,
                fields=sorted(touched),
            )
        )
    return RecipientNotification.objects.bulk_create(notifications)
