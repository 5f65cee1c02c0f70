"""Orders with their lines, and the shipments and tracking events of their delivery."""

import uuid
from decimal import Decimal
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from customers.models.customer import Customer


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
        permissions = [
            # An erased customer's orders are kept only as accounting vouchers (Kirjanpitolaki
            # 2:10 §), for bookkeeping alone: only a role with this sees them.
            ("view_kept_vouchers", _("Voi nähdä poistettujen asiakkaiden kirjanpitotositteet")),
        ]
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

    @staticmethod
    def totals_of(
        unit_price_net: Decimal, quantity: int, vat_rate: Decimal
    ) -> tuple[Decimal, Decimal]:
        """Return a line's net total and VAT, rounded to the cent: the one rule for both."""
        net = (unit_price_net * quantity).quantize(Decimal("0.01"))
        return net, (net * vat_rate / 100).quantize(Decimal("0.01"))

    @property
    def total_net(self) -> Decimal:
        return self.totals_of(self.unit_price_net, self.quantity, self.vat_rate)[0]

    @property
    def total_vat(self) -> Decimal:
        return self.totals_of(self.unit_price_net, self.quantity, self.vat_rate)[1]

    @property
    def total_gross(self) -> Decimal:
        return self.total_net + self.total_vat


TRACKING_CODE = "{code}"


def tracking_link(pattern: str, tracking_code: str) -> str:
    """Return a carrier's tracking page for a code ("" without a pattern or a code)."""
    if not pattern or not tracking_code:
        return ""
    return pattern.replace(TRACKING_CODE, quote(tracking_code, safe=""))


def validate_tracking_pattern(value: str) -> None:
    """Refuse a tracking page pattern that is not https or does not hold `{code}` exactly once."""
    if not value:
        return
    if not value.lower().startswith("https://"):
        raise ValidationError(
            _("Seurantasivun osoitteen on alettava https://, jotta yhteys sivulle on suojattu."),
            code="tracking_not_https",
        )
    rest = value.replace(TRACKING_CODE, "")
    if value.count(TRACKING_CODE) != 1 or "{" in rest or "}" in rest:
        raise ValidationError(
            _(
                "Kirjoita osoitteeseen kohta {code} täsmälleen kerran (ja muita aaltosulkeita "
                "ei): siihen tulee lähetyksen seurantatunnus."
            ),
            code="tracking_placeholder",
        )
    try:
        URLValidator(schemes=["https"])(value.replace(TRACKING_CODE, "JJFI0"))
    except ValidationError:
        raise ValidationError(
            _("Seurantasivun osoite ei ole kelvollinen verkko-osoite."), code="tracking_invalid"
        ) from None


class CarrierQuerySet(models.QuerySet):
    def names(self) -> dict[str, str]:
        """Return {key: name} of the carriers (one query)."""
        return dict(self.values_list("key", "name"))

    def name_of(self, key: str) -> str:
        """Return the name of the carrier of a key (the key itself when no carrier has it)."""
        return self.filter(key=key).values_list("name", flat=True).first() or key

    def patterns(self) -> dict[str, str]:
        """Return {key: tracking page pattern} of the carriers (one query)."""
        return dict(self.values_list("key", "tracking_url"))

    def for_new_shipment(self, key: str) -> "Carrier":
        """Return the active carrier of a key, or raise ValidationError saying why not."""
        carrier = self.filter(key=key).first()
        if carrier is None:
            raise ValidationError(
                {
                    "carrier": _(
                        "Kuljetusliikettä ”%(key)s” ei ole. Käytössä olevat tunnukset: "
                        "%(keys)s. Uuden kuljetusliikkeen lisää rekisterin pääkäyttäjä "
                        "hallintapaneelissa."
                    )
                    % {"key": key, "keys": ", ".join(self.active_keys()) or "–"}
                },
                code="unknown_carrier",
            )
        if not carrier.is_active:
            raise ValidationError(
                {
                    "carrier": _(
                        "Kuljetusliike %(name)s ei ole enää käytössä: sille ei voi kirjata uusia "
                        "lähetyksiä."
                    )
                    % {"name": carrier.name}
                },
                code="inactive_carrier",
            )
        return carrier

    def active_keys(self) -> list[str]:
        return list(self.filter(is_active=True).values_list("key", flat=True))


class Carrier(models.Model):
    """A carrier the shop sends parcels with, and its public tracking page (register admin)."""

    key = models.CharField(
        _("tunnus"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9_-]*\Z",
                _("Käytä tunnuksessa vain pieniä kirjaimia a–z, numeroita, - ja _."),
            )
        ],
        help_text=_(
            "Lyhyt tunnus, jolla verkkokauppa ja rajapinta nimeävät kuljetusliikkeen (esim. "
            "posti). Sitä ei voi muuttaa tallentamisen jälkeen."
        ),
    )
    name = models.CharField(_("nimi"), max_length=100, help_text=_("Näkyy asiakkaalle."))
    tracking_url = models.CharField(
        _("seurantasivun osoite"),
        max_length=300,
        blank=True,
        validators=[validate_tracking_pattern],
        help_text=_(
            "Kuljetusliikkeen julkinen seurantasivu, https://-alkuinen; kohtaan {code} tulee "
            "lähetyksen seurantatunnus. Esim. https://www.posti.fi/fi/seuranta#/lahetys/{code}. "
            "Tyhjä, jos kuljetusliikkeellä ei ole seurantasivua."
        ),
    )
    is_active = models.BooleanField(
        _("käytössä"),
        default=True,
        help_text=_(
            "Uusia lähetyksiä voi kirjata vain käytössä olevalle kuljetusliikkeelle. Vanhat "
            "lähetykset ja niiden seurantalinkit näkyvät ennallaan."
        ),
    )
    created_at = models.DateTimeField(_("luotu"), default=timezone.now, editable=False)

    objects = CarrierQuerySet.as_manager()

    class Meta:
        verbose_name = _("kuljetusliike")
        verbose_name_plural = _("kuljetusliikkeet")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def tracking_link(self, tracking_code: str) -> str:
        """Return this carrier's tracking page for a code ("" without a pattern or a code)."""
        return tracking_link(self.tracking_url, tracking_code)


class ShipmentQuerySet(models.QuerySet):
    def with_carriers(self) -> "ShipmentQuerySet":
        """Read each shipment's carrier name and tracking page pattern in this query.

        A page or an API list of shipments then names them and links their tracking pages
        without a query per row (`carrier_name`, `tracking_url`): the name is the key where no
        carrier has it, the pattern "".
        """
        carrier = Carrier.objects.filter(key=OuterRef("carrier"))
        # The key they were read for: a shipment moved to another carrier is read afresh.
        return self.annotate(
            carrier_label=Coalesce(Subquery(carrier.values("name")[:1]), F("carrier")),
            tracking_pattern=Coalesce(Subquery(carrier.values("tracking_url")[:1]), Value("")),
            carrier_label_of=F("carrier"),
        )


class Shipment(models.Model):
    code = models.UUIDField(_("julkinen tunniste"), default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="shipments", verbose_name=_("tilaus")
    )
    external_id = models.CharField(_("verkkokaupan tunniste"), max_length=100, blank=True)
    # A Carrier's key: a shipment keeps its carrier's key even after the carrier is deactivated.
    carrier = models.CharField(_("kuljetusliike"), max_length=20)
    tracking_code = models.CharField(_("seurantatunnus"), max_length=64, blank=True)
    shipped_at = models.DateTimeField(_("lähetetty"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("toimitettu"), null=True, blank=True)

    objects = ShipmentQuerySet.as_manager()

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
        return f"{self.carrier_name} {self.tracking_code}".strip()

    def _read_with_carrier(self) -> bool:
        # Whether the row came `with_carriers()`, for the carrier it still has.
        return self.__dict__.get("carrier_label_of", None) == self.carrier

    @property
    def carrier_name(self) -> str:
        """The carrier's name (its key when no carrier has it).

        Read with the row where it came `with_carriers()`, else one query.
        """
        if self._read_with_carrier():
            return self.carrier_label
        return Carrier.objects.name_of(self.carrier)

    @property
    def tracking_url(self) -> str:
        """The carrier's tracking page for this shipment ("" without one).

        Read with the row where it came `with_carriers()`, else one query.
        """
        if not self.tracking_code:
            return ""
        if self._read_with_carrier():
            return tracking_link(self.tracking_pattern, self.tracking_code)
        pattern = Carrier.objects.filter(key=self.carrier).values_list("tracking_url", flat=True)
        return tracking_link(pattern.first() or "", self.tracking_code)

    def clean(self) -> None:
        # A new shipment, or one moved to another carrier, needs an active carrier; one already
        # with a carrier since deactivated keeps it.
        stored = Shipment.objects.filter(pk=self.pk).values_list("carrier", flat=True).first()
        if self.carrier and self.carrier != stored:
            Carrier.objects.for_new_shipment(self.carrier)


# The carriers' tracking states the web shop sends (a free field: an unknown state is shown as
# the carrier sent it). The portal shows the event's description; these name the state itself.
TRACKING_STATES = {
    "received": _("vastaanotettu kuljetettavaksi"),
    "in_transit": _("kuljetuksessa"),
    "out_for_delivery": _("jakelussa"),
    "at_pickup_point": _("noudettavissa noutopisteestä"),
    "delivered": _("toimitettu"),
    "returned": _("palautettu lähettäjälle"),
    "exception": _("poikkeama kuljetuksessa"),
}


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
        when = formats.date_format(timezone.localtime(self.occurred_at), "SHORT_DATETIME_FORMAT")
        return f"{when} {self.state}"

    @property
    def state(self) -> str:
        """The state in words (an unknown state as the carrier sent it)."""
        return str(TRACKING_STATES.get(self.status, self.status))
