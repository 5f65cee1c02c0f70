"""The staff panel's queries stay correct on SQLite, the zero-set-up default."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = Path(__file__).with_name("sqlite_script.py")


def test_search_audiences_and_dashboard_work_on_sqlite(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME"}},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'staff.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    migrated = manage("migrate", "--no-input", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    result = manage("shell", "-c", SCRIPT.read_text())
    assert "SQLITE-OK" in result.stdout, result.stdout + result.stderr
