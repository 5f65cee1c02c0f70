"""Run `manage.py` in a fresh process: a command, or the task worker, on the test database."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def run_manage(
    *args: str, env: dict[str, str], inherit: tuple[str, ...] = ("PATH", "HOME")
) -> subprocess.CompletedProcess:
    """Run manage.py with `env` over the named variables of this process; never raises on exit."""
    base = {k: v for k, v in os.environ.items() if k in inherit}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_database_url() -> str:
    """The DATABASE_URL of the database this test runs on (a subprocess must use the same)."""
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


test_database_url.__test__ = False  # a helper, not a test for pytest to collect


def start_db_worker(worker_id: str, env: dict[str, str]) -> subprocess.Popen:
    """Start the real database task worker on the test database, with `env` added."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--worker-id",
            worker_id,
        ],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
            "DATABASE_URL": test_database_url(),
            "TASKS_BACKEND": "database",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
