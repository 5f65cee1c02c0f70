"""The keyed hash of a contact detail, under which the suppression and restriction lists hold it.

`keyed_hash(kind, value)` is HMAC-SHA256 of "kind:value" keyed with SUPPRESSION_KEY, as hex. The
lists keep only these, so a stored entry cannot be reversed by hashing guessed addresses. The key
is not SECRET_KEY: an entry cannot be re-hashed (the detail is gone), so rotating the key that made
it would silently empty the list. A retired key moves to SUPPRESSION_KEY_FALLBACKS; new entries
are hashed with the current key and matching tries every key (`keyed_hashes`, and `KeyedHash`
once per key in SQL).

`KeyedHash` and `NormalisedText` compute the same as `keyed_hash` and `normalise_text` in the
database (PostgreSQL builtins; a Python function on SQLite), so the audiences compare hashes
there instead of hashing every customer in Python.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import CharField, Func


def suppression_keys() -> list[str]:
    """Return the keys a stored hash may have been made with: the current one first."""
    return [settings.SUPPRESSION_KEY, *settings.SUPPRESSION_KEY_FALLBACKS]


def keyed_hash(kind: str, value: str, *, key: str | None = None) -> str:
    """Return the HMAC-SHA256 of "kind:value" as hex, keyed with `key` (the current key)."""
    secret = (key if key is not None else settings.SUPPRESSION_KEY).encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def keyed_hashes(kind: str, value: str) -> list[str]:
    """Return the hash of "kind:value" under every key an entry may have been made with."""
    return [keyed_hash(kind, value, key=key) for key in suppression_keys()]


def normalise_text(value: str) -> str:
    """Return letters and digits only, upper-cased: "Hämeentie 5 a-3" → "HÄMEENTIE5A3"."""
    return "".join(ch for ch in value or "" if ch.isalnum()).upper()


def address_key(*, last_name: str, street_address: str, postal_code: str) -> str:
    """Return the key a postal restriction-list entry is matched on (AddressKey in SQL)."""
    return "|".join(normalise_text(v) for v in (last_name, street_address, postal_code))


def phone_key(phone: str) -> str:
    """Return the key a phone restriction-list entry is matched on: the number in E.164."""
    return (phone or "").strip()


def _hmac_pads(key: str) -> tuple[bytes, bytes]:
    """Return HMAC's inner and outer padded keys (RFC 2104), for computing it in SQL."""
    secret = key.encode()
    if len(secret) > 64:
        secret = hashlib.sha256(secret).digest()
    secret = secret.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in secret), bytes(b ^ 0x5C for b in secret)


def _sqlite_function(connection, name: str, arity: int, function) -> None:
    connection.ensure_connection()
    connection.connection.create_function(name, arity, function, deterministic=True)


class KeyedHash(Func):
    """SQL for keyed_hash(kind, expression, key=key): a column hashed as the lists hold it."""

    output_field = CharField()

    def __init__(self, expression, *, kind: str, key: str | None = None) -> None:
        super().__init__(expression)
        self.kind = kind
        self.key = key if key is not None else settings.SUPPRESSION_KEY

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("KeyedHash supports PostgreSQL and SQLite.")

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        inner, outer = _hmac_pads(self.key)
        # HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) with builtins only (no pgcrypto).
        template = (
            "ENCODE(SHA256(%s::bytea || SHA256(%s::bytea || "
            f"CONVERT_TO(%s || COALESCE(({sql})::text, ''), 'UTF8'))), 'hex')"
        )
        return template, (outer, inner, f"{self.kind}:", *params)

    def as_sqlite(self, compiler, connection, **extra):
        _sqlite_function(
            connection,
            "rk_keyed_hash",
            3,
            lambda kind, value, key: keyed_hash(kind, value or "", key=key),
        )
        sql, params = compiler.compile(self.source_expressions[0])
        return f"rk_keyed_hash(%s, {sql}, %s)", (self.kind, *params, self.key)


class NormalisedText(Func):
    """SQL for normalise_text(expression)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("NormalisedText supports PostgreSQL and SQLite.")

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"UPPER(REGEXP_REPLACE(COALESCE({sql}, ''), '[^[:alnum:]]+', '', 'g'))", params

    def as_sqlite(self, compiler, connection, **extra):
        _sqlite_function(connection, "rk_normalise_text", 1, normalise_text)
        sql, params = compiler.compile(self.source_expressions[0])
        return f"rk_normalise_text({sql})", params
