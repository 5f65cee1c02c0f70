"""The personal-data declaration: every field of every model that holds personal data, once.

The statement's data-content and retention sections, the access export, the erasure plan and the
retention sweep read only this module. Apps declare their models in a `personal_data.py` module,
which `PrivacyConfig.ready()` imports; `privacy.checks` fails when anything is left undeclared.

    declare(
        Customer,
        customer_path="",               # how a row reaches its customer ("" for Customer itself)
        fields={"email": Field(CONTACT, purposes=[...], erasure=Erasure.ANONYMISE, ...)},
        not_personal=["id", "created_at"],
    )
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.citations import cite_lazy, with_citations


class Basis(models.TextChoices):
    """Legal basis of processing, GDPR Art. 6(1)(a)–(f)."""

    CONSENT = "a", with_citations(_("suostumus (%(article)s)"), article=cite_lazy("6(1)(a)"))
    CONTRACT = (
        "b",
        with_citations(_("sopimuksen täytäntöönpano (%(article)s)"), article=cite_lazy("6(1)(b)")),
    )
    LEGAL_OBLIGATION = (
        "c",
        with_citations(_("lakisääteinen velvoite (%(article)s)"), article=cite_lazy("6(1)(c)")),
    )
    VITAL_INTEREST = (
        "d",
        with_citations(_("elintärkeä etu (%(article)s)"), article=cite_lazy("6(1)(d)")),
    )
    PUBLIC_TASK = (
        "e",
        with_citations(
            _("yleinen etu tai julkinen valta (%(article)s)"), article=cite_lazy("6(1)(e)")
        ),
    )
    LEGITIMATE_INTEREST = (
        "f",
        with_citations(_("oikeutettu etu (%(article)s)"), article=cite_lazy("6(1)(f)")),
    )


class Erasure(models.TextChoices):
    """What erasure does to a field."""

    DELETE = "delete", _("poistetaan")
    ANONYMISE = "anonymise", _("anonymisoidaan")
    KEEP = "keep", _("säilytetään lakisääteisen syyn vuoksi")


@dataclass(frozen=True)
class Category:
    """A category of personal data as the statement names it.

    `description` says in one sentence, to the customer, what the category holds ("Nimesi,
    osoitteesi…"): the statement shows it instead of the field list, which the Art. 30 record and
    the access package keep.
    """

    key: str
    label: Promise = field(compare=False)
    order: int
    description: Promise = field(compare=False)


@dataclass(frozen=True)
class Purpose:
    """A purpose of processing with its legal basis."""

    key: str
    label: Promise = field(compare=False)
    basis: Basis
    legitimate_interest: Promise | None = field(default=None, compare=False)
    # GDPR 13(2)(e): whether providing the data is a legal or contractual requirement.
    requirement: Promise | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Source:
    """Where the data comes from (GDPR 14(2)(f))."""

    key: str
    label: Promise = field(compare=False)


@dataclass(frozen=True)
class Retention:
    """How long data is kept, or the criteria that set it (GDPR 13(2)(a)).

    `label` says it for a reader in one sentence, with "%(period)s" where the period goes. The
    period is fixed (`months` or `days`) or read from a setting (`setting`, holding months or, with
    `setting_unit="days"`, days), so the statement, the access package and the erasure plan print
    the period the code enforces. What enforces a rule is registered in `privacy.retention`; the
    system check `privacy.E006` fails for a rule nothing enforces.

    The statement's retention table shows the rule in parts: the period (or `until`, for a rule
    that an event ends rather than a period), `counted_from` — the moment the enforcing code counts
    the period from ("viimeisestä asioinnistasi"; tests/rights/test_retention_start.py checks the
    sweep counts from it) — and `reason`, why the data is kept that long.
    """

    key: str
    label: Promise = field(compare=False)
    # Legal reference a reviewer can check, translated like the label, e.g.
    # _("kirjanpitolaki 1336/1997, 2 luvun 10 §").
    law: Promise | str = field(default="", compare=False)
    months: int | None = None
    days: int | None = None
    setting: str = ""
    setting_unit: str = "months"
    counted_from: Promise | str = field(default="", compare=False)
    until: Promise | str = field(default="", compare=False)
    reason: Promise | str = field(default="", compare=False)
    # (shortest, longest) period in months the shop may choose instead of the default, or None
    # when the law or the mechanism fixes the period (the accounting vouchers' six years).
    choice_months: tuple[int, int] | None = field(default=None, compare=False)
    # What the staff panel calls the choice, e.g. _("Asiakkaan tiedot asioinnin päätyttyä").
    choice_label: Promise | str = field(default="", compare=False)

    def period(self) -> tuple[int, str] | None:
        """Return the period as (amount, "months" or "days"), or None when no period sets it.

        A rule with `choice_months` takes the period the shop chose (`set_period_chooser`),
        bounded by the rule; without a choice, the setting or the number declared.
        """
        if self.choice_months and _period_chooser is not None:
            chosen = _period_chooser(self)
            if chosen is not None:
                shortest, longest = self.choice_months
                return min(max(int(chosen), shortest), longest), "months"
        if self.setting:
            return int(getattr(settings, self.setting)), self.setting_unit
        if self.months is not None:
            return self.months, "months"
        if self.days is not None:
            return self.days, "days"
        return None

    def in_months(self) -> int | None:
        """Return the period in months (None when it is not one)."""
        period = self.period()
        return period[0] if period and period[1] == "months" else None

    def in_days(self) -> int | None:
        """Return the period in days (None when it is not one)."""
        period = self.period()
        return period[0] if period and period[1] == "days" else None

    def period_text(self) -> str:
        """Return the period in words in the active language: "36 kuukautta", "6 vuotta"."""
        period = self.period()
        if period is None:
            return ""
        amount, unit = period
        if unit == "days":
            return ngettext("%(count)d päivä", "%(count)d päivää", amount) % {"count": amount}
        if amount >= 24 and amount % 12 == 0:
            years = amount // 12
            return ngettext("%(count)d vuosi", "%(count)d vuotta", years) % {"count": years}
        return ngettext("%(count)d kuukausi", "%(count)d kuukautta", amount) % {"count": amount}

    def duration(self) -> str:
        """Return how long, for the retention table: the period, or the event that ends it."""
        return self.period_text() or capfirst(str(self.until))

    def text(self) -> str:
        """Return the rule in words with its period, in the active language."""
        label = str(self.label)
        return label % {"period": self.period_text()} if "%(period)s" in label else label


# Returns the period (months) the shop chose for a rule with `choice_months`, or None. Set by the
# statement app (statement.choices), which keeps the choices with the statement.
_period_chooser: Callable[[Retention], int | None] | None = None


def set_period_chooser(chooser: Callable[[Retention], int | None] | None) -> None:
    """Set what reads the shop's chosen periods (None: every rule uses its declared period)."""
    global _period_chooser
    _period_chooser = chooser


@dataclass(frozen=True)
class Field:
    """The declaration of one personal-data field."""

    category: Category
    purposes: tuple[Purpose, ...]
    source: Source
    retention: Retention
    erasure: Erasure
    # For Erasure.KEEP: the legal reason, shown in the erasure plan.
    legal_reason: Promise | None = None
    # Included in the access export (GDPR 15(3)) and portability package (20).
    exported: bool = True
    # The customer may change it in the portal at once; otherwise a correction request is filed.
    self_service: bool = False
    # Value written when the field is anonymised; None means "blank for its type".
    anonymised_value: Any = None

    def __post_init__(self) -> None:
        if not self.purposes:
            raise ValueError("A declared field needs at least one purpose.")
        if self.erasure == Erasure.KEEP and not self.legal_reason:
            raise ValueError("A field kept on erasure needs its legal reason.")

    @property
    def bases(self) -> tuple[Basis, ...]:
        return tuple(dict.fromkeys(p.basis for p in self.purposes))


@dataclass
class ModelDeclaration:
    """The declaration of one model: its personal fields and its plainly non-personal ones."""

    model: type[models.Model]
    customer_path: str
    fields: dict[str, Field]
    not_personal: frozenset[str]
    # Rows are never exported (e.g. internal bookkeeping with no personal content).
    exported: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    # Rows left out of the person's own copy while the law lets us withhold them (GDPR 23 and
    # national law, e.g. an authority's request the customer may not yet be told of). They stay
    # in the register, the erasure plan and the retention sweep.
    withheld: models.Q | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    def customer_filter(self, customer: models.Model) -> dict[str, Any]:
        """Return the queryset filter that selects this model's rows of one customer."""
        if not self.customer_path:
            return {"pk": customer.pk}
        return {self.customer_path: customer}

    def rows_for(self, customer: models.Model) -> models.QuerySet:
        """Return this model's rows that belong to the customer."""
        return self.model._default_manager.filter(**self.customer_filter(customer)).order_by("pk")

    def rows_shown_to(self, customer: models.Model) -> models.QuerySet:
        """Return the customer's rows their access copy shows: all but those `withheld`."""
        rows = self.rows_for(customer)
        return rows.exclude(self.withheld) if self.withheld is not None else rows

    def withholds_from(self, customer: models.Model) -> bool:
        """Return whether some of the customer's rows are withheld from their copy now."""
        return self.withheld is not None and self.rows_for(customer).filter(self.withheld).exists()

    def self_service_fields(self) -> list[str]:
        """Return the fields the customer may change in the portal without review."""
        return [
            f.name
            for f in self.model._meta.concrete_fields
            if f.name in self.fields and self.fields[f.name].self_service
        ]

    def exported_fields(self) -> list[str]:
        """Return the names of the fields included in an access export, in model order."""
        return [
            f.name
            for f in self.model._meta.concrete_fields
            if f.name in self.fields and self.fields[f.name].exported
        ]


_registry: dict[str, ModelDeclaration] = {}


def declare(
    model: type[models.Model],
    *,
    customer_path: str | None,
    fields: dict[str, Field],
    not_personal: Iterable[str] = (),
    exported: bool = True,
    withheld: models.Q | None = None,
) -> ModelDeclaration:
    """Declare a model's personal-data fields and the fields that hold no personal data.

    `customer_path` is the ORM lookup from the model to `Customer` ("" for Customer itself,
    "order__customer" for an order line); None for a model that holds personal data but is
    deliberately not linked to a customer (e.g. hashed suppression entries).
    """
    label = model._meta.label
    if label in _registry:
        raise ValueError(f"{label} is declared twice.")
    declaration = ModelDeclaration(
        model=model,
        customer_path=customer_path if customer_path is not None else "",
        fields=dict(fields),
        not_personal=frozenset(not_personal),
        exported=exported and customer_path is not None,
        extra={"linked": customer_path is not None},
        withheld=withheld,
    )
    _registry[label] = declaration
    return declaration


def undeclare(model: type[models.Model]) -> None:
    """Remove a model's declaration (for tests that prove the system check)."""
    _registry.pop(model._meta.label, None)


def declarations() -> list[ModelDeclaration]:
    """Return every model declaration, in app and model order."""
    order = {m._meta.label: i for i, m in enumerate(apps.get_models())}
    return sorted(_registry.values(), key=lambda d: order.get(d.label, len(order)))


def linked_declarations() -> list[ModelDeclaration]:
    """Return declarations of models whose rows belong to a customer."""
    return [d for d in declarations() if d.extra["linked"]]


def get_declaration(model: type[models.Model] | str) -> ModelDeclaration | None:
    """Return the declaration of a model (class or "app_label.ModelName"), if any."""
    label = model if isinstance(model, str) else model._meta.label
    return _registry.get(label)


def get_field(model: type[models.Model], name: str) -> Field | None:
    """Return the declaration of one field, or None when it holds no personal data."""
    declaration = get_declaration(model)
    return declaration.fields.get(name) if declaration else None


def personal_fields() -> Iterator[tuple[ModelDeclaration, str, Field]]:
    """Yield every declared personal-data field with its model declaration."""
    for declaration in declarations():
        for name, decl in declaration.fields.items():
            yield declaration, name, decl


# Returns the keys of the declared purposes the shop has switched off. Set by the statement app
# (statement.purposes), which keeps the choice with the statement; None: every purpose is in use.
_purposes_off: Callable[[], frozenset[str]] | None = None


def set_purposes_off(reader: Callable[[], frozenset[str]] | None) -> None:
    """Set what reads the purposes the shop switched off (None: every purpose is in use)."""
    global _purposes_off
    _purposes_off = reader


def purposes_off() -> frozenset[str]:
    """Return the keys of the purposes switched off now (queries: the statement in force)."""
    return _purposes_off() if _purposes_off is not None else frozenset()


def purposes_in_use(field: Field, off: frozenset[str] | None = None) -> tuple[Purpose, ...]:
    """Return a field's purposes the shop has not switched off."""
    off = purposes_off() if off is None else off
    return tuple(p for p in field.purposes if p.key not in off)


def fields_in_use() -> Iterator[tuple[ModelDeclaration, str, Field]]:
    """Yield the declared fields left with a purpose in use: what the shop says it processes.

    A field whose every purpose is switched off is processed for nothing, so the statement, the
    access letter and the Art. 30 record leave it out (the erasure plan and the sweep do not).
    """
    off = purposes_off()
    for declaration, name, decl in personal_fields():
        if purposes_in_use(decl, off):
            yield declaration, name, decl


def by_category(
    *, everything: bool = False
) -> list[tuple[Category, list[tuple[ModelDeclaration, str, Field]]]]:
    """Return the fields in use (or, with `everything`, all) by category, in category order."""
    groups: dict[Category, list[tuple[ModelDeclaration, str, Field]]] = {}
    for item in personal_fields() if everything else fields_in_use():
        groups.setdefault(item[2].category, []).append(item)
    return sorted(groups.items(), key=lambda kv: kv[0].order)


def partly_in_use() -> frozenset[Category]:
    """Return the categories some of whose fields are left out by a purpose switched off.

    Their declared one-sentence description names fields no longer processed, so what shows them
    lists the fields in use instead.
    """
    every = {category: len(fields) for category, fields in by_category(everything=True)}
    return frozenset(
        category for category, fields in by_category() if len(fields) < every[category]
    )


def used(attribute: str, *, everything: bool = False) -> list[Any]:
    """Return the distinct purposes, sources or retentions the fields in use use, in order.

    Purposes the shop switched off are left out; `everything` reads every declared field and
    purpose (the system checks, which must not depend on the shop's choice).
    """
    off = frozenset() if everything else purposes_off()
    seen: dict[Any, None] = {}
    for _decl, _name, decl in personal_fields():
        purposes = purposes_in_use(decl, off)
        if not purposes:
            continue
        values = purposes if attribute == "purposes" else (getattr(decl, attribute),)
        for value in values:
            seen.setdefault(value, None)
    return list(seen)
