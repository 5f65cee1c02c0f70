"""The record of verified backups: what the staff dashboard and /health/ report.

deploy/backup.sh takes, verifies and encrypts the nightly dump and then records it here
(`manage.py record_backup`); a night without a new record is a failed night.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rekisteri.models import VerifiedBackup

# Backups run nightly (deploy/rekisteri.cron): a day and a couple of hours of slack.
STALE_AFTER = dt.timedelta(hours=26)


@dataclass(frozen=True)
class BackupStatus:
    """The latest verified backup and whether it is recent enough."""

    latest: VerifiedBackup | None
    # "ok", "stale" (older than STALE_AFTER) or "none" (no backup recorded).
    state: str

    @property
    def is_ok(self) -> bool:
        return self.state == "ok"


@transaction.atomic
def record_verified_backup(
    *, file: Path, size: int, verified_at: dt.datetime | None = None
) -> VerifiedBackup:
    """Record a backup that was verified and stored; forget records past BACKUP_KEEP_DAYS.

    The backup script prunes the files at the same age, so the records list the backups kept.
    """
    verified_at = verified_at or timezone.now()
    VerifiedBackup.objects.filter(
        verified_at__lt=verified_at - dt.timedelta(days=settings.BACKUP_KEEP_DAYS)
    ).delete()
    return VerifiedBackup.objects.create(verified_at=verified_at, file_name=str(file), size=size)


def backup_status(*, now: dt.datetime | None = None) -> BackupStatus:
    """Return the latest verified backup and whether it is younger than STALE_AFTER."""
    latest = VerifiedBackup.objects.order_by("-verified_at").first()
    if latest is None:
        return BackupStatus(None, "none")
    fresh = latest.verified_at > (now or timezone.now()) - STALE_AFTER
    return BackupStatus(latest, "ok" if fresh else "stale")
