"""Planning an import: which rows create, change or leave a customer, checked before any write."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from customers import validators as v
from customers.models import LOOKUP_CHUNK, Customer
from integrations.csv_import import consents
from integrations.csv_import.platforms import (
    CONSENT_PREFIX,
    MAPPABLE,
    NOTE,
    Columns,
    columns_for,
)
from integrations.csv_import.reading import (
    ERASED_CUSTOMER,
    FIELD_LABELS,
    HEADER_ALIASES,
    ImportProgress,
    ImportReport,
    NoProgress,
    RowAction,
    RowResult,
    clean_row,
    decode,
    read_rows,
)
from integrations.csv_import.shop_facts import earlier_start, is_kept, kept_notes, note_body
from rights.ledger import erased_shop_ids


def _load_existing(rows: list[tuple[RowResult, dict]]) -> tuple[dict, dict]:
    """Return the active customers the rows can match, by external id and by email."""
    external_ids = [values["external_id"] for _r, values in rows if values.get("external_id")]
    emails = [values["email"] for _r, values in rows if values.get("email")]
    by_external_id: dict[str, dict] = {}
    by_email: dict[str, dict] = {}
    # Plain rows of only what the import compares or writes: a re-run matches every row, and
    # building 100,000 model instances would cost seconds; instances are made only for updates.
    active = Customer.objects.active().values("id", "country", "created_at", *HEADER_ALIASES)
    for i in range(0, len(external_ids), LOOKUP_CHUNK):
        for row in active.filter_in("external_id", external_ids[i : i + LOOKUP_CHUNK]):
            by_external_id[row["external_id"]] = row
            if row["email"]:
                by_email[row["email"]] = row
    # A re-run finds every email already through its external id; look up only the rest.
    emails = [email for email in emails if email not in by_email]
    for i in range(0, len(emails), LOOKUP_CHUNK):
        for row in active.filter_in("email", emails[i : i + LOOKUP_CHUNK]):
            row = by_external_id.get(row["external_id"], row)
            by_email[row["email"]] = row
    return by_external_id, by_email


def _refuse_erased(rows: list[tuple[RowResult, dict]]) -> list[tuple[RowResult, dict]]:
    """Reject the rows of customers the register has erased; return the others.

    The shop's export may still hold a person the register erased (the shop has not processed
    the erasure request yet): importing the row would bring them back.
    """
    erased = erased_shop_ids([values.get("external_id", "") for _r, values in rows])
    if not erased:
        return rows
    kept = []
    for result, values in rows:
        if values.get("external_id") in erased:
            result.action = RowAction.REJECT
            result.reasons.append(str(ERASED_CUSTOMER))
        else:
            kept.append((result, values))
    return kept


def read_file(data: bytes, *, mapping: dict[str, str] | None = None, source: str = ""):
    """Return how the file's columns are read, and its rows (line number, cells)."""
    header, _delimiter, raw_rows = read_rows(decode(data))
    return columns_for(header, mapping=mapping, source=source), raw_rows


def plan_import(data: bytes, progress: ImportProgress | None = None) -> "ImportPlan":
    """Return what importing a customers file would create and update (writes nothing)."""
    columns, raw_rows = read_file(data)
    return plan_customers(columns, raw_rows, progress)


@dataclass
class ImportPlan:
    report: ImportReport
    # New customers stay plain dicts: building 100,000 model instances costs seconds.
    to_create: list[dict]
    to_update: list[Customer]
    # Names of the fields that change, per customer id (for the audit log) and in all.
    changes: dict[int, list[str]]
    fields: set[str]
    # Consent events to record: (index in to_create or None, customer id or None, channel,
    # granted, evidence).
    consents: list[tuple[int | None, int | None, str, bool, str]] = field(default_factory=list)
    # Customer-service notes to add: (index in to_create or None, customer id or None, body).
    notes: list[tuple[int | None, int | None, str]] = field(default_factory=list)


def _permissions(raw: dict[str, str], columns: Columns) -> tuple[list, list[str]]:
    """Pop the row's marketing permission cells; return them and the reasons they fail."""
    permissions, reasons = [], []
    for name in [n for n in raw if n.startswith(CONSENT_PREFIX)]:
        value = raw.pop(name)
        header = columns.header[columns.fields[name][0]].strip()
        try:
            is_granted = consents.parse_permission(value)
        except ValidationError as exc:
            reasons.extend(f"{MAPPABLE[name]}: {m}" for m in exc.messages)
            continue
        if is_granted is not None:
            channel = name.removeprefix(CONSENT_PREFIX)
            permissions.append(consents.Permission(channel, is_granted, header, value))
    return permissions, reasons


def _note(raw: dict[str, str]) -> tuple[str, list[str]]:
    """Pop the row's customer-service note; return its text and what fails."""
    value = raw.pop(NOTE, "").strip()
    if not value:
        return "", []
    if "\x00" in value:
        failure = _("Arvossa on NUL-merkki (0x00), jota ei voi tallentaa.")
        return "", [f"{MAPPABLE[NOTE]}: {failure}"]
    return value, []


def plan_customers(
    columns: Columns, raw_rows: list[tuple[int, list[str]]], progress: ImportProgress | None = None
) -> ImportPlan:
    """Check every row and return what importing the file would create and update.

    Reads the database (matching customers) but writes nothing.
    """
    progress = progress or NoProgress()
    header = columns.header
    progress.start(len(raw_rows))
    report = columns.empty_report()
    checked: list[tuple[RowResult, dict]] = []
    permissions: dict[int, list[consents.Permission]] = {}
    notes: dict[int, str] = {}
    seen_external_id: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    duplicate_checks = (
        ("external_id", seen_external_id, _("Sama tunniste on jo rivillä %(row)s.")),
        ("email", seen_email, _("Sama sähköpostiosoite on jo rivillä %(row)s.")),
    )
    for n, (line, cells) in enumerate(raw_rows, start=1):
        result = RowResult(row=line, action=RowAction.CREATE)
        report.rows.append(result)
        if len(cells) != len(header):
            result.action = RowAction.REJECT
            result.reasons.append(
                _("Rivillä on %(cells)s saraketta, otsikkorivillä %(header)s.")
                % {"cells": len(cells), "header": len(header)}
            )
        else:
            raw = columns.values(cells)
            row_permissions, permission_reasons = _permissions(raw, columns)
            note, note_reasons = _note(raw)
            values, result.reasons = clean_row(raw)
            result.reasons.extend([*permission_reasons, *note_reasons])
            if note:
                notes[line] = note
            if row_permissions:
                permissions[line] = row_permissions
            result.external_id = values.get("external_id", "")
            for key, seen, message in duplicate_checks:
                if values.get(key):
                    if values[key] in seen:
                        result.reasons.append(message % {"row": seen[values[key]]})
                    else:
                        seen[values[key]] = line
            if result.reasons:
                result.action = RowAction.REJECT
            else:
                checked.append((result, values))
        if n % 1000 == 0:
            progress.advance(1000)
    progress.advance(len(raw_rows) % 1000)

    checked = _refuse_erased(checked)
    by_external_id, by_email = _load_existing(checked)
    plan = ImportPlan(report=report, to_create=[], to_update=[], changes={}, fields=set())
    matchable = sorted({row["id"] for row in [*by_external_id.values(), *by_email.values()]})
    state, banned = consents.load_state(matchable if permissions else [])

    noted = kept_notes(matchable) if notes else set()

    def plan_records(result: RowResult, create_index: int | None, pk: int | None) -> list[str]:
        """Plan the row's consent events and note; return which kinds of record it adds."""
        added = []
        for permission in permissions.get(result.row, ()):
            decision = consents.decide(permission, customer_id=pk, state=state, banned=banned)
            if decision is not None:
                evidence = permission.evidence(columns.source)
                plan.consents.append((create_index, pk, permission.channel, decision, evidence))
                added = ["consents"]
        note = notes.get(result.row)
        source = columns.source
        if note and (pk is None or not is_kept(noted, customer_id=pk, source=source, text=note)):
            # The same export again (or the shop's webhook before it) adds no second copy.
            plan.notes.append((create_index, pk, note_body(source=source, text=note)))
            added.append("notes")
        return added

    matched: dict[int, int] = {}
    for result, values in checked:
        external_id, email = values.get("external_id"), values.get("email")
        customer = by_external_id.get(external_id) if external_id else None
        holder = by_email.get(email) if email else None
        if holder is not None and holder is not customer:
            if customer is not None or (
                holder["external_id"] and holder["external_id"] != external_id
            ):
                result.action = RowAction.REJECT
                result.reasons.append(_("Sähköpostiosoite on jo toisen asiakkaan käytössä."))
                continue
            customer = holder
        if customer is None:
            plan_records(result, len(plan.to_create), None)
            plan.to_create.append(values)
            continue
        pk = customer["id"]
        if pk in matched:
            result.action = RowAction.REJECT
            result.reasons.append(
                _("Rivi osuu samaan asiakkaaseen kuin rivi %(row)s.") % {"row": matched[pk]}
            )
            continue
        matched[pk] = result.row
        # The relationship's start moves only back: a later export's date does not move it on.
        if "created_at" in values and not earlier_start(
            known=customer["created_at"], given=values["created_at"]
        ):
            del values["created_at"]
        changes = {name: value for name, value in values.items() if customer[name] != value}
        if "postal_code" in changes or "country" in changes:
            country = values.get("country", customer["country"])
            try:
                v.normalise_postal_code(values.get("postal_code", customer["postal_code"]), country)
            except ValidationError as exc:
                result.action = RowAction.REJECT
                result.reasons.extend(f"{FIELD_LABELS['postal_code']}: {m}" for m in exc.messages)
                continue
        records = plan_records(result, None, pk)
        if not changes:
            if records:
                result.action = RowAction.UPDATE
                plan.changes[pk] = records
            else:
                result.action = RowAction.UNCHANGED
            continue
        result.action = RowAction.UPDATE
        # bulk_update writes the union of changed fields, so the instance carries every loaded
        # value, not only its own changes.
        plan.to_update.append(Customer(**{**customer, **changes}))
        plan.fields.update(changes)
        plan.changes[pk] = sorted([*changes, *records])
    return plan
