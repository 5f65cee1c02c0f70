"""Inject a database error at every SQL statement of an operation and compare what is left.

`record()` runs an operation and lists its statements; `fault_at(n)` raises OperationalError in
place of statement n (a real statement, through Django's execute wrapper: nothing is faked).
`snapshot()` dumps every row of the tables an operation touches, the files under MEDIA_ROOT, the
erasure ledger file and the mail sent, so a test can assert that a failed run left all of it
exactly as before, and `changes()` describes what a completed run changed with the values that
differ from run to run (ids, times, random numbers) masked, so runs on fresh data compare.
"""

import datetime as dt
import decimal
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.db import OperationalError, connection

_VERB = re.compile(r"\s*(\w+)", re.S)
_TABLE = re.compile(r'(?:FROM|INTO|UPDATE|JOIN)\s+"(\w+)"', re.I)


class InjectedFault(OperationalError):
    """The database error a test injects (an OperationalError, as a lost connection raises)."""


@dataclass
class Statement:
    sql: str
    in_transaction: bool

    @property
    def kind(self) -> str:
        """Return the statement's step kind: a plain read, a locking read of a table, a write
        (verb and table), or a savepoint statement."""
        verb = _VERB.match(self.sql).group(1).upper()
        table = _TABLE.search(self.sql)
        if verb == "SELECT" and "FOR UPDATE" not in self.sql:
            return "SELECT"
        lock = " FOR UPDATE" if verb == "SELECT" else ""
        return f"{verb} {table.group(1) if table else ''}{lock}".strip()

    @property
    def is_write(self) -> bool:
        return self.kind.split()[0] in ("INSERT", "UPDATE", "DELETE", "COPY")


@dataclass
class Recorder:
    statements: list[Statement] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(Statement(sql, connection.in_atomic_block))
        return execute(sql, params, many, context)

    def tables(self) -> set[str]:
        names = set(connection.introspection.table_names())
        return {t for s in self.statements for t in re.findall(r'"(\w+)"', s.sql) if t in names}


@dataclass
class FaultAt:
    """Raise InjectedFault instead of running the n-th statement (1-based)."""

    n: int
    seen: int = 0
    fired: Statement | None = None

    def __call__(self, execute, sql, params, many, context):
        self.seen += 1
        if self.seen == self.n:
            self.fired = Statement(sql, connection.in_atomic_block)
            raise InjectedFault(f"injected fault at statement {self.n}")
        return execute(sql, params, many, context)


def record(operation: Callable[[], object]) -> Recorder:
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        operation()
    return recorder


@contextmanager
def fault_at(n: int) -> Iterator[FaultAt]:
    fault = FaultAt(n)
    with connection.execute_wrapper(fault):
        yield fault


def sample_steps(statements: list[Statement], limit: int) -> list[int]:
    """Return the 1-based statement numbers to fail at: all of them when there are at most
    `limit`, else the first statement of every kind, the one after the first of every kind of
    write, the last, and evenly spaced others up to `limit` (deterministic)."""
    count = len(statements)
    if count <= limit:
        return list(range(1, count + 1))
    first_of_kind: dict[str, int] = {}
    for number, statement in enumerate(statements, 1):
        first_of_kind.setdefault(statement.kind, number)
    # Also the statement after the first of each kind of write, so that a fault just after
    # every kind of write is injected too (the write must then be rolled back).
    after_writes = {
        n + 1 for n in first_of_kind.values() if statements[n - 1].is_write and n < count
    }
    chosen = set(first_of_kind.values()) | after_writes | {count}
    spare = max(limit - len(chosen), 0)
    if spare:
        step = count / spare
        chosen |= {int(i * step) + 1 for i in range(spare)}
    return sorted(chosen)


# Snapshots.


def _files() -> dict[str, str]:
    found = {}
    roots = [Path(settings.MEDIA_ROOT)]
    for root in roots:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    found[str(path.relative_to(root))] = hashlib.sha256(
                        path.read_bytes()
                    ).hexdigest()
    ledger = Path(settings.ERASURE_LEDGER_FILE)
    if ledger.exists():
        found["<ledger>"] = ledger.read_text(encoding="utf-8")
    return found


@dataclass
class Snapshot:
    rows: dict[str, dict[object, tuple]]
    columns: dict[str, list[str]]
    files: dict[str, str]
    mail: list[tuple[str, tuple[str, ...]]]

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def same_as(self, other: "Snapshot") -> bool:
        return (self.rows, self.files, self.mail) == (other.rows, other.files, other.mail)


def snapshot(tables: set[str]) -> Snapshot:
    """Dump every row of `tables` (keyed by primary key), the stored files and the mail sent."""
    rows: dict[str, dict[object, tuple]] = {}
    columns: dict[str, list[str]] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - a table name
            columns[table] = [c.name for c in cursor.description]
            rows[table] = {row[0]: tuple(row) for row in cursor.fetchall()}
    sent = [(m.subject, tuple(m.to)) for m in mail.outbox]
    return Snapshot(rows, columns, _files(), sent)


def describe_difference(before: Snapshot, after: Snapshot) -> str:
    lines = []
    for table, rows in after.rows.items():
        old = before.rows.get(table, {})
        added = set(rows) - set(old)
        removed = set(old) - set(rows)
        changed = {k for k in set(rows) & set(old) if rows[k] != old[k]}
        if added or removed or changed:
            lines.append(f"{table}: +{len(added)} -{len(removed)} ~{len(changed)}")
    if before.files != after.files:
        lines.append(f"files: {sorted(set(before.files) ^ set(after.files))} or contents")
    if before.mail != after.mail:
        lines.append(f"mail: {after.mail[len(before.mail) :]}")
    return "; ".join(lines)


# Comparing runs on fresh data.

_DIGITS = re.compile(r"\d{5,}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT[\d:.+]+")
_HASH = re.compile(r"\b[0-9a-f]{40,64}\b")
_RANDOM = re.compile(r"[A-Za-z0-9_-]{24,}")
_REFERENCE = re.compile(r"\b(TS-\d{4})-[0-9A-F]{8}\b")
_LABEL_ID = re.compile(r"\b(\w+\.\w+):\d+")
_MASKED_JSON_KEYS = {"request", "import_job", "version", "id", "customer", "access_package"}


def _mask_text(value: str, tokens: tuple[str, ...]) -> str:
    for token in tokens:
        value = value.replace(token, "<token>")
    value = _UUID.sub("<uuid>", value)
    value = _DATETIME.sub("<datetime>", value)
    value = re.sub(r"\b\d{1,2}:\d{2}\b", "<time>", value)
    value = _HASH.sub("<hash>", value)
    value = _REFERENCE.sub(r"\1-<ref>", value)
    value = _LABEL_ID.sub(r"\1:<id>", value)
    value = _RANDOM.sub("<random>", value)
    return _DIGITS.sub("<n>", value)


def _mask(column: str, value, tokens: tuple[str, ...]):
    if column == "id" or column.endswith("_id"):
        return "<id>" if value is not None else None
    if isinstance(value, dt.datetime | dt.date | dt.time | uuid.UUID):
        return f"<{type(value).__name__}>"
    if isinstance(value, str):
        if value[:1] in "{[":
            try:
                return _mask(column, json.loads(value), tokens)
            except ValueError:
                pass
        return _mask_text(value, tokens)
    if isinstance(value, dict):
        return tuple(
            sorted(
                (k, "<id>" if k in _MASKED_JSON_KEYS else _mask(k, v, tokens))
                for k, v in value.items()
            )
        )
    if isinstance(value, list):
        return tuple(_mask(column, v, tokens) for v in value)
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, decimal.Decimal | int | float | bool) or value is None:
        return value
    return repr(value)


def changes(
    before: Snapshot,
    after: Snapshot,
    tokens: tuple[str, ...] = (),
    masked_columns: dict[str, set[str]] | None = None,
) -> dict:
    """Return what changed from `before` to `after`, masked so that runs on fresh data compare.

    `masked_columns` names, per table, further columns whose values differ from run to run.
    """
    result: dict[str, object] = {}
    for table, rows in after.rows.items():
        cols = after.columns[table]
        old = before.rows.get(table, {})
        hidden = (masked_columns or {}).get(table, set())

        def mask(c, v, hidden=hidden):
            return "<masked>" if c in hidden else _mask(c, v, tokens)

        def masked(row, cols=cols, mask=mask):
            return tuple(mask(c, v) for c, v in zip(cols, row, strict=True))

        added = sorted(map(repr, (masked(rows[k]) for k in set(rows) - set(old))))
        removed = sorted(map(repr, (masked(old[k]) for k in set(old) - set(rows))))
        updated = sorted(
            repr(
                tuple(
                    (c, mask(c, new))
                    for c, was, new in zip(cols, old[k], rows[k], strict=True)
                    if was != new
                )
            )
            for k in set(rows) & set(old)
            if rows[k] != old[k]
        )
        if added or removed or updated:
            result[table] = {"added": added, "removed": removed, "updated": updated}
    new_files = sorted(
        re.sub(r"\d+", "<n>", re.sub(r"[A-Za-z0-9_-]{16,}", "<random>", name))
        for name in set(after.files) - set(before.files) - {"<ledger>"}
    )
    result["<files>"] = new_files
    if "<ledger>" in after.files:
        ledger_added = after.files["<ledger>"][len(before.files.get("<ledger>", "")) :]
        result["<ledger lines>"] = ledger_added.count("\n")
    result["<mail>"] = [
        _mask("subject", subject, tokens) for subject, _to in after.mail[len(before.mail) :]
    ]
    return result
