"""Background tasks on the database backend, with real workers: nothing lost, nothing doubled."""

import datetime as dt
import io
import signal
import socket
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command, get_commands
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import OutgoingEmail
from notifications.services import deliver_email, queue_email
from rekisteri.operations import recover_tasks
from rights.cases import receive_request, verify_identity
from rights.models import AccessPackage, DataSubjectRequest
from rights.tasks import create_access_package_task, retention_sweep_task
from tests.factories import CustomerFactory
from tests.manage_subprocess import start_db_worker
from tests.reliability import worker_tasks

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def _run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def _queue_notice() -> OutgoingEmail:
    email, _created = queue_email(
        key="testi:ilmoitus",
        kind=OutgoingEmail.Kind.STAFF_NOTICE,
        recipient="kasittelija@kauppa.example",
        subject="Ilmoitus",
        body="Uusi pyyntö",
    )
    return email


@pytest.mark.django_db(transaction=True)
def test_mail_waits_for_the_worker_and_is_sent_once(database_tasks):
    email = _queue_notice()
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1
    _run_worker()
    _run_worker()
    assert [m.subject for m in mail.outbox] == ["Ilmoitus"]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_died_before_its_effect_is_requeued_and_done(database_tasks):
    _queue_notice()
    # What a worker killed mid-task leaves: the task claimed, its transaction rolled back.
    DBTaskResult.objects.get().claim("palvelin-1")
    _run_worker()
    assert mail.outbox == []

    assert recover_tasks(worker_id="palvelin-1")["interrupted_tasks"] == 1
    _run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_died_after_its_effect_does_not_repeat_it(database_tasks):
    email = _queue_notice()
    task = DBTaskResult.objects.get()
    task.claim("palvelin-1")
    deliver_email(email_id=email.pk)  # the mail went out; the worker died before recording it
    assert recover_tasks(worker_id="palvelin-1")["interrupted_tasks"] == 1
    _run_worker()
    assert len(mail.outbox) == 1
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == "sent"


@pytest.mark.django_db(transaction=True)
def test_only_stale_tasks_of_other_workers_are_requeued(database_tasks):
    _queue_notice()
    task = DBTaskResult.objects.get()
    task.claim("palvelin-2")
    assert recover_tasks()["interrupted_tasks"] == 0  # may still be running
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=task.started_at - dt.timedelta(hours=1)
    )
    assert recover_tasks()["interrupted_tasks"] == 1


class _SilentMailServer:
    """A mail server that accepts connections and never answers: a worker hangs mid-send."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_loses_nothing_and_sends_once(database_tasks):
    email = _queue_notice()
    server = _SilentMailServer()
    worker = start_db_worker("palvelin-1", {"EMAIL_URL": f"smtp://127.0.0.1:{server.port}"})
    try:
        server.sock.settimeout(60)
        client, _ = server.sock.accept()  # the worker is now inside the delivery
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        client.close()
    finally:
        if worker.poll() is None:
            worker.kill()
        server.close()

    task = DBTaskResult.objects.get()
    email.refresh_from_db()
    assert task.status == "RUNNING" and email.status == OutgoingEmail.Status.PENDING

    assert recover_tasks(worker_id="palvelin-1")["interrupted_tasks"] == 1
    _run_worker()
    assert [m.to for m in mail.outbox] == [["kasittelija@kauppa.example"]]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT


@pytest.mark.django_db
def test_an_access_package_task_run_twice_builds_one_package(customer_service):
    customer = CustomerFactory()
    request = receive_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=customer,
    )
    verify_identity(case=request, method="email_on_file", user=customer_service)
    first = create_access_package_task.call(customer.pk, request.pk, customer_service.pk)
    again = create_access_package_task.call(customer.pk, request.pk, customer_service.pk)
    assert first == again
    assert AccessPackage.objects.filter(request=request).count() == 1


@pytest.mark.django_db
def test_a_package_without_a_request_is_built_once_per_enqueueing():
    customer = CustomerFactory()
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    first = create_access_package_task.call(customer.pk, since=since)
    assert create_access_package_task.call(customer.pk, since=since) == first
    assert AccessPackage.objects.filter(customer=customer).count() == 1


@pytest.mark.django_db
def test_a_second_retention_sweep_finds_nothing_more_to_do(settings):
    from django.utils import timezone

    CustomerFactory(last_activity_at=timezone.now() - dt.timedelta(days=365 * 4))
    first = retention_sweep_task.call()
    assert first["inactive_customers"] == 1
    assert set(retention_sweep_task.call().values()) == {0}


@pytest.mark.django_db(transaction=True)
def test_cron_requeues_the_task_of_a_worker_that_is_gone_and_not_of_one_still_running(
    database_tasks, tmp_path
):
    marker = tmp_path / "blocked"
    worker_tasks.block_once.enqueue(marker=str(marker))
    worker = start_db_worker("palvelin-elossa", {})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        # Running for five minutes, far from the 30-minute limit: its worker is alive.
        DBTaskResult.objects.update(started_at=timezone.now() - dt.timedelta(minutes=5))
        assert recover_tasks()["interrupted_tasks"] == 0
        assert DBTaskResult.objects.get().status == "RUNNING"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    # The worker is gone (cron runs recover_tasks without --worker-id): requeued at once.
    assert recover_tasks()["interrupted_tasks"] == 1
    assert DBTaskResult.objects.get().status == "READY"
    _run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_worker_unit_requeues_its_own_tasks_as_it_starts():
    unit = (settings.BASE_DIR / "deploy" / "rekisteri-worker@.service").read_text()
    pre = [line for line in unit.splitlines() if line.startswith("ExecStartPre=")]
    start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert any("recover_tasks --worker-id %H-%i" in line for line in pre)
    assert "db_worker" in start and "--worker-id %H-%i" in start


def test_cron_schedule_runs_the_daily_jobs_and_the_recovery():
    cron = (settings.BASE_DIR / "deploy" / "rekisteri.cron").read_text()
    jobs = [
        line.split(maxsplit=6)
        for line in cron.splitlines()
        if line and not line.startswith("#") and "=" not in line.split()[0]
    ]
    assert {job[5] for job in jobs} == {"rekisteri"}
    commands = [job[6] for job in jobs]
    names = [c.split("manage.sh ")[1].split()[0] for c in commands if "manage.sh " in c]
    assert {"run_daily", "recover_tasks"} <= set(names)
    assert set(names) <= set(get_commands())
    assert any(c.startswith("/srv/rekisteri/deploy/backup.sh") for c in commands)


@pytest.mark.django_db(transaction=True)
def test_run_daily_twice_still_reminds_each_handler_once(database_tasks, customer_service):
    customer_service.email = "asiakaspalvelu@kauppa.example"
    customer_service.save()
    DataSubjectRequest.objects.create(
        kind=DataSubjectRequest.Kind.ERASURE,
        channel=DataSubjectRequest.Channel.LETTER,
        due_date=dt.date.today(),
    )
    out = io.StringIO()
    call_command("run_daily", stdout=out)
    call_command("run_daily", stdout=out)
    assert "retention_sweep_task: enqueued" in out.getvalue()
    assert "send_deadline_reminders_task: enqueued" in out.getvalue()
    assert DBTaskResult.objects.ready().count() == 4
    _run_worker()
    reminders = [m for m in mail.outbox if m.subject.startswith("Tietosuojapyyntöjen määräajat")]
    assert [m.to for m in reminders] == [["asiakaspalvelu@kauppa.example"]]
    assert not DBTaskResult.objects.failed().exists()


@pytest.mark.django_db
def test_run_daily_inline_does_the_jobs_without_a_worker():
    out = io.StringIO()
    call_command("run_daily", inline=True, stdout=out)
    assert "retention_sweep_task: done: {'inactive_customers': 0" in out.getvalue()
    assert "send_deadline_reminders_task: done: 0" in out.getvalue()
