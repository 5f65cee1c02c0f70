"""Recovering what a dead worker or a failed delivery left behind, and the daily jobs.

This module knows every app's recovery and daily work, so it sits at the top with the URLs and
the management commands: no app imports it.
"""

import datetime as dt
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from customers.models import Customer
from integrations.imports import requeue_unfinished_imports
from notifications.services import requeue_pending_emails
from platforms.outbox import requeue_due_messages
from platforms.webhooks import requeue_waiting_events
from rekisteri.tasks import in_database_backend, requeue_interrupted_tasks
from rights.ledger import catch_up_ledger_file, read_ledger_file
from rights.models import ErasureLedger
from rights.tasks import retention_sweep_task, send_deadline_reminders_task

# An import still queued after this long lost its task (it failed on a database error).
QUEUED_IMPORT_AFTER = dt.timedelta(minutes=10)

# The daily jobs: tasks that take no arguments (run by `manage.py run_daily`).
DAILY_TASKS = (retention_sweep_task, send_deadline_reminders_task)


def recover_tasks(*, worker_id: str | None = None) -> dict[str, int]:
    """Requeue what a dead worker or a failed delivery left behind; return counts.

    Also appends to the erasure ledger file any erasure a failed write left out of it.
    """
    counts = {
        "pending_mail": requeue_pending_emails(),
        "queued_imports": requeue_unfinished_imports(older_than=QUEUED_IMPORT_AFTER),
        "platform_messages": requeue_due_messages(),
        "webhook_events": requeue_waiting_events(older_than=QUEUED_IMPORT_AFTER),
    }
    if in_database_backend():
        counts["interrupted_tasks"] = requeue_interrupted_tasks(worker_id=worker_id)
    # Last: it fails (loudly) while the ledger file cannot be written.
    counts["ledger_lines_caught_up"] = catch_up_ledger_file()
    return counts


def run_daily_jobs(*, inline: bool = False) -> dict[str, str]:
    """Enqueue each daily task (or, with `inline`, run it here); return what each became.

    Safe to run more than once a day: every daily task is idempotent.
    """
    recover_tasks()
    outcome = {}
    for task in DAILY_TASKS:
        if inline:
            outcome[task.name] = f"done: {task.call()}"
        else:
            result = task.enqueue()
            outcome[task.name] = f"enqueued ({result.status})"
    if in_database_backend():
        # Finished task rows hold only ids; a fortnight of them is enough to look back on.
        call_command("prune_db_task_results", min_age_days=14, verbosity=0)
    return outcome


# Restoring a backup (deploy/restore.sh, and the drill: manage.py restore_check).


class RestoreError(Exception):
    """A restore that must not go on; the message says what to do."""


@dataclass
class RestoreReport:
    """What a restored database holds once every erasure in the ledger is applied again."""

    database: str
    customers: int = 0
    erased: int = 0
    ledger_entries: int = 0
    erased_again: int = 0
    # Codes of ledger customers who are in the restored database and not erased: must be none.
    still_present: list[str] = field(default_factory=list)


# Connection options of DATABASE_URL that libpq's tools (pg_restore) understand too.
_LIBPQ_OPTIONS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout")


def database_url(name: str) -> str:
    """Return the URL of another database on the server this app uses, as the same user."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    # A Unix socket's directory is percent-encoded in the host part.
    host = quote(db["HOST"] or "127.0.0.1", safe="")
    options = "&".join(
        f"{key}={quote(str(db['OPTIONS'][key]), safe='')}"
        for key in _LIBPQ_OPTIONS
        if key in db.get("OPTIONS", {})
    )
    return (
        f"postgres://{quote(db['USER'] or '', safe='')}{password}@{host}:"
        f"{db['PORT'] or 5432}/{quote(name, safe='')}" + (f"?{options}" if options else "")
    )


def _manage(*args: str, env: dict[str, str]) -> str:
    """Run manage.py in a fresh process on the restored database; return its output."""
    result = subprocess.run(  # noqa: S603  (our own manage.py, arguments from this module)
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RestoreError(f"manage.py {args[0]} failed on the restored database:\n{result.stderr}")
    return result.stdout


def _pg_restore(source: Path | IO[bytes], url: str) -> None:
    """Load a custom-format dump (a .gpg file is decrypted on the way) into the database."""
    # Ownership and grants are the new server's: every object belongs to the app's user.
    restore = ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", f"--dbname={url}"]
    if isinstance(source, Path) and source.suffix == ".gpg":
        # Decrypted straight into pg_restore: the plaintext dump never touches a disk.
        gpg = subprocess.Popen(  # noqa: S603
            ["gpg", "--batch", "--decrypt", str(source)],  # noqa: S607
            stdout=subprocess.PIPE,
        )
        loaded = subprocess.run(restore, stdin=gpg.stdout, capture_output=True, check=False)  # noqa: S603
        gpg.stdout.close()
        if gpg.wait() != 0:
            # No key, a damaged file, or pg_restore stopped reading: never a restore to keep.
            raise RestoreError(
                f"gpg could not decrypt {source} to its end (is the private key here?); "
                f"pg_restore said: {loaded.stderr.decode(errors='replace') or 'nothing'}"
            )
    elif isinstance(source, Path):
        loaded = subprocess.run([*restore, str(source)], capture_output=True, check=False)  # noqa: S603
    else:
        loaded = subprocess.run(restore, stdin=source, capture_output=True, check=False)  # noqa: S603
    if loaded.returncode != 0:
        raise RestoreError(f"pg_restore failed: {loaded.stderr.decode(errors='replace')}")


def latest_backup() -> Path:
    """Return the newest encrypted backup in BACKUP_DIR."""
    backups = sorted(Path(settings.BACKUP_DIR).glob("rekisteri-*.dump.gpg"))
    if not backups:
        raise RestoreError(f"No backup (rekisteri-*.dump.gpg) in {settings.BACKUP_DIR}.")
    return backups[-1]


def restore_backup(
    *, source: Path | IO[bytes], database: str, ledger: Path | None = None
) -> RestoreReport:
    """Restore a backup into an empty database, apply every erasure again, and check it.

    `source` is a .dump.gpg file (decrypted with gpg on the way), a plain dump, or a stream of
    one. The database must exist, be empty and not be the one this app uses. It is migrated
    and `reapply_erasures` runs on it in fresh processes, as on a new server; the erasures come
    from the restored ledger and ERASURE_LEDGER_FILE (or `ledger`). Never queries the database
    this app uses, which on a new server may be empty. Raises RestoreError when a
    step fails, when the ledger file lacks erasures the backup records (it is then not this
    register's ledger, and people erased since the backup would come back) or when anyone in
    the ledger is still there afterwards.
    """
    if database == connection.settings_dict["NAME"]:
        raise RestoreError(f"{database} is the database this app uses: restore into a new one.")
    url = database_url(database)
    with psycopg.connect(url, autocommit=True) as target:
        tables = target.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    if tables:
        raise RestoreError(f"{database} is not empty ({tables} tables): restore into a new one.")

    _pg_restore(source, url)
    env = {**os.environ, "DATABASE_URL": url}
    if ledger is not None:
        env["ERASURE_LEDGER_FILE"] = str(ledger)
    ledger_file = Path(env.get("ERASURE_LEDGER_FILE") or settings.ERASURE_LEDGER_FILE)
    file_codes = (
        {entry["customer_code"] for entry in read_ledger_file(ledger_file)}
        if ledger_file.exists()
        else set()
    )
    ledger_table = sql.Identifier(ErasureLedger._meta.db_table)
    with psycopg.connect(url, autocommit=True) as target:
        restored_codes = {
            str(code)
            for (code,) in target.execute(
                sql.SQL("SELECT customer_code FROM {}").format(ledger_table)
            )
        }
    if missing := restored_codes - file_codes:
        raise RestoreError(
            f"The ledger file {ledger_file} lacks {len(missing)} erasures the backup itself "
            "records, so it is not this register's ledger and erasures made since the backup "
            "would be lost: copy ERASURE_LEDGER_FILE back from its off-site copy (or name it "
            f"with --ledger) and restore into a new database again. {database} is left as it is."
        )

    _manage("migrate", "--no-input", "-v0", env=env)
    reapplied = _manage("reapply_erasures", env=env)
    report = RestoreReport(database=database)
    report.erased_again = int(re.search(r"Erased again: (\d+)", reapplied).group(1))

    customers = sql.Identifier(Customer._meta.db_table)
    with psycopg.connect(url, autocommit=True) as target:
        # The restored ledger now holds the backup's erasures and the file's.
        codes = sorted(
            file_codes
            | {
                str(code)
                for (code,) in target.execute(
                    sql.SQL("SELECT customer_code FROM {}").format(ledger_table)
                )
            }
        )
        report.ledger_entries = len(codes)
        report.customers, report.erased = target.execute(
            sql.SQL("SELECT count(*), count(erased_at) FROM {}").format(customers)
        ).fetchone()
        report.still_present = [
            str(code)
            for (code,) in target.execute(
                sql.SQL(
                    "SELECT code FROM {} WHERE erased_at IS NULL AND code::text = ANY(%s)"
                ).format(customers),
                [codes],
            )
        ]
        # A restore brings no planner statistics.
        target.execute("ANALYZE")
    if report.still_present:
        raise RestoreError(
            f"{len(report.still_present)} erased customers are still in {database} after "
            "reapply_erasures: do not use it."
        )
    return report
