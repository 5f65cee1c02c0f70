"""Orders with their lines, and the shipments and tracking events of their delivery."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
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
