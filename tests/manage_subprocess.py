"""Run `manage.py` in a fresh process with only the environment a test gives it."""

import os
import subprocess
import sys

from django.conf import settings


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
