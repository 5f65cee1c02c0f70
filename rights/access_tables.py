"""The copy of the data in the access package's PDF: each table of the customer's rows in full.

Every row of every exported table is printed (GDPR Art. 15(3)); a long history continues on more
pages. A table's main fields are its columns; what does not fit beside them is printed under the
row ("Laskutustiedot: …"), so nothing is left out. Values come from `rights.access_display`.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer, Order
from privacy.declaration import ModelDeclaration, linked_declarations
from rights.access_display import Lookups, display, field_label, file_name, table_name

# Each table's columns, in order, with their share of the page's width in per cent: a column
# shows one field, or several joined ("street, town").
COLUMNS: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = {
    "customers.Order": (
        (("number",), 14),
        (("ordered_at",), 17),
        (("status",), 10),
        (("invoice_state",), 14),
        (("total_net",), 14),
        (("total_vat",), 15),
        (("total_gross",), 16),
    ),
    "customers.Shipment": (
        (("order_id",), 15),
        (("carrier",), 16),
        (("tracking_code",), 27),
        (("shipped_at",), 21),
        (("delivered_at",), 21),
    ),
    "customers.ConsentEvent": (
        (("occurred_at",), 17),
        (("purpose",), 25),
        (("channel",), 15),
        (("is_granted",), 14),
        (("via",), 29),
    ),
    "customers.MarketingBan": (
        (("scope",), 24),
        (("channel",), 15),
        (("created_at",), 19),
        (("via",), 23),
        (("lifted_at",), 19),
    ),
    "customers.Disclosure": (
        (("disclosed_at",), 17),
        (("recipient",), 18),
        (("recipient_kind",), 18),
        (("fields",), 25),
        (("reason",), 22),
    ),
    "customers.CustomerNote": ((("created_at",), 18), (("kind",), 17), (("body",), 65)),
    "rights.DataSubjectRequest": (
        (("received_at",), 18),
        (("kind",), 27),
        (("channel",), 18),
        (("status",), 19),
        (("due_date",), 18),
    ),
    "rights.RequestEvent": (
        (("request_id",), 25),
        (("occurred_at",), 18),
        (("kind",), 22),
        (("message",), 35),
    ),
    "rights.CorrectionItem": (
        (("field_name",), 22),
        (("old_value",), 30),
        (("new_value",), 30),
        (("state",), 18),
    ),
    "rights.RecipientNotification": (
        (("recipient",), 25),
        (("fields",), 30),
        (("notified_at",), 20),
        (("method",), 25),
    ),
    "rights.AccessPackage": ((("created_at",), 50), (("expires_at",), 50)),
    "rights.AccessPackageDownload": (
        (("package_id",), 34),
        (("downloaded_at",), 33),
        (("file_kind",), 33),
    ),
    "rights.AuthorityRequest": (
        (("received_at",), 18),
        (("authority",), 28),
        (("legal_basis",), 34),
        (("handed_over_at",), 20),
    ),
    "integrations.ApiCallLog": (
        (("occurred_at",), 20),
        (("method",), 12),
        (("path",), 53),
        (("status_code",), 15),
    ),
}

# Fields printed together under a row, with one label for the group.
DETAIL_GROUPS: dict[str, tuple[tuple[Any, tuple[str, ...]], ...]] = {
    "customers.Order": (
        (gettext_lazy("Laskutustiedot"), Order.BILLING_FIELDS),
        (gettext_lazy("Toimitusosoite"), Order.DELIVERY_FIELDS),
    ),
}

# Rows printed under the row they belong to, one line each: an order's lines under the order, a
# shipment's tracking events under the shipment. A table cell costs the PDF renderer far more
# than a line of text, and a heavy customer has thousands of tracking events.
CHILDREN = {
    "customers.Order": ("customers.OrderLine", "order_id", gettext_lazy("Tilausrivit")),
    "customers.Shipment": (
        "customers.TrackingEvent",
        "shipment_id",
        gettext_lazy("Seurantatapahtumat"),
    ),
}


def _order_line(model, row: dict, lookups: Lookups) -> str:
    def value(name: str) -> str:
        return display(model, name, row.get(name), lookups)

    text = _("%(quantity)s × %(product)s, veroton yksikköhinta %(price)s, ALV %(vat)s") % {
        "quantity": value("quantity"),
        "product": value("product_name"),
        "price": value("unit_price_net"),
        "vat": value("vat_rate"),
    }
    sku = value("sku")
    return _("%(line)s (tuotekoodi %(sku)s)") % {"line": text, "sku": sku} if sku else text


def _tracking_event(model, row: dict, lookups: Lookups) -> str:
    values = [
        display(model, name, row.get(name), lookups)
        for name in ("occurred_at", "status", "description", "location")
    ]
    return ", ".join(v for v in values if v)


CHILD_LINES = {"customers.OrderLine": _order_line, "customers.TrackingEvent": _tracking_event}

# Fields the PDF leaves out: who on the staff wrote a note is not owed (CJEU C-579/21); the JSON
# and CSV copies keep the field.
HIDDEN = {("customers.CustomerNote", "author")}

# How a row of another table is named where a row links to it: an order line names its order.
PARENT_FIELDS = {
    "customers.Order": ("number",),
    "customers.Shipment": ("carrier", "tracking_code"),
    "rights.DataSubjectRequest": ("kind", "received_at"),
    "rights.AccessPackage": ("created_at",),
}

# Columns of sums and counts are set flush right; neither they nor moments break across lines.
NUMERIC_TYPES = (models.DecimalField, models.IntegerField)
MOMENT_TYPES = (models.DateField,)


def _style(f: models.Field | None) -> str:
    if isinstance(f, NUMERIC_TYPES):
        return "num"
    if isinstance(f, MOMENT_TYPES):
        return "when"
    return ""


@dataclass
class Row:
    # (text, its style: "num", "when" or "")
    cells: list[tuple[str, str]]
    details: list[tuple[str, str]]
    # The rows that belong to this one (an order's lines), one line of text each.
    children: list[str] = field(default_factory=list)
    children_title: str = ""

    @property
    def detail(self) -> str:
        """Return what is printed under the row: the details, then the child rows, by line."""
        lines = [" · ".join(f"{label}: {value}" for label, value in self.details)]
        if self.children:
            lines += [f"{self.children_title}:", *self.children]
        return "\n".join(line for line in lines if line)


@dataclass
class TableView:
    """One table of the customer's rows as the PDF prints it."""

    label: str
    title: str
    files: list[str]
    headers: list[tuple[str, str]]
    # Each column's share of the width, in per cent.
    widths: list[int]
    rows: list[Row]

    @property
    def count(self) -> int:
        return len(self.rows)


def _link(model: type[models.Model], column: str) -> models.ForeignKey | None:
    return next(
        (f for f in model._meta.concrete_fields if f.is_relation and f.attname == column), None
    )


def _parent_names(tables: dict[str, dict], lookups: Lookups) -> dict[str, dict[Any, str]]:
    """Return, per table that rows link to, {row id: the row's name} ("Posti JJFI123")."""
    names: dict[str, dict[Any, str]] = {}
    for decl in linked_declarations():
        fields = PARENT_FIELDS.get(decl.label)
        table = tables.get(decl.label)
        if fields is None or table is None:
            continue
        names[decl.label] = {
            row["id"]: ", ".join(
                v for v in (display(decl.model, f, row.get(f), lookups) for f in fields) if v
            )
            for row in table["rows"]
        }
    return names


def _columns(decl: ModelDeclaration, fields: list[str]) -> tuple[tuple[tuple[str, ...], int], ...]:
    """Return the table's columns with their widths; a table not laid out here shows four."""
    columns = COLUMNS.get(decl.label)
    if columns is not None:
        return columns
    shown = [name for name in fields if (decl.label, name) not in HIDDEN][:4]
    return tuple(((name,), 100 // len(shown)) for name in shown)


def _children(tables: dict[str, dict], label: str, lookups: Lookups) -> dict[Any, list[str]]:
    """Return {parent row id: its child rows as lines} for a table with CHILDREN."""
    child_label, link, _title = CHILDREN[label]
    table = tables.get(child_label)
    if table is None:
        return {}
    model = apps.get_model(child_label)
    lines: dict[Any, list[str]] = {}
    for row in table["rows"]:
        lines.setdefault(row[link], []).append(CHILD_LINES[child_label](model, row, lookups))
    return lines


def table_view(
    decl: ModelDeclaration,
    tables: dict[str, dict],
    lookups: Lookups,
    parents: dict[str, dict[Any, str]],
) -> TableView:
    """Return one exported table as rows of cells plus the fields printed under each row."""
    model = decl.model
    table = tables[decl.label]
    children = _children(tables, decl.label, lookups) if decl.label in CHILDREN else {}
    child = CHILDREN.get(decl.label)
    children_title = capfirst(str(child[2])) if child else ""
    fields = list(table["fields"])
    layout = _columns(decl, fields)
    columns = [column for column, _width in layout]
    groups = DETAIL_GROUPS.get(decl.label, ())
    placed = {name for column in columns for name in column}
    placed |= {name for _label, names in groups for name in names}
    rest = [n for n in fields if n not in placed and (decl.label, n) not in HIDDEN]

    headers = []
    for column in columns:
        link = _link(model, column[0])
        if link is not None:
            headers.append((capfirst(str(link.verbose_name)), ""))
        else:
            label = " / ".join(field_label(model, name) for name in column)
            headers.append((label, _style(model._meta.get_field(column[0]))))

    def cell(row: dict, column: tuple[str, ...]) -> str:
        link = _link(model, column[0])
        if link is not None:
            return parents.get(link.related_model._meta.label, {}).get(row.get(column[0]), "")
        values = (display(model, name, row.get(name), lookups) for name in column)
        return ", ".join(v for v in values if v)

    rows = []
    for row in table["rows"]:
        details = []
        for label, names in groups:
            values = [display(model, n, row.get(n), lookups) for n in names if n in fields]
            text = ", ".join(v for v in values if v)
            if text:
                details.append((capfirst(str(label)), text))
        for name in rest:
            text = display(model, name, row.get(name), lookups)
            # The registry's recipient repeats the name the disclosure was logged under.
            if text and not (name == "listed_recipient" and text == row.get("recipient")):
                details.append((field_label(model, name), text))
        cells = [(cell(row, c), style) for c, (_h, style) in zip(columns, headers, strict=True)]
        rows.append(Row(cells, details, children.get(row["id"], []), children_title))
    files = [file_name(decl.label)]
    if child and tables.get(child[0], {}).get("rows"):
        files.append(file_name(child[0]))
    return TableView(
        label=decl.label,
        title=table_name(model),
        files=files,
        widths=[width for _column, width in layout],
        headers=headers,
        rows=rows,
    )


def own_details(table: dict, lookups: Lookups) -> list[tuple[str, str]]:
    """Return the customer's own record as (label, value) pairs, leaving out empty fields."""
    if not table["rows"]:
        return []
    row = table["rows"][0]
    pairs = [
        (field_label(Customer, n), display(Customer, n, row[n], lookups)) for n in table["fields"]
    ]
    return [(label, value) for label, value in pairs if value]


def data_tables(tables: dict[str, dict], lookups: Lookups) -> dict[str, Any]:
    """Return what the PDF prints of the data: the own record, the tables, technical records.

    A table whose rows hold nothing exportable (login codes: hashes) is only counted.
    """
    parents = _parent_names(tables, lookups)
    nested = {child for child, _link, _title in CHILDREN.values()}
    views, technical = [], []
    own: list[tuple[str, str]] = []
    for decl in linked_declarations():
        table = tables.get(decl.label)
        if table is None or not table["rows"] or decl.label in nested:
            continue
        if decl.model is Customer:
            own = own_details(table, lookups)
        elif not table["fields"]:
            technical.append((table_name(decl.model), len(table["rows"])))
        else:
            views.append(table_view(decl, tables, lookups, parents))
    return {"own": own, "tables": views, "technical": technical}
