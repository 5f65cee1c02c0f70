"""Reading the platforms' webhook bodies into the API's shapes (integrations.serializers).

Each function takes one resource as the platform's documentation describes it (Shopify's Admin
REST resources `Customer` and `Order`, WooCommerce REST API v3 `customer` and `order`) and returns
the body the register's API would take for it, so the webhook is validated by the API's own
serializers and written by its services. Missing or null values become empty text; the
platforms' timestamps become aware datetimes.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_datetime

from customers.models import Order
from integrations.csv_import import order_rows

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def text(value: Any) -> str:
    """Return a value as stripped text; None is empty."""
    return "" if value is None else str(value).strip()


def timestamp(value: Any) -> dt.datetime | None:
    """Return a platform's timestamp as an aware datetime (WooCommerce's *_gmt have no zone)."""
    parsed = parse_datetime(text(value)) if value else None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(text(value) or "0")
    except InvalidOperation:
        return Decimal("0")


def _money(value: Any) -> Decimal:
    return _decimal(value).quantize(CENT)


def _street(first: Any, second: Any) -> str:
    return " ".join(part for part in (text(first), text(second)) if part)


def _name(address: dict) -> str:
    return text(address.get("name")) or _street(address.get("first_name"), address.get("last_name"))


@dataclass(frozen=True)
class CustomerFacts:
    """What a customer resource says beyond the API's body: when the shop's relationship with
    the customer began, and the shop's own note on them (integrations.csv_import.shop_facts)."""

    started_at: dt.datetime | None
    note: str = ""


# Shopify (Admin REST API resources, as webhooks send them).


def shopify_customer(customer: dict) -> dict[str, Any]:
    """Return the API's customer body for a Shopify Customer."""
    address = customer.get("default_address") or {}
    data = {
        "external_id": text(customer.get("id")),
        "first_name": text(customer.get("first_name")),
        "last_name": text(customer.get("last_name")),
        "email": text(customer.get("email")),
        "phone": text(customer.get("phone")) or text(address.get("phone")),
        "street_address": _street(address.get("address1"), address.get("address2")),
        "postal_code": text(address.get("zip")),
        "post_office": text(address.get("city")),
        "company": text(address.get("company")),
    }
    if text(address.get("country_code")):
        data["country"] = text(address.get("country_code"))
    return data


def shopify_customer_facts(customer: dict) -> CustomerFacts:
    """Return a Shopify Customer's `created_at` (when it was added to the shop) and `note`."""
    return CustomerFacts(
        started_at=timestamp(customer.get("created_at")), note=text(customer.get("note"))
    )


def shopify_order_buyer(order: dict) -> dict[str, Any]:
    """Return the API's customer body for an order's buyer: its customer, else (a guest order,
    with no customer account) the order's email and billing address."""
    customer = order.get("customer") or {}
    if text(customer.get("id")):
        return shopify_customer(customer)
    billing = order.get("billing_address") or {}
    return shopify_customer(
        {
            "first_name": billing.get("first_name"),
            "last_name": billing.get("last_name"),
            "email": order.get("email") or order.get("contact_email"),
            "phone": order.get("phone") or billing.get("phone"),
            "default_address": billing,
        }
    )


def _shopify_status(order: dict) -> str:
    financial = text(order.get("financial_status"))
    if order.get("cancelled_at"):
        return Order.Status.CANCELLED
    if financial == "refunded":
        return Order.Status.RETURNED
    if text(order.get("fulfillment_status")) == "fulfilled":
        return Order.Status.SHIPPED
    if financial in ("paid", "partially_refunded"):
        return Order.Status.PAID
    return Order.Status.NEW


def _shopify_rate(line: dict) -> Decimal:
    return sum((_decimal(tax.get("rate")) for tax in line.get("tax_lines") or []), Decimal("0"))


def _shopify_line(line: dict, taxes_included: bool) -> dict[str, Any]:
    rate = _shopify_rate(line)
    price = _decimal(line.get("price"))
    net = price / (1 + rate) if taxes_included else price
    return {
        "product_name": text(line.get("title")) or text(line.get("name")),
        "sku": text(line.get("sku")),
        "quantity": int(line.get("quantity") or 0),
        "unit_price": net.quantize(CENT, ROUND_HALF_UP),
        "vat_rate": (rate * 100).quantize(TENTH, ROUND_HALF_UP),
    }


def _shopify_lines(order: dict, taxes_included: bool) -> list[dict[str, Any]]:
    """Return the order's lines and, as the order import does, its discounts and shipping as
    lines of their own (a discount per VAT rate of the lines it was taken from)."""
    items = [line for line in order.get("line_items") or [] if int(line.get("quantity") or 0) > 0]
    lines = [_shopify_line(line, taxes_included) for line in items]
    if not lines:
        return lines
    discounts: dict[Decimal, Decimal] = {}
    for line in items:
        allocations = line.get("discount_allocations") or []
        amount = sum((_decimal(a.get("amount")) for a in allocations), Decimal("0"))
        if amount:
            rate = _shopify_rate(line)
            discounts[rate] = discounts.get(rate, Decimal("0")) + amount
    for rate, amount in discounts.items():
        discount = {"title": str(order_rows.DISCOUNT), "price": -amount, "quantity": 1}
        lines.append(_shopify_line({**discount, "tax_lines": [{"rate": rate}]}, taxes_included))
    for shipping in order.get("shipping_lines") or []:
        if _decimal(shipping.get("price")):
            charge = {**shipping, "title": str(order_rows.SHIPPING), "sku": "", "quantity": 1}
            lines.append(_shopify_line(charge, taxes_included))
    order_rows.round_to_total(lines, _money(order.get("total_price")))
    return order_rows.order_line_values(lines)


def shopify_order(order: dict) -> dict[str, Any]:
    """Return the API's order body for a Shopify Order (its customer given by Shopify's id)."""
    billing = order.get("billing_address") or {}
    shipping = order.get("shipping_address") or billing
    taxes_included = bool(order.get("taxes_included"))
    data = {
        "external_id": text(order.get("id")),
        "number": text(order.get("name")) or text(order.get("order_number")),
        "customer": text((order.get("customer") or {}).get("id")),
        "status": _shopify_status(order),
        "billing_name": _name(billing),
        "billing_street": _street(billing.get("address1"), billing.get("address2")),
        "billing_postal_code": text(billing.get("zip")),
        "billing_post_office": text(billing.get("city")),
        "billing_email": text(order.get("email")),
        "billing_phone": text(billing.get("phone")) or text(order.get("phone")),
        "delivery_name": _name(shipping),
        "delivery_street": _street(shipping.get("address1"), shipping.get("address2")),
        "delivery_postal_code": text(shipping.get("zip")),
        "delivery_post_office": text(shipping.get("city")),
        "customer_note": text(order.get("note")),
        "lines": _shopify_lines(order, taxes_included),
    }
    if text(shipping.get("country_code")):
        data["delivery_country"] = text(shipping.get("country_code"))
    ordered_at = timestamp(order.get("processed_at") or order.get("created_at"))
    if ordered_at:
        data["ordered_at"] = ordered_at.isoformat()
    return data


# WooCommerce (REST API v3 resources, as webhooks send them).

_WOOCOMMERCE_STATUS = {
    "processing": Order.Status.PAID,
    "completed": Order.Status.SHIPPED,
    "cancelled": Order.Status.CANCELLED,
    "refunded": Order.Status.RETURNED,
}


def woocommerce_customer(customer: dict) -> dict[str, Any]:
    """Return the API's customer body for a WooCommerce customer."""
    billing = customer.get("billing") or {}
    data = {
        "external_id": text(customer.get("id")),
        "first_name": text(customer.get("first_name")) or text(billing.get("first_name")),
        "last_name": text(customer.get("last_name")) or text(billing.get("last_name")),
        "email": text(customer.get("email")) or text(billing.get("email")),
        "phone": text(billing.get("phone")),
        "street_address": _street(billing.get("address_1"), billing.get("address_2")),
        "postal_code": text(billing.get("postcode")),
        "post_office": text(billing.get("city")),
        "company": text(billing.get("company")),
    }
    if text(billing.get("country")):
        data["country"] = text(billing.get("country"))
    return data


def woocommerce_customer_facts(customer: dict) -> CustomerFacts:
    """Return when a WooCommerce customer was created (`date_created_gmt`, in UTC); WooCommerce
    keeps no note on a customer."""
    return CustomerFacts(started_at=timestamp(customer.get("date_created_gmt")))


def _woocommerce_lines(order: dict) -> list[dict[str, Any]]:
    """Return the order's lines as the order import reads them: each line's total after
    discounts and its tax (the rate snapped to a Finnish one), shipping and fees as lines."""
    lines = [
        {
            "product_name": text(line.get("name")),
            "sku": text(line.get("sku")),
            "quantity": int(line["quantity"]),
            **order_rows.line_of_totals(
                net=_money(line.get("total")),
                tax=_money(line.get("total_tax")),
                quantity=int(line["quantity"]),
            ),
        }
        for line in order.get("line_items") or []
        if int(line.get("quantity") or 0) > 0
    ]
    if not lines:
        return []

    def charges(key: str) -> tuple[Decimal, Decimal]:
        items = order.get(key) or []
        return (
            sum((_money(item.get("total")) for item in items), Decimal("0")),
            sum((_money(item.get("total_tax")) for item in items), Decimal("0")),
        )

    order_rows.add_charges(lines, shipping=charges("shipping_lines"), fee=charges("fee_lines"))
    order_rows.round_to_total(lines, _money(order.get("total")))
    return order_rows.order_line_values(lines)


def woocommerce_order(order: dict) -> dict[str, Any]:
    """Return the API's order body for a WooCommerce order (its customer by WooCommerce's id)."""
    billing = order.get("billing") or {}
    shipping = order.get("shipping") or {}
    if not text(shipping.get("address_1")):
        shipping = billing
    data = {
        "external_id": text(order.get("id")),
        "number": text(order.get("number")) or text(order.get("id")),
        "customer": text(order.get("customer_id")),
        "status": _WOOCOMMERCE_STATUS.get(text(order.get("status")), Order.Status.NEW),
        "billing_name": _name(billing),
        "billing_street": _street(billing.get("address_1"), billing.get("address_2")),
        "billing_postal_code": text(billing.get("postcode")),
        "billing_post_office": text(billing.get("city")),
        "billing_email": text(billing.get("email")),
        "billing_phone": text(billing.get("phone")),
        "delivery_name": _name(shipping),
        "delivery_street": _street(shipping.get("address_1"), shipping.get("address_2")),
        "delivery_postal_code": text(shipping.get("postcode")),
        "delivery_post_office": text(shipping.get("city")),
        "customer_note": text(order.get("customer_note")),
        "lines": _woocommerce_lines(order),
    }
    if text(shipping.get("country")):
        data["delivery_country"] = text(shipping.get("country"))
    ordered_at = timestamp(order.get("date_created_gmt"))
    if ordered_at:
        data["ordered_at"] = ordered_at.isoformat()
    return data


def woocommerce_order_customer(order: dict) -> dict[str, Any]:
    """Return the customer body an order's billing details give, for its customer id."""
    return woocommerce_customer({"id": order.get("customer_id"), "billing": order.get("billing")})
