"""The copy of the data in the access package's PDF: each table of the customer's rows in full.

Every row of every exported table is printed (GDPR Art. 15(3)); a long history continues on more
pages. A table's main fields are its columns; what does not fit beside them is printed under the
row ("Laskutustiedot: …"), so nothing is left out. Values come from `rights.access_display`.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from customers.models import Customer, Order
from privacy.declaration import ModelDeclaration, linked_declarations
from rights.access_display import Lookups, display, field_label, file_name, table_name

# Each table's columns, in order: a column shows one field, or several joined ("street, town").
COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "customers.Order": (
        ("number",),
        ("ordered_at",),
        ("status",),
        ("invoice_state",),
        ("total_net",),
        ("total_vat",),
        ("total_gross",),
    ),
    "customers.OrderLine": (
        ("order_id",),
        ("product_name",),
        ("sku",),
        ("quantity",),
        ("unit_price_net",),
        ("vat_rate",),
    ),
    "customers.Shipment": (
        ("order_id",),
        ("carrier",),
        ("tracking_code",),
        ("shipped_at",),
        ("delivered_at",),
    ),
    "customers.TrackingEvent": (
        ("shipment_id",),
        ("occurred_at",),
        ("status",),
        ("description",),
        ("location",),
    ),
    "customers.ConsentEvent": (
        ("occurred_at",),
        ("purpose",),
        ("channel",),
        ("is_granted",),
        ("via",),
    ),
    "customers.MarketingBan": (("scope",), ("channel",), ("created_at",), ("via",), ("lifted_at",)),
    "customers.Disclosure": (
        ("disclosed_at",),
        ("recipient",),
        ("recipient_kind",),
        ("fields",),
        ("reason",),
    ),
    "customers.CustomerNote": (("created_at",), ("kind",), ("body",)),
    "rights.DataSubjectRequest": (
        ("received_at",),
        ("kind",),
        ("channel",),
        ("status",),
        ("due_date",),
    ),
    "rights.RequestEvent": (("request_id",), ("occurred_at",), ("kind",), ("message",)),
    "rights.CorrectionItem": (("field_name",), ("old_value",), ("new_value",), ("state",)),
    "rights.RecipientNotification": (("recipient",), ("fields",), ("notified_at",), ("method",)),
    "rights.AccessPackage": (("created_at",), ("expires_at",)),
    "rights.AccessPackageDownload": (("package_id",), ("downloaded_at",), ("file_kind",)),
    "rights.AuthorityRequest": (
        ("received_at",),
        ("authority",),
        ("legal_basis",),
        ("handed_over_at",),
    ),
    "integrations.ApiCallLog": (("occurred_at",), ("method",), ("path",), ("status_code",)),
}

# Fields printed together under a row, with one label for the group.
DETAIL_GROUPS: dict[str, tuple[tuple[Any, tuple[str, ...]], ...]] = {
    "customers.Order": (
        (gettext_lazy("Laskutustiedot"), Order.BILLING_FIELDS),
        (gettext_lazy("Toimitusosoite"), Order.DELIVERY_FIELDS),
    ),
}

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


@dataclass
class TableView:
    """One table of the customer's rows as the PDF prints it."""

    label: str
    title: str
    file: str
    headers: list[tuple[str, str]]
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


def _columns(decl: ModelDeclaration, fields: list[str]) -> tuple[tuple[str, ...], ...]:
    columns = COLUMNS.get(decl.label)
    if columns is not None:
        return columns
    shown = [name for name in fields if (decl.label, name) not in HIDDEN]
    return tuple((name,) for name in shown[:4])


def table_view(
    decl: ModelDeclaration,
    table: dict,
    lookups: Lookups,
    parents: dict[str, dict[Any, str]],
) -> TableView:
    """Return one exported table as rows of cells plus the fields printed under each row."""
    model = decl.model
    fields = list(table["fields"])
    columns = _columns(decl, fields)
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
        rows.append(Row(cells, details))
    return TableView(
        label=decl.label,
        title=table_name(model),
        file=file_name(decl.label),
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
    views, technical = [], []
    own: list[tuple[str, str]] = []
    for decl in linked_declarations():
        table = tables.get(decl.label)
        if table is None or not table["rows"]:
            continue
        if decl.model is Customer:
            own = own_details(table, lookups)
        elif not table["fields"]:
            technical.append((table_name(decl.model), len(table["rows"])))
        else:
            views.append(table_view(decl, table, lookups, parents))
    return {"own": own, "tables": views, "technical": technical}
