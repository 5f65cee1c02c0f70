"""The staff's reads of a customer's data, as the access package tells them: when and why, not who.

The EU Court held in C-579/21 (Pankki S, 22 June 2023, a reference from Finland) that the person
may obtain the dates and purposes of consultations of their data under GDPR Art. 15(1); the
identities of the employees who consulted it are not owed as such. The audit log
(`privacy.models.AuditEntry`) records every staff read; here its entries about one customer become
(date, what was looked at, how, for what purpose). The staff member's account, name and address
are never read.
"""

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import Customer
from privacy.declaration import get_declaration
from privacy.models import AuditEntry
from privacy.vocabulary import MARKETING_CONTROL
from rights.access_display import date_text

# Reads are views of a customer's rows in the staff panel and exports of their data.
READ_ACTIONS = (AuditEntry.Action.VIEW, AuditEntry.Action.EXPORT)

# What a staff member saw, in the words the customer knows; other models are named by the
# category their declared fields belong to.
WHAT = {
    "customers.customer": gettext_lazy("Asiakastiedot"),
    "rights.accesspackage": gettext_lazy("Tietopaketti"),
}

# How the data was read, by the audit entry's details.
VIEWS = {
    "change": gettext_lazy("katselu"),
    "history": gettext_lazy("muutoshistorian katselu"),
    "delete_confirmation": gettext_lazy("katselu poistoa varten"),
    "list": gettext_lazy("näkyi luettelossa"),
    "autocomplete": gettext_lazy("näkyi hakutuloksissa"),
    "marketing_lookup": gettext_lazy("haku markkinointikiellon tai suostumuksen kirjaamiseksi"),
}
# Views made for one purpose say so, whatever the purposes of the data they show.
VIEW_PURPOSES = {"marketing_lookup": MARKETING_CONTROL}


@dataclass(frozen=True)
class Read:
    """One consultation of the customer's data, as the access package lists it."""

    occurred_at: str
    what: str
    how: str
    purpose: str


def _model_label(object_label: str) -> str:
    return object_label.split(":", 1)[0]


def _declaration(model_label: str):
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return None
    return get_declaration(model)


def _what(model_label: str) -> str:
    if model_label in WHAT:
        return str(WHAT[model_label])
    decl = _declaration(model_label)
    if decl is None or not decl.fields:
        return _("Asiakastiedot")
    categories = Counter(f.category for f in decl.fields.values())
    return str(categories.most_common(1)[0][0].label)


def _purpose(model_label: str) -> str:
    """Return the declared purpose the read data is kept for (the first of its fields')."""
    decl = _declaration(model_label)
    if decl is None or not decl.fields:
        decl = _declaration(Customer._meta.label)
    purposes = Counter(f.purposes[0] for f in decl.fields.values())
    return str(purposes.most_common(1)[0][0].label)


def _read_purpose(entry: dict, model_label: str) -> str:
    view_purpose = VIEW_PURPOSES.get((entry["details"] or {}).get("view"))
    return str(view_purpose.label) if view_purpose else _purpose(model_label)


def _how(entry: dict) -> str:
    details = entry["details"] or {}
    if entry["action"] == AuditEntry.Action.EXPORT:
        if "file" in details:
            return _("tietopaketin lataus")
        return _("tietopaketin muodostaminen")
    if "letter" in details:
        return _("kirjeen katselu")
    view = details.get("view", "change")
    if view == "list" and details.get("search"):
        return _("näkyi hakutuloksissa")
    return str(VIEWS.get(view, VIEWS["change"]))


def staff_reads(customer: Customer) -> list[Read]:
    """Return the staff's reads of the customer's data, oldest first.

    A read is a view or an export by a staff member, in the staff panel or by a management
    command on the server. The customer's own downloads are not reads by the staff. The same
    read repeated within a minute (a list page reloaded) is listed once.
    """
    entries = (
        AuditEntry.objects.filter(customer_id=customer.pk, action__in=READ_ACTIONS)
        .filter(Q(actor__isnull=False) | Q(details__has_key="command"))
        .order_by("occurred_at", "id")
        .values("occurred_at", "action", "object_label", "details")
    )
    reads: list[Read] = []
    withholds: dict[str, bool] = {}
    for entry in entries:
        model_label = _model_label(entry["object_label"])
        if model_label not in withholds:
            # A read of rows withheld from the customer's copy would tell of them.
            decl = _declaration(model_label)
            withholds[model_label] = decl is not None and decl.withholds_from(customer)
        if withholds[model_label]:
            continue
        read = Read(
            occurred_at=date_text(entry["occurred_at"], with_time=True),
            what=_what(model_label),
            how=_how(entry),
            purpose=capfirst(_read_purpose(entry, model_label)),
        )
        if not reads or reads[-1] != read:
            reads.append(read)
    return reads
