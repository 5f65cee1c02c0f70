from django.core.management.base import BaseCommand

from rights.access import prune_access_packages


class Command(BaseCommand):
    help = (
        "Delete access packages whose 7-day download period has ended, with their files. Run "
        "from cron (daily or more often); safe to re-run."
    )

    def handle(self, *args, **options) -> None:
        count = prune_access_packages()
        self.stdout.write(f"Expired access packages deleted: {count}")
