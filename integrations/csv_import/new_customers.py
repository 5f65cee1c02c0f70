"""New customers of an import, written with COPY, each with its audit entry."""

from django.db import connection

from customers.models import Customer
from integrations.csv_import.copy import copy_into
from integrations.csv_import.reading import BATCH_SIZE
from privacy import audit
from privacy.models import AuditEntry


def create_customers(rows: list[dict], *, actor, actor_label: str, details: dict) -> dict[str, int]:
    """Insert new customers (COPY on PostgreSQL) with their audit entries; return {number: id}."""
    numbers = Customer.objects.allocate_numbers(len(rows))
    if connection.vendor == "postgresql":
        copy_into(rows, numbers)
    else:
        Customer.objects.bulk_create(
            (
                Customer(source=Customer.Source.IMPORT, number=number, **values)
                for values, number in zip(rows, numbers, strict=True)
            ),
            batch_size=BATCH_SIZE,
        )
    audit.record_for_each(
        actor=actor,
        actor_label=actor_label,
        action=AuditEntry.Action.ADD,
        rows=Customer.objects.filter_in("number", numbers),
        details={"via": "import", **details},
    )
    if not rows:
        return {}
    ids = dict(Customer.objects.filter_in("number", numbers).values_list("number", "id"))
    return {number: ids[number] for number in numbers}
