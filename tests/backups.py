"""Running deploy/backup.sh as cron does, with a GnuPG key of the tests' own."""

import os
import subprocess
from pathlib import Path

from django.conf import settings

from tests.manage_subprocess import test_database_url

RECIPIENT = "varmuuskopio@example.fi"


def make_gnupg_home(path: Path) -> Path:
    """Create a GnuPG home with a key pair for RECIPIENT (no passphrase)."""
    path.mkdir(mode=0o700, parents=True)
    subprocess.run(
        [
            "gpg",
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            f"Rekisteri backup test <{RECIPIENT}>",
            "default",
            "default",
            "never",
        ],
        env={**os.environ, "GNUPGHOME": str(path)},
        capture_output=True,
        check=True,
    )
    return path


def write_env_file(path: Path, **values: str) -> Path:
    """Write an /etc/rekisteri.env of these values."""
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    return path


def run_backup(
    *, backup_dir: Path, gnupg_home: Path, database_url: str | None = None, preexec_fn=None, **env
) -> subprocess.CompletedProcess:
    """Run deploy/backup.sh on the test database (or `database_url`) into `backup_dir`."""
    env_file = write_env_file(
        backup_dir.parent / "rekisteri.env",
        DATABASE_URL=database_url or test_database_url(),
        BACKUP_DIR=str(backup_dir),
        BACKUP_GPG_RECIPIENT=RECIPIENT,
        ERASURE_LEDGER_FILE=str(settings.ERASURE_LEDGER_FILE),
        **env,
    )
    return subprocess.run(
        [str(settings.BASE_DIR / "deploy" / "backup.sh")],
        env={
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "GNUPGHOME": str(gnupg_home),
            "REKISTERI_ENV": str(env_file),
        },
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        preexec_fn=preexec_fn,
    )


def decrypt(path: Path, gnupg_home: Path) -> bytes:
    """Return the plaintext of an encrypted backup."""
    return subprocess.run(
        ["gpg", "--batch", "--decrypt", str(path)],
        env={**os.environ, "GNUPGHOME": str(gnupg_home)},
        capture_output=True,
        check=True,
    ).stdout
