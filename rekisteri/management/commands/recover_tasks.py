from django.core.management.base import BaseCommand

from rekisteri.operations import recover_tasks
from rekisteri.tasks import STALE_AFTER


class Command(BaseCommand):
    help = (
        "Put back in the queue the tasks a killed worker left half done, and retry mail still "
        "waiting to be sent. Without --worker-id (cron), tasks whose worker is gone (it no longer "
        f"holds its lock in PostgreSQL) and tasks running over {STALE_AFTER} are taken as "
        "interrupted; with it, every task that worker was running (run it as that worker starts, "
        "e.g. ExecStartPre in deploy/rekisteri-worker@.service). Every task is idempotent, so a "
        "requeued task finishes its work without doing any of it twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--worker-id", help="The id of the worker about to start.")

    def handle(self, *args, worker_id: str | None, **options) -> None:
        for name, count in recover_tasks(worker_id=worker_id).items():
            self.stdout.write(f"{name}: {count}")
