"""The access package (GDPR Art. 15 and 20), read from the personal-data declaration.

Machine-readable JSON of every exported declared field of every row that belongs to the customer,
CSV per table in a ZIP for portability, and a PDF that explains the data as Art. 15(1) requires.
"""

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from customers import validators as v
from customers.models import Customer
from privacy import audit, csv_export
from privacy.authority import SUPERVISORY_AUTHORITY
from privacy.declaration import ModelDeclaration, linked_declarations
from privacy.pdf import render_pdf
from privacy.vocabulary import ACCESS_PACKAGES
from rights.erasure import delete_access_packages
from rights.models import AccessPackage, AccessPackageDownload, DataSubjectRequest, RequestEvent
from statement.models import Controller, StatementDraft, StatementPart, StatementVersion

# How long a package can be downloaded: the ACCESS_PACKAGES rule, which the sweep enforces.
PACKAGE_LIFETIME = dt.timedelta(days=ACCESS_PACKAGES.in_days())
FORMAT = "rekisteri-access/1"
# The PDF lists the customer's own record in full and the newest rows of every other table; every
# row of every table is in the JSON and CSV copies, which are the copy Art. 15(3) asks for.
# WeasyPrint's time grows with the number of inline boxes, so a record is one line of text rather
# than a styled span per field: with 5,000 tracking events the PDF stays a few pages.
PDF_ROWS_PER_TABLE = 10


def _columns(decl: ModelDeclaration) -> list[str]:
    """Return the exported columns: the row id, its links to parent rows, the declared fields."""
    links = [
        f.attname
        for f in decl.model._meta.concrete_fields
        if f.is_relation and f.name in decl.not_personal and f.related_model is not Customer
    ]
    return ["id", *links, *decl.exported_fields()]


def exported_tables(customer: Customer) -> dict[str, dict[str, Any]]:
    """Return every exported declared field of every row of the customer, table by table.

    One query per declared model.
    """
    tables: dict[str, dict[str, Any]] = {}
    for decl in linked_declarations():
        if not decl.exported:
            continue
        meta = decl.model._meta
        columns = _columns(decl)
        rows = list(decl.rows_for(customer).values(*columns))
        tables[decl.label] = {
            "name": str(meta.verbose_name_plural),
            "fields": {
                name: str(meta.get_field(name).verbose_name) for name in decl.exported_fields()
            },
            "rows": rows,
        }
    return tables


def build_access_json(*, customer: Customer, tables: dict | None = None) -> bytes:
    """Return the machine-readable copy of the customer's data as UTF-8 JSON."""
    controller = Controller.current()
    document = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "controller": controller.name if controller else "",
        "customer_number": customer.number,
        "tables": tables if tables is not None else exported_tables(customer),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def build_access_archive(*, json_bytes: bytes, tables: dict) -> bytes:
    """Return a ZIP of the JSON copy and one CSV per table, for portability (GDPR Art. 20)."""
    buffer = io.BytesIO()
    # The fastest deflate level: the archive is a short-lived download, not long-term storage.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("tiedot.json", json_bytes)
        for label, table in tables.items():
            out = io.StringIO()
            writer = csv_export.writer(out)
            rows = table["rows"]
            columns = list(rows[0]) if rows else ["id", *table["fields"]]
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_csv_value(row[c]) for c in columns])
            # With a byte-order mark, spreadsheet programs read the Finnish letters right.
            archive.writestr(f"{label}.csv", out.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()


def _display(field: models.Field, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    choices = dict(field.flatchoices) if field.choices else None
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return _("kyllä") if value else _("ei")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True)
    return str(value)


def _unique(values: Iterable) -> list:
    return list(dict.fromkeys(values))


def _pairs(meta, labels: dict[str, str], row: dict) -> list[tuple[str, str]]:
    """Return one row as (label, shown value) pairs, leaving out empty fields."""
    pairs = [(labels[name], _display(meta.get_field(name), row[name])) for name in labels]
    return [(capfirst(label), value) for label, value in pairs if value]


def _record(meta, labels: dict[str, str], row: dict) -> str:
    """Return one row as a line of text: "Label: value · Label: value"."""
    return " · ".join(f"{label}: {value}" for label, value in _pairs(meta, labels, row))


def _statement_parts(language: str) -> dict[str, Any]:
    """Return what the controller's statement says of recipients, transfers and automation."""
    draft = StatementDraft.objects.order_by("pk").first()
    if draft is None:
        return {"recipients": [], "outside": [], "automated": ""}
    recipients = list(draft.recipients.all())
    return {
        "recipients": [
            (r.name(language) or r.name_fi, r.get_role_display(), r.is_outside_eea)
            for r in recipients
        ],
        "outside": [
            (r.name(language) or r.name_fi, r.get_safeguard_display())
            for r in recipients
            if r.is_outside_eea
        ],
        "automated": draft.text(StatementPart.AUTOMATED_DECISIONS, language),
    }


def access_context(*, customer: Customer, tables: dict) -> dict[str, Any]:
    """Return what the PDF says: the data and the answers GDPR Art. 15(1) asks for.

    One existence query per declared model without an exported table, plus the statement's
    recipients and the disclosure log.
    """
    used_fields = []
    sections = []
    own = None
    for decl in linked_declarations():
        table = tables.get(decl.label)
        if table is None:
            if decl.rows_for(customer).exists():
                used_fields += list(decl.fields.values())
            continue
        if not table["rows"]:
            continue
        used_fields += list(decl.fields.values())
        meta = decl.model._meta
        if decl.model is Customer:
            own = _pairs(meta, table["fields"], table["rows"][0])
            continue
        newest = table["rows"][::-1][:PDF_ROWS_PER_TABLE]
        sections.append(
            {
                "name": table["name"],
                "file": f"{decl.label}.csv",
                "count": len(table["rows"]),
                "rows": [_record(meta, table["fields"], row) for row in newest],
                "more": max(0, len(table["rows"]) - PDF_ROWS_PER_TABLE),
                "categories": _unique(str(decl.fields[n].category.label) for n in table["fields"]),
            }
        )
    purposes = _unique(p for f in used_fields for p in f.purposes)
    language = translation.get_language() or "fi"
    version = StatementVersion.latest()
    return {
        "controller": Controller.current(),
        "customer_number": v.format_customer_number(customer.number),
        "generated_at": timezone.localtime(),
        "own": own or [],
        "sections": sections,
        "purposes": purposes,
        "categories": sorted(_unique(f.category for f in used_fields), key=lambda c: c.order),
        "sources": _unique(f.source for f in used_fields),
        "retentions": _unique(f.retention for f in used_fields),
        "disclosures": list(customer.disclosures.order_by("disclosed_at")),
        "statement": _statement_parts(language),
        "authority": SUPERVISORY_AUTHORITY.one_line(),
        "statement_url": (
            settings.SITE_URL.rstrip("/") + version.get_absolute_url() if version else ""
        ),
        "expires_on": timezone.localdate() + PACKAGE_LIFETIME,
    }


def _language(customer: Customer) -> str:
    return customer.preferred_language or "fi"


def build_access_pdf(*, customer: Customer, tables: dict) -> bytes:
    """Return the human-readable access reply in the customer's language."""
    language = _language(customer)
    with translation.override(language):
        context = access_context(customer=customer, tables=tables)
        html = render_to_string("rights/access_package.html", context)
        title = _("Henkilötietosi rekisterissämme")
        author = context["controller"].name if context["controller"] else ""
    return render_pdf(html, title=title, author=author, language=language)


def build_access_files(*, customer: Customer) -> dict[str, bytes]:
    """Return the package's files by name: the JSON copy, the ZIP and the PDF.

    The field names in the JSON and the PDF are in the customer's language.
    """
    with translation.override(_language(customer)):
        tables = exported_tables(customer)
        json_bytes = build_access_json(customer=customer, tables=tables)
    return {
        "tiedot.json": json_bytes,
        "tiedot.zip": build_access_archive(json_bytes=json_bytes, tables=tables),
        "tiedot.pdf": build_access_pdf(customer=customer, tables=tables),
    }


@transaction.atomic
def create_access_package(
    *, customer: Customer, case: DataSubjectRequest | None = None, user=None
) -> AccessPackage:
    """Build and store the customer's access package, downloadable for seven days."""
    files = build_access_files(customer=customer)
    package = AccessPackage(
        customer=customer,
        request=case,
        created_by=user,
        expires_at=timezone.now() + PACKAGE_LIFETIME,
    )
    stem = package.token[:20]
    package.json_file.save(f"{stem}.json", ContentFile(files["tiedot.json"]), save=False)
    package.archive_file.save(f"{stem}.zip", ContentFile(files["tiedot.zip"]), save=False)
    package.pdf_file.save(f"{stem}.pdf", ContentFile(files["tiedot.pdf"]), save=False)
    try:
        # The package, its audit entry and the request's event are stored together or not at
        # all, and files whose row was not stored are removed with it.
        with transaction.atomic():
            package.save()
            audit.record(
                actor=user,
                action=audit.AuditEntry.Action.EXPORT,
                customer_id=customer.pk,
                object_label=audit.object_label(package),
                details={"access_package": package.pk, "request": case.pk if case else None},
            )
            if case is not None:
                RequestEvent.objects.create(
                    request=case,
                    kind=RequestEvent.Kind.ACCESS_PACKAGE,
                    actor=user,
                    message=(
                        f"Voimassa {timezone.localtime(package.expires_at):%d.%m.%Y %H:%M} asti."
                    ),
                )
    except BaseException:
        for stored in (package.json_file, package.archive_file, package.pdf_file):
            stored.delete(save=False)
        raise
    return package


PACKAGE_FILES = {"json": "json_file", "zip": "archive_file", "pdf": "pdf_file"}


@transaction.atomic
def record_package_download(*, package: AccessPackage, file_kind: str, user=None, http=None):
    """Log a download of one file of a live package and return that file.

    A staff member's download is also an export in the audit log; `http` is the HTTP request,
    for the address it came from.
    """
    if package.is_expired:
        raise AccessPackage.DoesNotExist
    staff = user if user is not None and user.is_authenticated else None
    AccessPackageDownload.objects.create(package=package, file_kind=file_kind, downloaded_by=staff)
    if staff is not None:
        audit.record(
            actor=staff,
            action=audit.AuditEntry.Action.EXPORT,
            customer_id=package.customer_id,
            object_label=audit.object_label(package),
            details={"access_package": package.pk, "file": file_kind},
            request=http,
        )
    return getattr(package, PACKAGE_FILES[file_kind])


def prune_access_packages(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete expired access packages and their files (ACCESS_PACKAGES); return how many went."""
    expired = AccessPackage.objects.filter(expires_at__lte=now or timezone.now())
    if dry_run:
        return expired.count()
    with transaction.atomic():
        return delete_access_packages(packages=expired)
