from django.apps import AppConfig


class RekisteriConfig(AppConfig):
    """The project package as an app: its commands, the backup records, the task glue."""

    name = "rekisteri"
    verbose_name = "Rekisteri"

    def ready(self) -> None:
        from django.tasks.signals import task_started

        from rekisteri.tasks import on_task_started

        # Each database worker marks itself alive as it starts a task (rekisteri.tasks).
        task_started.connect(on_task_started, dispatch_uid="rekisteri.worker_lock")
