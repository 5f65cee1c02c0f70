from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rekisteri.backups import record_verified_backup


class Command(BaseCommand):
    help = (
        "Record a backup that deploy/backup.sh has dumped, verified and encrypted, as the last "
        "verified backup the staff dashboard and /health/ show. Run by the backup script only "
        "after every check passed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, required=True, help="The encrypted backup.")
        parser.add_argument("--size", type=int, required=True, help="Its size in bytes.")

    def handle(self, *args, file: Path, size: int, **options) -> None:
        if not file.is_file() or file.stat().st_size != size:
            raise CommandError(f"{file} is not a file of {size} bytes.")
        backup = record_verified_backup(file=file, size=size)
        self.stdout.write(f"Recorded {backup.file_name} ({backup.size} bytes).")
