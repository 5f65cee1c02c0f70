"""The restriction lists (ASML) that postal and phone audiences are screened against."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BanRegisterEntry(models.Model):
    """A person on a direct-marketing restriction list (ASML), held only as a keyed hash.

    Postal and phone audiences are screened against these (customers.marketing.marketable).
    The list is replaced as a whole at every import (customers.ban_register).
    """

    class Service(models.TextChoices):
        POST = "post", _("osoitteellinen suoramainonta")
        PHONE = "phone", _("puhelinmarkkinointi")

    service = models.CharField(_("rajoituspalvelu"), max_length=10, choices=Service.choices)
    value_hash = models.CharField(
        _("tiiviste"),
        max_length=64,
        help_text=_("HMAC-SHA256 normalisoidusta nimestä ja osoitteesta tai puhelinnumerosta."),
    )

    class Meta:
        verbose_name = _("rajoituspalvelun merkintä")
        verbose_name_plural = _("rajoituspalvelun merkinnät")
        constraints = [
            # Also the index the audiences' anti-join probes.
            models.UniqueConstraint(fields=["service", "value_hash"], name="ban_register_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.value_hash[:12]}…"


class BanRegisterImport(models.Model):
    """One import of a restriction list; the latest per service is the one in force."""

    service = models.CharField(
        _("rajoituspalvelu"), max_length=10, choices=BanRegisterEntry.Service.choices
    )
    list_date = models.DateField(
        _("listan päivämäärä"), help_text=_("Päivä, jolta rajoituspalvelun lista on.")
    )
    file_name = models.CharField(_("tiedosto"), max_length=200)
    entry_count = models.PositiveIntegerField(_("merkintöjä"), default=0)
    skipped_count = models.PositiveIntegerField(
        _("ohitettuja rivejä"),
        default=0,
        help_text=_("Rivit, joilla ei ollut tunnistettavaa puhelinnumeroa tai osoitetta."),
    )
    imported_at = models.DateTimeField(_("tuotu"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tuoja"),
    )

    class Meta:
        verbose_name = _("rajoituspalvelun lista")
        verbose_name_plural = _("rajoituspalvelun listat")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.list_date:%Y-%m-%d}"
