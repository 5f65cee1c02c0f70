from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from privacy import audit
from rights.access import build_access_files
from rights.management.commands._customer import customer_by_number


class Command(BaseCommand):
    help = (
        "Write a customer's access package (JSON, ZIP of JSON and CSV, PDF) to a directory, as "
        "GDPR Art. 15 and 20 require; the same files the staff panel stores. The export is "
        "recorded in the audit log."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("customer_number")
        parser.add_argument("--out", required=True, type=Path, help="Directory to write to.")

    def handle(self, *args, customer_number: str, out: Path, **options) -> None:
        customer = customer_by_number(customer_number)
        out.mkdir(parents=True, exist_ok=True)
        files = build_access_files(customer=customer)
        with transaction.atomic():
            audit.record(
                actor=None,
                action=audit.AuditEntry.Action.EXPORT,
                customer_id=customer.pk,
                object_label=audit.object_label(customer),
                details={"command": "access_export", "files": sorted(files)},
            )
            for name, content in files.items():
                path = out / f"{customer.number}-{name}"
                path.write_bytes(content)
                self.stdout.write(f"{path} ({len(content)} bytes)")
