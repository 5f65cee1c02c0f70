"""The export files of the shop platforms, recognised by their headers, and explicit mappings.

Each profile names the columns its platform's own export tool writes (per the platform's
published documentation) and what each becomes in the register: a customer field, a marketing
permission (`consent:<channel>`), an order or line value (orders.py reads those), or nothing
(`None`: known, with no home in the register, listed in the report as not imported). A column
a profile does not know is listed in the report as unknown, never silently dropped.
"""

import functools
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Order
from integrations.csv_import.reading import (
    FIELD_LABELS,
    ImportFileError,
    ImportReport,
    map_columns,
)

CUSTOMERS = "customers"
ORDERS = "orders"
CONSENT_PREFIX = "consent:"
# A customer-service note of the shop's (Shopify's Note): an internal note on the customer.
NOTE = "note"
# Fields filled from several columns: joined with a space (Address1 + Address2); any other field
# takes its first non-empty column (Phone, then Default Address Phone).
JOINED = {"street_address", "billing_street", "delivery_street"}

# What a staff member may map a column to in an explicit mapping (customers files).
MAPPABLE = {
    **FIELD_LABELS,
    "consent:email": gettext_lazy("sähköpostimarkkinoinnin lupa (kyllä/ei)"),
    "consent:sms": gettext_lazy("tekstiviestimarkkinoinnin lupa (kyllä/ei)"),
    NOTE: gettext_lazy("asiakaspalvelun muistiinpano"),
}


# What the order export's columns become, in the staff's words; an order's own field otherwise.
ORDER_LABELS = {
    "external_id": gettext_lazy("tilauksen verkkokaupan tunniste"),
    "email": gettext_lazy("ostaja ja laskutussähköposti"),
    "customer_external_id": gettext_lazy("ostaja"),
    "financial_status": gettext_lazy("tila ja laskun tila"),
    "fulfillment_status": gettext_lazy("tila"),
    "cancelled_at": gettext_lazy("tila"),
    "status": gettext_lazy("tila ja laskun tila"),
    "currency": gettext_lazy("valuutta (tarkistetaan)"),
    "subtotal": gettext_lazy("hintojen verollisuus (tarkistetaan)"),
    "total": gettext_lazy("loppusumma (pyöristys)"),
    "taxes": gettext_lazy("ALV"),
    "tax_name": gettext_lazy("ALV-kanta"),
    "tax_value": gettext_lazy("ALV"),
    "shipping": gettext_lazy("toimitusrivi"),
    "shipping_tax": gettext_lazy("toimitusrivin ALV"),
    "fee": gettext_lazy("lisämaksurivi"),
    "fee_tax": gettext_lazy("lisämaksurivin ALV"),
    "discount": gettext_lazy("alennusrivi"),
    "phone": gettext_lazy("laskutuspuhelin"),
    "line_name": gettext_lazy("tilausrivin tuote"),
    "line_sku": gettext_lazy("tilausrivin tuotekoodi"),
    "line_quantity": gettext_lazy("tilausrivin määrä"),
    "line_price": gettext_lazy("tilausrivin hinta"),
    "line_taxable": gettext_lazy("tilausrivin ALV"),
    "line_total": gettext_lazy("tilausrivin veroton hinta"),
    "line_tax": gettext_lazy("tilausrivin ALV"),
    "billing_first_name": gettext_lazy("laskutusnimi"),
    "billing_last_name": gettext_lazy("laskutusnimi"),
    "billing_company": gettext_lazy("uuden ostajan yritys"),
    "billing_country": gettext_lazy("uuden ostajan maa"),
    "delivery_first_name": gettext_lazy("toimitusnimi"),
    "delivery_last_name": gettext_lazy("toimitusnimi"),
}


def target_label(name: str) -> Promise | str:
    """Return what a column's target is called on the report."""
    if name in MAPPABLE:
        return MAPPABLE[name]
    if name in ORDER_LABELS:
        return ORDER_LABELS[name]
    return Order._meta.get_field(name).verbose_name


@dataclass(frozen=True)
class Profile:
    key: str
    kind: str
    label: Promise
    signature: frozenset[str]
    # Header -> target, in the order the export writes them.
    columns: dict[str, str | None]
    # Headers that repeat with a number (Shopify's "Tax 1 Name" … "Tax 5 Name").
    numbered: dict[str, str] = field(default_factory=dict)


def _shopify_address(prefix: str, target: str) -> dict[str, str | None]:
    # An order keeps the billing company and phone (a new buyer's); the delivery's have no home.
    billing = target == "billing"
    return {
        f"{prefix} Name": f"{target}_name",
        f"{prefix} Street": None,  # Address1 and Address2 together; read from those instead
        f"{prefix} Address1": f"{target}_street",
        f"{prefix} Address2": f"{target}_street",
        f"{prefix} Company": f"{target}_company" if billing else None,
        f"{prefix} City": f"{target}_post_office",
        f"{prefix} Zip": f"{target}_postal_code",
        f"{prefix} Province": None,
        f"{prefix} Province Name": None,
        f"{prefix} Country": f"{target}_country",
        f"{prefix} Phone": f"{target}_phone" if billing else None,
    }


def _woo_address(prefix: str, target: str) -> dict[str, str | None]:
    return {
        f"{prefix}_first_name": f"{target}_first_name",
        f"{prefix}_last_name": f"{target}_last_name",
        f"{prefix}_company": f"{target}_company" if target == "billing" else None,
        f"{prefix}_address_1": f"{target}_street",
        f"{prefix}_address_2": f"{target}_street",
        f"{prefix}_postcode": f"{target}_postal_code",
        f"{prefix}_city": f"{target}_post_office",
        f"{prefix}_state": None,
        f"{prefix}_country": f"{target}_country",
    }


SHOPIFY_CUSTOMERS = Profile(
    key="shopify_customers",
    kind=CUSTOMERS,
    label=gettext_lazy("Shopify-asiakasvienti"),
    signature=frozenset({"Customer ID", "First Name", "Default Address Address1"}),
    columns={
        "Customer ID": "external_id",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Accepts Email Marketing": "consent:email",
        "Default Address Company": "company",
        "Default Address Address1": "street_address",
        "Default Address Address2": "street_address",
        "Default Address City": "post_office",
        "Default Address Province Code": None,
        "Default Address Country Code": "country",
        "Default Address Zip": "postal_code",
        # The customer's own phone first; the address's phone where it has none.
        "Phone": "phone",
        "Default Address Phone": "phone",
        "Accepts SMS Marketing": "consent:sms",
        "Total Spent": None,
        "Total Orders": None,
        "Note": NOTE,
        "Tax Exempt": None,
        "Tags": None,
    },
)

WOOCOMMERCE_CUSTOMERS = Profile(
    key="woocommerce_customers",
    kind=CUSTOMERS,
    label=gettext_lazy("WooCommerce-asiakasvienti"),
    signature=frozenset({"customer_id", "first_name", "billing_address_1"}),
    columns={
        "customer_id": "external_id",
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
        "billing_company": "company",
        "billing_address_1": "street_address",
        "billing_address_2": "street_address",
        "billing_postcode": "postal_code",
        "billing_city": "post_office",
        "billing_state": None,
        "billing_country": "country",
        "billing_phone": "phone",
        "date_created": "created_at",
        "user_login": None,
    },
)

SHOPIFY_ORDERS = Profile(
    key="shopify_orders",
    kind=ORDERS,
    label=gettext_lazy("Shopify-tilausvienti"),
    signature=frozenset({"Name", "Financial Status", "Lineitem name"}),
    columns={
        "Name": "number",
        "Email": "email",
        "Financial Status": "financial_status",
        "Paid at": None,
        "Fulfillment Status": "fulfillment_status",
        "Fulfilled at": None,
        "Accepts Marketing": None,
        "Currency": "currency",
        "Subtotal": "subtotal",
        "Shipping": "shipping",
        "Taxes": "taxes",
        "Total": "total",
        "Discount Code": None,
        "Discount Amount": "discount",
        "Shipping Method": None,
        "Created at": "ordered_at",
        "Lineitem quantity": "line_quantity",
        "Lineitem name": "line_name",
        "Lineitem price": "line_price",
        "Lineitem compare at price": None,
        "Lineitem sku": "line_sku",
        "Lineitem requires shipping": None,
        "Lineitem taxable": "line_taxable",
        "Lineitem fulfillment status": None,
        **_shopify_address("Billing", "billing"),
        **_shopify_address("Shipping", "delivery"),
        "Notes": "customer_note",
        "Note Attributes": None,
        "Cancelled at": "cancelled_at",
        "Payment Method": None,
        "Payment Reference": None,
        "Refunded Amount": None,
        "Vendor": None,
        "Outstanding Balance": None,
        "Employee": None,
        "Location": None,
        "Device ID": None,
        "Id": "external_id",
        "Tags": None,
        "Risk Level": None,
        "Source": None,
        "Lineitem discount": None,
        "Phone": "phone",
        "Receipt Number": None,
        "Duties": None,
        "Payment ID": None,
        "Payment Terms Name": None,
        "Next Payment Due At": None,
        "Payment References": None,
    },
    numbered={"Tax {n} Name": "tax_name", "Tax {n} Value": "tax_value"},
)

WOOCOMMERCE_ORDERS = Profile(
    key="woocommerce_orders",
    kind=ORDERS,
    label=gettext_lazy("WooCommerce-tilausvienti"),
    signature=frozenset({"order_id", "order_number", "item_name"}),
    columns={
        "order_id": "external_id",
        "order_number": "number",
        "order_number_formatted": None,
        "order_date": "ordered_at",
        "status": "status",
        "shipping_total": "shipping",
        "shipping_tax_total": "shipping_tax",
        "fee_total": "fee",
        "fee_tax_total": "fee_tax",
        "tax_total": "taxes",
        "cart_discount": None,
        "order_discount": None,
        "discount_total": None,
        "order_total": "total",
        "refunded_total": None,
        "order_currency": "currency",
        "payment_method": None,
        "shipping_method": None,
        "customer_id": "customer_external_id",
        "billing_email": "email",
        "billing_phone": "billing_phone",
        **_woo_address("billing", "billing"),
        **_woo_address("shipping", "delivery"),
        "customer_note": "customer_note",
        "item_id": None,
        "item_product_id": None,
        "item_name": "line_name",
        "item_sku": "line_sku",
        "item_quantity": "line_quantity",
        "item_subtotal": None,
        "item_subtotal_tax": None,
        "item_total": "line_total",
        "item_total_tax": "line_tax",
        "item_refunded": None,
        "item_meta": None,
        "shipping_items": None,
        "fee_items": None,
        "tax_items": None,
        "coupon_items": None,
        "order_notes": None,
        "download_permissions_granted": None,
    },
)

# Orders first: an order export carries customer columns too.
PROFILES = (SHOPIFY_ORDERS, WOOCOMMERCE_ORDERS, SHOPIFY_CUSTOMERS, WOOCOMMERCE_CUSTOMERS)


@dataclass
class Columns:
    """How a file's columns become register data: recognised, mapped by staff, or by aliases."""

    kind: str
    source: str
    header: list[str]
    fields: dict[str, tuple[int, ...]]
    unknown: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    numbered: dict[str, dict[int, int]] = field(default_factory=dict)

    def values(self, cells: list[str]) -> dict[str, str]:
        """Return {target: cell} of a row; a target of several columns joined or first filled."""
        values = {name: cells[i].strip() for name, i in self._single}
        for name, indices in self._several:
            filled = [cells[i].strip() for i in indices if cells[i].strip()]
            values[name] = (" " if name in JOINED else "").join(
                filled[: None if name in JOINED else 1]
            )
        return values

    @functools.cached_property
    def _single(self) -> list[tuple[str, int]]:
        return [(name, idx[0]) for name, idx in self.fields.items() if len(idx) == 1]

    @functools.cached_property
    def _several(self) -> list[tuple[str, tuple[int, ...]]]:
        return [(name, idx) for name, idx in self.fields.items() if len(idx) > 1]

    def numbered_values(self, cells: list[str], target: str) -> list[str]:
        """Return the cells of a numbered column (Tax 1 Value, Tax 2 Value, …) in order."""
        columns = self.numbered.get(target, {})
        return [cells[columns[n]].strip() for n in sorted(columns)]

    def empty_report(self) -> ImportReport:
        """Return the report of this file's import, its columns filled in and no rows yet."""
        return ImportReport(
            rows=[],
            columns=self.used(),
            ignored_columns=self.unknown,
            skipped_columns=self.skipped,
            source=self.source,
            dry_run=True,
            kind=self.kind,
        )

    def used(self) -> dict[str, str]:
        """Return {header: what it becomes, in words}, in the file's order, for the report."""
        used = [
            (i, self.header[i].strip(), str(target_label(name)))
            for name, indices in self.fields.items()
            for i in indices
        ]
        used += [
            (i, self.header[i].strip(), str(ORDER_LABELS[name]))
            for name, numbered in self.numbered.items()
            for i in numbered.values()
        ]
        return {header: label for _i, header, label in sorted(used)}


def recognise(header: list[str]) -> Profile | None:
    """Return the platform export whose own columns the header has, or None."""
    names = {name.strip() for name in header}
    return next((p for p in PROFILES if p.signature <= names), None)


def _numbered(profile: Profile, name: str) -> tuple[str, int] | None:
    for pattern, target in profile.numbered.items():
        before, after = pattern.split("{n}")
        if name.startswith(before) and name.endswith(after):
            number = name[len(before) : len(name) - len(after)]
            if number.isdigit():
                return target, int(number)
    return None


def from_profile(profile: Profile, header: list[str]) -> Columns:
    """Return the columns of a file the profile recognised."""
    columns = Columns(kind=profile.kind, source=str(profile.label), header=header, fields={})
    fields: dict[str, list[int]] = {}
    for index, raw in enumerate(header):
        name = raw.strip()
        if not name:
            continue
        if name in profile.columns:
            target = profile.columns[name]
            if target is None:
                columns.skipped.append(name)
            else:
                fields.setdefault(target, []).append(index)
        elif (numbered := _numbered(profile, name)) is not None:
            target, number = numbered
            columns.numbered.setdefault(target, {})[number] = index
        else:
            columns.unknown.append(name)
    # A field of several columns reads them in the profile's order (Phone before the address's).
    order = {name: n for n, name in enumerate(profile.columns)}
    columns.fields = {
        name: tuple(sorted(indices, key=lambda i: order[header[i].strip()]))
        for name, indices in fields.items()
    }
    return columns


def from_mapping(mapping: dict[str, str], header: list[str], source: str) -> Columns:
    """Return the columns a staff member mapped by hand ({header: register field})."""
    columns = Columns(kind=CUSTOMERS, source=source, header=header, fields={})
    stripped = [name.strip() for name in header]
    missing = sorted(set(mapping) - set(stripped))
    if missing:
        raise ImportFileError(
            _("Tiedostossa ei ole sarakkeita, jotka määrityksessä on valittu: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    bad = sorted({target for target in mapping.values() if target not in MAPPABLE})
    if bad:
        raise ImportFileError(_("Tuntematon kohde: %(names)s.") % {"names": ", ".join(bad)})
    fields: dict[str, list[int]] = {}
    for index, name in enumerate(stripped):
        if name in mapping:
            fields.setdefault(mapping[name], []).append(index)
        elif name:
            columns.unknown.append(name)
    if "external_id" not in fields and "email" not in fields:
        raise ImportFileError(
            _(
                "Valitse sarake verkkokaupan tunnisteelle tai sähköpostille, jotta rivit voi "
                "yhdistää asiakkaisiin."
            )
        )
    columns.fields = {name: tuple(indices) for name, indices in fields.items()}
    return columns


def from_aliases(header: list[str], source: str) -> Columns:
    """Return the columns of any other file, by the Finnish, Swedish and English header names."""
    mapping, ignored = map_columns(header)
    return Columns(
        kind=CUSTOMERS,
        source=source,
        header=header,
        fields={name: (index,) for name, index in mapping.items()},
        unknown=ignored,
    )


def columns_for(header: list[str], *, mapping: dict[str, str] | None, source: str) -> Columns:
    """Return how the file's columns are read: the staff's mapping, a platform, or aliases."""
    if mapping:
        return from_mapping(mapping, header, source)
    profile = recognise(header)
    if profile is not None:
        return from_profile(profile, header)
    return from_aliases(header, source)
