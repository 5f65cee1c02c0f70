"""Customer lookup by the keys staff use: number, email, phone and name."""

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import CharField, Func, Q, QuerySet
from stdnum import luhn

from customers import validators as v


def classify_term(term: str) -> tuple[str, str]:
    """Return (kind, normalised value) for a search term: number, email, phone or name."""
    term = term.strip()
    compact = v.compact_customer_number(term)
    if v.CUSTOMER_NUMBER_RE.match(compact) and luhn.is_valid(compact):
        return "number", compact
    if "@" in term:
        return "email", term.lower()
    digits = term.replace(" ", "").replace("-", "")
    if digits.lstrip("+").isdigit() and len(digits.lstrip("+")) >= 6:
        try:
            return "phone", v.normalise_phone(term)
        except ValidationError:
            return "phone", digits
    return "name", term


def search_customers(queryset: QuerySet, term: str) -> QuerySet:
    """Filter customers by a term: exact number, email or phone, else name fragments.

    Exact keys use their unique or b-tree indexes; name fragments match first name or surname
    (trigram indexes serve this on PostgreSQL).
    """
    kind, value = classify_term(term)
    if not value:
        return queryset
    if kind == "number":
        return queryset.filter(number=value)
    if kind == "email":
        return queryset.filter(email=value)
    if kind == "phone":
        return queryset.filter(phone=value)
    if connections[queryset.db].vendor == "sqlite":
        # SQLite's LIKE folds ASCII only ("äijä" would miss "Äijälä"): fold in Python instead.
        queryset = queryset.annotate(_last=CaseFolded("last_name"), _first=CaseFolded("first_name"))
        for word in value.casefold().split():
            queryset = queryset.filter(Q(_last__contains=word) | Q(_first__contains=word))
        return queryset
    for word in value.split():
        queryset = queryset.filter(Q(last_name__icontains=word) | Q(first_name__icontains=word))
    return queryset


class CaseFolded(Func):
    """The Unicode case-folded text of a column, on SQLite (a Python function registered)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        connection.ensure_connection()
        connection.connection.create_function(
            "rk_casefold", 1, lambda value: (value or "").casefold(), deterministic=True
        )
        sql, params = compiler.compile(self.source_expressions[0])
        return f"rk_casefold({sql})", params
