"""The erasure ledger: who was erased, kept so that an erasure outlives a restored backup."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rights.models.cases import DataSubjectRequest


class ErasureLedger(models.Model):
    """A record that a customer was erased, so erasure can be re-applied after a restore.

    Holds no personal data beyond the identifiers needed to find the customer in a restored
    backup; dump it outside the backup set (`reapply_erasures --dump`).
    """

    class Reason(models.TextChoices):
        REQUEST = "request", _("poistopyyntö")
        RETENTION = "retention", _("säilytysajan päättyminen")
        STAFF = "staff", _("ylläpidon päätös")

    customer_code = models.UUIDField(_("asiakkaan tunniste"), unique=True)
    customer_number = models.CharField(_("asiakasnumero"), max_length=9)
    reason = models.CharField(_("syy"), max_length=10, choices=Reason.choices)
    erased_at = models.DateTimeField(_("poistettu"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poistaja"),
    )
    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pyyntö"),
    )
    reapplied_at = models.DateTimeField(_("poisto toistettu"), null=True, blank=True)

    class Meta:
        verbose_name = _("poistokirjaus")
        verbose_name_plural = _("poistokirjaukset")
        db_table = "privacy_erasureledger"
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.customer_number} {self.erased_at:%Y-%m-%d}"
