"""Importing a direct-marketing restriction list (ASML's services for mail and telemarketing).

Suomen Asiakkuusmarkkinointiliitto publishes, to its users, the people who have forbidden
addressed direct mail or telemarketing; shops screen their postal and phone lists against them.
The list is imported as a CSV file and stored only as keyed hashes of the matching keys
(customers.marketing.address_key / phone_key), replacing the previous list of the same service
in one transaction, so an import either lands whole or not at all and can simply be re-run.

Accepted columns (header row, case-insensitive; `;` or `,` separated, UTF-8):
  phone list:  puhelin | puhelinnumero | phone
  postal list: sukunimi | last_name, katuosoite | lähiosoite | osoite | street_address,
               postinumero | postal_code
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from customers import validators as v
from customers.hashing import address_key, keyed_hash, phone_key
from customers.models import BanRegisterEntry, BanRegisterImport
from privacy.audit import object_label, record
from privacy.models import AuditEntry

COLUMN_NAMES = {
    "phone": ("puhelin", "puhelinnumero", "phone"),
    "last_name": ("sukunimi", "last_name"),
    "street_address": ("katuosoite", "lähiosoite", "osoite", "street_address"),
    "postal_code": ("postinumero", "postal_code"),
}
BATCH_SIZE = 5000


def _columns(header: list[str], wanted: Iterable[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found, missing = {}, []
    for field in wanted:
        index = next((names.index(n) for n in COLUMN_NAMES[field] if n in names), None)
        if index is None:
            missing.append(COLUMN_NAMES[field][0])
        else:
            found[field] = index
    if missing:
        raise ValidationError(
            _("Tiedostosta puuttuu sarake: %(columns)s. Ensimmäisen rivin pitää nimetä sarakkeet.")
            % {"columns": ", ".join(missing)}
        )
    return found


def _read(upload: IO[bytes]) -> list[list[str]]:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Tiedoston pitää olla UTF-8-merkistöä.")) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]
    if len(rows) < 2:
        raise ValidationError(_("Tiedostossa ei ole otsikkorivin lisäksi yhtään riviä."))
    return rows


@dataclass(frozen=True)
class ParsedList:
    """A restriction list read from its file: the keyed hashes and the rows left out."""

    service: str
    hashes: frozenset[str]
    skipped: int


def parse_ban_register(*, service: str, upload: IO[bytes]) -> ParsedList:
    """Read a restriction list file; raise ValidationError saying what is wrong with it."""
    if service not in BanRegisterEntry.Service.values:
        raise ValidationError(_("Tuntematon rajoituspalvelu %(value)s.") % {"value": service})
    hashes, skipped = _list_hashes(service, _read(upload))
    if not hashes:
        raise ValidationError(_("Tiedostossa ei ollut yhtään tunnistettavaa riviä."))
    return ParsedList(service=service, hashes=frozenset(hashes), skipped=skipped)


def _list_hashes(service: str, rows: list[list[str]]) -> tuple[set[str], int]:
    if service == BanRegisterEntry.Service.PHONE:
        columns = _columns(rows[0], ["phone"])
    else:
        columns = _columns(rows[0], ["last_name", "street_address", "postal_code"])
    kind = f"ban_register_{service}"
    hashes: set[str] = set()
    skipped = 0
    for row in rows[1:]:
        values = {f: row[i].strip() if i < len(row) else "" for f, i in columns.items()}
        if service == BanRegisterEntry.Service.PHONE:
            try:
                key = phone_key(v.normalise_phone(values["phone"]))
            except ValidationError:
                key = ""
        else:
            key = address_key(**values) if all(values.values()) else ""
        if not key:
            skipped += 1
            continue
        hashes.add(keyed_hash(kind, key))
    return hashes, skipped


@transaction.atomic
def import_ban_register(
    *,
    parsed: ParsedList,
    file_name: str,
    list_date: dt.date,
    imported_by: Any,
    request: HttpRequest | None = None,
) -> BanRegisterImport:
    """Replace the service's restriction list with a parsed one, in one transaction; audited."""

    service, hashes, skipped = parsed.service, parsed.hashes, parsed.skipped
    BanRegisterEntry.objects.filter(service=service).delete()
    BanRegisterEntry.objects.bulk_create(
        (BanRegisterEntry(service=service, value_hash=h) for h in hashes), batch_size=BATCH_SIZE
    )
    imported = BanRegisterImport.objects.create(
        service=service,
        list_date=list_date,
        file_name=file_name[:200],
        entry_count=len(hashes),
        skipped_count=skipped,
        imported_by=imported_by if getattr(imported_by, "is_authenticated", False) else None,
    )
    record(
        actor=imported_by,
        action=AuditEntry.Action.ADD,
        object_label=object_label(imported),
        details={"service": service, "entries": len(hashes), "skipped": skipped},
        request=request,
    )
    return imported
