"""What else is kept of a customer: disclosures to recipients, service notes, login codes."""

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from customers.models.customer import Customer
from customers.models.orders import Order


class Disclosure(models.Model):
    """A disclosure of a customer's data to a recipient (needed for GDPR Art. 19 notices)."""

    class RecipientKind(models.TextChoices):
        CARRIER = "carrier", _("kuljetusliike")
        COLLECTION = "collection", _("perintätoimisto")
        AUTHORITY = "authority", _("viranomainen")
        PROCESSOR = "processor", _("henkilötietojen käsittelijä")
        OTHER = "other", _("muu")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="disclosures", verbose_name=_("asiakas")
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name=_("tilaus"),
    )
    recipient = models.CharField(
        _("vastaanottaja"), max_length=200, help_text=_("Vastaanottajan nimi luovutushetkellä.")
    )
    # The recipient in the registry the statement lists (statement.registry). Empty only for
    # disclosures logged before the registry existed.
    listed_recipient = models.ForeignKey(
        "statement.StatementRecipient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures",
        verbose_name=_("vastaanottajarekisterin vastaanottaja"),
    )
    recipient_kind = models.CharField(
        _("vastaanottajan tyyppi"), max_length=12, choices=RecipientKind.choices
    )
    fields = models.JSONField(
        _("luovutetut tiedot"),
        default=list,
        help_text=_('Luovutettujen kenttien nimet, esim. ["email", "phone"].'),
    )
    reason = models.CharField(_("peruste"), max_length=300)
    disclosed_at = models.DateTimeField(_("luovutettu"), default=timezone.now)

    class Meta:
        verbose_name = _("tietojen luovutus")
        verbose_name_plural = _("tietojen luovutukset")
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"{self.recipient} {self.disclosed_at:%Y-%m-%d}"


class CustomerNote(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("sähköposti")
        PHONE = "phone", _("puhelu")
        CHAT = "chat", _("chat")
        INTERNAL = "internal", _("sisäinen muistiinpano")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="notes", verbose_name=_("asiakas")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kirjoittaja"),
    )
    kind = models.CharField(_("tyyppi"), max_length=10, choices=Kind.choices, default=Kind.EMAIL)
    body = models.TextField(_("viesti"))
    created_at = models.DateTimeField(_("aika"), default=timezone.now)

    class Meta:
        verbose_name = _("asiakaspalvelun viesti")
        verbose_name_plural = _("asiakaspalvelun viestit")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        date = formats.date_format(timezone.localtime(self.created_at), "j.n.Y")
        return f"{self.get_kind_display()} {date}"


class PortalLoginCode(models.Model):
    """A one-time code (and link) mailed to a customer for logging in to the portal.

    With `new_email` set, the code was mailed to that address instead, to confirm that the
    customer controls it before it replaces the address on file.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="+", verbose_name=_("asiakas")
    )
    code_hash = models.CharField(_("koodin tiiviste"), max_length=64)
    link_hash = models.CharField(_("linkin tiiviste"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)
    expires_at = models.DateTimeField(_("vanhenee"))
    attempts = models.PositiveSmallIntegerField(_("yrityksiä"), default=0)
    used_at = models.DateTimeField(_("käytetty"), null=True, blank=True)
    new_email = models.EmailField(
        _("uusi sähköpostiosoite"),
        blank=True,
        help_text=_("Vahvistettava uusi osoite; tyhjä kirjautumiskoodissa."),
    )

    class Meta:
        verbose_name = _("kirjautumiskoodi")
        verbose_name_plural = _("kirjautumiskoodit")
        indexes = [
            # The latest live code of a customer is looked up at every attempt.
            models.Index(fields=["customer", "-created_at"], name="login_code_customer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.created_at:%Y-%m-%d %H:%M}"
