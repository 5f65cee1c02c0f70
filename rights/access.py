"""The access package (GDPR Art. 15 and 20), read from the personal-data declaration.

Three files, built in the customer's language:

- a PDF that answers Art. 15(1) (`rights.access_letter`), copies every row of the customer's data
  as tables (`rights.access_tables`) and lists the staff's reads of it (`rights.access_reads`);
- machine-readable JSON of every exported declared field of every row that belongs to the
  customer, with stable English keys and the register's own codes;
- a ZIP of that JSON, one CSV per table for a spreadsheet (labels and values as the customer reads
  them, `rights.access_display`) and a README that says what each file, key and code means.
"""

import datetime as dt
import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from customers import validators as v
from customers.models import Customer
from privacy import audit, csv_export
from privacy.declaration import ModelDeclaration, get_declaration, linked_declarations
from privacy.models import AuditEntry
from privacy.pdf import render_pdf
from privacy.vocabulary import ACCESS_PACKAGES, AUDIT_LOG
from rights import access_display as display
from rights.access_letter import cover_letter, purpose_entries
from rights.access_reads import staff_reads
from rights.access_tables import data_tables
from rights.erasure import delete_access_packages
from rights.models import AccessPackage, AccessPackageDownload, DataSubjectRequest, RequestEvent
from statement.models import Controller, StatementVersion
from statement.publishing import page_footer

# How long a package can be downloaded: the ACCESS_PACKAGES rule, which the sweep enforces.
PACKAGE_LIFETIME = dt.timedelta(days=ACCESS_PACKAGES.in_days())
FORMAT = "rekisteri-access/1"


def _columns(decl: ModelDeclaration) -> list[str]:
    """Return the exported columns: the row id, its links to parent rows, the declared fields.

    Only links to rows that are themselves in the export: a link to a staff account or an API
    token would tell the customer nothing and name who on the staff did something (C-579/21).
    """
    exported = {d.model for d in linked_declarations() if d.exported} - {Customer}
    links = [
        f.attname
        for f in decl.model._meta.concrete_fields
        if f.is_relation and f.name in decl.not_personal and f.related_model in exported
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
        rows = list(decl.rows_shown_to(customer).values(*columns))
        tables[decl.label] = {
            "name": str(meta.verbose_name_plural),
            "fields": {
                name: str(meta.get_field(name).verbose_name) for name in decl.exported_fields()
            },
            "rows": rows,
        }
    return tables


def build_access_json(*, customer: Customer, tables: dict | None = None) -> bytes:
    """Return the machine-readable copy of the customer's data as UTF-8 JSON.

    Keys are stable English names and values the register's own codes; the README in the ZIP
    says what each means.
    """
    controller = Controller.current()
    tables = tables if tables is not None else exported_tables(customer)
    used = _used(customer, tables, staff_reads(customer))
    fields = [f for decl, _count in used for f in decl.fields.values()]
    version = StatementVersion.latest()
    document = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "controller": controller.name if controller else "",
        "customer_number": customer.number,
        "purposes": purpose_entries(fields, version, display.language()),
        "tables": tables,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


def _csv(rows) -> bytes:
    out = io.StringIO()
    # Semicolons, as a spreadsheet in Finnish (or Swedish) expects them, so each value opens in
    # its own column; the writer also keeps a value from running as a formula.
    writer = csv_export.writer(out, delimiter=";")
    writer.writerows(rows)
    # With a byte-order mark, spreadsheet programs read the file as UTF-8 (ä, ö, å).
    return out.getvalue().encode("utf-8-sig")


def _csv_tables(tables: dict) -> list[tuple[ModelDeclaration, dict, str]]:
    """Return the tables that get a CSV file, with the file's name (in the active language).

    A table without rows, or whose rows hold nothing exportable, is only in the JSON copy.
    """
    return [
        (decl, tables[decl.label], display.file_name(decl.label))
        for decl in linked_declarations()
        if decl.label in tables and tables[decl.label]["fields"] and tables[decl.label]["rows"]
    ]


def build_readme(*, tables: dict, json_name: str) -> str:
    """Return the ZIP's README in the active language: each file, JSON key and code explained."""
    lines = [
        _("Henkilötietosi rekisterissämme: koneluettava kopio"),
        "",
        _(
            "CSV-tiedostot avautuvat taulukkolaskentaohjelmaan sarakkeisiin: merkistö on UTF-8 "
            "ja erottimena puolipiste. Kukin tiedosto on yksi taulukko; sarakkeiden nimet ovat "
            "samat kuin tietopaketin PDF-tiedostossa. Tunniste-sarakkeet yhdistävät taulukoiden "
            "rivit toisiinsa (esimerkiksi tilausrivin tilaukseen)."
        ),
        "",
        _("Tiedostot:"),
        f"  {json_name}: "
        + _("kaikki tiedot yhdessä JSON-tiedostossa, ohjelmien luettavaksi (ks. alla)"),
    ]
    for decl, table, name in _csv_tables(tables):
        count = len(table["rows"])
        lines.append(
            f"  {name}: "
            + ngettext("%(table)s, %(count)d rivi", "%(table)s, %(count)d riviä", count)
            % {"table": display.table_name(decl.model), "count": count}
        )
    lines += [
        "",
        _(
            "JSON-tiedoston avaimet ovat englanniksi eivätkä muutu, ja arvot ovat rekisterin "
            "omia koodeja. Ylimmän tason avaimet:"
        ),
        "  format: " + _("tiedoston muodon tunniste ja versio"),
        "  generated_at: " + _("milloin tiedot on koottu (ISO 8601, UTC)"),
        "  controller: " + _("rekisterinpitäjä"),
        "  customer_number: " + _("asiakasnumerosi"),
        "  purposes: "
        + _(
            "mihin tietojasi käytetään: kukin tarkoitus (name), sen oikeusperuste (basis: "
            "tietosuoja-asetuksen 6 artiklan 1 kohdan alakohta a–f), oikeutettu etu "
            "(legitimate_interest), tietojesi tietoryhmät, joita siihen käytetään (categories: "
            "tunniste ja nimi) ja rekisterin ulkopuolella tähän pidetyt tiedot (outside: "
            "tietoryhmä ja paikka)"
        ),
        "  tables: "
        + _(
            "taulukot nimettyinä; kussakin name (taulukon nimi), fields (kenttien nimet) ja "
            "rows (rivit)"
        ),
        "",
        _("Taulukot, kentät ja koodien merkitykset:"),
    ]
    for decl in linked_declarations():
        table = tables.get(decl.label)
        if table is None:
            continue
        model = decl.model
        lines += ["", f"{decl.label}: {display.table_name(model)}"]
        for column in _columns(decl):
            lines.append(f"  {column}: {display.column_label(model, column)}")
            f = model._meta.get_field(column) if column in table["fields"] else None
            if f is not None and f.choices:
                lines += [f"    {code} = {label}" for code, label in f.flatchoices]
            elif (decl.label, column) == ("customers.Shipment", "carrier"):
                lines += [
                    f"    {key} = {name}" for key, name in display.carrier_names(table).items()
                ]
    return "\r\n".join(lines) + "\r\n"


def build_access_archive(*, json_bytes: bytes, tables: dict) -> bytes:
    """Return a ZIP of the JSON copy, one CSV per table and a README (GDPR Art. 20).

    Call it in the customer's language: the files are named and headed in it.
    """
    lookups = display.Lookups.for_tables(tables)
    json_name = f"{slugify(str(display.JSON_STEM))}.json"
    buffer = io.BytesIO()
    # The fastest deflate level: the archive is a short-lived download, not long-term storage.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(
            str(display.README_NAME),
            build_readme(tables=tables, json_name=json_name).encode("utf-8-sig"),
        )
        archive.writestr(json_name, json_bytes)
        for decl, table, name in _csv_tables(tables):
            archive.writestr(name, _csv(display.csv_rows(decl, table, lookups)))
    return buffer.getvalue()


def _used(customer: Customer, tables: dict, reads: list) -> list[tuple[ModelDeclaration, int]]:
    """Return the declarations of the tables the customer has rows in, with the row counts."""
    used: list[tuple[ModelDeclaration, int]] = []
    for decl in linked_declarations():
        table = tables.get(decl.label)
        count = decl.rows_shown_to(customer).count() if table is None else len(table["rows"])
        if count:
            used.append((decl, count))
    if reads:
        used.append((get_declaration(AuditEntry), len(reads)))
    return used


def access_context(*, customer: Customer, tables: dict) -> dict[str, Any]:
    """Return what the PDF says: the answers of GDPR Art. 15(1), the data, the staff's reads.

    Call it in the customer's language. One existence query per declared model without an
    exported table, plus the lookups, the statement's recipients, the disclosures, bans and the
    audit log's reads of the customer.
    """
    reads = staff_reads(customer)
    used = _used(customer, tables, reads)
    language = display.language()
    version = StatementVersion.latest()
    lookups = display.Lookups.for_tables(tables)
    return {
        "controller": Controller.current(),
        "customer_number": v.format_customer_number(customer.number),
        "generated_at": display.date_text(timezone.now(), with_time=True),
        "answers": cover_letter(customer=customer, used=used, language=language),
        **data_tables(tables, lookups),
        "reads": reads,
        "audit_retention": AUDIT_LOG.period_text(),
        "statement_url": (
            settings.SITE_URL.rstrip("/") + version.get_absolute_url() if version else ""
        ),
        "expires_on": display.date_text(timezone.localdate() + PACKAGE_LIFETIME),
        # Every page is headed and footed as the statement's are: whose, what, for whom, which page.
        "page_footer": page_footer(
            _("Asiakasnumero %(number)s") % {"number": v.format_customer_number(customer.number)}
        ),
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

    The field labels in the JSON, the CSV files' names and headers, and the PDF are in the
    customer's language; the JSON's keys and values stay the register's own.
    """
    with translation.override(_language(customer)):
        tables = exported_tables(customer)
        json_bytes = build_access_json(customer=customer, tables=tables)
        archive = build_access_archive(json_bytes=json_bytes, tables=tables)
    return {
        "tiedot.json": json_bytes,
        "tiedot.zip": archive,
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
                    message=display.package_note(package.expires_at),
                )
    except BaseException:
        for stored in (package.json_file, package.archive_file, package.pdf_file):
            stored.delete(save=False)
        raise
    return package


def packages_being_built(customer: Customer) -> list[DataSubjectRequest]:
    """Return the customer's completed access requests whose package the worker has yet to build.

    Newest first. A package lives for PACKAGE_LIFETIME from when it is built, so a request
    decided longer ago than that without one had its package built and deleted since.
    """
    return list(
        customer.privacy_requests.filter(
            kind__in=(DataSubjectRequest.Kind.ACCESS, DataSubjectRequest.Kind.PORTABILITY),
            status=DataSubjectRequest.Status.COMPLETED,
            decided_at__gt=timezone.now() - PACKAGE_LIFETIME,
            access_packages=None,
        ).order_by("-decided_at")
    )


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
