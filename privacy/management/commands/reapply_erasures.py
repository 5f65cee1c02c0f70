import json
from pathlib import Path

from django.core.management.base import BaseCommand

from privacy.erasure import reapply_erasures
from privacy.requests_models import ErasureLedger


class Command(BaseCommand):
    help = (
        "Erase again every customer in the erasure ledger who reappeared, e.g. after a database "
        "backup was restored. --dump writes the ledger to a file kept outside the backups; "
        "--ledger reads such a file. Safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--ledger", type=Path, help="A ledger file written by --dump.")
        parser.add_argument("--dump", type=Path, help="Write the ledger to this file and stop.")

    def handle(self, *args, ledger: Path | None, dump: Path | None, **options) -> None:
        if dump:
            rows = [
                {"customer_code": str(code), "customer_number": number, "reason": reason}
                for code, number, reason in ErasureLedger.objects.values_list(
                    "customer_code", "customer_number", "reason"
                )
            ]
            dump.write_text(json.dumps(rows, indent=1))
            self.stdout.write(f"Wrote {len(rows)} ledger rows to {dump}.")
            return
        entries = json.loads(ledger.read_text()) if ledger else None
        count = reapply_erasures(entries=entries)
        self.stdout.write(f"Erased again: {count} customers.")
