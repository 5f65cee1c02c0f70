"""Who must be told of a rectification, erasure or restriction (GDPR Art. 19).

The one listing of recipients to notify: a correction, an erasure and a restriction all list
theirs here, from the customer's disclosure log; so does a customer's change of their own
details in the portal, which is no request (`case` None).
"""

from customers.models import Customer
from rights.models import DataSubjectRequest, RecipientNotification


def list_recipients_to_notify(
    *,
    customer: Customer,
    case: DataSubjectRequest | None = None,
    fields: set[str] | None = None,
) -> list[RecipientNotification]:
    """List every recipient that received the given fields (all, when None) to be told.

    A recipient already listed for the case (or, without a case, for the customer's own changes)
    and not yet told is not listed twice: the newly changed fields are added to its notice.
    Returns the notices created or extended.
    """
    waiting = RecipientNotification.objects.filter(
        customer=customer, request=case, notified_at__isnull=True
    )
    pending = {notice.disclosure_id: notice for notice in waiting}
    created, extended = [], []
    for disclosure in customer.disclosures.all():
        received = set(disclosure.fields or [])
        touched = received if fields is None else received & fields
        if fields is not None and not touched:
            continue
        if notice := pending.get(disclosure.pk):
            if not touched <= set(notice.fields):
                notice.fields = sorted(touched | set(notice.fields))
                extended.append(notice)
            continue
        created.append(
            RecipientNotification(
                request=case,
                customer=customer,
                disclosure=disclosure,
                recipient=disclosure.recipient,
                fields=sorted(touched),
            )
        )
    RecipientNotification.objects.bulk_update(extended, ["fields"])
    return RecipientNotification.objects.bulk_create(created) + extended
