import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rekisteri.operations import RestoreError, latest_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup into a new, empty database, apply every erasure in the ledger again "
        "and check that no erased customer is back; print the counts. The restore drill "
        "(docs/deploy.md), and the first half of a real restore (deploy/restore.sh). BACKUP is "
        "a .dump.gpg file (decrypted with gpg on the way), a plain dump, or - for a decrypted "
        "dump on standard input; by default the newest backup in BACKUP_DIR. The database this "
        "app uses is never touched."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", nargs="?", help="The backup; - reads standard input.")
        parser.add_argument("--database", required=True, help="An empty database to restore into.")
        parser.add_argument(
            "--ledger", type=Path, help="Another copy of the erasure ledger file to apply."
        )

    def handle(self, *args, backup: str | None, database: str, ledger: Path | None, **options):
        try:
            if backup == "-":
                source, label = sys.stdin.buffer, "the dump on standard input"
            else:
                source = Path(backup) if backup else latest_backup()
                label = str(source)
            self.stdout.write(f"Restoring {label} into {database}…")
            report = restore_backup(source=source, database=database, ledger=ledger)
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored into {report.database}: {report.customers} customers, "
            f"{report.erased} of them erased.\n"
            f"Erasures in the ledger: {report.ledger_entries}; erased again: "
            f"{report.erased_again}; still present: {len(report.still_present)}."
        )
