"""docs/deploy.md matches the systemd units, the cron schedule and the scripts it installs.

A drill on a fresh server found the guide putting the erasure ledger where the units could not
write: these checks read the guide and the files side by side.
"""

import os
import re
import shlex
from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings
from django.core.management import get_commands

DEPLOY = settings.BASE_DIR / "deploy"
GUIDE = (settings.BASE_DIR / "docs" / "deploy.md").read_text()
UNITS = ["rekisteri-web.service", "rekisteri-worker@.service"]


def _unit(name: str) -> dict[str, list[str]]:
    """Return a unit's settings: every value of each key, in order."""
    values: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key, []).append(value)
    return values


def _guide_env() -> dict[str, str]:
    """Return the variables the guide's production env file sets."""
    start = GUIDE.index("a production file sets at least:")
    block = GUIDE[start:].split("\n\n")[1]
    return dict(line.strip().split("=", 1) for line in block.splitlines())


def _under(path: str, directories: list[str]) -> bool:
    return any(PurePosixPath(path).is_relative_to(directory) for directory in directories)


@pytest.mark.parametrize("name", UNITS)
def test_the_units_may_write_where_the_guide_puts_media_and_the_erasure_ledger(name):
    writable = _unit(name)["ReadWritePaths"][0].split()
    env = _guide_env()
    assert _under(env["MEDIA_ROOT"], writable)
    assert _under(str(PurePosixPath(env["ERASURE_LEDGER_FILE"]).parent), writable)
    # Each writable directory is one the guide creates for the app's user (or under its clone).
    created = re.search(r"install -d -o rekisteri -g rekisteri ([^\n]+\n[^\n]+)", GUIDE).group(1)
    for directory in writable:
        assert directory in created.split() or _under(directory, ["/srv/rekisteri"])


@pytest.mark.parametrize("name", UNITS)
def test_the_units_run_the_deploy_check_first_as_the_apps_user_with_a_private_umask(name):
    unit = _unit(name)
    assert unit["UMask"] == ["0027"]
    assert unit["ExecStartPre"][0].endswith("manage.py check --deploy --fail-level ERROR")
    assert unit["User"] == unit["Group"] == ["rekisteri"]
    assert unit["WorkingDirectory"] == ["/srv/rekisteri"]
    assert unit["EnvironmentFile"] == ["/etc/rekisteri.env"]
    assert unit["ProtectSystem"] == ["strict"]


def test_the_guide_says_what_the_units_do():
    assert "git clone <repository> /srv/rekisteri" in GUIDE
    assert "adduser --system --group --home /var/lib/rekisteri" in GUIDE
    assert f"cp deploy/{UNITS[0]} deploy/{UNITS[1]} /etc/systemd/system/" in GUIDE
    assert "`check --deploy --fail-level ERROR` before they start" in GUIDE
    assert "(`UMask=0027`; media files are 0640)" in GUIDE
    assert "`/srv/rekisteri/var` (`MEDIA_ROOT`) and\n`/var/lib/rekisteri/ledger`" in GUIDE


def test_the_guides_settings_are_the_ones_the_app_and_the_scripts_read():
    env = _guide_env()
    example = (settings.BASE_DIR / ".env.example").read_text()
    for key in env:
        assert re.search(rf"^{key}=", example, flags=re.M), f"{key} is not in .env.example"
    backup = (DEPLOY / "backup.sh").read_text()
    for key in ("BACKUP_DIR", "BACKUP_KEEP_DAYS", "BACKUP_GPG_RECIPIENT", "DATABASE_URL"):
        assert key in backup
    assert env["EMAIL_URL"].startswith("smtp")


def test_every_scheduled_job_and_script_the_guide_names_exists():
    commands = get_commands()
    cron = (DEPLOY / "rekisteri.cron").read_text()
    for line in cron.splitlines():
        if not line or line.startswith("#") or "=" in line.split()[0]:
            continue
        words = shlex.split(line)[6:]
        script = Path(words[0].replace("/srv/rekisteri", str(settings.BASE_DIR)))
        assert os.access(script, os.X_OK), words[0]
        if script.name == "manage.sh":
            assert words[1] in commands
    for script in ("backup.sh", "restore.sh", "manage.sh"):
        assert f"deploy/{script}" in GUIDE
        assert os.access(DEPLOY / script, os.X_OK)
    for command in re.findall(r"deploy/manage\.sh (\w+)", GUIDE):
        assert command in commands, command
