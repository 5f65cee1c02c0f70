"""The web shops and the newsletter tool connected to the register, and what passes between them.

- `Connection`: one connected system, its address and its keys (encrypted at rest), and the
  statement's recipient it is.
- `ExternalId`: the id a connected system has for a customer or an order of the register.
- `WebhookEvent`: an event a platform sent, verified and stored, processed by the task worker.
- `OutboxMessage`: an erasure or a ban the register tells a system, written in the transaction of
  the erasure or ban and sent by the task worker with retries (a transactional outbox).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, Order
from platforms.encryption import seal, unseal
from rights.models import DataSubjectRequest
from statement.models import StatementRecipient


class Connection(models.Model):
    """A web shop platform or a newsletter tool the register exchanges data with."""

    class Kind(models.TextChoices):
        SHOPIFY = "shopify", _("Shopify-verkkokauppa")
        WOOCOMMERCE = "woocommerce", _("WooCommerce-verkkokauppa")
        NEWSLETTER = "newsletter", _("uutiskirjepalvelu (Mailchimp-yhteensopiva)")

    WEB_SHOPS = (Kind.SHOPIFY, Kind.WOOCOMMERCE)

    code = models.UUIDField(_("julkinen tunniste"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("nimi"), max_length=100, help_text=_("Näkyy henkilökunnalle ja asiakkaan kirjeessä.")
    )
    kind = models.CharField(_("järjestelmä"), max_length=20, choices=Kind.choices)
    base_url = models.URLField(
        _("osoite"),
        help_text=_(
            "Shopify: https://kauppa.myshopify.com. WooCommerce: kaupan osoite, esim. "
            "https://kauppa.fi. Uutiskirjepalvelu: rajapinnan osoite, esim. "
            "https://us21.api.mailchimp.com/3.0."
        ),
    )
    list_id = models.CharField(
        _("postituslistan tunniste"),
        max_length=100,
        blank=True,
        help_text=_("Vain uutiskirjepalvelu: listan (audience) tunniste."),
    )
    # Encrypted with platforms.encryption; read and written through the properties below.
    api_key_sealed = models.TextField(_("API-avain (salattu)"), blank=True, editable=False)
    api_secret_sealed = models.TextField(_("API-salaisuus (salattu)"), blank=True, editable=False)
    webhook_secret_sealed = models.TextField(
        _("webhookien allekirjoitusavain (salattu)"), blank=True, editable=False
    )
    recipient = models.ForeignKey(
        StatementRecipient,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastaanottaja tietosuojaselosteessa"),
    )
    is_active = models.BooleanField(
        _("käytössä"),
        default=True,
        help_text=_("Pois käytöstä: webhookeja ei oteta vastaan eikä järjestelmälle lähetetä."),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("muokattu"), auto_now=True)

    class Meta:
        verbose_name = _("yhteys")
        verbose_name_plural = _("yhteydet verkkokauppaan ja uutiskirjepalveluun")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_web_shop(self) -> bool:
        return self.kind in self.WEB_SHOPS

    @property
    def api_key(self) -> str:
        return unseal(self.api_key_sealed)

    @api_key.setter
    def api_key(self, value: str) -> None:
        self.api_key_sealed = seal(value)

    @property
    def api_secret(self) -> str:
        return unseal(self.api_secret_sealed)

    @api_secret.setter
    def api_secret(self, value: str) -> None:
        self.api_secret_sealed = seal(value)

    @property
    def webhook_secret(self) -> str:
        return unseal(self.webhook_secret_sealed)

    @webhook_secret.setter
    def webhook_secret(self, value: str) -> None:
        self.webhook_secret_sealed = seal(value)


class ExternalId(models.Model):
    """The id a connected system has for a customer (or one of their orders) of the register."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("asiakas")
        ORDER = "order", _("tilaus")

    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="external_ids", verbose_name=_("yhteys")
    )
    kind = models.CharField(_("laji"), max_length=10, choices=Kind.choices)
    platform_id = models.CharField(_("tunniste järjestelmässä"), max_length=100)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="platform_ids",
        verbose_name=_("asiakas"),
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="platform_ids",
        verbose_name=_("tilaus"),
    )
    platform_updated_at = models.DateTimeField(
        _("muutettu järjestelmässä"),
        null=True,
        blank=True,
        help_text=_("Vanhempi päivitys ei korvaa uudempaa, vaikka saapuisi myöhemmin."),
    )

    class Meta:
        verbose_name = _("tunniste toisessa järjestelmässä")
        verbose_name_plural = _("tunnisteet toisissa järjestelmissä")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "kind", "platform_id"], name="platform_external_id"
            ),
        ]
        # The outbox looks up a customer's ids at erasure; the unique index covers webhooks.
        indexes = [models.Index(fields=["customer"], name="platform_external_customer_idx")]

    def __str__(self) -> str:
        return f"{self.connection}: {self.get_kind_display()} {self.platform_id}"


class WebhookEvent(models.Model):
    """An event a platform sent, stored once under its event id and processed by the worker."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("odottaa käsittelyä")
        PROCESSED = "processed", _("käsitelty")
        SKIPPED = "skipped", _("ohitettu")
        FAILED = "failed", _("käsittely epäonnistui")

    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="events", verbose_name=_("yhteys")
    )
    event_id = models.CharField(_("tapahtuman tunniste"), max_length=200)
    topic = models.CharField(_("aihe"), max_length=100)
    body = models.JSONField(_("sisältö"), null=True, blank=True)
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    message = models.CharField(_("selite"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("vastaanotettu"), default=timezone.now)
    processed_at = models.DateTimeField(_("käsitelty"), null=True, blank=True)

    class Meta:
        verbose_name = _("saapunut webhook")
        verbose_name_plural = _("saapuneet webhookit")
        ordering = ["-received_at"]
        constraints = [
            # A platform's retry of the same event is recognised by its id and changes nothing.
            models.UniqueConstraint(fields=["connection", "event_id"], name="webhook_event_once"),
        ]
        indexes = [
            # The recovery sweep looks for events still waiting after a while.
            models.Index(
                fields=["received_at"],
                condition=Q(status="received"),
                name="webhook_event_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.connection}: {self.topic} ({self.get_status_display()})"


class OutboxMessage(models.Model):
    """An erasure or a ban to tell one connected system, until it is sent or given up."""

    class Action(models.TextChoices):
        ERASE = "erase", _("poista asiakas")
        UNSUBSCRIBE = "unsubscribe", _("lopeta markkinointi")

    class Status(models.TextChoices):
        PENDING = "pending", _("odottaa lähetystä")
        RETRYING = "retrying", _("yritetään uudelleen")
        SENT = "sent", _("lähetetty")
        FAILED = "failed", _("epäonnistui")

    key = models.CharField(
        _("tunniste"),
        max_length=200,
        unique=True,
        help_text=_("Nimeää viestin aiheuttaneen tapahtuman; sama viesti jonoon vain kerran."),
    )
    connection = models.ForeignKey(
        Connection, on_delete=models.PROTECT, related_name="outbox", verbose_name=_("yhteys")
    )
    action = models.CharField(_("pyyntö"), max_length=20, choices=Action.choices)
    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("pyyntö"),
    )
    # Who to act on in the system: its own id, or (newsletter tool) the hash of the address it
    # keys contacts by. Cleared once sent or given up.
    target = models.CharField(_("kohde järjestelmässä"), max_length=200, blank=True)
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("yrityksiä"), default=0)
    next_attempt_at = models.DateTimeField(_("seuraava yritys"), default=timezone.now)
    last_error = models.CharField(_("viimeisin virhe"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)
    sent_at = models.DateTimeField(_("lähetetty"), null=True, blank=True)

    class Meta:
        verbose_name = _("lähtevä pyyntö toiseen järjestelmään")
        verbose_name_plural = _("lähtevät pyynnöt toisiin järjestelmiin")
        ordering = ["created_at", "pk"]
        indexes = [
            # The recovery sweep sends what is due and not yet sent or given up.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "retrying"]),
                name="outbox_message_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.connection}: {self.get_action_display()} ({self.get_status_display()})"
