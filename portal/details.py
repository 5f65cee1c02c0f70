"""My details: every field of the customer the declaration shows them, as the customer reads it.

The page lists what `privacy.declaration` exports to the customer (GDPR Art. 15), grouped by the
statement's categories and with each field's declared source (Art. 14(2)(f)). A field the
declaration marks self-service is changed on the page itself (`rights.corrections.
change_own_details`); another that a correction may change is asked for with a correction request
staff decide (`request_correction`); the register's own facts (number, dates, where the customer
came from, a restriction) are only shown.
"""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst, slugify

from customers.models import Customer
from customers.validators import format_phone
from privacy.declaration import Category, Source, get_declaration
from rights.access_display import Lookups, display
from rights.cases import receive_portal_request
from rights.corrections import correctable_fields, propose_correction, self_service_fields
from rights.models import DataSubjectRequest


def shown_fields() -> list[str]:
    """Return the customer's fields the declaration shows them (exported), in model order."""
    return get_declaration(Customer).exported_fields()


def requestable_fields() -> list[str]:
    """Return the fields the customer asks staff to correct: correctable, not self-service."""
    own = set(self_service_fields())
    return [name for name in correctable_fields() if name not in own]


@functools.cache
def correction_slugs() -> dict[str, str]:
    """Return the address part of each requestable field's correction page: its Finnish name."""
    with translation.override("fi"):
        return {
            slugify(str(Customer._meta.get_field(name).verbose_name)): name
            for name in requestable_fields()
        }


def correction_slug(name: str) -> str:
    return {field: slug for slug, field in correction_slugs().items()}[name]


def field_label(name: str) -> str:
    return capfirst(str(Customer._meta.get_field(name).verbose_name))


def shown_value(name: str, value: Any) -> str:
    """Return a stored (or proposed, as text) value of a customer field as the portal shows it."""
    if value in (None, ""):
        return ""
    if name == "phone":
        return format_phone(str(value))
    value = Customer._meta.get_field(name).to_python(value)
    return display(Customer, name, value, Lookups())


@dataclass
class DetailRow:
    name: str
    label: str
    value: str
    source: Source
    is_own: bool
    # The address part of the field's correction page; empty when no correction is asked for.
    correction: str


@dataclass
class DetailGroup:
    category: Category
    rows: list[DetailRow] = field(default_factory=list)
    # The last group with a field the customer changes: the page's form ends after it.
    ends_form: bool = False

    @property
    def own(self) -> list[DetailRow]:
        return [row for row in self.rows if row.is_own]

    @property
    def shown(self) -> list[DetailRow]:
        return [row for row in self.rows if not row.is_own]

    @property
    def sources(self) -> list[Source]:
        """Return the distinct sources of the group's fields, in order."""
        return list(dict.fromkeys(row.source for row in self.rows))


def my_details(customer: Customer) -> list[DetailGroup]:
    """Return the customer's declared fields grouped by category, in the statement's order."""
    declared = get_declaration(Customer).fields
    own = set(self_service_fields())
    requestable = set(requestable_fields())
    groups: dict[Category, DetailGroup] = {}
    for name in shown_fields():
        decl = declared[name]
        group = groups.setdefault(decl.category, DetailGroup(decl.category))
        group.rows.append(
            DetailRow(
                name=name,
                label=field_label(name),
                value=shown_value(name, getattr(customer, name)),
                source=decl.source,
                is_own=name in own,
                correction=correction_slug(name) if name in requestable else "",
            )
        )
    ordered = sorted(groups.values(), key=lambda g: g.category.order)
    with_own = [group for group in ordered if group.own]
    if with_own:
        with_own[-1].ends_form = True
    return ordered


@transaction.atomic
def request_correction(
    *, customer: Customer, field_name: str, new_value: str, reason: str = ""
) -> DataSubjectRequest:
    """File a correction request for a field only staff may change (GDPR Art. 16).

    Raises ValidationError, with nothing filed, for an unchanged or invalid value.
    """
    if field_name not in requestable_fields():
        raise ValueError(f"{field_name!r} is not corrected by a request.")
    case = receive_portal_request(
        customer=customer, kind=DataSubjectRequest.Kind.CORRECTION, description=reason
    )
    propose_correction(case=case, field_name=field_name, new_value=new_value, reason=reason)
    return case
