"""Importing a platform's order export: orders with their lines and VAT, all-or-nothing.

An order is matched by the platform's order id (kept as its external id), so the same file
twice changes nothing. Its buyer is the customer with the platform's customer id, else with the
order's email; a buyer the register does not have yet becomes a customer from the order's
billing details. The order date is the voucher's date: its accounting retention
(ACCOUNTING_VOUCHERS, counted from `ordered_at`) follows from it, as for any order.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import LOOKUP_CHUNK, Customer, Order, OrderLine
from integrations.csv_import.copy import allocate_ids, copy_values
from integrations.csv_import.new_customers import create_customers
from integrations.csv_import.order_rows import (
    OrderGroup,
    RowError,
    group_rows,
    order_lines,
    order_values,
)
from integrations.csv_import.platforms import Columns
from integrations.csv_import.reading import (
    ERASED_CUSTOMER,
    ImportProgress,
    ImportReport,
    NoProgress,
    RowAction,
    RowResult,
    clean_row,
)
from integrations.services import LINE_FIELDS
from privacy import audit
from privacy.models import AuditEntry
from rights.ledger import erased_shop_ids

ORDER_FIELDS = (
    "customer_id",
    "number",
    "ordered_at",
    "status",
    "invoice_state",
    *Order.BILLING_FIELDS,
    *Order.DELIVERY_FIELDS,
    "customer_note",
)


@dataclass
class PlannedOrder:
    external_id: str
    values: dict
    lines: list[dict]
    # The buyer: an existing customer's id, or an index into OrderPlan.new_customers.
    customer_id: int | None = None
    new_customer: int | None = None
    pk: int | None = None  # an existing order that changes


@dataclass
class OrderPlan:
    report: ImportReport
    new_customers: list[dict] = field(default_factory=list)
    to_create: list[PlannedOrder] = field(default_factory=list)
    to_update: list[PlannedOrder] = field(default_factory=list)


def _buyer_values(values: dict[str, str], order: dict) -> tuple[dict, list[str]]:
    """Return a new customer's values from the order's billing details, and what fails."""
    first, last = values.get("billing_first_name", ""), values.get("billing_last_name", "")
    if not (first or last) and order["billing_name"]:
        first, _sep, last = order["billing_name"].rpartition(" ")
        first, last = (first, last) if first else (last, "")
    external_id = values.get("customer_external_id", "").strip()
    return clean_row(
        {
            "external_id": "" if external_id in ("", "0") else external_id,
            "first_name": first,
            "last_name": last,
            "email": order["billing_email"],
            "phone": order["billing_phone"],
            "company": values.get("billing_company", ""),
            "street_address": order["billing_street"],
            "postal_code": order["billing_postal_code"],
            "post_office": order["billing_post_office"],
            "country": values.get("billing_country", "") or "FI",
        }
    )


def _any(queryset: QuerySet, column: str, values: list) -> QuerySet:
    """Return the rows whose column is one of the values: `filter(<column>__in=values)`, on
    PostgreSQL as one array parameter (`= ANY(%s)`), which is parsed in milliseconds."""
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{column}__in": values})
    model = queryset.model
    quote = connection.ops.quote_name
    name = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(column).column)}"
    # The column's name from the model, the values as one parameter.
    return queryset.filter(
        RawSQL(f"{name} = ANY(%s)", [values], output_field=BooleanField())  # noqa: S611
    )


def _lookup(model, column: str, keys: list[str], fields: tuple[str, ...]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    rows = model.objects.all() if model is Order else Customer.objects.active()
    for i in range(0, len(keys), LOOKUP_CHUNK):
        for row in _any(rows, column, keys[i : i + LOOKUP_CHUNK]).values("id", *fields):
            found[row[column]] = row
    return found


def _existing_lines(order_ids: list[int]) -> dict[int, list[tuple]]:
    lines: dict[int, list[tuple]] = {}
    for i in range(0, len(order_ids), LOOKUP_CHUNK):
        chunk = order_ids[i : i + LOOKUP_CHUNK]
        rows = _any(OrderLine.objects.all(), "order_id", chunk).order_by("order_id", "id")
        for order_id, *key in rows.values_list("order_id", *LINE_FIELDS):
            lines.setdefault(order_id, []).append(tuple(key))
    return lines


def _line_keys(lines: list[dict]) -> list[tuple]:
    return [tuple(line[name] for name in LINE_FIELDS) for line in lines]


def _read_group(
    columns: Columns, group: OrderGroup
) -> tuple[dict[str, str], dict, list[dict], str]:
    _first_line, first_cells = group.rows[0]
    if len(first_cells) != len(columns.header):
        raise RowError(
            _("Rivillä on %(cells)s saraketta, otsikkorivillä %(header)s.")
            % {"cells": len(first_cells), "header": len(columns.header)}
        )
    # The order's own columns: the first filled cell of each (Shopify fills only the first row).
    rows = [(line, columns.values(cells)) for line, cells in group.rows]
    values: dict[str, str] = {}
    for _line, row in rows:
        for name, value in row.items():
            if value and not values.get(name):
                values[name] = value
    order = order_values(values)
    lines = order_lines(columns, group, rows, values)
    external_id = values.get("external_id", "").strip() or order["number"]
    if not external_id or not order["number"]:
        raise RowError(_("Tilaukselta puuttuu tilausnumero tai tunniste."))
    return values, order, lines, external_id


def plan_orders(
    columns: Columns, raw_rows: list[tuple[int, list[str]]], progress: ImportProgress | None = None
) -> OrderPlan:
    """Check every order of the file and return what importing it would create and change.

    Reads the database (customers and orders it matches) but writes nothing.
    """
    progress = progress or NoProgress()
    groups = group_rows(columns, raw_rows)
    progress.start(len(groups))
    report = columns.empty_report()
    plan = OrderPlan(report=report)
    read: list[tuple[RowResult, dict[str, str], PlannedOrder]] = []
    seen: dict[str, int] = {}
    for n, group in enumerate(groups, start=1):
        result = RowResult(row=group.rows[0][0], action=RowAction.CREATE)
        report.rows.append(result)
        try:
            values, order, lines, external_id = _read_group(columns, group)
        except RowError as exc:
            result.action, result.reasons = RowAction.REJECT, [str(exc)]
            continue
        result.external_id = external_id
        if external_id in seen:
            result.action = RowAction.REJECT
            result.reasons.append(
                _("Sama tilaus on jo rivillä %(row)s.") % {"row": seen[external_id]}
            )
            continue
        seen[external_id] = result.row
        read.append((result, values, PlannedOrder(external_id, order, lines)))
        if n % 1000 == 0:
            progress.advance(1000)
    progress.advance(len(groups) % 1000)
    _match(plan, read)
    return plan


def _match(plan: OrderPlan, read: list[tuple[RowResult, dict[str, str], PlannedOrder]]) -> None:
    """Find each order's buyer and existing order, and decide what the order does."""
    by_external = _lookup(
        Customer,
        "external_id",
        sorted({v["customer_external_id"] for _r, v, _o in read if v.get("customer_external_id")}),
        ("external_id",),
    )
    by_email = _lookup(
        Customer, "email", sorted({o.values["billing_email"] for *_x, o in read} - {""}), ("email",)
    )
    existing = _lookup(
        Order, "external_id", [o.external_id for *_x, o in read], (*ORDER_FIELDS, "external_id")
    )
    numbers = _lookup(
        Order, "number", [o.values["number"] for *_x, o in read], ("number", "external_id")
    )
    lines = _existing_lines([row["id"] for row in existing.values()])
    erased = erased_shop_ids([v.get("customer_external_id", "") for _r, v, _o in read])
    new_buyers: dict[str, int] = {}
    for result, values, planned in read:
        if erased and values.get("customer_external_id", "").strip() in erased:
            # The shop has not erased a buyer the register erased: the order would recreate them.
            result.action = RowAction.REJECT
            result.reasons.append(str(ERASED_CUSTOMER))
            continue
        taken = numbers.get(planned.values["number"])
        if taken is not None and taken["external_id"] != planned.external_id:
            result.action = RowAction.REJECT
            result.reasons.append(
                _("Tilausnumero %(number)s on jo toisella tilauksella.")
                % {"number": planned.values["number"]}
            )
            continue
        buyer = by_external.get(values.get("customer_external_id", "")) or by_email.get(
            planned.values["billing_email"]
        )
        if buyer is not None:
            planned.customer_id = buyer["id"]
        else:
            key = planned.values["billing_email"] or values.get("customer_external_id", "")
            if key in new_buyers:
                planned.new_customer = new_buyers[key]
            else:
                buyer_values, reasons = _buyer_values(values, planned.values)
                if reasons:
                    result.action, result.reasons = RowAction.REJECT, reasons
                    continue
                planned.new_customer = new_buyers[key] = len(plan.new_customers)
                plan.new_customers.append(buyer_values)
        current = existing.get(planned.external_id)
        if current is None:
            plan.to_create.append(planned)
            continue
        planned.pk = current["id"]
        if planned.customer_id is None or planned.customer_id != current["customer_id"]:
            result.action = RowAction.REJECT
            result.reasons.append(_("Tilaus on rekisterissä toisen asiakkaan tilauksena."))
            continue
        same_values = all(current[name] == value for name, value in planned.values.items())
        if same_values and lines.get(planned.pk, []) == _line_keys(planned.lines):
            result.action = RowAction.UNCHANGED
            continue
        result.action = RowAction.UPDATE
        plan.to_update.append(planned)


def _totals(lines: list[dict]) -> dict:
    net = vat = 0
    for line in lines:
        line_net, line_vat = OrderLine.totals_of(
            line["unit_price_net"], line["quantity"], line["vat_rate"]
        )
        net, vat = net + line_net, vat + line_vat
    return {"total_net": net, "total_vat": vat, "total_gross": net + vat}


def _create_orders(orders: list[PlannedOrder]) -> list[int]:
    """Insert the new orders and their lines; return the orders' ids."""
    if connection.vendor != "postgresql":
        ids = []
        for planned in orders:
            order = Order.objects.create(**planned.values, **_totals(planned.lines))
            OrderLine.objects.bulk_create(OrderLine(order=order, **line) for line in planned.lines)
            ids.append(order.pk)
        return ids
    ids = allocate_ids(Order, len(orders))
    now = timezone.now()
    copy_values(
        Order,
        (
            {"id": pk, **planned.values, **_totals(planned.lines), "created_at": now}
            for pk, planned in zip(ids, orders, strict=True)
        ),
    )
    copy_values(
        OrderLine,
        (
            {"order_id": pk, **line}
            for pk, planned in zip(ids, orders, strict=True)
            for line in planned.lines
        ),
    )
    return ids


def write_orders(plan: OrderPlan, *, actor, actor_label: str, details: dict) -> None:
    """Write the planned orders, their new buyers and their audit entries (in the caller's
    transaction); move each buyer's last activity to their newest order."""
    created = list(
        create_customers(
            plan.new_customers, actor=actor, actor_label=actor_label, details=details
        ).values()
    )
    for planned in plan.to_create:
        if planned.new_customer is not None:
            planned.customer_id = created[planned.new_customer]
        planned.values["customer_id"] = planned.customer_id
        planned.values["external_id"] = planned.external_id
    ids = _create_orders(plan.to_create)
    for planned in plan.to_update:
        Order.objects.filter(pk=planned.pk).update(**planned.values, **_totals(planned.lines))
        OrderLine.objects.filter(order_id=planned.pk).delete()
        OrderLine.objects.bulk_create(
            OrderLine(order_id=planned.pk, **line) for line in planned.lines
        )
    audit.record_for_each(
        actor=actor,
        actor_label=actor_label,
        action=AuditEntry.Action.ADD,
        rows=_any(Order.objects.all(), "id", ids),
        details={"via": "import", **details},
        customer_field="customer_id",
    )
    audit.record_many(
        actor=actor,
        actor_label=actor_label,
        entries=[
            (
                AuditEntry.Action.CHANGE,
                planned.customer_id,
                f"customers.order:{planned.pk}",
                {"via": "import", **details},
            )
            for planned in plan.to_update
        ],
    )
    _record_activity([*plan.to_create, *plan.to_update])


def _record_activity(orders: list[PlannedOrder]) -> None:
    """Move each buyer's last activity forward to their newest imported order (never back).

    customers.services.record_activity's rule, in one statement for the whole file.
    """
    latest: dict[int, object] = {}
    for planned in orders:
        when = min(planned.values["ordered_at"], timezone.now())
        if planned.customer_id not in latest or latest[planned.customer_id] < when:
            latest[planned.customer_id] = when
    if connection.vendor != "postgresql":
        for customer_id, when in latest.items():
            Customer.objects.filter(pk=customer_id, last_activity_at__lt=when).update(
                last_activity_at=when
            )
        return
    table = connection.ops.quote_name(Customer._meta.db_table)
    with connection.cursor() as cursor:
        # The table's name from the model, the values as two array parameters.
        cursor.execute(
            f"UPDATE {table} AS c SET last_activity_at = v.at "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) "
            "WHERE c.id = v.id AND c.last_activity_at < v.at",
            [list(latest), list(latest.values())],
        )
