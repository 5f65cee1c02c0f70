import json
from pathlib import Path

from django.core.management.base import BaseCommand

from rights.erasure import reapply_erasures
from rights.ledger import ledger_entry, read_ledger_file
from rights.models import ErasureLedger


class Command(BaseCommand):
    help = (
        "Erase again every customer in the erasure ledger who reappeared, e.g. after a database "
        "backup was restored. Reads the database's ledger and ERASURE_LEDGER_FILE (every erasure "
        "is appended there, outside the database); --ledger reads another file instead. --dump "
        "(or --export) writes the database's ledger to a file and stops. Safe to re-run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--ledger", type=Path, help="A ledger file (JSON lines or --dump).")
        parser.add_argument(
            "--dump", "--export", dest="dump", type=Path, help="Write the ledger here and stop."
        )

    def handle(self, *args, ledger: Path | None, dump: Path | None, **options) -> None:
        if dump:
            rows = [ledger_entry(row) for row in ErasureLedger.objects.order_by("erased_at")]
            dump.write_text(json.dumps(rows, indent=1))
            self.stdout.write(f"Wrote {len(rows)} ledger rows to {dump}.")
            return
        entries = read_ledger_file(ledger) if ledger else None
        count = reapply_erasures(entries=entries)
        self.stdout.write(f"Erased again: {count} customers.")
