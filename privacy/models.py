"""Controller details and published statement versions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class Controller(models.Model):
    """The data controller (rekisterinpitäjä); the register has exactly one."""

    name = models.CharField(_("nimi"), max_length=200)
    business_id = models.CharField(_("Y-tunnus"), max_length=9, blank=True)
    street_address = models.CharField(_("katuosoite"), max_length=200, blank=True)
    postal_code = models.CharField(_("postinumero"), max_length=10, blank=True)
    post_office = models.CharField(_("postitoimipaikka"), max_length=100, blank=True)
    phone = models.CharField(_("puhelin"), max_length=30, blank=True)
    email = models.EmailField(_("sähköposti"), blank=True)
    website = models.URLField(_("verkkosivusto"), blank=True)
    contact_name = models.CharField(
        _("yhteyshenkilö rekisteriasioissa"), max_length=200, blank=True
    )
    contact_email = models.EmailField(_("yhteyshenkilön sähköposti"), blank=True)
    contact_phone = models.CharField(_("yhteyshenkilön puhelin"), max_length=30, blank=True)
    dpo_name = models.CharField(
        _("tietosuojavastaava"),
        max_length=200,
        blank=True,
        help_text=_("Jätä tyhjäksi, jos yrityksellä ei ole tietosuojavastaavaa."),
    )
    dpo_email = models.EmailField(_("tietosuojavastaavan sähköposti"), blank=True)
    dpo_phone = models.CharField(_("tietosuojavastaavan puhelin"), max_length=30, blank=True)
    register_name = models.CharField(_("rekisterin nimi"), max_length=200, blank=True)
    register_name_sv = models.CharField(
        _("rekisterin nimi ruotsiksi"),
        max_length=200,
        blank=True,
        help_text=_("Esim. ”Esimerkkikauppa Oy:s kundregister”."),
    )
    register_name_en = models.CharField(
        _("rekisterin nimi englanniksi"),
        max_length=200,
        blank=True,
        help_text=_("Esim. ”Customer register of Esimerkkikauppa Oy”."),
    )

    class Meta:
        verbose_name = _("rekisterinpitäjä")
        verbose_name_plural = _("rekisterinpitäjä")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Controller | None":
        """Return the controller, or None before one is set up."""
        return cls.objects.order_by("pk").first()

    def register_name_in(self, language: str) -> str:
        """Return the register's name in one statement language ("" when not translated)."""
        field = "register_name" if language == "fi" else f"register_name_{language}"
        return getattr(self, field, "").strip()


class StatementVersionQuerySet(models.QuerySet):
    # A published version is what customers consented to: bulk updates and deletes would bypass
    # the model's guards. A database trigger refuses them as well (migration 0005).
    def update(self, **kwargs):
        raise ValidationError(_("Julkaistua selosteen versiota ei voi muuttaa."))

    def delete(self):
        raise ValidationError(_("Julkaistua selosteen versiota ei voi poistaa."))


class StatementVersion(models.Model):
    """A published, immutable version of the privacy statement."""

    number = models.PositiveIntegerField(_("versio"), unique=True)
    published_at = models.DateTimeField(_("julkaistu"), default=timezone.now)
    content_hash = models.CharField(_("sisällön tiiviste"), max_length=64)
    controller_name = models.CharField(_("rekisterinpitäjä"), max_length=200, blank=True)
    rendered_html = models.JSONField(
        _("julkaistu sisältö"), default=dict, help_text=_("Selosteen HTML kielittäin.")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("julkaisija"),
    )

    objects = StatementVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tietosuojaselosteen versio")
        verbose_name_plural = _("tietosuojaselosteen versiot")
        ordering = ["-number"]

    def __str__(self) -> str:
        return _("Versio %(number)s (%(date)s)") % {
            "number": self.number,
            "date": formats.date_format(timezone.localdate(self.published_at), "j.n.Y"),
        }

    def save(self, *args, **kwargs) -> None:
        # Consents record the version a customer saw, so what was published must stay as it was.
        if not self._state.adding:
            raise ValidationError(_("Julkaistua selosteen versiota ei voi muuttaa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Julkaistua selosteen versiota ei voi poistaa."))

    @classmethod
    def latest(cls) -> "StatementVersion | None":
        """Return the current (newest) published version, or None before the first."""
        return cls.objects.order_by("-number").first()

    def get_absolute_url(self) -> str:
        return reverse("privacy:statement_version", args=[self.number])

    def html(self, language: str) -> str:
        """Return the published HTML in one language, falling back to Finnish."""
        return self.rendered_html.get(language) or self.rendered_html.get("fi", "")


# The audit log, data-subject requests and the statement's draft live in their own modules;
# importing them here registers their models.
from privacy.audit import AuditEntry  # noqa: E402, F401
from privacy.requests_models import (  # noqa: E402, F401
    AccessPackage,
    AccessPackageDownload,
    CorrectionItem,
    DataSubjectRequest,
    ErasureLedger,
    RecipientNotification,
    RequestEvent,
)
from privacy.statement_models import (  # noqa: E402, F401
    StatementDraft,
    StatementPdf,
    StatementRecipient,
)
