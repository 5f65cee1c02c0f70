"""Writing an import: the planned rows and their audit entries, in one transaction or not at all."""

from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer
from integrations.csv_import.copy import copy_into
from integrations.csv_import.planning import ImportPlan, plan_import
from integrations.csv_import.reading import (
    BATCH_SIZE,
    ImportFileError,
    ImportProgress,
    ImportReport,
    NoProgress,
)
from privacy import audit
from privacy.models import AuditEntry


@transaction.atomic
def _write(plan: ImportPlan, *, actor, actor_label: str, details: dict) -> None:
    numbers = Customer.objects.allocate_numbers(len(plan.to_create))
    if connection.vendor == "postgresql":
        copy_into(plan.to_create, numbers)
    else:
        Customer.objects.bulk_create(
            (
                Customer(source=Customer.Source.IMPORT, number=number, **values)
                for values, number in zip(plan.to_create, numbers, strict=True)
            ),
            batch_size=BATCH_SIZE,
        )
    now = timezone.now()
    audit.record_for_each(
        actor=actor,
        actor_label=actor_label,
        action=AuditEntry.Action.ADD,
        rows=Customer.objects.filter_in("number", numbers),
        details={"via": "import", **details},
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
) -> ImportReport:
    """Import customers from CSV bytes; with any rejected row (or dry_run) nothing is written.

    Every customer created or changed gets an audit entry naming `actor` (a staff user) or
    `actor_label`, in the import's transaction. `on_written` is called with the report inside
    that transaction, so what it records (an import job's outcome) commits with the rows or not
    at all. Raises ImportFileError when the file as a whole is unreadable.
    """
    progress = progress or NoProgress()
    plan = plan_import(data, progress)
    report = plan.report
    report.dry_run = dry_run
    if dry_run or report.rejected:
        return report
    progress.writing()
    try:
        with transaction.atomic():
            _write(plan, actor=actor, actor_label=actor_label, details=audit_details or {})
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
