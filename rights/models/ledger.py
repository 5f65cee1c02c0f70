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


class ErasedShopId(models.Model):
    """The keyed hash of a web shop's id for an erased customer, kept with the ledger row.

    A shop may send the person again (a webhook, a row of an export) before it has processed
    the register's erasure request; the webhooks and the import look the id's hash up here and
    refuse to bring the person back. Only the HMAC (SUPPRESSION_KEY) is kept, never the id, and
    it goes with its ledger row (ERASURE_LEDGER).
    """

    ledger = models.ForeignKey(
        ErasureLedger,
        on_delete=models.CASCADE,
        related_name="shop_ids",
        verbose_name=_("poistokirjaus"),
    )
    id_hash = models.CharField(_("verkkokaupan asiakastunnisteen tiiviste"), max_length=64)

    class Meta:
        verbose_name = _("poistetun asiakkaan verkkokauppatunniste")
        verbose_name_plural = _("poistettujen asiakkaiden verkkokauppatunnisteet")
        constraints = [
            models.UniqueConstraint(fields=["ledger", "id_hash"], name="erased_shop_id_once"),
        ]
        indexes = [models.Index(fields=["id_hash"], name="erased_shop_id_hash_idx")]

    def __str__(self) -> str:
        return self.id_hash[:12]
