"""Objection and restriction (GDPR Art. 21 and 18): marketing bans set for a case, restriction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers import services as customer_services
from customers.models import BanChannel, BanScope, Customer, MarketingBan
from privacy import audit
from rights.models import DataSubjectRequest, RequestEvent
from rights.notices import list_recipients_to_notify
from rights.steps import (
    add_event,
    consent_via,
)


@transaction.atomic
def ban_marketing_for_case(
    *,
    customer: Customer,
    channel: str = BanChannel.ALL,
    scope: str = BanScope.DIRECT_MARKETING,
    case: DataSubjectRequest | None = None,
    user=None,
) -> MarketingBan:
    """Ban marketing on a channel and scope from now on; return the active ban.

    The ban itself is `customers.services.set_marketing_ban`; this adds the case's
    history and the audit row.
    """
    was_active = MarketingBan.objects.filter(
        customer=customer, channel=channel, scope=scope, lifted_at__isnull=True
    ).exists()
    ban = customer_services.set_marketing_ban(
        customer=customer, channel=channel, scope=scope, via=consent_via(case)
    )
    if was_active:
        return ban
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.ADD,
        customer_id=customer.pk,
        object_label=audit.object_label(ban),
        details={"request": case.pk if case else None},
    )
    if case is not None:
        add_event(
            case,
            RequestEvent.Kind.BAN_SET,
            user,
            f"{ban.get_scope_display()} / {ban.get_channel_display()}",
        )
    return ban


def apply_objection(case: DataSubjectRequest, user) -> None:
    """Ban the marketing an objection case names, at once (on receipt)."""
    # GDPR 21(3): after an objection to direct marketing the data may no longer be used for it;
    # a ban that only stops marketing needs no identity check first.
    with translation.override("fi"):
        ban_marketing_for_case(
            customer=case.customer,
            channel=case.ban_channel or BanChannel.ALL,
            scope=case.ban_scope or BanScope.DIRECT_MARKETING,
            case=case,
            user=user,
        )


@transaction.atomic
def restrict_processing(
    *, customer: Customer, case: DataSubjectRequest | None = None, user=None
) -> None:
    """Mark the customer restricted: only storage and essential processing (GDPR Art. 18).

    Marketing audiences and the retention sweep skip a restricted customer until it is lifted.
    """
    Customer.objects.filter(pk=customer.pk).update(is_restricted=True, updated_at=timezone.now())
    customer.is_restricted = True
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.CHANGE,
        customer_id=customer.pk,
        object_label=audit.object_label(customer),
        details={"fields": ["is_restricted"], "request": case.pk if case else None},
    )
    if case is not None:
        add_event(case, RequestEvent.Kind.RESTRICTED, user)
        list_recipients_to_notify(case=case, customer=customer)


@transaction.atomic
def lift_restriction(
    *,
    customer: Customer,
    case: DataSubjectRequest | None = None,
    user=None,
    notified_on: dt.date | None = None,
) -> None:
    """Lift a restriction; the person must have been told before (GDPR Art. 18(3)).

    `notified_on` is the day staff told the person; without it the lifting is recorded as the
    person's own wish (e.g. from the portal).
    """
    if notified_on is not None and notified_on > timezone.localdate():
        raise ValidationError(_("Ilmoituspäivä ei voi olla tulevaisuudessa."), code="notice_date")
    Customer.objects.filter(pk=customer.pk).update(is_restricted=False, updated_at=timezone.now())
    customer.is_restricted = False
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.CHANGE,
        customer_id=customer.pk,
        object_label=audit.object_label(customer),
        details={"fields": ["is_restricted"], "request": case.pk if case else None},
    )
    if case is not None:
        with translation.override("fi"):
            message = (
                _("Asiakkaalle ilmoitettu %(date)s.") % {"date": notified_on.strftime("%d.%m.%Y")}
                if notified_on
                else _("Poistettu asiakkaan omasta pyynnöstä.")
            )
        add_event(case, RequestEvent.Kind.RESTRICTION_LIFTED, user, message)
