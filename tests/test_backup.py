"""deploy/backup.sh as cron runs it: a failed night says so, exits non-zero and keeps every backup.

Each test runs the real script against PostgreSQL: the test database, a database that does not
exist, and a disk too small for the dump (tests/disks.py).
"""

import os
import time
from pathlib import Path

import pytest

from rekisteri.models import VerifiedBackup
from tests.backups import decrypt, run_backup
from tests.disks import full_disk
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

DAY = 24 * 3600


def _old_backups(backup_dir: Path) -> dict[str, float]:
    """Put backups of 31, 29 and 1 days ago and a killed run's leftover in the directory."""
    backup_dir.mkdir(exist_ok=True)
    now = time.time()
    ages = {
        "rekisteri-2026-01-01T031500.dump.gpg": 31,
        "rekisteri-2026-01-03T031500.dump.gpg": 29,
        "rekisteri-2026-01-31T031500.dump.gpg": 1,
        "rekisteri-2026-02-01T031500.dump.gpg.part": 0.5,
    }
    for name, days in ages.items():
        path = backup_dir / name
        path.write_bytes(b"old backup")
        os.utime(path, (now - days * DAY, now - days * DAY))
    return {name: days for name, days in ages.items()}


def _backups(backup_dir: Path) -> set[str]:
    return {p.name for p in backup_dir.iterdir() if p.name.startswith("rekisteri-")}


def test_a_backup_is_verified_encrypted_recorded_and_only_then_old_ones_pruned(
    tmp_path, gnupg_home
):
    CustomerFactory(first_name="Varmuus", last_name="Kopioitu")
    backup_dir = tmp_path / "backups"
    old = _old_backups(backup_dir)

    result = run_backup(backup_dir=backup_dir, gnupg_home=gnupg_home, BACKUP_KEEP_DAYS="30")

    assert result.returncode == 0, result.stderr
    assert "backup verified" in result.stdout
    new = _backups(backup_dir) - set(old)
    assert len(new) == 1
    # Past BACKUP_KEEP_DAYS goes, younger stays; the killed run's leftover goes.
    assert _backups(backup_dir) == {
        "rekisteri-2026-01-03T031500.dump.gpg",
        "rekisteri-2026-01-31T031500.dump.gpg",
        *new,
    }
    path = backup_dir / new.pop()
    assert path.stat().st_mode & 0o777 == 0o600
    data = path.read_bytes()
    assert not data.startswith(b"PGDMP") and b"Kopioitu" not in data
    dump = decrypt(path, gnupg_home)
    assert dump.startswith(b"PGDMP")
    recorded = VerifiedBackup.objects.get()
    assert (recorded.file_name, recorded.size) == (str(path), path.stat().st_size)


def test_a_backup_of_a_missing_database_fails_loudly_and_keeps_every_backup(tmp_path, gnupg_home):
    backup_dir = tmp_path / "backups"
    old = _old_backups(backup_dir)
    url = "postgres://postgres@127.0.0.1:5432/rekisteri_ei_ole_olemassa"

    result = run_backup(backup_dir=backup_dir, gnupg_home=gnupg_home, database_url=url)

    assert result.returncode != 0
    assert "backup FAILED: pg_dump failed" in result.stderr
    assert "old backups kept" in result.stderr
    # Nothing pruned, nothing new; only the old leftover of a killed run is cleared.
    assert _backups(backup_dir) == {name for name in old if not name.endswith(".part")}
    assert not VerifiedBackup.objects.exists()


def test_a_backup_onto_a_full_disk_fails_loudly_and_keeps_every_backup(tmp_path, gnupg_home):
    backup_dir = tmp_path / "backups"
    old = _old_backups(backup_dir)
    # An empty register's dump is about 170 kB: it cannot fit.
    with full_disk(backup_dir, size_kb=64) as limit:
        result = run_backup(backup_dir=backup_dir, gnupg_home=gnupg_home, preexec_fn=limit)
        left = _backups(backup_dir)

    assert result.returncode != 0
    assert "backup FAILED: pg_dump failed" in result.stderr
    assert left == {name for name in old if not name.endswith(".part")}
    assert not VerifiedBackup.objects.exists()


def test_a_dump_below_the_size_floor_is_not_a_backup(tmp_path, gnupg_home):
    backup_dir = tmp_path / "backups"
    old = _old_backups(backup_dir)

    result = run_backup(backup_dir=backup_dir, gnupg_home=gnupg_home, BACKUP_MIN_BYTES=str(10**9))

    assert result.returncode != 0
    assert "below BACKUP_MIN_BYTES=1000000000; old backups kept" in result.stderr
    assert _backups(backup_dir) == {name for name in old if not name.endswith(".part")}
    assert not list(backup_dir.glob("*.part"))
