"""Import a direct-marketing restriction list (ASML) from a CSV file, replacing the previous one."""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from customers.ban_register import import_ban_register, parse_ban_register
from customers.models import BanRegisterEntry


class Command(BaseCommand):
    help = (
        "Replace the postal (--service post) or phone (--service phone) restriction list with "
        "the rows of a CSV file, stored as keyed hashes; postal and phone audiences are "
        "screened against it. All or nothing, safe to re-run; audited. Run when ASML publishes "
        "a new list."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--service", required=True, choices=BanRegisterEntry.Service.values)
        parser.add_argument(
            "--list-date",
            type=dt.date.fromisoformat,
            default=None,
            help="The list's date, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, path: Path, service: str, list_date, **options):
        try:
            with path.open("rb") as upload:
                parsed = parse_ban_register(service=service, upload=upload)
        except (OSError, ValidationError) as exc:
            raise CommandError(f"{path}: {' '.join(getattr(exc, 'messages', [str(exc)]))}") from exc
        imported = import_ban_register(
            parsed=parsed,
            file_name=path.name,
            list_date=list_date or timezone.localdate(),
            imported_by=None,
        )
        self.stdout.write(
            f"{service}: {imported.entry_count} entries imported, "
            f"{imported.skipped_count} rows skipped."
        )
