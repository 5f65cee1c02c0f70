"""The customer register: customers, orders, deliveries, consents, bans and notes.

Every field here is declared in `customers/personal_data.py`; the `privacy.E00x` system checks
fail when one is not.
"""

# isort: off
# Models are registered in the order they are imported: the statement and the access export
# list them in that order.
from customers.models.customer import LOOKUP_CHUNK, Channel, Customer, CustomerQuerySet, Language
from customers.models.orders import (
    Carrier,
    Order,
    OrderLine,
    Shipment,
    TrackingEvent,
)
from customers.models.consents import (
    BanChannel,
    BanScope,
    ConsentEvent,
    ConsentPurpose,
    ConsentWording,
    STAFF_VIAS,
    MarketingBan,
    SuppressionEntry,
)
from customers.models.records import CustomerNote, Disclosure, PortalLoginCode
from customers.models.restriction_lists import BanRegisterEntry, BanRegisterImport

# isort: on

__all__ = [
    "LOOKUP_CHUNK",
    "STAFF_VIAS",
    "BanChannel",
    "BanRegisterEntry",
    "BanRegisterImport",
    "BanScope",
    "Carrier",
    "Channel",
    "ConsentEvent",
    "ConsentPurpose",
    "ConsentWording",
    "Customer",
    "CustomerNote",
    "CustomerQuerySet",
    "Disclosure",
    "Language",
    "MarketingBan",
    "Order",
    "OrderLine",
    "PortalLoginCode",
    "Shipment",
    "SuppressionEntry",
    "TrackingEvent",
]
