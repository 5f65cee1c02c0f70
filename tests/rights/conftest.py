"""Fixtures for the data-subject request tests: a customer with a row in every linked model."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import Disclosure, Order, PortalLoginCode
from rights.access import create_access_package
from rights.cases import (
    extend_deadline,
    fulfil_request,
    receive_request,
    refuse_request,
    verify_identity,
)
from rights.corrections import propose_correction
from rights.models import AccessPackageDownload, DataSubjectRequest, RecipientNotification
from tests.factories import (
    ConsentEventFactory,
    CustomerFactory,
    CustomerNoteFactory,
    MarketingBanFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
    TrackingEventFactory,
)

# Values that occur nowhere else, so a search of the whole database for them is meaningful.
ERASED = {
    "first_name": "Ilmatar",
    "last_name": "Kaarnalehto",
    "email": "ilmatar.kaarnalehto@esimerkki.fi",
    "phone": "+358401234999",
    "street_address": "Kuusikuja 17 C 9",
}


def make_full_customer(*, invoice_state: str = Order.InvoiceState.PAID, ordered_at=None):
    """Create a customer with at least one row in every model that belongs to a customer."""
    customer = CustomerFactory(
        **ERASED,
        postal_code="33100",
        post_office="Tampere",
        company="Kaarnalehdon Puutarha",
        profession="puutarhuri",
        interests="ruusut",
        birth_date=dt.date(1980, 5, 17),
    )
    full_name = f"{ERASED['first_name']} {ERASED['last_name']}"
    order = OrderFactory(
        customer=customer,
        invoice_state=invoice_state,
        ordered_at=ordered_at or timezone.now() - dt.timedelta(days=30),
        billing_name=full_name,
        billing_street=ERASED["street_address"],
        billing_postal_code="33100",
        billing_post_office="Tampere",
        billing_email=ERASED["email"],
        billing_phone=ERASED["phone"],
        delivery_name=full_name,
        delivery_street=ERASED["street_address"],
        customer_note=f"Soittakaa {ERASED['phone']}",
    )
    OrderLineFactory(order=order, unit_price_net=Decimal("10.00"))
    shipment = ShipmentFactory(order=order)
    TrackingEventFactory(shipment=shipment, description=f"Noudettu: {ERASED['last_name']}")
    ConsentEventFactory(customer=customer)
    MarketingBanFactory(customer=customer, channel="phone")
    Disclosure.objects.create(
        customer=customer,
        order=order,
        recipient="Perintä Oy",
        recipient_kind=Disclosure.RecipientKind.COLLECTION,
        fields=["first_name", "last_name", "email", "street_address"],
        reason="Erääntyneen laskun perintä",
    )
    CustomerNoteFactory(customer=customer, body=f"{full_name} soitti, {ERASED['email']}")
    PortalLoginCode.objects.create(
        customer=customer,
        code_hash="a" * 64,
        link_hash=f"{customer.pk:064d}",
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )
    request = receive_request(
        kind=DataSubjectRequest.Kind.CORRECTION,
        channel=DataSubjectRequest.Channel.EMAIL,
        requester_name=full_name,
        requester_contact=ERASED["email"],
        description=f"Osoitteeni on {ERASED['street_address']}",
        customer=customer,
    )
    propose_correction(
        case=request,
        field_name="street_address",
        new_value="Koivukuja 2",
        reason=f"{ERASED['first_name']} muutti",
    )
    RecipientNotification.objects.create(
        request=request, customer=customer, recipient="Perintä Oy", fields=["street_address"]
    )
    package = create_access_package(customer=customer, case=request)
    AccessPackageDownload.objects.create(package=package, file_kind="json")
    return customer


@pytest.fixture
def full_customer(db):
    return make_full_customer()


def make_letter_cases(language: str) -> tuple[DataSubjectRequest, DataSubjectRequest]:
    """Return a request extended and then refused, and one carried out, each with its letters."""

    def case(kind: str) -> DataSubjectRequest:
        return receive_request(
            kind=kind,
            channel=DataSubjectRequest.Channel.EMAIL,
            requester_name="Aino Asiakas",
            requester_contact="aino@example.fi",
            customer=CustomerFactory(preferred_language=language),
        )

    refused = case(DataSubjectRequest.Kind.ERASURE)
    extend_deadline(
        case=refused, months=1, reason="Pyyntöjä on paljon.", notified_on=dt.date.today()
    )
    refuse_request(case=refused, reason=DataSubjectRequest.RefusalReason.LEGAL_OBLIGATION)
    done = case(DataSubjectRequest.Kind.OBJECTION)
    verify_identity(case=done, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    return refused, fulfil_request(case=done)
