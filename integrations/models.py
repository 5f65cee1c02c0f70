"""API tokens, idempotency records, the API call log and CSV import jobs."""

import hashlib

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_secret(secret: str) -> str:
    """Return the stored form of an API token secret."""
    # The secret is 256 random bits, so a plain SHA-256 is enough: there is nothing to brute
    # force, and a fast hash keeps the per-request lookup cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> "ApiTokenQuerySet":
        """Return tokens that have not been revoked."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A per-integration credential of the web shop; only its hash is stored."""

    class Scope(models.TextChoices):
        CUSTOMERS_READ = "customers:read", _("asiakkaat: luku")
        CUSTOMERS_WRITE = "customers:write", _("asiakkaat: kirjoitus")
        ORDERS_READ = "orders:read", _("tilaukset ja lähetykset: luku")
        ORDERS_WRITE = "orders:write", _("tilaukset ja lähetykset: kirjoitus")
        MARKETING_READ = "marketing:read", _("suostumukset ja kiellot: luku")
        MARKETING_WRITE = "marketing:write", _("suostumukset ja kiellot: kirjoitus")

    name = models.CharField(
        _("nimi"), max_length=100, help_text=_("Esim. verkkokaupan nimi tai integraation käyttö.")
    )
    prefix = models.CharField(
        _("tunnisteen alku"),
        max_length=12,
        editable=False,
        help_text=_("Avaimen ensimmäiset merkit, joista sen tunnistaa näkemättä koko avainta."),
    )
    token_hash = models.CharField(_("avaimen tiiviste"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("oikeudet"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("luonut"),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("peruttu"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("viimeksi käytetty"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-avain")
        verbose_name_plural = _("API-avaimet")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key, replayed on retries."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.CASCADE, related_name="+", verbose_name=_("API-avain")
    )
    # Linked so that erasing a customer also deletes the copies of their data kept here.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asiakas"),
    )
    key = models.CharField(_("Idempotency-Key"), max_length=255)
    method = models.CharField(_("metodi"), max_length=10)
    path = models.CharField(_("polku"), max_length=500)
    request_hash = models.CharField(_("pyynnön tiiviste"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("vastauksen tila"))
    response_body = models.JSONField(_("vastaus"), encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(_("luotu"), default=timezone.now)

    class Meta:
        verbose_name = _("toistosuojattu pyyntö")
        verbose_name_plural = _("toistosuojatut pyynnöt")
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_token_key"),
        ]
        indexes = [
            # The pruning of expired records.
            models.Index(fields=["created_at"], name="idempotency_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


class ApiCallLog(models.Model):
    """One API call: who, when, what and the outcome; never the request or response body."""

    token = models.ForeignKey(
        ApiToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("API-avain"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asiakas"),
    )
    occurred_at = models.DateTimeField(_("aika"), default=timezone.now)
    method = models.CharField(_("metodi"), max_length=10)
    path = models.CharField(_("polku"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("tila"))

    class Meta:
        verbose_name = _("API-kutsu")
        verbose_name_plural = _("API-kutsujen loki")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The staff panel lists the newest calls; the retention sweep deletes the oldest.
            models.Index(fields=["-occurred_at"], name="api_call_occurred_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status_code}"


class ImportJob(models.Model):
    """A CSV import uploaded in the staff panel and run as a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("jonossa")
        CHECKING = "checking", _("tarkistetaan")
        WRITING = "writing", _("tallennetaan")
        DONE = "done", _("valmis")
        REJECTED = "rejected", _("hylätty")
        FAILED = "failed", _("epäonnistui")

    file_name = models.CharField(_("tiedosto"), max_length=255)
    # The upload is kept in the database, not on disk, so that any worker can read it; it is
    # cleared when the import finishes (the register then holds the data).
    data = models.BinaryField(_("sisältö"), null=True, editable=False)
    is_dry_run = models.BooleanField(
        _("koeajo"), default=False, help_text=_("Koeajo vain raportoi, mitä tehtäisiin.")
    )
    status = models.CharField(
        _("tila"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rivejä"), default=0)
    processed_rows = models.PositiveIntegerField(_("käsitelty"), default=0)
    created_count = models.PositiveIntegerField(_("uusia"), default=0)
    updated_count = models.PositiveIntegerField(_("päivitettyjä"), default=0)
    unchanged_count = models.PositiveIntegerField(_("ennallaan"), default=0)
    rejected_count = models.PositiveIntegerField(_("hylättyjä"), default=0)
    report = models.JSONField(
        _("raportti"),
        default=list,
        blank=True,
        help_text=_("Rivikohtaiset tulokset: rivinumero, toimenpide ja syyt."),
    )
    message = models.TextField(_("viesti"), blank=True)
    mapping = models.JSONField(
        _("sarakkeiden määritys"),
        null=True,
        blank=True,
        help_text=_("Henkilökunnan valitsemat sarakkeet: {sarake: rekisterin tieto}."),
    )
    columns = models.JSONField(
        _("sarakkeet"),
        null=True,
        blank=True,
        help_text=_("Mistä tiedosto tunnistettiin ja mitä kustakin sarakkeesta tuli."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lähettäjä"),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("valmistui"), null=True, blank=True)

    class Meta:
        verbose_name = _("asiakastuonti")
        verbose_name_plural = _("asiakastuonnit")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.REJECTED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class ImportMapping(models.Model):
    """A column mapping the staff saved on the import page, to use for the next file alike."""

    name = models.CharField(_("nimi"), max_length=100, unique=True)
    columns = models.JSONField(
        _("sarakkeet"), default=dict, help_text=_("{sarakkeen otsikko: rekisterin tieto}")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tallentaja"),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("sarakemääritys")
        verbose_name_plural = _("sarakemääritykset")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
