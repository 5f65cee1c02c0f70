from django.core.management.base import BaseCommand

from rekisteri.operations import DAILY_TASKS, run_daily_jobs


class Command(BaseCommand):
    help = (
        "Enqueue the daily jobs for the task worker: "
        + ", ".join(task.name for task in DAILY_TASKS)
        + ". First requeues tasks a dead worker left running and mail still waiting. Run once a "
        "day from cron (deploy/rekisteri.cron); safe to re-run. --inline runs the jobs in this "
        "process instead, for a server without a worker."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inline", action="store_true", help="Run here, not in the worker.")

    def handle(self, *args, inline: bool, **options) -> None:
        for name, outcome in run_daily_jobs(inline=inline).items():
            self.stdout.write(f"{name}: {outcome}")
