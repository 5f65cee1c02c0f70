"""Access packages (GDPR 15 and 20) and the record of their downloads."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from rights.models.cases import DataSubjectRequest


def _access_token() -> str:
    return secrets.token_urlsafe(32)


class AccessPackage(models.Model):
    """A stored copy of a customer's data (GDPR Art. 15(3), 20), downloadable until it expires."""

    token = models.CharField(
        _("latausavain"), max_length=64, unique=True, default=_access_token, editable=False
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="access_packages",
        verbose_name=_("asiakas"),
    )
    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_packages",
        verbose_name=_("pyyntö"),
    )
    created_at = models.DateTimeField(_("muodostettu"), default=timezone.now)
    expires_at = models.DateTimeField(_("vanhenee"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("muodostaja"),
    )
    json_file = models.FileField(_("JSON"), upload_to="access/", blank=True)
    archive_file = models.FileField(_("ZIP (JSON ja CSV)"), upload_to="access/", blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="access/", blank=True)

    class Meta:
        verbose_name = _("tietopaketti")
        verbose_name_plural = _("tietopaketit")
        db_table = "privacy_accesspackage"
        ordering = ["-created_at"]
        indexes = [
            # prune_access_packages() deletes by expiry.
            models.Index(fields=["expires_at"], name="access_package_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_expired(self) -> bool:
        """Return whether the package can no longer be downloaded.

        Past its time, or any file it names gone from storage: media are not backed up, so
        after a restore on a new server a package counts as expired and the customer asks for a
        new one. Checks the files (a stat each) only for a package still within its time.
        """
        if self.expires_at <= timezone.now():
            return True
        files = (self.json_file, self.archive_file, self.pdf_file)
        return not all(f.storage.exists(f.name) for f in files if f.name)


class AccessPackageDownload(models.Model):
    """One download of an access package."""

    package = models.ForeignKey(
        AccessPackage,
        on_delete=models.CASCADE,
        related_name="downloads",
        verbose_name=_("tietopaketti"),
    )
    file_kind = models.CharField(_("tiedosto"), max_length=10)
    downloaded_at = models.DateTimeField(_("ladattu"), default=timezone.now)
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lataaja"),
        help_text=_("Tyhjä, kun asiakas latasi paketin itse."),
    )

    class Meta:
        verbose_name = _("tietopaketin lataus")
        verbose_name_plural = _("tietopaketin lataukset")
        db_table = "privacy_accesspackagedownload"
        ordering = ["-downloaded_at"]

    def __str__(self) -> str:
        return f"{self.file_kind} {self.downloaded_at:%Y-%m-%d %H:%M}"
