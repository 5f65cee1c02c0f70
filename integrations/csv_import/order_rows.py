"""Reading one order of a platform's order export: its rows grouped, its values and VAT.

Shopify writes one row per line item, the order's own columns on its first row only; the
WooCommerce export (one row per item) repeats them on every row. Both become an order's values
(the first filled cell of each column) and its lines with their VAT rates.
"""

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers import validators as v
from customers.models import Order, OrderLine
from integrations.csv_import.platforms import Columns

CENT = Decimal("0.01")
# The register keeps sums without a currency: in euros.
CURRENCY = "EUR"
# The VAT rates in force in Finland, and earlier ones an old order may carry.
KNOWN_RATES = (Decimal("25.5"), Decimal("24"), Decimal("14"), Decimal("13.5"), Decimal("10"))
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d",
)
# Many candidate assignments of an order's rates to its lines is a malformed file, not an order.
MAX_ASSIGNMENTS = 4096

# (status, invoice state) of Shopify's financial status; fulfilment and cancellation come after.
SHOPIFY_FINANCIAL = {
    "paid": (Order.Status.PAID, Order.InvoiceState.PAID),
    "partially_refunded": (Order.Status.PAID, Order.InvoiceState.PAID),
    "refunded": (Order.Status.RETURNED, Order.InvoiceState.PAID),
    "pending": (Order.Status.NEW, Order.InvoiceState.OPEN),
    "partially_paid": (Order.Status.NEW, Order.InvoiceState.OPEN),
    "authorized": (Order.Status.NEW, Order.InvoiceState.NONE),
    "voided": (Order.Status.CANCELLED, Order.InvoiceState.NONE),
    "expired": (Order.Status.CANCELLED, Order.InvoiceState.NONE),
}
WOOCOMMERCE_STATUS = {
    "pending": (Order.Status.NEW, Order.InvoiceState.NONE),
    "on-hold": (Order.Status.NEW, Order.InvoiceState.OPEN),
    "processing": (Order.Status.PAID, Order.InvoiceState.PAID),
    "completed": (Order.Status.SHIPPED, Order.InvoiceState.PAID),
    "cancelled": (Order.Status.CANCELLED, Order.InvoiceState.NONE),
    "refunded": (Order.Status.RETURNED, Order.InvoiceState.PAID),
    "failed": (Order.Status.CANCELLED, Order.InvoiceState.NONE),
}
# The names of the lines an order's shipping, fees, discount and rounding become.
SHIPPING = gettext_lazy("Toimitus")
FEE = gettext_lazy("Lisämaksu")
DISCOUNT = gettext_lazy("Alennus")
ROUNDING = gettext_lazy("Pyöristys")


class RowError(Exception):
    """A reason the order cannot be imported, in Finnish."""


@dataclass
class OrderGroup:
    """The rows of one order: (line number, cells)."""

    key: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def group_rows(columns: Columns, raw_rows: list[tuple[int, list[str]]]) -> list[OrderGroup]:
    """Group the file's rows by order (its number, else its id), in the file's order."""
    groups: dict[str, OrderGroup] = {}
    number = columns.fields.get("number", ())
    external_id = columns.fields.get("external_id", ())
    for line, cells in raw_rows:
        if len(cells) != len(columns.header):
            key = f"\x00{line}"  # rejected on its own (wrong number of cells)
        else:
            key = next((cells[i].strip() for i in (*number, *external_id) if cells[i].strip()), "")
            key = key or f"\x00{line}"
        groups.setdefault(key, OrderGroup(key)).rows.append((line, cells))
    return list(groups.values())


def money(value: str, label: str) -> Decimal:
    value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not value:
        return Decimal("0.00")
    try:
        return Decimal(value).quantize(CENT)
    except InvalidOperation:
        raise RowError(
            _("%(label)s: %(value)s ei ole rahasumma.") % {"label": label, "value": value}
        ) from None


def check_ordered_at(ordered_at: dt.datetime, shown: str) -> None:
    """Refuse an order placed in the future: the order time is the voucher's date, from which
    its retention is counted. The order import and the order webhooks both call this.

    The shop's clock may run a little ahead of the register's (customers.validators.CLOCK_SKEW).
    """
    if v.in_the_future(ordered_at):
        raise RowError(_("Tilausaika %(value)s on tulevaisuudessa.") % {"value": shown or "–"})


def parse_datetime(value: str) -> dt.datetime:
    """Return an order time of the export; a time without a zone is the register's (Helsinki)."""
    value = value.strip()
    for fmt in DATETIME_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            # The shop's own time, as its export writes it: the register's zone, Europe/Helsinki.
            # In the hour repeated when summer time ends the earlier of the two is taken.
            parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
        check_ordered_at(parsed, value)
        return parsed
    raise RowError(
        _("Tilausaika %(value)s ei ole muotoa 2026-12-07 14:30:00.") % {"value": value or "–"}
    )


def snap_rate(tax: Decimal, net: Decimal) -> Decimal:
    """Return the VAT rate a line's tax and net total give, as the nearest Finnish rate."""
    if not net or not tax:
        return Decimal("0")
    rate = tax * 100 / net
    nearest = min(KNOWN_RATES, key=lambda known: abs(known - rate))
    return nearest if abs(nearest - rate) <= 1 else rate.quantize(Decimal("0.1"))


@functools.lru_cache(maxsize=256)
def _rate_in(name: str) -> Decimal | None:
    """Return the rate a tax line's name gives ("FI ALV 25.5%" → 25.5), or None."""
    found = re.findall(r"(\d+(?:[.,]\d+)?)\s*%", name)
    return Decimal(found[-1].replace(",", ".")) if found else None


def _net(gross: Decimal, rate: Decimal) -> Decimal:
    return (gross * 100 / (100 + rate)).quantize(CENT)


def assign_rates(
    lines: list[dict], *, names: list[str], values: list[Decimal], included: bool
) -> None:
    """Set each line's VAT rate and net unit price from the order's tax lines (Shopify).

    Shopify's export gives the order's taxes per rate ("Tax 1 Name" ALV 25,5 %, "Tax 1 Value"),
    not per line: the rates are matched to the taxable lines so that each rate's tax adds up.
    """
    wanted: dict[Decimal, Decimal] = {}
    for name, value in zip(names, values, strict=False):
        rate = _rate_in(name)
        if value and rate is not None:
            wanted[rate] = wanted.get(rate, Decimal("0")) + value
    rates = list(wanted)
    taxed = [line for line in lines if line.pop("taxable", True)]
    for line in lines:
        line["vat_rate"] = Decimal("0")
    if not rates or not taxed:
        return
    if len(rates) ** len(taxed) > MAX_ASSIGNMENTS:
        raise RowError(_("Tilauksessa on liian monta riviä ALV-kantojen kohdistamiseen."))
    tolerance = CENT * (len(taxed) + 1)
    # Each line's VAT at each rate, computed once for every assignment tried.
    vat_at = [
        {
            rate: OrderLine.totals_of(
                _net(line["unit_price"], rate) if included else line["unit_price"],
                line["quantity"],
                rate,
            )[1]
            for rate in rates
        }
        for line in taxed
    ]
    for assignment in itertools.product(rates, repeat=len(taxed)):
        sums = dict.fromkeys(rates, Decimal("0"))
        for vats, rate in zip(vat_at, assignment, strict=True):
            sums[rate] += vats[rate]
        if all(abs(sums[rate] - wanted[rate]) <= tolerance for rate in rates):
            for line, rate in zip(taxed, assignment, strict=True):
                line["vat_rate"] = rate
            break
    else:
        raise RowError(
            _("Tilauksen verot (%(taxes)s) eivät täsmää riveihin millään ALV-kannalla.")
            % {"taxes": ", ".join(f"{n} {v}" for n, v in zip(names, values, strict=False) if v)}
        )
    for line in lines:
        if included:
            line["unit_price"] = _net(line["unit_price"], line["vat_rate"])


def order_status(values: dict[str, str]) -> tuple[str, str]:
    """Return (status, invoice state) of the export's status columns."""
    if "financial_status" in values:
        financial = values["financial_status"].strip().lower()
        status, invoice = SHOPIFY_FINANCIAL.get(
            financial, (Order.Status.NEW, Order.InvoiceState.NONE)
        )
        if values.get("fulfillment_status", "").strip().lower() == "fulfilled":
            status = Order.Status.SHIPPED if status == Order.Status.PAID else status
        if values.get("cancelled_at", "").strip():
            status = Order.Status.CANCELLED
        return status, invoice
    raw = values.get("status", "").strip().lower().removeprefix("wc-")
    return WOOCOMMERCE_STATUS.get(raw, (Order.Status.NEW, Order.InvoiceState.NONE))


def _postal(value: str, country: str, name: str) -> str:
    try:
        return v.normalise_postal_code(value, country or "FI")
    except ValidationError as exc:
        label = Order._meta.get_field(name).verbose_name
        raise RowError(f"{label}: {exc.messages[0]}") from None


def _country(value: str) -> str:
    value = value.strip().upper()
    if value and not re.fullmatch(r"[A-Z]{2}", value):
        raise RowError(_("Maakoodin pitää olla kaksi kirjainta, esim. FI."))
    return value


def _name(values: dict[str, str], prefix: str) -> str:
    return values.get(f"{prefix}_name") or " ".join(
        part
        for part in (values.get(f"{prefix}_first_name", ""), values.get(f"{prefix}_last_name", ""))
        if part
    )


def check_currency(currency: str) -> None:
    """Raise RowError for an order in any currency but the register's (an empty one is euros)."""
    currency = currency.strip().upper()
    if currency and currency != CURRENCY:
        raise RowError(
            _("Tilauksen valuutta on %(currency)s; rekisteri tallentaa summat euroina.")
            % {"currency": currency}
        )


def order_values(values: dict[str, str]) -> dict:
    """Return the order's register fields from the export's order columns."""
    check_currency(values.get("currency", ""))
    billing_country = _country(values.get("billing_country", ""))
    delivery_country = _country(values.get("delivery_country", "")) or billing_country or "FI"
    phone = values.get("billing_phone") or values.get("phone", "")
    try:
        phone = v.normalise_phone(phone)
        email = v.normalise_email(values.get("email", ""))
    except ValidationError as exc:
        raise RowError(exc.messages[0]) from None
    status, invoice_state = order_status(values)
    order = {
        "number": values.get("number", "").strip(),
        "ordered_at": parse_datetime(values.get("ordered_at", "")),
        "status": status,
        "invoice_state": invoice_state,
        "billing_name": _name(values, "billing"),
        "billing_street": values.get("billing_street", ""),
        "billing_postal_code": _postal(
            values.get("billing_postal_code", ""),
            billing_country,
            "billing_postal_code",
        ),
        "billing_post_office": values.get("billing_post_office", ""),
        "billing_email": email,
        "billing_phone": phone,
        "delivery_name": _name(values, "delivery"),
        "delivery_street": values.get("delivery_street", ""),
        "delivery_postal_code": _postal(
            values.get("delivery_postal_code", ""),
            delivery_country,
            "delivery_postal_code",
        ),
        "delivery_post_office": values.get("delivery_post_office", ""),
        "delivery_country": delivery_country,
        "customer_note": values.get("customer_note", ""),
    }
    for name, max_length in _max_lengths().items():
        if len(order[name]) > max_length:
            label = Order._meta.get_field(name).verbose_name
            raise RowError(
                _("%(label)s: enintään %(max)s merkkiä.") % {"label": label, "max": max_length}
            )
    return order


@functools.cache
def _max_lengths() -> dict[str, int]:
    names = (*Order.BILLING_FIELDS, *Order.DELIVERY_FIELDS, "number")
    return {name: Order._meta.get_field(name).max_length for name in names}


def _quantity(value: str) -> int:
    value = value.strip() or "1"
    if not value.isdigit() or int(value) < 1:
        raise RowError(_("Määrä %(value)s ei ole positiivinen kokonaisluku.") % {"value": value})
    return int(value)


def order_lines(
    columns: Columns,
    group: OrderGroup,
    rows: list[tuple[int, dict[str, str]]],
    values: dict[str, str],
) -> list[dict]:
    """Return the order's lines (product, sku, quantity, net unit price, VAT rate) from its
    rows' values (line number, {target: cell}).

    Shipping, fees and discounts become lines of their own, so the lines add up to the order.
    """
    lines: list[dict] = []
    for line_number, row in rows:
        if not row.get("line_name"):
            continue
        try:
            quantity = _quantity(row.get("line_quantity", ""))
            line = {"product_name": row["line_name"][:200], "sku": row.get("line_sku", "")[:50]}
            line["quantity"] = quantity
            if "line_total" in row:  # WooCommerce: the line's net total and its tax
                line.update(
                    line_of_totals(
                        net=money(row["line_total"], "item_total"),
                        tax=money(row.get("line_tax", ""), "item_total_tax"),
                        quantity=quantity,
                    )
                )
            else:
                line["unit_price"] = money(row.get("line_price", ""), "Lineitem price")
                line["taxable"] = row.get("line_taxable", "true").strip().lower() != "false"
        except RowError as exc:
            if line_number != group.rows[0][0]:
                raise RowError(
                    _("Rivi %(row)s: %(reason)s") % {"row": line_number, "reason": exc}
                ) from None
            raise
        lines.append(line)
    if not lines:
        raise RowError(_("Tilauksella ei ole yhtään tuoteriviä."))
    shipping = money(values.get("shipping", ""), "shipping")
    if "taxes" in values and "shipping_tax" not in values:  # Shopify
        _shopify_extras(lines, values, shipping)
        assign_rates(
            lines,
            names=columns.numbered_values(group.rows[0][1], "tax_name"),
            values=[
                money(value, "Tax Value")
                for value in columns.numbered_values(group.rows[0][1], "tax_value")
            ],
            included=_taxes_included(values),
        )
    else:
        add_charges(
            lines,
            shipping=(shipping, money(values.get("shipping_tax", ""), "shipping_tax_total")),
            fee=(
                money(values.get("fee", ""), "fee_total"),
                money(values.get("fee_tax", ""), "fee_tax_total"),
            ),
        )
    round_to_total(lines, money(values.get("total", ""), "Total"))
    return order_line_values(lines)


def line_of_totals(*, net: Decimal, tax: Decimal, quantity: int) -> dict:
    """Return the net unit price and VAT rate of a line given by its net total and its tax
    (WooCommerce's line total after discounts): the rate is the nearest Finnish rate."""
    return {"unit_price": (net / quantity).quantize(CENT), "vat_rate": snap_rate(tax, net)}


def add_charges(
    lines: list[dict], *, shipping: tuple[Decimal, Decimal], fee: tuple[Decimal, Decimal]
) -> None:
    """Add the order's shipping and fees, each (net amount, tax), as lines of their own."""
    for label, (amount, tax) in ((SHIPPING, shipping), (FEE, fee)):
        if amount:
            lines.append(_extra(str(label), amount, snap_rate(tax, amount)))


def order_line_values(lines: list[dict]) -> list[dict]:
    """Return the lines as an order's lines are written (net unit price, VAT rate)."""
    return [
        {
            "product_name": line["product_name"],
            "sku": line["sku"],
            "quantity": line["quantity"],
            "unit_price_net": line["unit_price"],
            "vat_rate": line["vat_rate"],
        }
        for line in lines
    ]


def round_to_total(lines: list[dict], total: Decimal) -> None:
    """Add a rounding line when the lines miss the export's total by cents, never more.

    The register keeps net unit prices to the cent: a price that includes VAT (12,90 at
    25,5 %) has no exact net price, and a few lines can miss the shop's total by a cent.
    """
    gross = Decimal("0")
    for line in lines:
        net, vat = OrderLine.totals_of(line["unit_price"], line["quantity"], line["vat_rate"])
        gross += net + vat
    difference = total - gross
    if total and difference and abs(difference) <= CENT * len(lines):
        lines.append(_extra(str(ROUNDING), difference, Decimal("0")))


def _extra(label: str, amount: Decimal, rate: Decimal | None = None) -> dict:
    line = {"product_name": label, "sku": "", "quantity": 1, "unit_price": amount}
    if rate is not None:
        line["vat_rate"] = rate
    return line


def _shopify_extras(lines: list[dict], values: dict[str, str], shipping: Decimal) -> None:
    if shipping:
        lines.append(_extra(str(SHIPPING), shipping))
    discount = money(values.get("discount", ""), "Discount Amount")
    if discount:
        lines.append(_extra(str(DISCOUNT), -discount))


def _taxes_included(values: dict[str, str]) -> bool:
    """Return whether the shop's prices include VAT: the total is then subtotal + shipping."""
    subtotal = money(values.get("subtotal", ""), "Subtotal")
    shipping = money(values.get("shipping", ""), "Shipping")
    taxes = money(values.get("taxes", ""), "Taxes")
    total = money(values.get("total", ""), "Total")
    return bool(taxes) and abs(subtotal + shipping - total) <= CENT
