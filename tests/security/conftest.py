"""Two customers with one of everything, and a logged-in client for every kind of visitor."""

from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.test import Client

from customers.models import ConsentEvent, Customer, MarketingBan, Order, Shipment
from rights.models import AccessPackage, DataSubjectRequest
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    MarketingBanFactory,
    OrderLineFactory,
    ShipmentFactory,
    TrackingEventFactory,
)
from tests.portal.conftest import log_in

# The visitors every URL is tried with: nobody, two customers logged in to the portal, the
# three staff roles and a staff account that holds no role.
ACTORS = ("anon", "a", "b", "admin", "cs", "mk", "norole")
CUSTOMERS = ("a", "b")
STAFF = ("admin", "cs", "mk", "norole")


@dataclass
class Owned:
    """A customer and the ids of what they own."""

    customer: Customer
    order: Order
    shipment: Shipment
    request: DataSubjectRequest
    package: AccessPackage
    secrets: list[str] = field(default_factory=list)


def _package(customer: Customer) -> AccessPackage:
    """Store a package with the customer's real JSON and ZIP export, without the (slow) PDF."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from rights.access import (
        PACKAGE_LIFETIME,
        build_access_archive,
        build_access_json,
        exported_tables,
    )

    package = AccessPackage(customer=customer, expires_at=timezone.now() + PACKAGE_LIFETIME)
    tables = exported_tables(customer)
    json_bytes = build_access_json(customer=customer, tables=tables)
    archive = build_access_archive(json_bytes=json_bytes, tables=tables)
    package.json_file.save(f"{package.token[:20]}.json", ContentFile(json_bytes), save=False)
    package.archive_file.save(f"{package.token[:20]}.zip", ContentFile(archive), save=False)
    package.save()
    return package


def _owned(first: str, last: str, email: str, order_number: str, product: str) -> Owned:
    customer = CustomerFactory(first_name=first, last_name=last, email=email)
    line = OrderLineFactory(
        order__customer=customer, order__number=order_number, product_name=product
    )
    shipment = ShipmentFactory(order=line.order, tracking_code=f"JJFI{order_number}")
    TrackingEventFactory(shipment=shipment)
    ConsentEventFactory(customer=customer)
    MarketingBanFactory(customer=customer, channel="phone")
    from portal.services import file_my_request

    request = file_my_request(customer=customer, kind="restriction", description=f"{last} pyytää")
    package = _package(customer)
    return Owned(
        customer=customer,
        order=line.order,
        shipment=shipment,
        request=request,
        package=package,
        secrets=[
            last,
            email,
            customer.formatted_number,
            order_number,
            product,
            shipment.tracking_code,
            package.token,
            str(request.code),
        ],
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache, which outlives a test's transaction.
    cache.clear()
    yield
    cache.clear()


def build_world(*, statement_pdfs: bool = False) -> dict:
    """Create customers A and B with one of everything, the staff accounts and the statement."""
    from django.contrib.auth import get_user_model

    from demo.shop import ensure_demo_statement
    from staff.roles import CUSTOMER_SERVICE, MARKETING, REGISTER_ADMIN, ensure_role_groups
    from statement.publishing import get_statement_pdf

    groups = ensure_role_groups()
    staff = {}
    for actor, role in (
        ("admin", REGISTER_ADMIN),
        ("cs", CUSTOMER_SERVICE),
        ("mk", MARKETING),
        ("norole", None),
    ):
        user = get_user_model().objects.create_user(
            f"turva-{actor}", password="salasana-testi-123", is_staff=True
        )
        if role:
            user.groups.add(groups[role])
        staff[actor] = user
    statement = ensure_demo_statement()
    if statement_pdfs:
        # Rendered once here rather than on the first download in every test.
        for language in ("fi", "sv", "en"):
            get_statement_pdf(version=statement, language=language)
    return {
        "a": _owned("Alisa", "Aaltonen", "alisa.aaltonen@example.fi", "TA00000001", "Alisan tee"),
        "b": _owned("Bertta", "Bäckman", "bertta.backman@example.fi", "TB00000002", "Bertan kahvi"),
        "staff": staff,
        "statement": statement,
    }


@pytest.fixture
def world(db):
    """Customers A and B, each with an order, shipment, request, package, consent and ban."""
    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """build_world() once for a module's tests, rolled back after the last of them.

    Each test's own transaction (pytest-django's `db`) is a savepoint inside this one, so what a
    test changes is still undone after it. The module's files live in one media folder, which
    a module using it keeps for its tests by overriding the suite's `_media_root`.
    """
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("shared-media")
    with (
        override_settings(MEDIA_ROOT=media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world(statement_pdfs=True)
        transaction.set_rollback(True)


def snapshot(customer: Customer) -> dict:
    """Return every row of the customer's data that the portal could change, as plain values."""
    return {
        "customer": list(Customer.objects.filter(pk=customer.pk).values()),
        "orders": list(Order.objects.filter(customer=customer).order_by("pk").values()),
        "shipments": list(
            Shipment.objects.filter(order__customer=customer).order_by("pk").values()
        ),
        "consents": list(ConsentEvent.objects.filter(customer=customer).order_by("pk").values()),
        "bans": list(MarketingBan.objects.filter(customer=customer).order_by("pk").values()),
        "requests": list(
            DataSubjectRequest.objects.filter(customer=customer).order_by("pk").values()
        ),
        "packages": list(AccessPackage.objects.filter(customer=customer).order_by("pk").values()),
    }


def client_maker(world, otp_login):
    """Return make(actor, **client_kwargs): a new client logged in as that actor."""

    def make(actor: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if actor in CUSTOMERS:
            log_in(client, world[actor].customer)
        elif actor in STAFF:
            otp_login(client, world["staff"][actor])
        return client

    return make


@pytest.fixture
def make_client(world, otp_login):
    return client_maker(world, otp_login)
