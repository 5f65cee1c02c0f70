"""The personal-data declaration of the customer register's models."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.ban_register import import_ban_register
from customers.marketing import lift_suppression
from customers.models import (
    BanRegisterEntry,
    ConsentEvent,
    Customer,
    CustomerNote,
    Disclosure,
    MarketingBan,
    Order,
    OrderLine,
    PortalLoginCode,
    Shipment,
    SuppressionEntry,
    TrackingEvent,
)
from privacy.declaration import Erasure, Field, Source, declare
from privacy.retention import register_event_enforcement
from privacy.vocabulary import (
    ACCOUNTING,
    ACCOUNTING_VOUCHERS,
    BASIC,
    BILLING,
    BUSINESS_CONTACTS,
    COMPANY,
    CONSENT_HISTORY,
    CONTACT,
    CUSTOMER_RELATIONSHIP,
    CUSTOMER_SERVICE,
    CUSTOMER_SERVICE_PURPOSE,
    DATA_SUBJECT_RIGHTS,
    DEBT_COLLECTION,
    DELIVERY,
    DELIVERY_TRACKING,
    DEMOGRAPHICS,
    DIRECT_MARKETING,
    DISCLOSURE_LOG,
    DISCLOSURES,
    EXISTING_CUSTOMER_MARKETING,
    FROM_CARRIER,
    FROM_CUSTOMER,
    FROM_STAFF,
    FROM_SYSTEM,
    FROM_WEB_SHOP,
    GIFT_CARDS,
    KEEP_AS_CONSENT_PROOF,
    KEEP_FOR_ACCOUNTING,
    KEEP_FOR_MARKETING_BAN,
    KEEP_ON_ANONYMOUS_ROW,
    LOGIN_CODES,
    LOGS,
    MARKET_RESEARCH,
    MARKETING,
    MARKETING_BANS,
    MARKETING_CONTROL,
    ORDERS,
    REFERENCE_LIST,
    RESTRICTION_LISTS,
    SECURITY,
    STATISTICS,
    SUPPRESSION,
    TARGETING,
    WHILE_CUSTOMER,
)


def _customer(category, *, self_service=False, erasure=Erasure.ANONYMISE, purposes=None, **kw):
    """Declare a field of the customer's own details."""
    return Field(
        category=category,
        purposes=purposes or (CUSTOMER_RELATIONSHIP, EXISTING_CUSTOMER_MARKETING),
        source=kw.pop("source", FROM_CUSTOMER),
        retention=kw.pop("retention", WHILE_CUSTOMER),
        erasure=erasure,
        self_service=self_service,
        **kw,
    )


def _voucher(category, *, erasure=Erasure.ANONYMISE, purposes=(), **kw):
    """Declare a field of an accounting voucher (order): the person goes, the voucher stays."""
    return Field(
        category=category,
        purposes=(CUSTOMER_RELATIONSHIP, ACCOUNTING, *purposes),
        source=kw.pop("source", FROM_WEB_SHOP),
        retention=ACCOUNTING_VOUCHERS,
        erasure=erasure,
        legal_reason=KEEP_FOR_ACCOUNTING if erasure == Erasure.KEEP else None,
        **kw,
    )


# A person's name and contacts serve the customer relationship, a gift card's redemption, the
# marketing the existing-customer exception allows and the research the person has not refused.
_PERSON_PURPOSES = (CUSTOMER_RELATIONSHIP, GIFT_CARDS, EXISTING_CUSTOMER_MARKETING, MARKET_RESEARCH)
# A postal address serves the same marketing and research by post.
_ADDRESS_PURPOSES = (CUSTOMER_RELATIONSHIP, EXISTING_CUSTOMER_MARKETING, MARKET_RESEARCH)

declare(
    Customer,
    customer_path="",
    fields={
        "number": _customer(BASIC, source=FROM_SYSTEM),
        "external_id": _customer(BASIC, source=FROM_WEB_SHOP),
        "first_name": _customer(BASIC, self_service=True, purposes=_PERSON_PURPOSES),
        "last_name": _customer(BASIC, self_service=True, purposes=_PERSON_PURPOSES),
        "street_address": _customer(CONTACT, self_service=True, purposes=_ADDRESS_PURPOSES),
        "postal_code": _customer(CONTACT, self_service=True, purposes=_ADDRESS_PURPOSES),
        "post_office": _customer(CONTACT, self_service=True, purposes=_ADDRESS_PURPOSES),
        "country": _customer(CONTACT, self_service=True, anonymised_value="FI"),
        "phone": _customer(CONTACT, self_service=True, purposes=_PERSON_PURPOSES),
        "email": _customer(CONTACT, self_service=True, purposes=_PERSON_PURPOSES),
        # A business customer's name may be published in a reference list (customers.marketing
        # publishable) until it refuses.
        "company": _customer(
            COMPANY, purposes=(CUSTOMER_RELATIONSHIP, BUSINESS_CONTACTS, REFERENCE_LIST)
        ),
        "business_id": _customer(COMPANY, purposes=(CUSTOMER_RELATIONSHIP, BUSINESS_CONTACTS)),
        "preferred_language": _customer(BASIC, self_service=True, anonymised_value="fi"),
        "birth_date": _customer(DEMOGRAPHICS, purposes=(STATISTICS, MARKETING_CONTROL)),
        "profession": _customer(DEMOGRAPHICS, purposes=(STATISTICS,)),
        "interests": _customer(DEMOGRAPHICS, purposes=(STATISTICS, DIRECT_MARKETING)),
        "source": _customer(BASIC, source=FROM_SYSTEM, anonymised_value="registration"),
        # A restriction (GDPR 18) ends with the erasure of what it restricted.
        "is_restricted": _customer(MARKETING, purposes=(MARKETING_CONTROL,), source=FROM_STAFF),
        "created_at": _customer(
            BASIC, source=FROM_SYSTEM, erasure=Erasure.KEEP, legal_reason=KEEP_ON_ANONYMOUS_ROW
        ),
        "last_activity_at": _customer(
            BASIC, source=FROM_SYSTEM, erasure=Erasure.KEEP, legal_reason=KEEP_ON_ANONYMOUS_ROW
        ),
    },
    not_personal=["id", "code", "updated_at", "erased_at"],
)

declare(
    Order,
    customer_path="customer",
    fields={
        "number": _voucher(ORDERS, erasure=Erasure.KEEP),
        "external_id": _voucher(ORDERS, erasure=Erasure.KEEP),
        "ordered_at": _voucher(ORDERS, erasure=Erasure.KEEP, purposes=(TARGETING,)),
        "status": _voucher(ORDERS, erasure=Erasure.KEEP),
        "invoice_state": _voucher(BILLING, erasure=Erasure.KEEP, purposes=(DEBT_COLLECTION,)),
        # The buyer as the voucher names them stays as booked until the voucher's retention ends
        # (for a business buyer the invoice must show its name and address, ALV 209 e §); the
        # buyer's email and phone are no part of the voucher and go at once.
        "billing_name": _voucher(BILLING, erasure=Erasure.KEEP, purposes=(DEBT_COLLECTION,)),
        "billing_street": _voucher(BILLING, erasure=Erasure.KEEP, purposes=(DEBT_COLLECTION,)),
        "billing_postal_code": _voucher(BILLING, erasure=Erasure.KEEP, purposes=(DEBT_COLLECTION,)),
        "billing_post_office": _voucher(BILLING, erasure=Erasure.KEEP, purposes=(DEBT_COLLECTION,)),
        "billing_email": _voucher(BILLING, purposes=(DEBT_COLLECTION,)),
        "billing_phone": _voucher(BILLING, purposes=(DEBT_COLLECTION,)),
        "delivery_name": _voucher(DELIVERY),
        "delivery_street": _voucher(DELIVERY),
        "delivery_postal_code": _voucher(DELIVERY),
        "delivery_post_office": _voucher(DELIVERY),
        "delivery_country": _voucher(DELIVERY, anonymised_value="FI"),
        "customer_note": _voucher(ORDERS, source=FROM_CUSTOMER),
        "total_net": _voucher(ORDERS, erasure=Erasure.KEEP),
        "total_vat": _voucher(ORDERS, erasure=Erasure.KEEP),
        "total_gross": _voucher(ORDERS, erasure=Erasure.KEEP),
    },
    not_personal=["id", "code", "customer", "created_at"],
)

declare(
    OrderLine,
    customer_path="order__customer",
    fields={
        name: _voucher(ORDERS, erasure=Erasure.KEEP, purposes=(TARGETING,))
        for name in ("product_name", "sku", "quantity", "unit_price_net", "vat_rate")
    },
    not_personal=["id", "order"],
)

_delivery = {
    "category": DELIVERY,
    "purposes": (CUSTOMER_RELATIONSHIP, CUSTOMER_SERVICE_PURPOSE),
    "source": FROM_CARRIER,
    "retention": DELIVERY_TRACKING,
    "erasure": Erasure.DELETE,
}
declare(
    Shipment,
    customer_path="order__customer",
    fields={
        name: Field(**_delivery)
        for name in ("external_id", "carrier", "tracking_code", "shipped_at", "delivered_at")
    },
    not_personal=["id", "code", "order"],
)
declare(
    TrackingEvent,
    customer_path="shipment__order__customer",
    fields={
        name: Field(**_delivery) for name in ("occurred_at", "status", "description", "location")
    },
    not_personal=["id", "shipment"],
)

_consent = {
    "category": MARKETING,
    "purposes": (MARKETING_CONTROL,),
    "source": FROM_CUSTOMER,
    "retention": CONSENT_HISTORY,
    "erasure": Erasure.KEEP,
    "legal_reason": KEEP_AS_CONSENT_PROOF,
}
# A ban is kept while it is in force. On erasure the ban itself goes: an objection to direct
# marketing lives on as the hashed contact details on the suppression list (rights.erasure).
_ban = {
    "category": MARKETING,
    "purposes": (MARKETING_CONTROL,),
    "source": FROM_CUSTOMER,
    "retention": MARKETING_BANS,
    "erasure": Erasure.DELETE,
}
declare(
    ConsentEvent,
    customer_path="customer",
    fields={
        name: Field(**_consent)
        for name in (
            "purpose",
            "channel",
            "is_granted",
            "occurred_at",
            "via",
            "statement_version",
            "wording",
            "evidence",
        )
    },
    # Who on the staff recorded it is the staff's own record, not told to the customer
    # (CJEU C-579/21).
    not_personal=["id", "customer", "recorded_by"],
)
declare(
    MarketingBan,
    customer_path="customer",
    fields={
        name: Field(**_ban)
        for name in ("channel", "scope", "created_at", "lifted_at", "via", "statement_version")
    },
    not_personal=["id", "customer"],
)

# Suppression entries hold only a keyed hash of a contact detail and are deliberately not linked
# to any customer, so they survive erasure; they are never exported.
declare(
    SuppressionEntry,
    customer_path=None,
    fields={
        "value_hash": Field(
            category=MARKETING,
            purposes=(MARKETING_CONTROL,),
            source=FROM_CUSTOMER,
            retention=SUPPRESSION,
            erasure=Erasure.KEEP,
            legal_reason=KEEP_FOR_MARKETING_BAN,
            exported=False,
        ),
    },
    not_personal=["id", "kind", "created_at"],
)

declare(
    Disclosure,
    customer_path="customer",
    fields={
        # Deleted on erasure once the recipients to tell (GDPR Art. 19) have been listed on the
        # case; otherwise kept for its own period.
        name: Field(
            category=DISCLOSURES,
            purposes=(DATA_SUBJECT_RIGHTS,),
            source=FROM_STAFF,
            retention=DISCLOSURE_LOG,
            erasure=Erasure.DELETE,
        )
        for name in (
            "recipient",
            "listed_recipient",
            "recipient_kind",
            "fields",
            "reason",
            "disclosed_at",
        )
    },
    not_personal=["id", "customer", "order"],
    # A hand-over to an authority that the customer may not yet be told of (rights.authority).
    withheld=Q(
        authority_request__customer_told_at__isnull=True,
        authority_request__telling_withheld_reason__gt="",
    ),
)

declare(
    CustomerNote,
    customer_path="customer",
    fields={
        name: Field(
            category=CUSTOMER_SERVICE,
            purposes=(CUSTOMER_SERVICE_PURPOSE,),
            source=FROM_STAFF,
            retention=WHILE_CUSTOMER,
            erasure=Erasure.DELETE,
        )
        for name in ("kind", "body", "created_at", "author")
    },
    not_personal=["id", "customer"],
)

# Login codes prove that whoever logs in to the portal controls the customer's email address;
# they are deleted with the customer and are of no use in an access export.
declare(
    PortalLoginCode,
    customer_path="customer",
    fields={
        name: Field(
            category=LOGS,
            purposes=(SECURITY,),
            source=FROM_SYSTEM,
            retention=LOGIN_CODES,
            erasure=Erasure.DELETE,
            exported=False,
        )
        for name in (
            "code_hash",
            "link_hash",
            "created_at",
            "expires_at",
            "attempts",
            "used_at",
            "new_email",
        )
    },
    not_personal=["id", "customer"],
)

# Restriction lists (ASML) name people who forbade addressed direct mail or telemarketing, most
# of them not customers; only keyed hashes of the matching keys are kept, each list until the
# next one replaces it, and they are never linked to a customer or exported.
FROM_BAN_REGISTER = Source(
    "ban_register",
    _(
        "Suomen Asiakkuusmarkkinointiliiton (ASML) suoramarkkinoinnin rajoituspalvelut "
        "(vain tiivisteinä, markkinointilistojen karsintaan)"
    ),
)
declare(
    BanRegisterEntry,
    customer_path=None,
    fields={
        "value_hash": Field(
            category=MARKETING,
            purposes=(MARKETING_CONTROL,),
            source=FROM_BAN_REGISTER,
            retention=RESTRICTION_LISTS,
            erasure=Erasure.KEEP,
            legal_reason=KEEP_FOR_MARKETING_BAN,
            exported=False,
        ),
    },
    not_personal=["id", "service"],
)

# What ends the retention of the rules kept by an event rather than by the daily sweep.
register_event_enforcement(SUPPRESSION, by=lift_suppression)
register_event_enforcement(RESTRICTION_LISTS, by=import_ban_register)
