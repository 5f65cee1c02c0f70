from django.core.management.base import BaseCommand

from rights.retention import retention_sweep


class Command(BaseCommand):
    help = (
        "Anonymise customers inactive for RETENTION_INACTIVE_MONTHS and orders past their "
        "accounting retention, and delete expired access packages and audit entries past their "
        "declared retention. Run daily from cron; "
        "--dry-run prints the counts per rule."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count only.")

    def handle(self, *args, dry_run: bool, **options) -> None:
        counts = retention_sweep(dry_run=dry_run)
        for rule, count in counts.items():
            self.stdout.write(f"{rule}: {count}")
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
