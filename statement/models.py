"""The controller, the statement's hand-written draft and recipients, published versions, PDFs.

The data-content, purposes and retention sections are not stored here: they are generated from
the personal-data declaration when a version is published (statement.publishing).

The tables keep the names they had when these models lived in the privacy app.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from privacy import vocabulary
from privacy.citations import cite, cited
from privacy.dates import date_text
from privacy.declaration import Basis, Purpose, Retention
from statement.purpose_catalogue import CATALOGUE, DEFAULT_CATEGORIES, catalogue_choices

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

    snapshot = models.JSONField(
        _("julkaistut valinnat"),
        default=dict,
        db_default={},
        help_text=_(
            "Version aikaan voimassa olevat valinnat: säilytysajat, käytöstä poistetut "
            "tarkoitukset ja rekisterin ulkopuolella pidetyt tiedot kielittäin."
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
            "date": date_text(timezone.localdate(self.published_at)),
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

    @property
    def languages(self) -> tuple[str, ...]:
        """Return the languages this version was published in (Finnish first)."""
        return tuple(lang for lang in STATEMENT_LANGUAGES if self.rendered_html.get(lang))


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


def _fingerprint(text: str) -> str:
    """Identify a Finnish text a translation was written for (not the text itself)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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
    serves_swedish = models.BooleanField(
        _("seloste ruotsiksi"),
        default=True,
        db_default=True,
        help_text=_("Seloste julkaistaan aina suomeksi; ruotsi ja englanti ovat valinnaisia."),
    )
    serves_english = models.BooleanField(_("seloste englanniksi"), default=True, db_default=True)
    translated_from = models.JSONField(
        _("käännösten suomenkielinen pohja"),
        default=dict,
        db_default={},
        blank=True,
        help_text=_(
            "Kunkin käännöksen kohdalla tunniste suomenkielisestä tekstistä, jolle se on "
            "kirjoitettu: {kieli: {osa: tunniste}}."
        ),
    )
    purposes_off = models.JSONField(
        _("käsittelyn tarkoitukset, joita kauppa ei käytä"),
        default=list,
        db_default=[],
        blank=True,
        help_text=_(
            "Valinnaiset käsittelyn tarkoitukset, jotka kauppa on poistanut käytöstä; seloste ei "
            "kerro niistä, eikä rekisteri käsittele tietoja niihin."
        ),
    )
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
        """Set one part's text in one language (not saved).

        Finnish is the source of truth: a translation remembers the Finnish text it was written
        for (`translated_from`), so that when the Finnish text changes afterwards — edited, an
        old promise dropped, a statement imported — the translation is outdated until it is
        rewritten or confirmed (`translation_outdated`, `confirm_translations`).
        """
        part, value = str(part), value.strip()
        old = self.text(part, language)
        if value != old:
            if language == "fi":
                for translated in STATEMENT_LANGUAGES[1:]:
                    if self.text(part, translated):
                        written_for = self.translated_from.setdefault(translated, {})
                        written_for.setdefault(part, _fingerprint(old))
            elif value:
                self._written_for_finnish(part, language)
            else:
                (self.translated_from.get(language) or {}).pop(part, None)
        self.texts.setdefault(language, {})[part] = value

    def _written_for_finnish(self, part: str, language: str) -> None:
        fingerprint = _fingerprint(self.text(part, "fi"))
        self.translated_from.setdefault(language, {})[part] = fingerprint

    def translation_outdated(self, part: str, language: str) -> bool:
        """Return whether the part's translation was written for an earlier Finnish text."""
        written_for = (self.translated_from.get(language) or {}).get(str(part))
        finnish = self.text(part, "fi")
        return bool(written_for and finnish and self.text(part, language)) and (
            written_for != _fingerprint(finnish)
        )

    def confirm_translations(self, part: str) -> None:
        """Record that the part's translations say what its Finnish text says (not saved)."""
        for language in STATEMENT_LANGUAGES[1:]:
            if self.text(part, language):
                self._written_for_finnish(str(part), language)

    def languages(self) -> tuple[str, ...]:
        """Return the languages the shop publishes its statement in: Finnish, then its choices."""
        served = {"fi": True, "sv": self.serves_swedish, "en": self.serves_english}
        return tuple(language for language in STATEMENT_LANGUAGES if served[language])

    def translations(self) -> tuple[str, ...]:
        """Return the served languages besides Finnish: completeness checks translations in them."""
        return self.languages()[1:]


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


class TranslatedText:
    """Texts kept in one column per statement language (`name_fi`, `name_sv`, `name_en`)."""

    def text(self, field: str, language: str) -> str:
        """Return a text in one language, or the Finnish one when it is not translated."""
        value = getattr(self, f"{field}_{language}", "").strip()
        return value or getattr(self, f"{field}_fi", "").strip()

    def lazy_text(self, field: str) -> Promise:
        """Return the text as a lazy string that reads the active language when shown."""
        return lazy(lambda: self.text(field, (get_language() or "fi")[:2]), str)()

    def untranslated(self, fields: tuple[str, ...], languages: tuple[str, ...]) -> list[str]:
        """Return the languages in which some field written in Finnish is left untranslated."""
        return [
            language
            for language in languages
            if any(
                getattr(self, f"{field}_fi", "").strip()
                and not getattr(self, f"{field}_{language}", "").strip()
                for field in fields
            )
        ]


def _text_columns(label, *, long: bool = False) -> dict[str, models.Field]:
    """Return a text's Finnish, Swedish and English columns (only Finnish may be required).

    The staff panel explains them once per row of three (the inline's fieldset description).
    """
    columns = {}
    for language, suffix in (("fi", _("suomi")), ("sv", _("ruotsi")), ("en", _("englanti"))):
        name = format_lazy("{} ({})", label, suffix)
        if long:
            columns[language] = models.TextField(name, blank=True)
        else:
            columns[language] = models.CharField(name, max_length=200, blank=True)
    return columns


class ShopPurpose(TranslatedText, models.Model):
    """A purpose the shop processes data for: a catalogue entry it enables, or its own.

    The statement lists these beside the purposes the declaration's fields use (GDPR 13(1)(c)).
    An own purpose is written in each language the statement is served in, with its legal basis,
    the legitimate interest when the basis is 6(1)(f) and the 13(2)(e) text.
    """

    draft = models.ForeignKey(
        StatementDraft, on_delete=models.CASCADE, related_name="purposes", verbose_name=_("luonnos")
    )
    catalogue_key = models.CharField(
        _("valmis tarkoitus"),
        max_length=40,
        blank=True,
        choices=catalogue_choices,
        help_text=_(
            "Valitse valmiista luettelosta, tai jätä tyhjäksi ja kirjoita oma tarkoitus alle."
        ),
    )
    name_fi, name_sv, name_en = _text_columns(_("oma tarkoitus")).values()
    basis = models.CharField(_("oikeusperuste"), max_length=1, blank=True, choices=Basis.choices)
    (
        legitimate_interest_fi,
        legitimate_interest_sv,
        legitimate_interest_en,
    ) = _text_columns(_("oikeutettu etu"), long=True).values()
    description_fi, description_sv, description_en = _text_columns(
        _("onko tietojen antaminen pakollista"), long=True
    ).values()
    # Keys of the declared categories (privacy.vocabulary) the purpose uses: the statement names
    # the purpose with them and the access package with the customer's own (issue 20).
    categories = models.JSONField(
        _("käytettävät tietoryhmät"),
        default=list,
        db_default=[],
        blank=True,
        help_text=_(
            "Rastita rekisterin tietoryhmät, joita tähän tarkoitukseen käytetään. Valmiille "
            "tarkoitukselle on valittu tavalliset ryhmät; muuta niitä tarvittaessa."
        ),
    )
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)

    class Meta:
        verbose_name = _("käsittelyn tarkoitus")
        verbose_name_plural = _("käsittelyn tarkoitukset")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "catalogue_key"],
                condition=~Q(catalogue_key=""),
                name="shop_purpose_catalogue_once",
            ),
        ]

    TEXT_FIELDS = ("name", "legitimate_interest", "description")

    def __str__(self) -> str:
        return str(self.purpose().label)

    def purpose(self) -> Purpose:
        """Return the purpose as the statement lists it (the catalogue's entry, or the shop's)."""
        if self.catalogue_key in CATALOGUE:
            return CATALOGUE[self.catalogue_key]
        return Purpose(
            f"shop_{self.pk}",
            self.lazy_text("name"),
            Basis(self.basis or Basis.LEGITIMATE_INTEREST),
            legitimate_interest=self.lazy_text("legitimate_interest")
            if self.legitimate_interest_fi.strip()
            else None,
            requirement=self.lazy_text("description") if self.description_fi.strip() else None,
        )

    def clean(self) -> None:
        if self.catalogue_key and self.name_fi.strip():
            raise ValidationError(
                {"name_fi": _("Valitse valmis tarkoitus tai kirjoita oma, ei molempia.")}
            )
        if not self.catalogue_key and not self.name_fi.strip():
            raise ValidationError(
                {"name_fi": _("Valitse valmis tarkoitus tai kirjoita oma tarkoitus suomeksi.")}
            )
        if not self.catalogue_key and not self.basis:
            raise ValidationError({"basis": _("Valitse oman tarkoituksen oikeusperuste.")})
        self._clean_categories()

    def save(self, *args, **kwargs) -> None:
        # A catalogue purpose enabled with no categories picked starts with its usual ones.
        if self._state.adding and not self.categories:
            self.categories = list(DEFAULT_CATEGORIES.get(self.catalogue_key, ()))
        super().save(*args, **kwargs)

    def _clean_categories(self) -> None:
        """Refuse a category the draft leaves wholly out of use: its text must not come back."""
        from statement.purposes import categories_in_use  # statement.purposes imports this

        in_use = categories_in_use(self.draft) if self.draft_id else {}
        every = categories_in_use(None)
        for key in self.categories or ():
            if key not in every:
                raise ValidationError({"categories": _("Tuntematon tietoryhmä.")})
            if key not in in_use:
                raise ValidationError(
                    {
                        "categories": _(
                            "Tietoryhmää ”%(category)s” ei voi valita: kauppa on poistanut "
                            "käytöstä kaikki tarkoitukset, joihin sen tietoja käytetään, joten "
                            "seloste ei kerro siitä. Ota jokin niistä käyttöön tai jätä ryhmä "
                            "valitsematta."
                        )
                        % {"category": every[key].label}
                    }
                )


def _sources() -> list[tuple[str, object]]:
    return [
        (source.key, source.label)
        for source in vars(vocabulary).values()
        if isinstance(source, vocabulary.Source)
    ]


class OutsideCategory(TranslatedText, models.Model):
    """Personal data the shop holds outside this register: web analytics, a paper archive, a list.

    The database's fields are declared in code (privacy.declaration); this is what the code cannot
    see. The statement names it with where it is held, its purposes and how long it is kept, and
    the access package tells the customer to ask for it.
    """

    draft = models.ForeignKey(
        StatementDraft,
        on_delete=models.CASCADE,
        related_name="outside_categories",
        verbose_name=_("luonnos"),
    )
    name_fi, name_sv, name_en = _text_columns(_("tietoryhmä")).values()
    description_fi, description_sv, description_en = _text_columns(
        _("mitä tiedot ovat"), long=True
    ).values()
    held_in_fi, held_in_sv, held_in_en = _text_columns(_("missä tietoja pidetään")).values()
    purposes = models.ManyToManyField(
        ShopPurpose,
        blank=True,
        related_name="outside_categories",
        verbose_name=_("tarkoitukset"),
        help_text=_("Tallenna uusi tarkoitus ensin, niin voit valita sen tässä."),
    )
    source = models.CharField(
        _("tietolähde"), max_length=20, choices=_sources, default=vocabulary.FROM_CUSTOMER.key
    )
    # RESTRICT: a source an outside category names is not deleted from under it, but deleting
    # the draft takes both.
    shop_source = models.ForeignKey(
        "ShopSource",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="outside_categories",
        verbose_name=_("oma tietolähde"),
        help_text=_(
            "Jos tiedot saadaan luonnoksen omasta tietolähteestä, valitse se: se korvaa "
            "tietolähteen valinnan. Tallenna uusi tietolähde ensin, niin voit valita sen tässä."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("säilytysaika kuukausina"), null=True, blank=True
    )
    retention_fi, retention_sv, retention_en = _text_columns(_("säilytysaika sanoin")).values()
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)

    class Meta:
        verbose_name = _("rekisterin ulkopuolella pidetty tietoryhmä")
        verbose_name_plural = _("rekisterin ulkopuolella pidetyt tiedot")
        ordering = ["position", "pk"]

    TEXT_FIELDS = ("name", "description", "held_in", "retention")

    def __str__(self) -> str:
        return self.name_fi

    def source_label(self, language: str = "") -> str:
        """Return where the data comes from: the shop's own source, or a declared one."""
        if self.shop_source_id:
            return self.shop_source.text("name", language or (get_language() or "fi")[:2])
        return str(dict(_sources()).get(self.source, ""))

    def clean(self) -> None:
        if self.shop_source_id and self.shop_source.draft_id != self.draft_id:
            raise ValidationError({"shop_source": _("Valitse luonnoksen oma tietolähde.")})
        if self.retention_months is None and not self.retention_fi.strip():
            raise ValidationError(
                {"retention_months": _("Kerro säilytysaika kuukausina tai sanoin.")}
            )


class ShopSource(TranslatedText, models.Model):
    """A regular source the shop gets data from besides the customer (GDPR 14(2)(f)).

    E.g. the population register's address updates, the ASML restriction lists, a previous
    register: the statement lists them after the sources the declaration names.
    """

    draft = models.ForeignKey(
        StatementDraft, on_delete=models.CASCADE, related_name="sources", verbose_name=_("luonnos")
    )
    name_fi, name_sv, name_en = _text_columns(_("tietolähde")).values()
    position = models.PositiveSmallIntegerField(_("järjestys"), default=0)

    class Meta:
        verbose_name = _("tietolähde")
        verbose_name_plural = _("muut tietolähteet")
        ordering = ["position", "pk"]

    TEXT_FIELDS = ("name",)

    def __str__(self) -> str:
        return self.name_fi

    def clean(self) -> None:
        if not self.name_fi.strip():
            raise ValidationError({"name_fi": _("Kirjoita tietolähde suomeksi.")})


def choosable_rules() -> dict[str, Retention]:
    """Return the declared retention rules whose period the shop may choose, by key."""
    return {
        rule.key: rule
        for rule in vars(vocabulary).values()
        if isinstance(rule, Retention) and rule.choice_months
    }


def _rule_choices() -> list[tuple[str, object]]:
    return [(key, rule.choice_label) for key, rule in choosable_rules().items()]


class RetentionChoice(models.Model):
    """The period the shop chose for a rule that allows a choice, within the rule's bounds.

    The statement states it and the retention sweep enforces it, from the version in force
    (statement.choices).
    """

    draft = models.ForeignKey(
        StatementDraft,
        on_delete=models.CASCADE,
        related_name="retention_choices",
        verbose_name=_("luonnos"),
    )
    rule = models.CharField(_("säilytyssääntö"), max_length=40, choices=_rule_choices)
    months = models.PositiveSmallIntegerField(_("säilytysaika kuukausina"))

    class Meta:
        verbose_name = _("valittu säilytysaika")
        verbose_name_plural = _("valitut säilytysajat")
        constraints = [
            models.UniqueConstraint(fields=["draft", "rule"], name="retention_choice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.months}"

    def clean(self) -> None:
        rule = choosable_rules().get(self.rule)
        if rule is None or self.months is None:
            return
        shortest, longest = rule.choice_months
        if not shortest <= self.months <= longest:
            raise ValidationError(
                {
                    "months": _(
                        "Tälle tiedolle voi valita %(shortest)s–%(longest)s kuukautta: lyhyempää "
                        "tai pidempää laki tai rekisterin toiminta ei salli."
                    )
                    % {"shortest": shortest, "longest": longest}
                }
            )
