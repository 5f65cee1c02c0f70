"""Data-subject requests as tracked cases: the case, its history, corrections and notices."""

import uuid

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from customers.models import BanChannel, BanScope, Customer, Disclosure, Language
from privacy.citations import Style, cite_lazy, cited, with_citations

OPEN_STATUSES = ("received", "identity_verified", "in_progress")
CLOSED_STATUSES = ("completed", "refused", "withdrawn")

# The only moves a case may make. A refusal may come before identity is verified (Art. 12(6):
# the identity could not be established); completing needs a verified requester.
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"identity_verified", "refused", "withdrawn"}),
    "identity_verified": frozenset({"in_progress", "completed", "refused", "withdrawn"}),
    "in_progress": frozenset({"completed", "refused", "withdrawn"}),
    "completed": frozenset(),
    "refused": frozenset(),
    "withdrawn": frozenset(),
}


class DataSubjectRequestQuerySet(models.QuerySet):
    def open(self) -> "DataSubjectRequestQuerySet":
        """Return requests still waiting for a decision."""
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None) -> "DataSubjectRequestQuerySet":
        """Return open requests whose deadline has passed."""
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def awaiting_letter(self) -> "DataSubjectRequestQuerySet":
        """Return carried-out requests whose written decision has not yet been sent."""
        return self.filter(status="completed", decision_sent_at__isnull=True).exclude(
            decision_text=""
        )

    def in_work(self) -> "DataSubjectRequestQuerySet":
        """Return what staff still have to do: open requests and decisions not yet sent."""
        return self.filter(
            Q(status__in=OPEN_STATUSES)
            | Q(status="completed", decision_sent_at__isnull=True) & ~Q(decision_text="")
        )


class DataSubjectRequest(models.Model):
    """One request by a data subject to exercise a right of GDPR Art. 15–21."""

    class Kind(models.TextChoices):
        ACCESS = "access", cited(_("tarkastuspyyntö (%(article)s)"), "15")
        CORRECTION = "correction", cited(_("oikaisupyyntö (%(article)s)"), "16")
        ERASURE = "erasure", cited(_("poistopyyntö (%(article)s)"), "17")
        RESTRICTION = "restriction", cited(_("käsittelyn rajoittaminen (%(article)s)"), "18")
        PORTABILITY = "portability", cited(_("tietojen siirto (%(article)s)"), "20")
        OBJECTION = (
            "objection",
            cited(_("vastustaminen ja suoramarkkinointikielto (%(article)s)"), "21"),
        )

    class Channel(models.TextChoices):
        PORTAL = "portal", _("omat tiedot -palvelu")
        EMAIL = "email", _("sähköposti")
        LETTER = "letter", _("kirje")
        IN_PERSON = "in_person", _("henkilökohtaisesti")
        # Shopify's customers/data_request and customers/redact, from the shop's platform.
        WEB_SHOP = "web_shop", _("verkkokauppa-alusta")

    class Status(models.TextChoices):
        RECEIVED = "received", _("vastaanotettu")
        IDENTITY_VERIFIED = "identity_verified", _("henkilöllisyys todennettu")
        IN_PROGRESS = "in_progress", _("käsittelyssä")
        COMPLETED = "completed", _("toteutettu")
        REFUSED = "refused", _("hylätty")
        WITHDRAWN = "withdrawn", _("peruttu")

    class Verification(models.TextChoices):
        PORTAL_LOGIN = "portal_login", _("kirjautuminen omat tiedot -palveluun")
        EMAIL_ON_FILE = "email_on_file", _("vastaus rekisterissä olevaan sähköpostiosoitteeseen")
        ORDER_DETAILS = "order_details", _("tilaustietojen tarkistus")
        ID_DOCUMENT = "id_document", _("henkilöllisyystodistus")
        STRONG_AUTHENTICATION = "strong_auth", _("vahva sähköinen tunnistus")

    class RefusalReason(models.TextChoices):
        IDENTITY_NOT_VERIFIED = (
            "identity",
            cited(_("henkilöllisyyttä ei voitu todentaa (%(article)s)"), "12(6)"),
        )
        MANIFESTLY_UNFOUNDED = (
            "unfounded",
            cited(_("pyyntö on ilmeisen perusteeton (%(article)s)"), "12(5)"),
        )
        EXCESSIVE = (
            "excessive",
            cited(_("pyyntö on kohtuuton, erityisesti toistuva (%(article)s)"), "12(5)"),
        )
        LEGAL_OBLIGATION = (
            "legal_obligation",
            cited(
                _("lakisääteinen velvoite estää pyynnön toteuttamisen (%(article)s)"), "17(3)(b)"
            ),
        )
        LEGAL_CLAIMS = (
            "legal_claims",
            _("tiedot tarvitaan oikeusvaateen laatimiseen, esittämiseen tai puolustamiseen"),
        )
        NO_DATA = "no_data", _("rekisterissä ei ole pyynnön kohteena olevia tietoja")
        OTHER = "other", _("muu peruste")

    code = models.UUIDField(_("tunniste"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("pyynnön laji"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("saapumistapa"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(
        _("vastaanotettu"),
        default=timezone.now,
        help_text=with_citations(
            _("Määräaika lasketaan tästä hetkestä (%(article)s)."),
            article=cite_lazy("12(3)", style=Style.TEXT),
        ),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="privacy_requests",
        verbose_name=_("asiakas"),
        help_text=_("Tyhjä, kunnes pyytäjä on yhdistetty asiakkaaseen."),
    )
    requester_name = models.CharField(_("pyytäjän nimi"), max_length=200, blank=True)
    requester_contact = models.CharField(
        _("pyytäjän yhteystieto"),
        max_length=254,
        blank=True,
        help_text=_("Sähköposti, puhelin tai osoite sellaisena kuin pyytäjä sen antoi."),
    )
    description = models.TextField(_("pyynnön sisältö"), blank=True)
    language = models.CharField(
        _("asiointikieli"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_(
            "Kieli, jolla pyytäjä asioi; ratkaisu kirjoitetaan sillä. Tyhjä: asiakkaan "
            "asiointikieli."
        ),
    )
    ban_channel = models.CharField(
        _("kiellon kanava"), max_length=10, choices=BanChannel.choices, blank=True
    )
    ban_scope = models.CharField(
        _("kiellon laajuus"), max_length=20, choices=BanScope.choices, blank=True
    )
    status = models.CharField(
        _("tila"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    verification_method = models.CharField(
        _("henkilöllisyyden todentamistapa"),
        max_length=20,
        choices=Verification.choices,
        blank=True,
        help_text=_("Lisätietoja pyydetään vain, jos henkilöllisyydestä on perusteltua epäilyä."),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("todentaja"),
    )
    verified_at = models.DateTimeField(_("todennettu"), null=True, blank=True)
    due_date = models.DateField(
        _("määräpäivä"), help_text=_("Kuukausi vastaanotosta, jatkettuna enintään kaksi kuukautta.")
    )
    extension_months = models.PositiveSmallIntegerField(_("jatkoaika (kk)"), default=0)
    extension_reason = models.TextField(_("jatkoajan peruste"), blank=True)
    extension_notified_on = models.DateField(_("jatkoajasta ilmoitettu"), null=True, blank=True)
    refusal_reason = models.CharField(
        _("hylkäyksen peruste"), max_length=20, choices=RefusalReason.choices, blank=True
    )
    refusal_details = models.TextField(_("hylkäyksen perustelut"), blank=True)
    decision_text = models.TextField(
        _("kirjallinen ratkaisu"),
        blank=True,
        help_text=_("Pyytäjälle annettu ratkaisu sellaisena kuin se annettiin."),
    )
    decided_at = models.DateTimeField(_("ratkaistu"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ratkaisija"),
    )
    decision_recipient = models.CharField(
        _("ratkaisun vastaanottaja"),
        max_length=254,
        blank=True,
        db_default="",
        help_text=_(
            "Osoite, johon ratkaisu lähetetään, luettuna ennen kuin pyynnön toteutus poisti sen; "
            "tyhjennetään, kun ratkaisu on lähetetty."
        ),
    )
    decision_sent_at = models.DateTimeField(_("ratkaisu lähetetty"), null=True, blank=True)
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)

    objects = DataSubjectRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("tietosuojapyyntö")
        verbose_name_plural = _("tietosuojapyynnöt")
        db_table = "privacy_datasubjectrequest"
        ordering = ["due_date", "received_at"]
        constraints = [
            # Art. 12(3): at most two further months.
            models.CheckConstraint(
                condition=Q(extension_months__lte=2), name="dsr_extension_at_most_two_months"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="dsr_refusal_has_reason",
            ),
            # Only a verified requester's request is carried out (Art. 12(2) and 12(6)).
            models.CheckConstraint(
                condition=~Q(status="completed")
                | Q(customer__isnull=False, verified_at__isnull=False),
                name="dsr_completed_is_verified",
            ),
            # Every closed case says when it was decided: the deadline is judged by it.
            models.CheckConstraint(
                condition=Q(status__in=OPEN_STATUSES) | Q(decided_at__isnull=False),
                name="dsr_closed_has_decision_time",
            ),
        ]
        indexes = [
            # The staff queue: open requests by deadline.
            models.Index(fields=["status", "due_date"], name="dsr_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def reference(self) -> str:
        """Return the short reference quoted in letters."""
        return f"TS-{self.received_at:%Y}-{str(self.code)[:8].upper()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Return whether the case is still open after its deadline."""
        return self.is_open and self.due_date < timezone.localdate()

    def can_move_to(self, status: str) -> bool:
        """Return whether the case may move from its status to `status`."""
        return status in TRANSITIONS[self.status]


class RequestEvent(models.Model):
    """One step in a request's history; the history is never rewritten."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("vastaanotettu")
        LINKED = "linked", _("yhdistetty asiakkaaseen")
        IDENTITY_VERIFIED = "identity_verified", _("henkilöllisyys todennettu")
        STARTED = "started", _("käsittely aloitettu")
        EXTENDED = "extended", _("määräaikaa jatkettu")
        CORRECTION_PROPOSED = "correction_proposed", _("oikaisu ehdotettu")
        CORRECTION_DECIDED = "correction_decided", _("oikaisu ratkaistu")
        CORRECTIONS_APPLIED = "corrections_applied", _("oikaisut tehty")
        RECIPIENTS_NOTIFIED = (
            "recipients_notified",
            cited(_("vastaanottajille ilmoitettu (%(article)s)"), "19"),
        )
        ACCESS_PACKAGE = "access_package", _("tietopaketti muodostettu")
        ERASED = "erased", _("tiedot poistettu")
        BAN_SET = "ban_set", _("markkinointikielto asetettu")
        RESTRICTED = "restricted", _("käsittely rajoitettu")
        RESTRICTION_LIFTED = "restriction_lifted", _("rajoitus poistettu")
        COMPLETED = "completed", _("toteutettu")
        REFUSED = "refused", _("hylätty")
        WITHDRAWN = "withdrawn", _("peruttu")
        DECISION_SENT = "decision_sent", _("ratkaisu lähetetty")

    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("pyyntö"),
    )
    kind = models.CharField(_("tapahtuma"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("aika"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tekijä"),
    )
    message = models.TextField(_("selite"), blank=True)

    class Meta:
        verbose_name = _("pyynnön tapahtuma")
        verbose_name_plural = _("pyynnön tapahtumat")
        db_table = "privacy_requestevent"
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        # Shown to staff beside each event: the shop's time, as the rest of the panel shows it.
        when = formats.date_format(timezone.localtime(self.occurred_at), "SHORT_DATETIME_FORMAT")
        return f"{when} {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            # Append-only: the history proves how the request was handled (GDPR 5(2)).
            raise ValidationError(_("Pyynnön tapahtumaa ei voi muuttaa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Pyynnön tapahtumaa ei voi poistaa."))


class CorrectionItem(models.Model):
    """A proposed change to one field of a customer's details (GDPR Art. 16)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("ehdotettu")
        APPROVED = "approved", _("hyväksytty")
        REJECTED = "rejected", _("hylätty")
        APPLIED = "applied", _("korjattu")

    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("pyyntö"),
    )
    field_name = models.CharField(_("kenttä"), max_length=50)
    old_value = models.TextField(_("vanha arvo"), blank=True)
    new_value = models.TextField(_("uusi arvo"), blank=True)
    reason = models.TextField(_("perustelu"), blank=True)
    state = models.CharField(
        _("tila"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    decision_reason = models.TextField(_("ratkaisun perustelu"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ratkaisija"),
    )
    decided_at = models.DateTimeField(_("ratkaistu"), null=True, blank=True)
    applied_at = models.DateTimeField(_("korjattu"), null=True, blank=True)

    class Meta:
        verbose_name = _("oikaisu")
        verbose_name_plural = _("oikaisut")
        db_table = "privacy_correctionitem"
        ordering = ["id"]

    def __str__(self) -> str:
        try:
            label = Customer._meta.get_field(self.field_name).verbose_name
        except FieldDoesNotExist:
            label = self.field_name
        return f"{label}: {self.get_state_display()}"


class RecipientNotification(models.Model):
    """A recipient to be told of a correction, erasure or restriction (GDPR Art. 19).

    Listed for a request, or without one for a change the customer made to their own details in
    the portal: that change is no case, yet the recipients of the old value must still be told.
    """

    # Empty for a customer's own change (rights.corrections.change_own_details).
    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("pyyntö"),
    )
    # Nullable only for rows the previous release inserts during an upgrade's migrate.
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        null=True,
        related_name="recipient_notifications",
        verbose_name=_("asiakas"),
    )
    listed_at = models.DateTimeField(_("kirjattu"), default=timezone.now, db_default=Now())
    disclosure = models.ForeignKey(
        Disclosure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("luovutus"),
    )
    recipient = models.CharField(_("vastaanottaja"), max_length=200)
    fields = models.JSONField(_("muuttuneet tiedot"), default=list)
    notified_at = models.DateTimeField(_("ilmoitettu"), null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ilmoittaja"),
    )
    method = models.CharField(_("ilmoitustapa"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ilmoitus vastaanottajalle")
        verbose_name_plural = _("ilmoitukset vastaanottajille")
        db_table = "privacy_recipientnotification"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.recipient
