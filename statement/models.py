"""The controller, the statement's hand-written draft and recipients, published versions, PDFs.

The data-content, purposes and retention sections are not stored here: they are generated from
the personal-data declaration when a version is published (statement.publishing).

The tables keep the names they had when these models lived in the privacy app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from privacy.citations import cite, cited

STATEMENT_LANGUAGES = ("fi", "sv", "en")


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
        db_table = "privacy_controller"

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
    recipient_ids = models.JSONField(
        _("nimetyt vastaanottajat"),
        default=list,
        db_default=[],
        help_text=_("Vastaanottajarekisterin rivit, jotka tämä versio nimeää."),
    )
    inputs_digest = models.CharField(
        _("lähtötietojen tiiviste"),
        max_length=64,
        blank=True,
        db_default="",
        help_text=_(
            "Tiiviste kaikesta, mistä versio muodostettiin; kun rekisteri ei enää vastaa sitä, "
            "seloste on vanhentunut."
        ),
    )

    objects = StatementVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tietosuojaselosteen versio")
        verbose_name_plural = _("tietosuojaselosteen versiot")
        ordering = ["-number"]
        db_table = "privacy_statementversion"

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
        return reverse("statement:version", args=[self.number])

    def html(self, language: str) -> str:
        """Return the published HTML in one language, falling back to Finnish."""
        return self.rendered_html.get(language) or self.rendered_html.get("fi", "")


class StatementPart(models.TextChoices):
    """A hand-written part of the statement, written in each statement language."""

    PURPOSES = "purposes", _("Käsittelyn tarkoitukset (johdanto)")
    DATA_SUBJECTS = "data_subjects", _("Rekisteröityjen ryhmät")
    SOURCES = "sources", _("Tietolähteet (lisätiedot)")
    DISCLOSURES = "disclosures", _("Tietojen luovutukset (johdanto)")
    TRANSFERS = "transfers", _("Siirrot EU:n tai ETA:n ulkopuolelle")
    SECURITY_MANUAL = "security_manual", _("Suojaus: manuaalinen aineisto")
    SECURITY_ELECTRONIC = "security_electronic", _("Suojaus: sähköisesti käsitellyt tiedot")
    COOKIES = "cookies", _("Evästeet")
    AUTOMATED_DECISIONS = "automated_decisions", _("Automaattinen päätöksenteko ja profilointi")
    RIGHTS = "rights", _("Rekisteröidyn oikeudet (lisätiedot)")
    DIRECT_MARKETING = "direct_marketing", _("Suoramarkkinointi")


# Parts without which the statement does not meet GDPR Art. 13/14 or Finnish practice. Purposes,
# sources and rights are generated from the declaration, so their texts only add to them;
# transfers are required only when a recipient is outside the EEA (Art. 13(1)(f)).
REQUIRED_PARTS = (
    StatementPart.DATA_SUBJECTS,
    StatementPart.SECURITY_MANUAL,
    StatementPart.SECURITY_ELECTRONIC,
    StatementPart.COOKIES,
    StatementPart.AUTOMATED_DECISIONS,
    StatementPart.DIRECT_MARKETING,
)


class StatementDraft(models.Model):
    """The statement being edited; publishing freezes it into a StatementVersion."""

    texts = models.JSONField(
        _("tekstit"),
        default=dict,
        blank=True,
        help_text=_("Käsin kirjoitetut osat kielittäin: {kieli: {osa: teksti}}."),
    )
    imported = models.JSONField(
        _("tuodun selosteen raportti"),
        default=dict,
        blank=True,
        help_text=_("Vanhan selosteen alkuperäiset osat ja puuteraportti tarkistamista varten."),
    )
    imported_from = models.CharField(_("tuotu tiedostosta"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("muokattu"), auto_now=True)

    class Meta:
        verbose_name = _("tietosuojaselosteen luonnos")
        verbose_name_plural = _("tietosuojaselosteen luonnos")
        db_table = "privacy_statementdraft"

    def __str__(self) -> str:
        return str(_("Tietosuojaselosteen luonnos"))

    @classmethod
    def current(cls) -> "StatementDraft":
        """Return the draft, creating an empty one the first time."""
        draft = cls.objects.order_by("pk").first()
        return draft or cls.objects.create()

    def text(self, part: str, language: str) -> str:
        """Return one part's text in one language ("" when not written)."""
        return (self.texts.get(language) or {}).get(str(part), "").strip()

    def set_text(self, part: str, language: str, value: str) -> None:
        """Set one part's text in one language (not saved)."""
        self.texts.setdefault(language, {})[str(part)] = value.strip()


# The European Economic Area: the EU's 27 member states and Iceland, Liechtenstein and Norway.
# Anything else is a third country, and a transfer there needs a Chapter V safeguard.
EEA_COUNTRIES = frozenset(
    (
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        *("IS", "LI", "NO"),
    )
)


class StatementRecipient(models.Model):
    """A recipient or processor the statement names (GDPR Art. 13(1)(e)–(f)): the registry.

    Every disclosure in the register points to one of these (customers.Disclosure), and a carrier
    to the one it hands parcels to; statement.registry refuses a disclosure to a recipient the
    statement in force does not name.
    """

    class Kind(models.TextChoices):
        CARRIER = "carrier", _("kuljetusliike")
        PAYMENT = "payment", _("maksunvälittäjä")
        INVOICING = "invoicing", _("laskutuspalvelu")
        COLLECTION = "collection", _("perintätoimisto")
        ACCOUNTING = "accounting", _("tilitoimisto")
        HOSTING = "hosting", _("verkkokauppa-alusta ja palvelimet")
        NEWSLETTER = "newsletter", _("uutiskirjepalvelu")
        AUTHORITY = "authority", _("viranomaiset")
        OTHER = "other", _("muu vastaanottaja")

    class Role(models.TextChoices):
        PROCESSOR = "processor", _("henkilötietojen käsittelijä")
        RECIPIENT = "recipient", _("vastaanottaja")
        AUTHORITY = "authority", _("viranomainen")

    class Safeguard(models.TextChoices):
        # GDPR Art. 45 (adequacy, the EU–US Data Privacy Framework being one), 46(2)(c), 47.
        NONE = "", _("ei siirtoa EU:n tai ETA:n ulkopuolelle")
        ADEQUACY = "adequacy", _("Euroopan komission tietosuojan riittävyyttä koskeva päätös")
        DPF = (
            "dpf",
            _(
                "EU:n ja Yhdysvaltojen välinen tietosuojakehys (komission riittävyyspäätös "
                "10.7.2023)"
            ),
        )
        SCC = "scc", _("Euroopan komission antamat tietosuojaa koskevat vakiolausekkeet")
        BCR = "bcr", _("yritystä koskevat sitovat säännöt")

    draft = models.ForeignKey(
        StatementDraft,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("luonnos"),
    )
    name_fi = models.CharField(
        _("nimi tai ryhmä (suomi)"),
        max_length=200,
        help_text=_("Esim. ”Posti Oy” tai ”kuljetusliikkeet”."),
    )
    name_sv = models.CharField(_("nimi tai ryhmä (ruotsi)"), max_length=200, blank=True)
    name_en = models.CharField(_("nimi tai ryhmä (englanti)"), max_length=200, blank=True)
    role = models.CharField(_("rooli"), max_length=20, choices=Role.choices, default=Role.PROCESSOR)
    kind = models.CharField(
        _("laji"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        db_default=Kind.OTHER,
        help_text=_("Seloste ja tietopaketti ryhmittelevät vastaanottajat lajin mukaan."),
    )
    carrier = models.CharField(
        _("kuljetusliike"),
        max_length=20,
        blank=True,
        db_default="",
        help_text=_(
            "Lähetysten kuljetusliike, jolle toimitustiedot luovutetaan (esim. posti). Kullakin "
            "kuljetusliikkeellä on yksi vastaanottaja."
        ),
    )
    country = CountryField(
        _("maa"),
        default="FI",
        help_text=_("Maa, jossa vastaanottaja käsittelee tietoja."),
    )
    safeguard = models.CharField(
        _("siirron suojatoimi"),
        max_length=20,
        choices=Safeguard.choices,
        blank=True,
        help_text=cited(
            _("Pakollinen, kun maa on EU:n tai ETA:n ulkopuolella (%(article)s)."), "45–47"
        ),
    )
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)

    class Meta:
        verbose_name = _("vastaanottaja")
        verbose_name_plural = _("vastaanottajat ja käsittelijät")
        db_table = "privacy_statementrecipient"
        ordering = ["position", "pk"]
        constraints = [
            # A carrier's parcels go to one recipient of the statement.
            models.UniqueConstraint(
                fields=["draft", "carrier"],
                condition=~Q(carrier=""),
                name="recipient_one_per_carrier",
            ),
        ]

    def __str__(self) -> str:
        return self.name_fi

    @property
    def is_outside_eea(self) -> bool:
        """Tell whether the recipient is in a third country (a transfer, GDPR Chapter V)."""
        return str(self.country) not in EEA_COUNTRIES

    def name(self, language: str) -> str:
        """Return the name in one language ("" when not translated)."""
        return getattr(self, f"name_{language}", "").strip()

    def clean(self) -> None:
        if self.is_outside_eea and not self.safeguard:
            raise ValidationError(
                {
                    "safeguard": _(
                        "Valitse siirron suojatoimi: maa on EU:n ja ETA:n ulkopuolella "
                        "(%(article)s)."
                    )
                    % {"article": cite("45–47")}
                }
            )
        if not self.is_outside_eea and self.safeguard:
            raise ValidationError(
                {"safeguard": _("Suojatoimea ei tarvita, kun maa on EU:ssa tai ETA:ssa.")}
            )


def _pdf_path(instance: "StatementPdf", filename: str) -> str:
    return f"statements/{filename}"


class StatementPdf(models.Model):
    """A version's PDF in one language, rendered once and served from storage."""

    version = models.ForeignKey(
        StatementVersion,
        on_delete=models.PROTECT,
        related_name="pdfs",
        verbose_name=_("versio"),
    )
    language = models.CharField(_("kieli"), max_length=2, choices=settings.LANGUAGES)
    file = models.FileField(_("PDF"), upload_to=_pdf_path)
    sha256 = models.CharField(_("tiiviste"), max_length=64)
    size = models.PositiveIntegerField(_("koko (tavua)"))
    rendered_at = models.DateTimeField(_("muodostettu"), default=timezone.now)

    class Meta:
        verbose_name = _("selosteen PDF")
        verbose_name_plural = _("selosteen PDF:t")
        db_table = "privacy_statementpdf"
        constraints = [
            # One stored rendering per version and language: a repeat download never renders.
            models.UniqueConstraint(
                fields=["version", "language"], name="privacy_statementpdf_version_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"
