"""Reading an import file: its encoding, delimiter and columns, and each row's cleaned values."""

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers import validators as v
from customers.models import Customer, Language

BATCH_SIZE = 2000
# Postgres caps a query's parameters at 65535; lookups go in chunks well below that.
# Excel saves "CSV (semicolon separated)" in Windows-1252 in Finnish Windows; UTF-8 otherwise.
ENCODINGS = ("utf-8", "cp1252")

# Header names (lower-cased, letters and digits only) per field: Finnish, English and Swedish.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": (
        "externalid",
        "verkkokaupantunniste",
        "tunniste",
        "asiakastunnus",
        "customerid",
        "id",
    ),
    "first_name": ("etunimi", "etunimet", "firstname", "givenname", "forename", "förnamn"),
    "last_name": ("sukunimi", "lastname", "surname", "familyname", "efternamn"),
    "email": (
        "sähköposti",
        "sähköpostiosoite",
        "sposti",
        "email",
        "emailaddress",
        "mail",
        "epost",
        "epostadress",
    ),
    "phone": (
        "puhelin",
        "puhelinnumero",
        "matkapuhelin",
        "puh",
        "gsm",
        "phone",
        "phonenumber",
        "mobile",
        "mobilephone",
        "telefon",
        "telefonnummer",
        "mobiltelefon",
    ),
    "street_address": (
        "katuosoite",
        "osoite",
        "lähiosoite",
        "postiosoite",
        "address",
        "streetaddress",
        "street",
        "adress",
        "gatuadress",
    ),
    "postal_code": (
        "postinumero",
        "postinro",
        "postalcode",
        "zip",
        "zipcode",
        "postcode",
        "postnummer",
        "postnr",
    ),
    "post_office": (
        "postitoimipaikka",
        "toimipaikka",
        "kaupunki",
        "paikkakunta",
        "city",
        "town",
        "postanstalt",
        "postort",
        "ort",
    ),
    "country": ("maa", "maakoodi", "country", "countrycode", "land"),
    "company": (
        "yritys",
        "yrityksennimi",
        "company",
        "companyname",
        "organisation",
        "företag",
        "firma",
    ),
    "business_id": ("ytunnus", "businessid", "fonummer"),
    "preferred_language": ("kieli", "asiointikieli", "language", "preferredlanguage", "språk"),
    "birth_date": ("syntymäaika", "syntymäpäivä", "birthdate", "dateofbirth", "födelsedatum"),
}
# A customer number from the earlier register identifies the customer there: it is kept as the
# external id when the file has no id column of its own.
FALLBACK_EXTERNAL_ID = (
    "asiakasnumero",
    "asiakasnro",
    "customernumber",
    "customerno",
    "kundnummer",
)

FIELD_LABELS = {
    "external_id": gettext_lazy("verkkokaupan tunniste"),
    "first_name": gettext_lazy("etunimi"),
    "last_name": gettext_lazy("sukunimi"),
    "email": gettext_lazy("sähköposti"),
    "phone": gettext_lazy("puhelin"),
    "street_address": gettext_lazy("katuosoite"),
    "postal_code": gettext_lazy("postinumero"),
    "post_office": gettext_lazy("postitoimipaikka"),
    "country": gettext_lazy("maa"),
    "company": gettext_lazy("yritys"),
    "business_id": gettext_lazy("Y-tunnus"),
    "preferred_language": gettext_lazy("asiointikieli"),
    "birth_date": gettext_lazy("syntymäaika"),
    # Not by a header alias: a platform's export (WooCommerce's date_created) or a mapping.
    "created_at": gettext_lazy("asiakkuuden alku"),
}

LANGUAGE_ALIASES = {
    **{name: Language.FINNISH for name in ("fi", "fin", "suomi", "finnish", "finska")},
    **{name: Language.SWEDISH for name in ("sv", "se", "swe", "ruotsi", "svenska", "swedish")},
    **{name: Language.ENGLISH for name in ("en", "eng", "englanti", "english", "engelska")},
}
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")
# When a customer relationship began: WooCommerce writes "2024-03-15 10:22:01", in the shop's time.
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", *DATE_FORMATS)


# A row of a customer the register has erased, whom the shop has not erased yet (rights.ledger).
ERASED_CUSTOMER = gettext_lazy(
    "Asiakas on poistettu rekisteristä, mutta verkkokauppa ei ole vielä poistanut häntä. Poista "
    "rivi tiedostosta ja tarkista poistopyynnön sivulta, että verkkokauppa on saanut pyynnön."
)


class RowAction(models.TextChoices):
    CREATE = "create", gettext_lazy("luodaan")
    UPDATE = "update", gettext_lazy("päivitetään")
    UNCHANGED = "unchanged", gettext_lazy("ei muutoksia")
    REJECT = "reject", gettext_lazy("hylätään")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (encoding, header, CSV syntax)."""


@dataclass
class RowResult:
    row: int
    action: str
    reasons: list[str] = field(default_factory=list)
    external_id: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "action": self.action,
            "reasons": self.reasons,
            "external_id": self.external_id,
        }


@dataclass
class ImportReport:
    rows: list[RowResult]
    # {header: what it becomes}
    columns: dict[str, str]
    # Columns the import does not know: listed, never silently dropped.
    ignored_columns: list[str]
    dry_run: bool
    written: bool = False
    # Where the file comes from ("Shopify-asiakasvienti"), and its known columns with no home.
    source: str = ""
    skipped_columns: list[str] = field(default_factory=list)
    kind: str = "customers"

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> list[RowResult]:
        return [r for r in self.rows if r.action == RowAction.REJECT]

    def summary(self) -> str:
        if self.kind == "orders":
            text = _(
                "%(total)s tilausta: %(created)s uutta, %(updated)s päivitettyä, "
                "%(unchanged)s ennallaan, %(rejected)s hylättyä."
            )
        else:
            text = _(
                "%(total)s riviä: %(created)s uutta, %(updated)s päivitettyä, "
                "%(unchanged)s ennallaan, %(rejected)s hylättyä."
            )
        return text % {
            "total": len(self.rows),
            "created": self.count(RowAction.CREATE),
            "updated": self.count(RowAction.UPDATE),
            "unchanged": self.count(RowAction.UNCHANGED),
            "rejected": self.count(RowAction.REJECT),
        }


class ImportProgress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, rows: int) -> None: ...
    def writing(self) -> None: ...


class NoProgress:
    def start(self, total: int) -> None:
        pass

    def advance(self, rows: int) -> None:
        pass

    def writing(self) -> None:
        pass


def decode(data: bytes) -> str:
    """Return the file's text: UTF-8 (with or without BOM) or else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("Tiedoston merkistöä ei tunnistettu: tallenna se UTF-8- tai Windows-1252-muodossa.")
    )


def sniff_delimiter(header_line: str) -> str:
    """Return the separator the header line uses: `;` (Excel in Finnish), `,` or tab."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _header_key(name: str) -> str:
    return re.sub(r"[^0-9a-zåäö]", "", name.strip().lower())


def map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Return {field: column index} for the known headers and the names of ignored columns."""
    lookup = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    fallback_id: int | None = None
    for index, raw in enumerate(header):
        key = _header_key(raw)
        name = lookup.get(key)
        if name is None:
            if key in FALLBACK_EXTERNAL_ID and fallback_id is None:
                fallback_id = index
            elif raw.strip():
                ignored.append(raw.strip())
            continue
        if name in mapping:
            raise ImportFileError(
                _("Sarakkeet %(first)s ja %(second)s tarkoittavat samaa tietoa (%(field)s).")
                % {"first": header[mapping[name]], "second": raw, "field": FIELD_LABELS[name]}
            )
        mapping[name] = index
    if fallback_id is not None:
        if "external_id" in mapping:
            ignored.append(header[fallback_id].strip())
        else:
            mapping["external_id"] = fallback_id
    if "external_id" not in mapping and "email" not in mapping:
        raise ImportFileError(
            _(
                "Tiedostossa ei ole tunniste- eikä sähköpostisaraketta, joten rivejä ei voi "
                "yhdistää asiakkaisiin. Tunnetut otsikot ovat esim. etunimi, sukunimi, "
                "sähköposti, puhelin, katuosoite, postinumero, postitoimipaikka, yritys, "
                "y-tunnus ja external id."
            )
        )
    return mapping, ignored


def strip_spreadsheet_prefix(value: str) -> str:
    """Return a cell without the marks spreadsheets and shop exports add to keep it as text.

    Shopify writes ids as `'7012345678901` and Excel keeps leading zeros as `="00100"`; a bare
    leading `=` (a formula prefix) goes too, so that no cell is stored as a formula.
    """
    if value.startswith("'"):
        return value[1:]
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        return value[2:-1]
    return value.lstrip("=")


def read_rows(text: str) -> tuple[list[str], str, list[tuple[int, list[str]]]]:
    """Return the header, the separator and (line number, cells) of each non-empty row."""
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise ImportFileError(_("Tiedoston ensimmäisellä rivillä pitää olla sarakeotsikot."))
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = [strip_spreadsheet_prefix(cell) for cell in next(reader)]
        for cells in reader:
            if any(cell.strip() for cell in cells):
                # Only cells that start with a mark go through the function: most do not.
                cells = [strip_spreadsheet_prefix(c) if c[:1] in ("'", "=") else c for c in cells]
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise ImportFileError(
            _("Rivi %(line)s: virheellinen CSV-muoto (%(error)s).")
            % {"line": reader.line_num, "error": exc}
        ) from None
    return header, delimiter, rows


def _parse_date(value: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if parsed > timezone.localdate():
            break
        return parsed
    raise ValidationError(_("Päivämäärä %(value)s ei ole muotoa 31.12.1980.") % {"value": value})


def _parse_created(value: str) -> dt.datetime:
    """Return when a customer relationship began, in the shop's own time; never in the future."""
    for fmt in DATETIME_FORMATS:
        try:
            parsed = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
        if parsed > timezone.now():
            break
        return parsed
    raise ValidationError(
        _("Aika %(value)s ei ole muotoa 2024-03-15 10:22:01 tai on tulevaisuudessa.")
        % {"value": value}
    )


@functools.cache
def _max_lengths() -> dict[str, int]:
    return {
        name: Customer._meta.get_field(name).max_length
        for name in HEADER_ALIASES
        if Customer._meta.get_field(name).max_length
    }


def clean_row(raw: dict[str, str]) -> tuple[dict, list[str]]:
    """Return the row's normalised values and the reasons it cannot be imported."""
    values: dict = {}
    reasons: list[str] = []

    def fail(name: str, messages: Iterable[str]) -> None:
        for message in messages:
            reasons.append(f"{FIELD_LABELS[name]}: {message}")

    country = raw.get("country", "").strip().upper()
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        fail("country", [_("Maakoodin pitää olla kaksi kirjainta, esim. FI.")])
    for name, value in raw.items():
        value = value.strip()
        if not value or name == "country":
            continue
        if "\x00" in value:
            # PostgreSQL cannot store it; without this check the whole import would crash.
            fail(name, [_("Arvossa on NUL-merkki (0x00), jota ei voi tallentaa.")])
            continue
        try:
            if name == "email":
                value = v.normalise_email(value)
            elif name == "phone":
                value = v.normalise_phone(value)
            elif name == "business_id":
                value = v.normalise_business_id(value)
            elif name == "postal_code":
                value = v.normalise_postal_code(value, country or "FI")
            elif name == "preferred_language":
                language = LANGUAGE_ALIASES.get(value.lower())
                if language is None:
                    raise ValidationError(
                        _("Tuntematon kieli %(value)s; käytä fi, sv tai en.") % {"value": value}
                    )
                value = language.value
            elif name == "birth_date":
                value = _parse_date(value)
            elif name == "created_at":
                value = _parse_created(value)
        except ValidationError as exc:
            fail(name, exc.messages)
            continue
        max_length = _max_lengths().get(name)
        if isinstance(value, str) and max_length and len(value) > max_length:
            fail(name, [_("Enintään %(max)s merkkiä.") % {"max": max_length}])
            continue
        values[name] = value
    if country and not reasons:
        values["country"] = country
    if not values.get("external_id") and not values.get("email") and not reasons:
        reasons.append(
            _(
                "Rivillä pitää olla verkkokaupan tunniste tai sähköpostiosoite, jotta "
                "uudelleenajo ei luo samaa asiakasta toiseen kertaan."
            )
        )
    return values, reasons
