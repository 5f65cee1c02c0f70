"""Requests from authorities for a customer's data, handled as cases of their own.

Who asked, on what law, what was given and when, and whether and when the customer was told —
or why telling was not allowed. The hand-over itself is a disclosure in the customer's log
(customers.Disclosure), to the registry's authorities recipient.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, Disclosure


class AuthorityRequest(models.Model):
    """An authority's request for a customer's data (police, tax administration, a court…)."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="authority_requests",
        verbose_name=_("asiakas"),
    )
    authority = models.CharField(
        _("pyytävä viranomainen"),
        max_length=200,
        help_text=_("Esim. ”Helsingin poliisilaitos” tai ”Verohallinto”."),
    )
    legal_basis = models.CharField(
        _("laki, johon pyyntö perustuu"),
        max_length=300,
        help_text=_("Pyynnössä mainittu säännös, esim. ”esitutkintalaki 805/2011, 7 luku 8 §”."),
    )
    requested = models.TextField(_("mitä pyydettiin"))
    received_at = models.DateTimeField(_("vastaanotettu"), default=timezone.now)
    fields = models.JSONField(
        _("luovutetut tiedot"),
        default=list,
        blank=True,
        help_text=_('Luovutettujen kenttien nimet, esim. ["email", "phone"].'),
    )
    disclosure = models.OneToOneField(
        Disclosure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authority_request",
        verbose_name=_("luovutus"),
    )
    handed_over_at = models.DateTimeField(_("luovutettu"), null=True, blank=True)
    customer_told_at = models.DateTimeField(_("asiakkaalle kerrottu"), null=True, blank=True)
    telling_withheld_reason = models.TextField(
        _("miksi asiakkaalle ei kerrottu"),
        blank=True,
        help_text=_(
            "Säännös, joka kieltää kertomasta (esim. tutkinnan vaarantuminen), tai muu peruste."
        ),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("käsittelijä"),
    )

    class Meta:
        verbose_name = _("viranomaisen tietopyyntö")
        verbose_name_plural = _("viranomaisten tietopyynnöt")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.authority} {self.received_at:%Y-%m-%d}"
