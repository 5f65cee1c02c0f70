"""The web shop's REST API (/api/v1/): thin views over integrations.services."""

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from customers.models import (
    ConsentEvent,
    Customer,
    Disclosure,
    MarketingBan,
    Order,
    Shipment,
)
from integrations import services
from integrations.authentication import ApiTokenAuthentication
from integrations.models import ApiToken
from integrations.pagination import ApiPagination
from integrations.permissions import HasTokenScope
from integrations.schema import ApiAutoSchema, ErrorSerializer
from integrations.serializers import (
    EXTERNAL_ID_MAX,
    ConsentSerializer,
    CustomerSerializer,
    DisclosureSerializer,
    MarketingBanSerializer,
    OrderSerializer,
    RecipientSerializer,
    ShipmentSerializer,
    TrackingEventsSerializer,
    put_variant,
)
from integrations.throttling import ClientRateThrottle, TokenRateThrottle
from statement import registry
from statement.models import StatementRecipient

# Visible ASCII: what any HTTP client can send unchanged (a UUID is the usual choice).
IDEMPOTENCY_KEY_RE = re.compile(r"[!-~]{1,255}")
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": f"^{IDEMPOTENCY_KEY_RE.pattern}$",
    },
    OpenApiParameter.HEADER,
    required=False,
    description=str(
        _("Uudelleen lähetetty POST samalla avaimella palauttaa ensimmäisen vastauksen (24 h).")
    ),
)


def could_be_external_id(value: str) -> bool:
    """Return whether value could be a stored id; anything else never reaches the database."""
    return len(value) <= EXTERNAL_ID_MAX and value.isprintable()


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Samanaikainen muutos samaan tietoon; yritä uudelleen.")
    default_code = "conflict"


class IdentityConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Muutos koskisi asiakkaan kirjautumisosoitetta; sitä ei tehty.")
    default_code = "identity_change_refused"


class ApiViewSet(viewsets.GenericViewSet):
    """Token authentication, scopes, throttling, pagination, idempotency and the call log."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [HasTokenScope]
    throttle_classes = [TokenRateThrottle]
    pagination_class = ApiPagination
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    schema = ApiAutoSchema()
    lookup_field = "external_id"
    lookup_value_regex = r"[^/]+"
    scope_resource = ""
    # Query parameters a list takes besides the page; anything else is refused, so that a typo
    # (e.g. ?pagesize=) is not silently ignored.
    filter_params: tuple[str, ...] = ()
    audited_customer_id: int | None = None

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if self.action is None:
            return  # a method the view does not take: dispatch answers 405
        allowed = {*self.filter_params, "page", "page_size"} if self.action == "list" else set()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        _("Tuntematon kyselyparametri: %(names)s.")
                        % {"names": ", ".join(f"”{name}”" for name in unknown)}
                    ]
                }
            )

    def perform_authentication(self, request: Request) -> None:
        # Throttles run after authentication, so a wrong token would never reach them: calls
        # without a valid token are counted per client address here, before the lookup.
        try:
            super().perform_authentication(request)
        except exceptions.AuthenticationFailed:
            self._count_unauthenticated(request)
            raise
        if request.auth is None:
            self._count_unauthenticated(request)

    def _count_unauthenticated(self, request: Request) -> None:
        throttle = ClientRateThrottle()
        if not throttle.allow_request(request, self):
            raise exceptions.Throttled(throttle.wait())

    def handle_exception(self, exc: Exception) -> Response:
        # The services raise Django's ValidationError (shared with the portal and staff panel);
        # the API answers it as a 400 listing each field, like the serializers' own errors.
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(as_serializer_error(exc))
        elif isinstance(exc, services.IdentityChangeRefused):
            exc = IdentityConflict(str(exc))
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Response, *args, **kwargs) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "_auth", None)
        services.log_api_call(
            token=token if isinstance(token, ApiToken) else None,
            method=request.method or "",
            path=request.path,
            status_code=response.status_code,
            customer_id=self.audited_customer_id,
        )
        return response

    def lookup_value(self) -> str:
        value = self.kwargs[self.lookup_field]
        if not could_be_external_id(value):
            raise exceptions.NotFound()
        return value

    def get_object(self):
        obj = self.get_queryset().filter(external_id=self.lookup_value()).first()
        if obj is None:
            raise exceptions.NotFound()
        self.check_object_permissions(self.request, obj)
        return obj

    def body(self, request: Request) -> dict:
        # Without a body DRF hands over an empty form; a missing body is an error, not "{}".
        if request.stream is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Pyynnön runko puuttuu; lähetä JSON-objekti.")]}
            )
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Pyynnön rungon pitää olla JSON-objekti.")]}
            )
        return request.data

    def upsert(self, write: Callable[..., tuple], **kwargs) -> tuple:
        """Run an upsert, retrying once when a simultaneous request created the same row."""
        try:
            return write(**kwargs)
        except IntegrityError:
            pass
        try:
            return write(**kwargs)
        except IntegrityError:
            raise Conflict() from None

    def idempotent(self, request: Request, run: Callable[[], Response]) -> Response:
        """Return the stored answer to a retried POST with the same Idempotency-Key, or run it."""
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return run()
        if not IDEMPOTENCY_KEY_RE.fullmatch(key):
            raise exceptions.ValidationError(
                {
                    "Idempotency-Key": [
                        _(
                            "Idempotency-Key on 1–255 merkkiä ASCII-kirjaimia, numeroita tai "
                            "välimerkkejä."
                        )
                    ]
                }
            )
        token = request.auth
        fingerprint = services.request_fingerprint(
            method=request.method, path=request.path, body=request.data
        )
        try:
            with transaction.atomic():
                record = services.find_idempotency_record(token=token, key=key)
                if record is None:
                    response = run()
                    if 200 <= response.status_code < 300:
                        services.store_idempotency_record(
                            token=token,
                            key=key,
                            method=request.method,
                            path=request.path,
                            request_hash=fingerprint,
                            status=response.status_code,
                            body=response.data,
                            customer_id=self.audited_customer_id,
                        )
                    return response
        except IntegrityError:
            # A simultaneous retry with the same key committed first; answer with its result.
            with transaction.atomic():
                record = services.find_idempotency_record(token=token, key=key)
            if record is None:
                raise
        if record.request_hash != fingerprint:
            return Response(
                {
                    "detail": _(
                        "Idempotency-Key on jo käytetty toisenlaiseen pyyntöön; "
                        "käytä uutta avainta."
                    )
                },
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        self.audited_customer_id = record.customer_id
        return Response(
            record.response_body,
            status=record.response_status,
            headers={"Idempotent-Replayed": "true"},
        )

    def record_once(self, request: Request, write: Callable[..., tuple[Any, bool]]) -> Response:
        """Validate the body, write it with `write(data=, token=)` and answer 201 or 200.

        For a record of a customer (a consent, a disclosure): `write` returns it and whether it
        is new; a repeat of the same record answers 200 with the one already kept.
        """

        def run() -> Response:
            serializer = self.get_serializer(data=self.body(request))
            serializer.is_valid(raise_exception=True)
            row, created = write(data=serializer.validated_data, token=request.auth)
            self.audited_customer_id = row.customer_id
            return Response(self.get_serializer(row).data, status=_created_status(created))

        return self.idempotent(request, run)


def _of_customer(queryset: QuerySet, request: Request) -> QuerySet:
    """Filter a list by ?customer=<external_id>; an id no customer can have matches nothing."""
    customer = request.query_params.get("customer")
    if customer is None:
        return queryset
    if not customer or not could_be_external_id(customer):
        return queryset.none()
    return queryset.filter(customer__external_id=customer)


def _created_status(created: bool) -> int:
    return status.HTTP_201_CREATED if created else status.HTTP_200_OK


class UpsertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """List, fetch, and upsert by the shop's id with PUT /{external_id}/ or POST."""

    write: Callable[..., tuple]

    def customer_of(self, obj) -> Customer:
        raise NotImplementedError

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        obj = self.get_object()
        self.audited_customer_id = self.customer_of(obj).pk
        return Response(self.get_serializer(obj).data)

    def _save(self, data: dict) -> Response:
        serializer = self.get_serializer(data=data)
        serializer.is_valid(raise_exception=True)
        validated = dict(serializer.validated_data)
        external_id = validated.pop("external_id")
        obj, created = self.upsert(
            type(self).write, external_id=external_id, data=validated, token=self.request.auth
        )
        self.audited_customer_id = self.customer_of(obj).pk
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=_created_status(created))

    def create(self, request: Request, *args, **kwargs) -> Response:
        return self.idempotent(request, lambda: self._save(self.body(request)))

    def update(self, request: Request, *args, **kwargs) -> Response:
        external_id = self.lookup_value()
        data = self.body(request)
        if data.get("external_id", external_id) != external_id:
            raise exceptions.ValidationError(
                {"external_id": [_("Tunniste ei vastaa osoitteen tunnistetta.")]}
            )
        return self._save({**data, "external_id": external_id})


def _upsert_docs(serializer_class: type) -> dict:
    return {
        "create": extend_schema(
            parameters=[IDEMPOTENCY_HEADER],
            description=str(_("Luo tai päivitä (external_id); 201 uusi, 200 päivitetty.")),
        ),
        "update": extend_schema(
            request=put_variant(serializer_class),
            description=str(_("Luo tai päivitä osoitteen tunnisteella; 201 uusi, 200 päivitetty.")),
        ),
    }


@extend_schema_view(**_upsert_docs(CustomerSerializer))
class CustomerViewSet(UpsertViewSet):
    scope_resource = "customers"
    serializer_class = CustomerSerializer
    write = staticmethod(services.upsert_customer)

    def get_queryset(self):
        return Customer.objects.active().exclude(external_id="").order_by("id")

    def customer_of(self, obj: Customer) -> Customer:
        return obj


@extend_schema_view(**_upsert_docs(OrderSerializer))
class OrderViewSet(UpsertViewSet):
    scope_resource = "orders"
    serializer_class = OrderSerializer
    write = staticmethod(services.upsert_order)

    def get_queryset(self):
        return (
            Order.objects.exclude(external_id="")
            .select_related("customer")
            .prefetch_related("lines")
            .order_by("id")
        )

    def customer_of(self, obj: Order) -> Customer:
        return obj.customer


@extend_schema_view(**_upsert_docs(ShipmentSerializer))
class ShipmentViewSet(UpsertViewSet):
    scope_resource = "orders"
    serializer_class = ShipmentSerializer
    write = staticmethod(services.upsert_shipment)

    def get_queryset(self):
        return (
            Shipment.objects.exclude(external_id="")
            .with_carriers()
            .select_related("order__customer")
            .prefetch_related("events")
            .order_by("id")
        )

    def customer_of(self, obj: Shipment) -> Customer:
        return obj.order.customer

    @extend_schema(
        request=TrackingEventsSerializer,
        responses={200: ShipmentSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        description=str(_("Lisää seurantatapahtumat; jo tallennetut ohitetaan.")),
    )
    @action(detail=True, methods=["post"])
    def events(self, request: Request, external_id: str) -> Response:
        shipment = self.get_object()
        self.audited_customer_id = shipment.order.customer_id

        def run() -> Response:
            serializer = TrackingEventsSerializer(data=self.body(request))
            serializer.is_valid(raise_exception=True)
            services.add_tracking_events(
                shipment=shipment, events=serializer.validated_data["events"], token=request.auth
            )
            return Response(ShipmentSerializer(self.get_queryset().get(pk=shipment.pk)).data)

        return self.idempotent(request, run)


@extend_schema_view(
    create=extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        description=str(_("Kirjaa suostumustapahtuma; sama tapahtuma uudelleen ei toistu.")),
    ),
    list=extend_schema(
        parameters=[OpenApiParameter("customer", OpenApiTypes.STR, description="external_id")]
    ),
)
class ConsentViewSet(mixins.ListModelMixin, ApiViewSet):
    scope_resource = "marketing"
    filter_params = ("customer",)
    serializer_class = ConsentSerializer

    def get_queryset(self):
        queryset = ConsentEvent.objects.select_related("customer", "statement_version").order_by(
            "id"
        )
        return _of_customer(queryset, self.request)

    def create(self, request: Request) -> Response:
        return self.record_once(request, services.record_consent_from_api)


@extend_schema_view(
    create=extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        description=str(_("Aseta markkinointikielto; voimassa oleva kielto palautetaan.")),
    ),
    list=extend_schema(
        parameters=[OpenApiParameter("customer", OpenApiTypes.STR, description="external_id")]
    ),
)
class MarketingBanViewSet(mixins.ListModelMixin, ApiViewSet):
    scope_resource = "marketing"
    filter_params = ("customer",)
    serializer_class = MarketingBanSerializer

    def get_queryset(self):
        queryset = MarketingBan.objects.select_related("customer").order_by("id")
        return _of_customer(queryset, self.request)

    def _validated(self, request: Request) -> dict:
        serializer = self.get_serializer(data=self.body(request))
        serializer.is_valid(raise_exception=True)
        self.audited_customer_id = serializer.validated_data["customer"].pk
        return serializer.validated_data

    def create(self, request: Request) -> Response:
        def run() -> Response:
            ban, created = services.set_marketing_ban_from_api(
                **self._validated(request), token=request.auth
            )
            return Response(self.get_serializer(ban).data, status=_created_status(created))

        return self.idempotent(request, run)

    @extend_schema(
        request=MarketingBanSerializer,
        responses={200: MarketingBanSerializer, 404: ErrorSerializer},
        description=str(_("Poista voimassa oleva kielto; 404, jos sellaista ei ole.")),
    )
    @action(detail=False, methods=["post"])
    def lift(self, request: Request) -> Response:
        ban = services.lift_marketing_ban_from_api(**self._validated(request), token=request.auth)
        if ban is None:
            raise exceptions.NotFound(_("Voimassa olevaa kieltoa ei ole."))
        return Response(self.get_serializer(ban).data)


@extend_schema_view(
    create=extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        description=str(
            _(
                "Kirjaa luovutus vastaanottajalle, jonka tietosuojaseloste nimeää; sama luovutus "
                "uudelleen ei toistu. Toimitukset ja perintään siirrot kirjautuvat itse."
            )
        ),
    ),
    list=extend_schema(
        parameters=[OpenApiParameter("customer", OpenApiTypes.STR, description="external_id")]
    ),
)
class DisclosureViewSet(mixins.ListModelMixin, ApiViewSet):
    """The disclosure log (GDPR 15(1)(c), 19): what of a customer's data went to whom."""

    scope_resource = "orders"
    filter_params = ("customer",)
    serializer_class = DisclosureSerializer

    def get_queryset(self):
        queryset = Disclosure.objects.select_related("customer", "order").order_by("id")
        return _of_customer(queryset, self.request)

    def create(self, request: Request) -> Response:
        return self.record_once(request, services.record_disclosure_from_api)

    @extend_schema(
        responses={200: RecipientSerializer(many=True)},
        description=str(_("Vastaanottajat, joille tietoja voi luovuttaa (selosteen nimeämät).")),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def recipients(self, request: Request) -> Response:
        listed = registry.listed().exclude(kind=StatementRecipient.Kind.AUTHORITY)
        return Response(RecipientSerializer(listed, many=True).data)
