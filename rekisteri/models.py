"""Operational records of the project itself: the verified backups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VerifiedBackup(models.Model):
    """One nightly backup that deploy/backup.sh dumped, verified, encrypted and stored."""

    verified_at = models.DateTimeField(_("varmistettu"))
    file_name = models.CharField(_("tiedosto"), max_length=500)
    size = models.BigIntegerField(_("koko (tavua)"))

    class Meta:
        verbose_name = _("varmuuskopio")
        verbose_name_plural = _("varmuuskopiot")
        ordering = ["-verified_at"]
        # The dashboard and /health/ read the latest one.
        indexes = [models.Index(fields=["-verified_at"], name="verified_backup_latest_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.verified_at:%Y-%m-%d %H:%M})"
