"""Consents (append-only events), marketing bans and the suppression list of hashed contacts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models.customer import Channel, Customer


class ConsentPurpose(models.TextChoices):
    """What a consent or ban is for."""

    DIRECT_MARKETING = "direct_marketing", _("suoramarkkinointi")
    NEWSLETTER = "newsletter", _("uutiskirje")
    PROFILING = "profiling", _("kohdennettu markkinointi ja profilointi")
    RESEARCH = "research", _("markkina- ja mielipidetutkimus")
    PARTNERS = "partners", _("yhteistyökumppanien markkinointi")


class ConsentEvent(models.Model):
    """One grant or withdrawal of consent; the history is never rewritten."""

    class Via(models.TextChoices):
        PORTAL = "portal", _("omat tiedot -palvelu")
        WEB_SHOP = "web_shop", _("verkkokauppa")
        API = "api", _("rajapinta")
        STAFF = "staff", _("asiakaspalvelu")
        # How a person told the staff, when staff record it (STAFF_VIAS).
        PHONE = "phone", _("puhelimitse")
        EMAIL = "email", _("sähköpostitse")
        LETTER = "letter", _("kirjeellä tai lomakkeella")
        IN_PERSON = "in_person", _("henkilökohtaisesti")
        IMPORT = "import", _("tuonti")
        # The signed opt-out link of a marketing message (customers.unsubscribe).
        LINK = "link", _("markkinointiviestin peruutuslinkki")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="consents", verbose_name=_("asiakas")
    )
    purpose = models.CharField(_("käyttötarkoitus"), max_length=20, choices=ConsentPurpose.choices)
    channel = models.CharField(_("kanava"), max_length=10, choices=Channel.choices)
    is_granted = models.BooleanField(_("suostumus annettu"))
    occurred_at = models.DateTimeField(_("aika"), default=timezone.now)
    via = models.CharField(_("annettu"), max_length=10, choices=Via.choices)
    statement_version = models.ForeignKey(
        "statement.StatementVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tietosuojaselosteen versio"),
        help_text=_("Versio, jonka asiakas näki antaessaan tai peruessaan suostumuksen."),
    )
    wording = models.CharField(_("pyynnön sanamuoto"), max_length=300, blank=True)
    evidence = models.CharField(
        _("todiste"),
        max_length=300,
        blank=True,
        db_default="",
        help_text=_(
            "Mistä suostumus tai sen peruminen näkyy, esimerkiksi puhelun aika, sähköpostiviestin "
            "päivämäärä tai lomakkeen tunniste."
        ),
    )
    # The staff member who recorded it, by user name as the audit log names actors: a plain
    # column, as a foreign key would lock and scan this big table on upgrade.
    recorded_by = models.CharField(_("kirjaaja"), max_length=150, blank=True, db_default="")

    class Meta:
        verbose_name = _("suostumustapahtuma")
        verbose_name_plural = _("suostumustapahtumat")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The current state of a consent is the latest event per purpose and channel.
            models.Index(
                fields=["customer", "purpose", "channel", "-occurred_at"], name="consent_latest_idx"
            ),
        ]

    def __str__(self) -> str:
        state = _("annettu") if self.is_granted else _("peruttu")
        return f"{self.get_purpose_display()} / {self.get_channel_display()}: {state}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            # Append-only: a consent's proof must never be rewritten (GDPR 7(1)).
            raise ValidationError(_("Suostumustapahtumaa ei voi muuttaa."))
        super().save(*args, **kwargs)


class ConsentWordingQuerySet(models.QuerySet):
    def texts(self, language: str) -> dict[tuple[str, str], str]:
        """Return {(purpose, channel): wording} in a language (Finnish where it has none)."""
        return {(w.purpose, w.channel): w.text(language) for w in self}


class ConsentWording(models.Model):
    """The exact words the portal asks a consent with, per purpose and channel (GDPR 7(1)).

    The register admin edits them; a consent recorded through the portal keeps the words the
    customer saw (ConsentEvent.wording), so a later edit never changes what an event says.
    """

    purpose = models.CharField(_("käyttötarkoitus"), max_length=20, choices=ConsentPurpose.choices)
    channel = models.CharField(_("kanava"), max_length=10, choices=Channel.choices)
    text_fi = models.CharField(
        _("sanamuoto (suomi)"),
        max_length=300,
        help_text=_(
            "Juuri nämä sanat asiakas näkee Kyllä/Ei-valinnan kohdalla käyttötarkoituksen "
            "otsikon alla (esim. ”Sähköposti” otsikon ”Tarjoukset ja uutiskirjeet meiltä” "
            "alla). Suostumukseen tallentuvat otsikko ja nämä sanat."
        ),
    )
    text_sv = models.CharField(_("sanamuoto (ruotsi)"), max_length=300, blank=True)
    text_en = models.CharField(_("sanamuoto (englanti)"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("muutettu"), auto_now=True)

    objects = ConsentWordingQuerySet.as_manager()

    class Meta:
        verbose_name = _("suostumuksen sanamuoto")
        verbose_name_plural = _("suostumusten sanamuodot")
        ordering = ["purpose", "channel"]
        constraints = [
            # One wording per switch of the portal's marketing page.
            models.UniqueConstraint(fields=["purpose", "channel"], name="consent_wording_switch"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} / {self.get_channel_display()}"

    def text(self, language: str) -> str:
        """Return the wording in a language, or the Finnish one where it has none."""
        return getattr(self, f"text_{language}", "").strip() or self.text_fi


# How a consent, withdrawal or ban a staff member records reached them: the person phoned,
# wrote, sent a form or came in. Recording one of these needs evidence (customers.services).
STAFF_VIAS = (
    ConsentEvent.Via.PHONE,
    ConsentEvent.Via.EMAIL,
    ConsentEvent.Via.LETTER,
    ConsentEvent.Via.IN_PERSON,
)


class BanScope(models.TextChoices):
    """The kinds of processing a person can forbid (GDPR 21, Tietosuojalaki)."""

    DIRECT_MARKETING = "direct_marketing", _("suoramarkkinointi")
    DISTANCE_SELLING = "distance_selling", _("etämyynti")
    RESEARCH = "research", _("markkina- ja mielipidetutkimus")
    PROFILING = "profiling", _("profilointi")
    PUBLICATION = "publication", _("julkaiseminen luetteloissa")


class BanChannel(models.TextChoices):
    ALL = "all", _("kaikki kanavat")
    EMAIL = "email", _("sähköposti")
    SMS = "sms", _("tekstiviesti")
    POST = "post", _("posti")
    PHONE = "phone", _("puhelin")


class MarketingBan(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="bans", verbose_name=_("asiakas")
    )
    channel = models.CharField(_("kanava"), max_length=10, choices=BanChannel.choices)
    scope = models.CharField(_("laajuus"), max_length=20, choices=BanScope.choices)
    created_at = models.DateTimeField(_("asetettu"), default=timezone.now)
    lifted_at = models.DateTimeField(_("poistettu"), null=True, blank=True)
    via = models.CharField(_("asetettu"), max_length=10, choices=ConsentEvent.Via.choices)
    statement_version = models.ForeignKey(
        "statement.StatementVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tietosuojaselosteen versio"),
        help_text=_("Versio, joka oli voimassa, kun asiakas asetti kiellon itse."),
    )

    class Meta:
        verbose_name = _("markkinointikielto")
        verbose_name_plural = _("markkinointikiellot")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "channel", "scope"],
                condition=Q(lifted_at__isnull=True),
                name="marketing_ban_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} / {self.get_channel_display()}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class SuppressionEntry(models.Model):
    """A hashed contact detail that must never be marketed to again; outlives erasure."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("sähköposti")
        PHONE = "phone", _("puhelin")
        ADDRESS = "address", _("postiosoite")

    kind = models.CharField(_("tyyppi"), max_length=10, choices=Kind.choices)
    value_hash = models.CharField(
        _("tiiviste"),
        max_length=64,
        help_text=_("HMAC-SHA256 normalisoidusta yhteystiedosta; itse tietoa ei tallenneta."),
    )
    created_at = models.DateTimeField(_("lisätty"), default=timezone.now)

    class Meta:
        verbose_name = _("estolistan merkintä")
        verbose_name_plural = _("estolista")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value_hash"], name="suppression_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value_hash[:12]}…"
