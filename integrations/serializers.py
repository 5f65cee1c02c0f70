"""Request and response shapes of the API; validation uses the register's own normalisers."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers import validators as v
from customers.models import (
    BanChannel,
    BanScope,
    Channel,
    ConsentEvent,
    ConsentPurpose,
    Customer,
    Disclosure,
    MarketingBan,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
)
from customers.purposes import refused_fields
from statement import registry
from statement.models import StatementRecipient, StatementVersion

EXTERNAL_ID_MAX = 100
# Order totals are stored in DECIMAL(12, 2).
MAX_TOTAL = Decimal("9999999999.99")


class StrictCharField(serializers.CharField):
    """A text field that takes only JSON strings: 100 would silently become postal code "100"."""

    default_error_messages = {"not_a_string": _("Anna arvo merkkijonona.")}

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictCharField,
    }


def external_id_field(**kwargs) -> StrictCharField:
    kwargs.setdefault(
        "help_text", _("Tunniste verkkokaupan omassa järjestelmässä; sama tunniste päivittää.")
    )
    return StrictCharField(max_length=EXTERNAL_ID_MAX, **kwargs)


def put_variant(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """Return the serializer of a PUT body: the id is in the URL, so the body may leave it out."""
    name = serializer_class.__name__.removesuffix("Serializer") + "PutSerializer"
    external_id = external_id_field(
        required=False,
        help_text=_("Valinnainen; jos annettu, sen pitää olla sama kuin osoitteen tunniste."),
    )
    return type(name, (serializer_class,), {"external_id": external_id})


def _normalise(normaliser, value: str, *args) -> str:
    try:
        return normaliser(value, *args)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None


def _active_customer(external_id: str) -> Customer:
    customer = Customer.objects.active().filter(external_id=external_id).first()
    if not external_id or customer is None:
        raise serializers.ValidationError(
            _("Asiakasta, jonka verkkokaupan tunniste on %(id)s, ei löydy.") % {"id": external_id}
        )
    return customer


class CustomerReferenceField(StrictCharField):
    """A customer given by the shop's own id (external_id)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Asiakkaan verkkokaupan tunniste (external_id)."))
        kwargs.setdefault("max_length", EXTERNAL_ID_MAX)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty) -> Customer:
        # The text is checked first (length, NUL bytes, surrogates), and only then looked up.
        return _active_customer(super().run_validation(data))

    def to_representation(self, value) -> str:
        return value.external_id


@extend_schema_field(OpenApiTypes.INT)
class StatementVersionField(serializers.Field):
    """A published statement version given by its number."""

    default_error_messages = {
        "invalid": _("Anna versionumero kokonaislukuna."),
        "unknown": _("Tietosuojaselosteen versiota %(number)s ei ole julkaistu."),
    }

    def to_internal_value(self, data) -> StatementVersion:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        try:
            number = int(data)
        except ValueError:
            self.fail("invalid")
        version = (
            StatementVersion.objects.filter(number=number).first() if 0 < number < 2**31 else None
        )
        if version is None:
            raise serializers.ValidationError(self.error_messages["unknown"] % {"number": data})
        return version

    def to_representation(self, value: StatementVersion) -> int:
        return value.number


def _country_of(serializer: serializers.Serializer, field: str, default: str = "FI") -> str:
    """Return the country a postal code is checked against: the one sent, else the stored one."""
    initial = serializer.initial_data if isinstance(serializer.initial_data, dict) else {}
    country = initial.get(field)
    if not isinstance(country, str) or len(country) != 2:
        country = getattr(serializer.instance, field, None) or default
    return country.upper()


class CustomerSerializer(StrictModelSerializer):
    external_id = external_id_field()
    email = StrictCharField(max_length=254, required=False, allow_blank=True)
    phone = StrictCharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text=_("Tallennetaan muodossa +358401234567; 040 123 4567 kelpaa."),
    )
    business_id = StrictCharField(max_length=20, required=False, allow_blank=True)
    postal_code = StrictCharField(max_length=10, required=False, allow_blank=True)
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        error_messages={"invalid": _("Maakoodin pitää olla kaksi kirjainta, esim. FI.")},
    )

    class Meta:
        model = Customer
        fields = [
            "external_id",
            "number",
            "first_name",
            "last_name",
            "street_address",
            "postal_code",
            "post_office",
            "country",
            "phone",
            "email",
            "company",
            "business_id",
            "preferred_language",
            "birth_date",
            "source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number", "created_at", "updated_at"]
        # Uniqueness is the upsert's business: a known external_id or email updates.
        validators = []

    def validate_email(self, value: str) -> str:
        return _normalise(v.normalise_email, value)

    def validate_phone(self, value: str) -> str:
        return _normalise(v.normalise_phone, value)

    def validate_business_id(self, value: str) -> str:
        return _normalise(v.normalise_business_id, value)

    def validate_country(self, value: str) -> str:
        return value.upper()

    def validate_postal_code(self, value: str) -> str:
        return _normalise(v.normalise_postal_code, value, _country_of(self, "country"))

    def validate_birth_date(self, value: dt.date | None) -> dt.date | None:
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("Syntymäaika ei voi olla tulevaisuudessa."))
        return value

    def validate_source(self, value: str) -> str:
        # A gift-card redeemer only while the statement in force has gift cards.
        refused = refused_fields(Customer(source=value))
        if "source" in refused:
            raise serializers.ValidationError(refused["source"])
        return value


class OrderLineSerializer(StrictModelSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    vat_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("99.9"),
        required=False,
        help_text=_("ALV-prosentti, esim. 25.5, 14, 13.5, 10 tai 0."),
    )

    class Meta:
        model = OrderLine
        fields = ["product_name", "sku", "quantity", "unit_price_net", "vat_rate"]


class OrderSerializer(StrictModelSerializer):
    external_id = external_id_field()
    customer = CustomerReferenceField()
    lines = OrderLineSerializer(many=True)
    billing_email = StrictCharField(max_length=254, required=False, allow_blank=True)
    billing_phone = StrictCharField(max_length=40, required=False, allow_blank=True)
    delivery_country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        required=False,
        error_messages={"invalid": _("Maakoodin pitää olla kaksi kirjainta, esim. FI.")},
    )

    class Meta:
        model = Order
        fields = [
            "external_id",
            "number",
            "customer",
            "ordered_at",
            "status",
            "invoice_state",
            *Order.BILLING_FIELDS,
            *Order.DELIVERY_FIELDS,
            "customer_note",
            "lines",
            "total_net",
            "total_vat",
            "total_gross",
            "created_at",
        ]
        read_only_fields = ["total_net", "total_vat", "total_gross", "created_at"]
        validators = []
        extra_kwargs = {"number": {"validators": []}}

    def validate_ordered_at(self, value: dt.datetime) -> dt.datetime:
        # The voucher's date, from which its retention counts: as the import and webhooks say.
        if v.in_the_future(value):
            raise serializers.ValidationError(_("Tilausaika ei voi olla tulevaisuudessa."))
        return value

    def validate_billing_email(self, value: str) -> str:
        return _normalise(v.normalise_email, value)

    def validate_billing_phone(self, value: str) -> str:
        return _normalise(v.normalise_phone, value)

    def validate_delivery_country(self, value: str) -> str:
        return value.upper()

    def validate_billing_postal_code(self, value: str) -> str:
        return _normalise(v.normalise_postal_code, value, _country_of(self, "delivery_country"))

    def validate_delivery_postal_code(self, value: str) -> str:
        return _normalise(v.normalise_postal_code, value, _country_of(self, "delivery_country"))

    def validate(self, attrs: dict) -> dict:
        errors = {}
        gross = sum(
            (
                OrderLine(order=None, **{"vat_rate": Decimal("25.5"), **line}).total_gross
                for line in attrs.get("lines", [])
            ),
            Decimal("0"),
        )
        if abs(gross) > MAX_TOTAL:
            errors["lines"] = [_("Tilauksen yhteissumma on liian suuri.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TrackingEventSerializer(StrictModelSerializer):
    class Meta:
        model = TrackingEvent
        fields = ["occurred_at", "status", "description", "location"]


class ShipmentSerializer(StrictModelSerializer):
    external_id = external_id_field()
    order = StrictCharField(
        max_length=EXTERNAL_ID_MAX, help_text=_("Tilauksen verkkokaupan tunniste (external_id).")
    )
    events = TrackingEventSerializer(many=True, required=False)
    carrier = StrictCharField(
        max_length=20,
        help_text=_(
            "Kuljetusliikkeen tunnus (esim. posti). Kuljetusliikkeet ja niiden tunnukset ovat "
            "hallintapaneelissa; uuden lähetyksen kuljetusliikkeen on oltava käytössä."
        ),
    )
    tracking_url = serializers.SerializerMethodField(
        help_text=_("Kuljetusliikkeen seurantasivu tälle lähetykselle (tyhjä, jos sitä ei ole).")
    )

    class Meta:
        model = Shipment
        fields = [
            "external_id",
            "order",
            "carrier",
            "tracking_code",
            "tracking_url",
            "shipped_at",
            "delivered_at",
            "events",
        ]
        validators = []

    def validate_order(self, value: str) -> Order:
        order = Order.objects.filter(external_id=value).first() if value else None
        if order is None:
            raise serializers.ValidationError(
                _("Tilausta, jonka verkkokaupan tunniste on %(id)s, ei löydy.") % {"id": value}
            )
        return order

    def to_representation(self, instance: Shipment) -> dict:
        data = super().to_representation(instance)
        data["order"] = instance.order.external_id
        return data

    def get_tracking_url(self, instance: Shipment) -> str:
        # A list reads the carriers with the shipments (ShipmentViewSet.get_queryset).
        return instance.tracking_url


class TrackingEventsSerializer(serializers.Serializer):
    events = TrackingEventSerializer(many=True, allow_empty=False)


class ConsentSerializer(StrictModelSerializer):
    customer = CustomerReferenceField()
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    occurred_at = serializers.DateTimeField(
        help_text=_("Milloin asiakas antoi tai perui suostumuksen; sama aika ei kirjaudu kahdesti.")
    )
    statement_version = StatementVersionField(
        required=False,
        allow_null=True,
        help_text=_("Tietosuojaselosteen versionumero, jonka asiakas näki."),
    )

    class Meta:
        model = ConsentEvent
        fields = [
            "id",
            "customer",
            "purpose",
            "channel",
            "is_granted",
            "occurred_at",
            "via",
            "statement_version",
            "wording",
        ]
        read_only_fields = ["id", "via"]


class MarketingBanSerializer(StrictModelSerializer):
    customer = CustomerReferenceField()
    channel = serializers.ChoiceField(choices=BanChannel.choices)
    scope = serializers.ChoiceField(choices=BanScope.choices)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = MarketingBan
        fields = ["id", "customer", "channel", "scope", "created_at", "lifted_at", "is_active"]
        read_only_fields = ["id", "created_at", "lifted_at"]
        validators = []


class RecipientSerializer(serializers.ModelSerializer):
    """A recipient the statement in force names: the only ones a disclosure may go to."""

    name = serializers.CharField(source="name_fi", read_only=True)

    class Meta:
        model = StatementRecipient
        fields = ["id", "name", "kind", "carrier", "country"]
        read_only_fields = fields


class ListedRecipientField(serializers.PrimaryKeyRelatedField):
    """A recipient given by its id in GET /disclosures/recipients/."""

    default_error_messages = {
        "does_not_exist": _(
            "Vastaanottajaa %(pk_value)s ei ole tietosuojaselosteen vastaanottajissa; katso "
            "sallitut osoitteesta /api/v1/disclosures/recipients/."
        ),
    }

    def get_queryset(self):
        return registry.listed().exclude(kind=StatementRecipient.Kind.AUTHORITY)


class DisclosureSerializer(StrictModelSerializer):
    customer = CustomerReferenceField()
    recipient = ListedRecipientField(
        source="listed_recipient",
        help_text=_("Vastaanottajan tunniste (GET /api/v1/disclosures/recipients/)."),
    )
    recipient_name = serializers.CharField(source="recipient", read_only=True)
    order = StrictCharField(
        max_length=EXTERNAL_ID_MAX,
        required=False,
        allow_blank=True,
        help_text=_("Tilauksen verkkokaupan tunniste, jos luovutus koski yhtä tilausta."),
    )
    fields = serializers.ListField(
        child=StrictCharField(max_length=50),
        allow_empty=False,
        help_text=_('Luovutettujen tietojen kenttien nimet, esim. ["email", "phone"].'),
    )
    disclosed_at = serializers.DateTimeField(
        help_text=_("Milloin tiedot luovutettiin; sama luovutus uudelleen ei kirjaudu kahdesti.")
    )

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "customer",
            "recipient",
            "recipient_name",
            "order",
            "fields",
            "reason",
            "disclosed_at",
        ]
        read_only_fields = ["id"]

    def validate_order(self, value: str) -> Order | None:
        if not value:
            return None
        order = Order.objects.filter(external_id=value).first()
        if order is None:
            raise serializers.ValidationError(
                _("Tilausta, jonka verkkokaupan tunniste on %(id)s, ei löydy.") % {"id": value}
            )
        return order

    def validate_disclosed_at(self, value: dt.datetime) -> dt.datetime:
        if value > timezone.now():
            raise serializers.ValidationError(_("Luovutuksen aika ei voi olla tulevaisuudessa."))
        return value

    def to_representation(self, instance: Disclosure) -> dict:
        data = super().to_representation(instance)
        data["order"] = instance.order.external_id if instance.order else ""
        return data
