"""Writing an import: the planned rows and their audit entries, in one transaction or not at all."""

from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import ConsentEvent, Customer, CustomerNote
from integrations.csv_import import consents, orders
from integrations.csv_import.copy import copy_values
from integrations.csv_import.new_customers import create_customers
from integrations.csv_import.planning import ImportPlan, plan_customers, read_file
from integrations.csv_import.platforms import ORDERS
from integrations.csv_import.reading import (
    BATCH_SIZE,
    ImportFileError,
    ImportProgress,
    ImportReport,
    NoProgress,
)
from privacy import audit
from privacy.models import AuditEntry


def _write_consents(plan: ImportPlan, created: list[int]) -> None:
    now = timezone.now()
    rows = [
        consents.event_row(
            customer_id=pk if pk is not None else created[index],
            channel=channel,
            is_granted=is_granted,
            evidence=evidence,
            now=now,
        )
        for index, pk, channel, is_granted, evidence in plan.consents
    ]
    if connection.vendor == "postgresql":
        copy_values(ConsentEvent, rows)
    else:
        ConsentEvent.objects.bulk_create(ConsentEvent(**row) for row in rows)


def _write_notes(plan: ImportPlan, created: list[int]) -> None:
    now = timezone.now()
    CustomerNote.objects.bulk_create(
        CustomerNote(
            customer_id=pk if pk is not None else created[index],
            kind=CustomerNote.Kind.INTERNAL,
            body=body,
            created_at=now,
        )
        for index, pk, body in plan.notes
    )


@transaction.atomic
def _write(plan: ImportPlan, *, actor, actor_label: str, details: dict) -> None:
    created = create_customers(
        plan.to_create, actor=actor, actor_label=actor_label, details=details
    )
    _write_consents(plan, list(created.values()))
    _write_notes(plan, list(created.values()))
    now = timezone.now()
    updated = {customer.pk for customer in plan.to_update}
    audit.record_many(
        actor=actor,
        actor_label=actor_label,
        entries=[
            (
                AuditEntry.Action.CHANGE,
                pk,
                f"customers.customer:{pk}",
                {"via": "import", **details, "fields": fields},
            )
            for pk, fields in plan.changes.items()
            if pk not in updated
        ],
    )
    if plan.to_update:
        for customer in plan.to_update:
            customer.updated_at = now
        Customer.objects.bulk_update(
            plan.to_update, sorted(plan.fields | {"updated_at"}), batch_size=BATCH_SIZE // 2
        )
        audit.record_many(
            actor=actor,
            actor_label=actor_label,
            entries=[
                (
                    AuditEntry.Action.CHANGE,
                    customer.pk,
                    audit.object_label(customer),
                    {"via": "import", **details, "fields": plan.changes[customer.pk]},
                )
                for customer in plan.to_update
            ],
        )


def import_customers(
    *,
    data: bytes,
    dry_run: bool,
    progress: ImportProgress | None = None,
    actor=None,
    actor_label: str = "",
    audit_details: dict | None = None,
    on_written: Callable[[ImportReport], None] | None = None,
    mapping: dict[str, str] | None = None,
    source: str = "",
) -> ImportReport:
    """Import customers or orders from CSV bytes; with any rejected row (or dry_run) nothing
    is written.

    The file is read through `mapping` ({header: register field}) when given, else as the
    platform export its header names (platforms.recognise), else by the header aliases; `source`
    names the file in the evidence of its consents when no platform does. Every customer or
    order created or changed gets an audit entry naming `actor` (a staff user) or
    `actor_label`, in the import's transaction. `on_written` is called with the report inside
    that transaction, so what it records (an import job's outcome) commits with the rows or not
    at all. Raises ImportFileError when the file as a whole is unreadable.
    """
    progress = progress or NoProgress()
    columns, raw_rows = read_file(data, mapping=mapping, source=source or _("Tuontitiedosto"))
    if columns.kind == ORDERS:
        plan = orders.plan_orders(columns, raw_rows, progress)
        write = orders.write_orders
    else:
        plan = plan_customers(columns, raw_rows, progress)
        write = _write
    report = plan.report
    report.dry_run = dry_run
    if dry_run or report.rejected:
        return report
    progress.writing()
    try:
        with transaction.atomic():
            write(plan, actor=actor, actor_label=actor_label, details=audit_details or {})
            report.written = True
            if on_written is not None:
                on_written(report)
    except IntegrityError as exc:
        report.written = False
        # Another writer took an email or id between the check and the write.
        raise ImportFileError(
            _("Tallennus keskeytyi samanaikaisen muutoksen vuoksi; mitään ei tallennettu. (%s)")
            % exc.__class__.__name__
        ) from exc
    return report
