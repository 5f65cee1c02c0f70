"""The access package (GDPR Art. 15 and 20), read from the personal-data declaration.

Machine-readable JSON of every exported declared field of every row that belongs to the customer,
CSV per table in a ZIP for portability, and a PDF that explains the data as Art. 15(1) requires.
"""

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _t

from customers import validators as v
from customers.models import Customer
from privacy import audit
from privacy.declaration import ModelDeclaration, linked_declarations
from privacy.erasure import delete_access_packages
from privacy.models import Controller
from privacy.pdf import render_pdf
from privacy.requests_models import (
    AccessPackage,
    AccessPackageDownload,
    DataSubjectRequest,
    RequestEvent,
)

PACKAGE_LIFETIME = dt.timedelta(days=7)
FORMAT = "rekisteri-access/1"
# The PDF shows this many rows per table (a page of layout costs WeasyPrint ~0.4 s); every row
# is in the JSON and CSV copies, which are the copy Art. 15(3) asks for.
PDF_ROWS_PER_TABLE = 5


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
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("tiedot.json", json_bytes)
        for label, table in tables.items():
            out = io.StringIO()
            writer = csv.writer(out)
            rows = table["rows"]
            columns = list(rows[0]) if rows else ["id", *table["fields"]]
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_csv_value(row[c]) for c in columns])
            # With a byte-order mark, spreadsheet programs read the Finnish letters right.
            archive.writestr(f"{label}.csv", out.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()


def _display(field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return "–"
    choices = dict(field.flatchoices) if field.choices else None
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return _t("kyllä") if value else _t("ei")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _unique(values: Iterable) -> list:
    return list(dict.fromkeys(values))


def access_context(*, customer: Customer, tables: dict) -> dict[str, Any]:
    """Return what the PDF says: the data and the answers GDPR Art. 15(1) asks for."""
    used_fields = []
    sections = []
    for decl in linked_declarations():
        if not decl.rows_for(customer).exists():
            continue
        used_fields += list(decl.fields.values())
        table = tables.get(decl.label)
        if table is None:
            continue
        meta = decl.model._meta
        names = list(table["fields"])
        rows = [
            [(table["fields"][n], _display(meta.get_field(n), row[n])) for n in names]
            for row in table["rows"][:PDF_ROWS_PER_TABLE]
        ]
        sections.append(
            {
                "name": table["name"],
                "count": len(table["rows"]),
                "rows": rows,
                "more": max(0, len(table["rows"]) - PDF_ROWS_PER_TABLE),
                "categories": _unique(str(decl.fields[n].category.label) for n in names),
            }
        )
    purposes = _unique(p for f in used_fields for p in f.purposes)
    return {
        "controller": Controller.current(),
        "customer_number": v.format_customer_number(customer.number),
        "generated_at": timezone.localtime(),
        "sections": sections,
        "purposes": purposes,
        "categories": sorted(_unique(f.category for f in used_fields), key=lambda c: c.order),
        "sources": _unique(f.source for f in used_fields),
        "retentions": _unique(f.retention for f in used_fields),
        "disclosures": list(customer.disclosures.order_by("disclosed_at")),
        "expires_on": timezone.localdate() + PACKAGE_LIFETIME,
    }


def build_access_pdf(*, customer: Customer, tables: dict) -> bytes:
    """Return the human-readable access reply in the customer's language."""
    language = customer.preferred_language or "fi"
    with translation.override(language):
        context = access_context(customer=customer, tables=tables)
        html = render_to_string("privacy/access_package.html", context)
        title = _t("Henkilötietosi rekisterissämme")
        author = context["controller"].name if context["controller"] else ""
    return render_pdf(html, title=title, author=author, language=language)


def build_access_files(*, customer: Customer) -> dict[str, bytes]:
    """Return the package's files by name: the JSON copy, the ZIP and the PDF."""
    tables = exported_tables(customer)
    json_bytes = build_access_json(customer=customer, tables=tables)
    return {
        "tiedot.json": json_bytes,
        "tiedot.zip": build_access_archive(json_bytes=json_bytes, tables=tables),
        "tiedot.pdf": build_access_pdf(customer=customer, tables=tables),
    }


@transaction.atomic
def create_access_package(
    *, customer: Customer, request: DataSubjectRequest | None = None, user=None
) -> AccessPackage:
    """Build and store the customer's access package, downloadable for seven days."""
    files = build_access_files(customer=customer)
    package = AccessPackage(
        customer=customer,
        request=request,
        created_by=user,
        expires_at=timezone.now() + PACKAGE_LIFETIME,
    )
    stem = package.token[:20]
    package.json_file.save(f"{stem}.json", ContentFile(files["tiedot.json"]), save=False)
    package.archive_file.save(f"{stem}.zip", ContentFile(files["tiedot.zip"]), save=False)
    package.pdf_file.save(f"{stem}.pdf", ContentFile(files["tiedot.pdf"]), save=False)
    package.save()
    audit.record(
        actor=user,
        action=audit.AuditEntry.Action.EXPORT,
        customer_id=customer.pk,
        object_label=audit.object_label(package),
        details={"access_package": package.pk, "request": request.pk if request else None},
    )
    if request is not None:
        RequestEvent.objects.create(
            request=request,
            kind=RequestEvent.Kind.ACCESS_PACKAGE,
            actor=user,
            message=f"Voimassa {timezone.localtime(package.expires_at):%d.%m.%Y %H:%M} asti.",
        )
    return package


PACKAGE_FILES = {"json": "json_file", "zip": "archive_file", "pdf": "pdf_file"}


@transaction.atomic
def record_package_download(*, package: AccessPackage, file_kind: str, user=None):
    """Log a download of one file of a live package and return that file."""
    if package.is_expired:
        raise AccessPackage.DoesNotExist
    AccessPackageDownload.objects.create(
        package=package,
        file_kind=file_kind,
        downloaded_by=user if user is not None and user.is_authenticated else None,
    )
    return getattr(package, PACKAGE_FILES[file_kind])


def prune_access_packages(*, now: dt.datetime | None = None) -> int:
    """Delete expired access packages and their files; return how many went."""
    with transaction.atomic():
        expired = AccessPackage.objects.filter(expires_at__lte=now or timezone.now())
        return delete_access_packages(packages=expired)
