"""The customer register: customers, orders, deliveries, consents, bans and notes.

Every field here is declared in `customers/personal_data.py`; the `privacy.E00x` system checks
fail when one is not.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers import validators as v


class Language(models.TextChoices):
    FINNISH = "fi", _("suomi")
    SWEDISH = "sv", _("ruotsi")
    ENGLISH = "en", _("englanti")


class Channel(models.TextChoices):
    """A way of contacting a person for marketing."""

    EMAIL = "email", _("sähköposti")
    SMS = "sms", _("tekstiviesti")
    POST = "post", _("posti")
    PHONE = "phone", _("puhelin")


# Numbers looked up per query when allocating or matching many customers at once.
LOOKUP_CHUNK = 10_000


class CustomerQuerySet(models.QuerySet):
    def filter_in(self, column: str, values: list[str]) -> "CustomerQuerySet":
        """Return the customers whose column is one of the values.

        The same as `filter(<column>__in=values)`; on PostgreSQL one array parameter
        (`= ANY(%s)`) instead of thousands of IN placeholders, so the query is parsed and planned
        in milliseconds rather than seconds.
        """
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return self.filter(**{f"{column}__in": values})
        name = connection.ops.quote_name(self.model._meta.get_field(column).column)
        # The column's name from the model, the values as one parameter.
        condition = RawSQL(f"{name} = ANY(%s)", [values], output_field=models.BooleanField())  # noqa: S611
        return self.filter(condition)

    def allocate_numbers(self, count: int) -> list[str]:
        """Return `count` new customer numbers, distinct and not yet in the register.

        The one place numbers are made: a new customer, an import, an erasure (which gives the
        anonymised row a number nobody knows) all take theirs here.
        """
        numbers: set[str] = set()
        while len(numbers) < count:
            fresh = {v.new_customer_number() for _ in range(count - len(numbers))} - numbers
            candidates = list(fresh)
            taken: set[str] = set()
            for i in range(0, len(candidates), LOOKUP_CHUNK):
                chunk = candidates[i : i + LOOKUP_CHUNK]
                taken.update(
                    self.model._default_manager.filter_in("number", chunk).values_list(
                        "number", flat=True
                    )
                )
            numbers |= fresh - taken
        return list(numbers)

    def active(self) -> "CustomerQuerySet":
        """Return customers that have not been erased."""
        return self.filter(erased_at__isnull=True)

    def marketable(self, channel: str, *, basis=None, today=None) -> "CustomerQuerySet":
        """Return customers who may be marketed to through a channel: the whole rule, in SQL.

        See customers.marketing.marketable: consent or the existing-customer exception, bans,
        the suppression list, restriction lists, restriction, erasure and age.
        """
        # Here, not at the top: the marketing rules query these models (a cycle within the app).
        from customers.marketing import marketable

        return marketable(self, channel, basis=basis, today=today)


class Customer(models.Model):
    class Source(models.TextChoices):
        REGISTRATION = "registration", _("rekisteröityminen")
        ORDER = "order", _("tilaus")
        NEWSLETTER = "newsletter", _("uutiskirjeen tilaus")
        GIFT_CARD = "gift_card", _("lahjakortin lunastus")
        IMPORT = "import", _("tuonti")
        CUSTOMER_SERVICE = "customer_service", _("asiakaspalvelu")

    code = models.UUIDField(_("julkinen tunniste"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(
        _("asiakasnumero"),
        max_length=9,
        unique=True,
        editable=False,
        validators=[v.validate_customer_number],
        help_text=_("Yhdeksän numeroa; viimeinen on tarkistenumero."),
    )
    external_id = models.CharField(
        _("verkkokaupan tunniste"),
        max_length=100,
        blank=True,
        help_text=_("Asiakkaan tunniste verkkokaupan omassa järjestelmässä."),
    )
    first_name = models.CharField(_("etunimi"), max_length=100, blank=True)
    last_name = models.CharField(_("sukunimi"), max_length=100, blank=True)
    street_address = models.CharField(_("katuosoite"), max_length=200, blank=True)
    postal_code = models.CharField(_("postinumero"), max_length=10, blank=True)
    post_office = models.CharField(_("postitoimipaikka"), max_length=100, blank=True)
    country = models.CharField(
        _("maa"), max_length=2, default="FI", help_text=_("Kaksikirjaiminen maakoodi, esim. FI.")
    )
    phone = models.CharField(
        _("matkapuhelin"),
        max_length=16,
        blank=True,
        help_text=_("Esim. 040 123 4567 tai +358 40 123 4567."),
    )
    email = models.EmailField(_("sähköpostiosoite"), max_length=254, blank=True)
    company = models.CharField(_("yritys"), max_length=200, blank=True)
    business_id = models.CharField(
        _("Y-tunnus"), max_length=9, blank=True, help_text=_("Muodossa 1234567-8.")
    )
    preferred_language = models.CharField(
        _("asiointikieli"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )
    birth_date = models.DateField(_("syntymäaika"), null=True, blank=True)
    profession = models.CharField(_("ammatti"), max_length=100, blank=True)
    interests = models.TextField(_("kiinnostuksen kohteet"), blank=True)
    source = models.CharField(
        _("tietolähde"), max_length=20, choices=Source.choices, default=Source.REGISTRATION
    )
    is_restricted = models.BooleanField(
        _("käsittelyä rajoitettu"),
        default=False,
        help_text=_(
            "Rajoitettua asiakasta ei käytetä markkinointiin eikä muuhun kuin välttämättömään "
            "käsittelyyn (GDPR 18 art.)."
        ),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("muokattu"), auto_now=True)
    last_activity_at = models.DateTimeField(_("viimeisin asiointi"), default=timezone.now)
    erased_at = models.DateTimeField(_("poistettu"), null=True, blank=True, editable=False)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("asiakas")
        verbose_name_plural = _("asiakkaat")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[1-9][0-9]{8}$"), name="customer_number_format"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="customer_email_unique"
            ),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="customer_email_lower"),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^\+[1-9][0-9]{6,14}$"),
                name="customer_phone_e164",
            ),
            models.CheckConstraint(
                condition=~Q(country="FI")
                | Q(postal_code="")
                | Q(postal_code__regex=r"^[0-9]{5}$"),
                name="customer_postal_code_fi",
            ),
            models.CheckConstraint(
                condition=Q(business_id="") | Q(business_id__regex=r"^[0-9]{7}-[0-9]$"),
                name="customer_business_id_format",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="customer_external_id"
            ),
        ]
        indexes = [
            # Staff look customers up by exact phone number.
            models.Index(fields=["phone"], name="customer_phone_idx"),
            # Surname (and surname + first name) lookups and the list sorted by name.
            models.Index(fields=["last_name", "first_name"], name="customer_name_idx"),
            # The default list order.
            models.Index(fields=["-created_at"], name="customer_created_idx"),
            # The retention sweep finds customers inactive for the configured period.
            models.Index(fields=["last_activity_at"], name="customer_activity_idx"),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip() or _("(nimetön)")
        return f"{name} ({v.format_customer_number(self.number)})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def formatted_number(self) -> str:
        return v.format_customer_number(self.number)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        for field in v.FIELD_NORMALISERS:
            try:
                setattr(self, field, v.normalise_field(field, getattr(self, field), self.country))
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.messages)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        # Normalise only this row's own fields; validation proper happens in clean() and
        # the database constraints.
        self.email = (self.email or "").strip().lower()
        self.country = (self.country or "FI").upper()
        if not self.number:
            self.number = type(self).objects.allocate_numbers(1)[0]
        super().save(*args, **kwargs)


class Order(models.Model):
    # The invoice and delivery details as the order was placed (a snapshot, not a link to the
    # customer's current details): the API, the erasure plan and the demo seed read these.
    BILLING_FIELDS = (
        "billing_name",
        "billing_street",
        "billing_postal_code",
        "billing_post_office",
        "billing_email",
        "billing_phone",
    )
    DELIVERY_FIELDS = (
        "delivery_name",
        "delivery_street",
        "delivery_postal_code",
        "delivery_post_office",
        "delivery_country",
    )

    class Status(models.TextChoices):
        NEW = "new", _("uusi")
        PAID = "paid", _("maksettu")
        SHIPPED = "shipped", _("toimitettu")
        CANCELLED = "cancelled", _("peruttu")
        RETURNED = "returned", _("palautettu")

    class InvoiceState(models.TextChoices):
        NONE = "none", _("ei laskua")
        OPEN = "open", _("avoin lasku")
        PAID = "paid", _("maksettu")
        COLLECTION = "collection", _("perinnässä")
        CREDIT_LOSS = "credit_loss", _("luottotappio")

    code = models.UUIDField(_("julkinen tunniste"), default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("asiakas")
    )
    number = models.CharField(_("tilausnumero"), max_length=30, unique=True)
    external_id = models.CharField(_("verkkokaupan tunniste"), max_length=100, blank=True)
    ordered_at = models.DateTimeField(_("tilattu"), default=timezone.now)
    status = models.CharField(_("tila"), max_length=12, choices=Status.choices, default=Status.NEW)
    invoice_state = models.CharField(
        _("laskun tila"), max_length=12, choices=InvoiceState.choices, default=InvoiceState.NONE
    )
    billing_name = models.CharField(_("laskutusnimi"), max_length=200, blank=True)
    billing_street = models.CharField(_("laskutusosoite"), max_length=200, blank=True)
    billing_postal_code = models.CharField(_("laskutuksen postinumero"), max_length=10, blank=True)
    billing_post_office = models.CharField(
        _("laskutuksen postitoimipaikka"), max_length=100, blank=True
    )
    billing_email = models.EmailField(_("laskutussähköposti"), blank=True)
    billing_phone = models.CharField(_("laskutuspuhelin"), max_length=16, blank=True)
    delivery_name = models.CharField(_("toimitusnimi"), max_length=200, blank=True)
    delivery_street = models.CharField(_("toimitusosoite"), max_length=200, blank=True)
    delivery_postal_code = models.CharField(_("toimituksen postinumero"), max_length=10, blank=True)
    delivery_post_office = models.CharField(
        _("toimituksen postitoimipaikka"), max_length=100, blank=True
    )
    delivery_country = models.CharField(_("toimitusmaa"), max_length=2, default="FI")
    customer_note = models.TextField(_("asiakkaan viesti"), blank=True)
    total_net = models.DecimalField(
        _("veroton summa"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    total_vat = models.DecimalField(
        _("arvonlisävero"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    total_gross = models.DecimalField(
        _("verollinen summa"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tilaus")
        verbose_name_plural = _("tilaukset")
        ordering = ["-ordered_at"]
        constraints = [
            # Within half a cent: SQLite compares decimals as floating point.
            models.CheckConstraint(
                condition=Q(total_gross__gte=F("total_net") + F("total_vat") - Decimal("0.005"))
                & Q(total_gross__lte=F("total_net") + F("total_vat") + Decimal("0.005")),
                name="order_total_adds_up",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="order_external_id"
            ),
        ]
        indexes = [
            # A customer's orders, newest first (customer page, portal, access export).
            models.Index(fields=["customer", "-ordered_at"], name="order_customer_idx"),
            # The retention sweep finds orders past their accounting retention.
            models.Index(fields=["ordered_at"], name="order_ordered_at_idx"),
        ]

    def __str__(self) -> str:
        return str(self.number)

    def recalculate_totals(self) -> None:
        """Set the order's totals from its lines (one query)."""
        net = vat = Decimal("0.00")
        for line in self.lines.all():
            net += line.total_net
            vat += line.total_vat
        self.total_net, self.total_vat, self.total_gross = net, vat, net + vat


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("tilaus")
    )
    product_name = models.CharField(_("tuote"), max_length=200)
    sku = models.CharField(_("tuotekoodi"), max_length=50, blank=True)
    quantity = models.PositiveIntegerField(_("määrä"), default=1)
    unit_price_net = models.DecimalField(_("veroton yksikköhinta"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(
        _("ALV-prosentti"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("25.5"),
        help_text=_("Esim. 25,5, 14, 13,5, 10 tai 0."),
    )

    class Meta:
        verbose_name = _("tilausrivi")
        verbose_name_plural = _("tilausrivit")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0) & Q(vat_rate__lt=100), name="order_line_vat_rate"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name}"

    @property
    def total_net(self) -> Decimal:
        return (self.unit_price_net * self.quantity).quantize(Decimal("0.01"))

    @property
    def total_vat(self) -> Decimal:
        return (self.total_net * self.vat_rate / 100).quantize(Decimal("0.01"))

    @property
    def total_gross(self) -> Decimal:
        return self.total_net + self.total_vat


class Carrier(models.TextChoices):
    POSTI = "posti", "Posti"
    MATKAHUOLTO = "matkahuolto", "Matkahuolto"
    DB_SCHENKER = "dbschenker", "DB Schenker"
    POSTNORD = "postnord", "PostNord"
    DHL = "dhl", "DHL"
    BUDBEE = "budbee", "Budbee"


# Public tracking pages; `{code}` is replaced by the URL-quoted tracking code.
TRACKING_URLS = {
    Carrier.POSTI: "https://www.posti.fi/fi/seuranta#/lahetys/{code}",
    Carrier.MATKAHUOLTO: "https://www.matkahuolto.fi/seuranta?parcelNumber={code}",
    Carrier.DB_SCHENKER: "https://www.dbschenker.com/app/tracking-public/?refNumber={code}",
    Carrier.POSTNORD: "https://www.postnord.fi/seuranta?id={code}",
    Carrier.DHL: "https://www.dhl.com/fi-fi/home/tracking.html?tracking-id={code}",
    Carrier.BUDBEE: "https://tracking.budbee.com/{code}",
}


class Shipment(models.Model):
    code = models.UUIDField(_("julkinen tunniste"), default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="shipments", verbose_name=_("tilaus")
    )
    external_id = models.CharField(_("verkkokaupan tunniste"), max_length=100, blank=True)
    carrier = models.CharField(_("kuljetusliike"), max_length=20, choices=Carrier.choices)
    tracking_code = models.CharField(_("seurantatunnus"), max_length=64, blank=True)
    shipped_at = models.DateTimeField(_("lähetetty"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("toimitettu"), null=True, blank=True)

    class Meta:
        verbose_name = _("lähetys")
        verbose_name_plural = _("lähetykset")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="shipment_external_id"
            ),
        ]
        indexes = [
            # Customer service traces a lost parcel by its tracking code.
            models.Index(fields=["tracking_code"], name="shipment_tracking_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_carrier_display()} {self.tracking_code}".strip()

    @property
    def tracking_url(self) -> str:
        from urllib.parse import quote

        template = TRACKING_URLS.get(self.carrier)
        if not template or not self.tracking_code:
            return ""
        return template.format(code=quote(self.tracking_code, safe=""))


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="events", verbose_name=_("lähetys")
    )
    occurred_at = models.DateTimeField(_("aika"))
    status = models.CharField(_("tila"), max_length=50)
    description = models.CharField(_("kuvaus"), max_length=200, blank=True)
    location = models.CharField(_("paikka"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("seurantatapahtuma")
        verbose_name_plural = _("seurantatapahtumat")
        ordering = ["occurred_at", "id"]
        indexes = [
            # A shipment's events in time order.
            models.Index(fields=["shipment", "occurred_at"], name="tracking_shipment_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.status}"


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
        IMPORT = "import", _("tuonti")

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
    recipient = models.CharField(_("vastaanottaja"), max_length=200)
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
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


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
