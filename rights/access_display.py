"""The access package's values as the customer reads them elsewhere, in the customer's language.

The JSON copy keeps the register's own codes ("delivered", "FI", "street_address"); the PDF and
the CSV files show what the portal and the statement show instead: choice labels, field labels,
country names, and dates and sums written the way the customer's language writes them. Call
everything here inside `translation.override(<the customer's language>)`.
"""

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from customers.models.orders import TRACKING_STATES, Carrier
from customers.services import describe_fields, disclosable_fields
from customers.validators import format_customer_number
from privacy.dates import date_text, language
from privacy.declaration import ModelDeclaration
from rights.models import CorrectionItem, DataSubjectRequest
from rights.steps import SENT_BY_EMAIL, TO_BE_POSTED
from statement.content import country_name
from statement.models import StatementRecipient, StatementVersion

# Where a model's own field label says too little beside its neighbours in one table: a ban's
# "asetettu" is both when and how it was set, a consent's "annettu" also names a withdrawal.
LABELS = {
    ("customers.ConsentEvent", "via"): gettext_lazy("ilmoitustapa"),
    ("customers.ConsentEvent", "is_granted"): gettext_lazy("suostumus"),
    ("customers.MarketingBan", "via"): gettext_lazy("ilmoitustapa"),
}

# Values whose yes/no reads better as a word of its own.
BOOLEAN_WORDS = {
    ("customers.ConsentEvent", "is_granted"): (
        pgettext_lazy("suostumus", "annettu"),
        pgettext_lazy("suostumus", "peruttu"),
    ),
}

# Fields that hold a list of the register's field names (what was disclosed or corrected).
FIELD_NAME_LISTS = {"fields"}
FIELD_NAME_VALUES = {("rights.CorrectionItem", "field_name")}
# Percentages; other two-decimal amounts are sums of money in euros.
PERCENT_FIELDS = {"vat_rate"}

# The name of each table's CSV file in the ZIP; a table not named here is named after its model.
FILE_STEMS = {
    "customers.Customer": pgettext_lazy("tiedostonimi", "asiakastiedot"),
    "customers.Order": pgettext_lazy("tiedostonimi", "tilaukset"),
    "customers.OrderLine": pgettext_lazy("tiedostonimi", "tilausrivit"),
    "customers.Shipment": pgettext_lazy("tiedostonimi", "lahetykset"),
    "customers.TrackingEvent": pgettext_lazy("tiedostonimi", "seurantatapahtumat"),
    "customers.ConsentEvent": pgettext_lazy("tiedostonimi", "suostumukset"),
    "customers.MarketingBan": pgettext_lazy("tiedostonimi", "markkinointikiellot"),
    "customers.Disclosure": pgettext_lazy("tiedostonimi", "luovutukset"),
    "customers.CustomerNote": pgettext_lazy("tiedostonimi", "asiakaspalvelun-viestit"),
    "rights.DataSubjectRequest": pgettext_lazy("tiedostonimi", "tietosuojapyynnot"),
    "rights.RequestEvent": pgettext_lazy("tiedostonimi", "pyyntojen-tapahtumat"),
    "rights.CorrectionItem": pgettext_lazy("tiedostonimi", "oikaisut"),
    "rights.RecipientNotification": pgettext_lazy("tiedostonimi", "ilmoitukset-vastaanottajille"),
    "rights.AccessPackage": pgettext_lazy("tiedostonimi", "tietopaketit"),
    "rights.AccessPackageDownload": pgettext_lazy("tiedostonimi", "tietopakettien-lataukset"),
    "rights.AuthorityRequest": pgettext_lazy("tiedostonimi", "viranomaisten-tietopyynnot"),
    "integrations.ApiCallLog": pgettext_lazy("tiedostonimi", "rajapintakutsut"),
}
JSON_STEM = pgettext_lazy("tiedostonimi", "tiedot")
README_NAME = pgettext_lazy("tiedostonimi", "LUEMINUT.txt")


def number_text(value: Decimal | int | float, places: int | None = None, *, grouping=True) -> str:
    """Return a number with the active language's decimal separator (and digit grouping)."""
    return formats.number_format(value, places, use_l10n=True, force_grouping=grouping)


def money_text(value: Decimal) -> str:
    """Return a sum in euros as the active language writes it: "1 234,50 €", "€1,234.50"."""
    return _("%(amount)s €") % {"amount": number_text(value, 2)}


def file_name(label: str) -> str:
    """Return the CSV file name of a table in the active language ("tilaukset.csv")."""
    stem = FILE_STEMS.get(label) or apps.get_model(label)._meta.verbose_name_plural
    # ASCII only: every unzip tool and spreadsheet reads the name the same way.
    return f"{slugify(str(stem)) or label.lower()}.csv"


def table_name(model: type[models.Model]) -> str:
    """Return a table's name as the customer reads it ("Tilaukset"; their own record's name)."""
    if model._meta.label == "customers.Customer":
        return _("Asiakastiedot")
    return capfirst(str(model._meta.verbose_name_plural))


def field_label(model: type[models.Model], name: str) -> str:
    """Return a field's label as the customer reads it ("Tilattu", "Ilmoitustapa")."""
    label = LABELS.get((model._meta.label, name)) or model._meta.get_field(name).verbose_name
    return capfirst(str(label))


def column_label(model: type[models.Model], column: str) -> str:
    """Return a CSV column's header: a field's label, or the row id or a link to another row."""
    if column == "id":
        return _("Tunniste")
    if column in {f.name for f in model._meta.concrete_fields}:
        return field_label(model, column)
    link = next(f for f in model._meta.concrete_fields if f.attname == column)
    return _("%(table)s (tunniste)") % {"table": capfirst(str(link.verbose_name))}


@dataclass
class Lookups:
    """The rows that values elsewhere point to, read once per package (two queries)."""

    versions: dict[int, str] = field(default_factory=dict)
    recipients: dict[int, str] = field(default_factory=dict)
    # The carriers of the customer's shipments by key (the shop's data: customers.Carrier).
    carriers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_tables(cls, tables: dict[str, dict]) -> "Lookups":
        """Read the rows the tables point to (at most three queries)."""
        version_ids: set[int] = set()
        recipient_ids: set[int] = set()
        for table in tables.values():
            for row in table["rows"]:
                if row.get("statement_version"):
                    version_ids.add(row["statement_version"])
                if row.get("listed_recipient"):
                    recipient_ids.add(row["listed_recipient"])
        lang = language()
        return cls(
            versions={v.pk: str(v) for v in StatementVersion.objects.filter(pk__in=version_ids)},
            recipients={
                r.pk: r.name(lang) or r.name_fi
                for r in StatementRecipient.objects.filter(pk__in=recipient_ids)
            },
            carriers=carrier_names(tables.get("customers.Shipment")),
        )


def carrier_names(shipments: dict | None) -> dict[str, str]:
    """Return {key: name} of the carriers a table of shipments names (one query)."""
    keys = {row["carrier"] for row in (shipments or {}).get("rows", ()) if row.get("carrier")}
    return Carrier.objects.filter(key__in=keys).names() if keys else {}


def _related(f: models.Field, value: Any, lookups: Lookups) -> str:
    related = f.related_model
    if related is StatementVersion:
        return lookups.versions.get(value, "")
    if related is StatementRecipient:
        return lookups.recipients.get(value, "")
    if related._meta.label == settings.AUTH_USER_MODEL:
        # Who on the staff wrote or did something is not the customer's data (CJEU C-579/21).
        return _("henkilökunta")
    return str(value)


def display(
    model: type[models.Model],
    name: str,
    value: Any,
    lookups: Lookups,
    *,
    for_csv: bool = False,
) -> str:
    """Return one stored value as the customer reads it; "" for an empty one.

    For a spreadsheet (`for_csv`), moments are written "2026-12-07 14:05" (which every
    spreadsheet reads as a date) and numbers without digit grouping or a currency.
    """
    if value is None or value == "" or value == []:
        return ""
    label = model._meta.label
    f = model._meta.get_field(name)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return _related(f, value, lookups)
    if (label, name) in BOOLEAN_WORDS:
        yes, no = BOOLEAN_WORDS[label, name]
        return str(yes if value else no)
    if isinstance(value, bool):
        return _("kyllä") if value else _("ei")
    if (label, name) == ("customers.Customer", "number"):
        return format_customer_number(value)
    if (label, name) == ("rights.RequestEvent", "message"):
        return event_message(value)
    if (label, name) == ("customers.Shipment", "carrier"):
        return lookups.carriers.get(value, value)
    if (label, name) == ("customers.TrackingEvent", "status"):
        return str(TRACKING_STATES.get(value, value))
    if (name in FIELD_NAME_LISTS and isinstance(value, list)) or (label, name) in FIELD_NAME_VALUES:
        return describe_fields(value if isinstance(value, list) else [value])
    if isinstance(f, models.CharField) and f.max_length == 2 and name.endswith("country"):
        return country_name(value)
    if isinstance(value, (dt.datetime, dt.date)):
        if for_csv:
            if isinstance(value, dt.datetime):
                return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            return value.isoformat()
        return date_text(value, with_time=isinstance(value, dt.datetime))
    if isinstance(value, (Decimal, float)) or isinstance(f, models.DecimalField):
        amount = Decimal(str(value))
        places = getattr(f, "decimal_places", None)
        if name in PERCENT_FIELDS:
            text = number_text(amount, 0 if amount == amount.to_integral() else None)
            return text if for_csv else f"{text} %"
        if for_csv:
            return number_text(amount, places, grouping=False)
        return money_text(amount) if places == 2 else number_text(amount, places)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    if label == "rights.AccessPackageDownload" and name == "file_kind":
        return str(value).upper()
    return str(value)


@functools.cache
def _case_labels() -> dict[str, Any]:
    """Return {Finnish label: label} of the choices a case's history notes by their label.

    The history notes how a request came in, how the requester was identified and how the
    decision went out as the choice's label, written in Finnish (rights.steps.add_event).
    """
    choices = [
        *DataSubjectRequest.Channel.choices,
        *DataSubjectRequest.Verification.choices,
        *DataSubjectRequest.RefusalReason.choices,
        ("", SENT_BY_EMAIL),
        ("", TO_BE_POSTED),
    ]
    with translation.override("fi"):
        return {str(label): label for _code, label in choices}


# The note an access package's event keeps (rights.access): when the package stops being
# downloadable, in the shop's time. Stored in Finnish, read back in the reader's language.
PACKAGE_NOTE = "Voimassa {:%d.%m.%Y %H:%M} asti."
PACKAGE_NOTE_RE = re.compile(r"Voimassa (\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}) asti\.")


def package_note(expires_at: dt.datetime) -> str:
    """Return the case history's note of an access package that expires at `expires_at`."""
    return PACKAGE_NOTE.format(timezone.localtime(expires_at))


def event_message(message: str) -> str:
    """Return a request event's note with the field names and states in it as labels.

    The case history notes a correction as "street_address" or "street_address: approved"
    (rights.corrections), a choice by its Finnish label and an access package by when it expires
    (`package_note`): each is given in the active language. A note that is not made of those is
    returned as it was written.
    """
    written = _case_labels().get(message)
    if written is not None:
        return str(written)
    package = PACKAGE_NOTE_RE.fullmatch(message)
    if package is not None:
        moment = timezone.make_aware(dt.datetime.strptime(package[1], "%d.%m.%Y %H:%M"))
        return _("Voimassa %(moment)s asti.") % {"moment": date_text(moment, with_time=True)}
    labels = {name: str(label) for name, label in disclosable_fields()}
    states = dict(CorrectionItem.State.choices)
    parts = []
    for part in message.split(", "):
        name, _sep, state = part.partition(": ")
        if name not in labels or (state and state not in states):
            return message
        parts.append(f"{labels[name]}: {states[state]}" if state else labels[name])
    return ", ".join(parts)


def csv_rows(decl: ModelDeclaration, table: dict, lookups: Lookups) -> Iterable[list[str]]:
    """Yield a table's header (labels) and its rows (values as the customer reads them)."""
    model = decl.model
    rows = table["rows"]
    columns = list(rows[0]) if rows else ["id", *table["fields"]]
    yield [column_label(model, column) for column in columns]
    names = {f.name for f in model._meta.concrete_fields}
    for row in rows:
        yield [
            display(model, c, row[c], lookups, for_csv=True) if c in names else _plain(row[c])
            for c in columns
        ]


def _plain(value: Any) -> str:
    return "" if value is None else str(value)
