"""The upgrade rule: every migration can run while the previous release still serves.

docs/deploy.md ("Upgrades") states the rule; CHANGELOG.md lists each release's migrations. Every
migration's operations are read (those of `SeparateDatabaseAndState` that reach the database)
and refused when they

- drop a column or table, unless an earlier release already removed it from the models only
  (state-only), so the release serving during `migrate` no longer reads it;
- rename a column or table;
- add a NOT NULL column with no database default (the serving release's inserts leave it out);
- build an index, or a constraint, on an existing big table other than with
  AddIndexConcurrently (or CREATE INDEX CONCURRENTLY) in a non-atomic migration.

Releases made before the rule broke it; each of those says so in its Upgrading note, naming the
migration (and what to do). From the first release under the rule on, nothing may break it.
"""

import inspect
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader

CHANGELOG = settings.BASE_DIR / "CHANGELOG.md"
# The first release whose migrations must all keep the rule.
RULE_SINCE = "0.4.0"
PROJECT_APPS = {
    "customers",
    "integrations",
    "notifications",
    "privacy",
    "rekisteri",
    "rights",
    "statement",
}
# Tables that grow with the register (a million customers: docs/benchmarks.md). An index or a
# constraint built on them the plain way blocks their writes for minutes.
BIG_MODELS = {
    "customers.customer",
    "customers.order",
    "customers.orderline",
    "customers.shipment",
    "customers.trackingevent",
    "customers.consentevent",
    "customers.marketingban",
    "customers.suppressionentry",
    "customers.banregisterentry",
    "privacy.auditentry",
}
DROP_OR_RENAME_SQL = re.compile(r"\b(DROP\s+(TABLE|COLUMN)|RENAME\s+(TO|COLUMN))\b", re.I)
PLAIN_INDEX_SQL = re.compile(r"\bCREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)", re.I)


@dataclass(frozen=True)
class Release:
    version: str
    text: str
    migrations: frozenset[str]


def releases() -> list[Release]:
    """Return CHANGELOG.md's releases, newest first, with the migrations each lists."""
    sections = re.split(r"^## ", CHANGELOG.read_text(), flags=re.M)[1:]
    found = []
    for section in sections:
        version = section.split()[0]
        listed = re.search(r"^\*\*Migrations\*\*:(.*?)(?:\n\n|\Z)", section, flags=re.M | re.S)
        names = re.findall(r"\b([a-z_]+\.\d{4})\b", listed.group(1)) if listed else []
        found.append(Release(version, section, frozenset(names)))
    return found


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def project_migrations() -> dict[str, migrations.Migration]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {
        f"{app}.{name[:4]}": migration
        for (app, name), migration in loader.disk_migrations.items()
        if app in PROJECT_APPS
    }


def release_of(name: str, known: list[Release]) -> str:
    """Return the release that ships a migration; one not listed is part of the newest."""
    for release in known:
        if name in release.migrations:
            return release.version
    return known[0].version


def _database_operations(operations):
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from _database_operations(operation.database_operations)
        else:
            yield operation


def _state_only_removals(app: str, operations) -> set[tuple[str, str, str | None]]:
    """Return the fields and models a migration removes from the models but not the database."""
    removed = set()
    for operation in operations:
        if not isinstance(operation, migrations.SeparateDatabaseAndState):
            continue
        for state in operation.state_operations:
            if isinstance(state, migrations.RemoveField):
                removed.add((app, state.model_name.lower(), state.name))
            elif isinstance(state, migrations.DeleteModel):
                removed.add((app, state.name.lower(), None))
    return removed


def _code_and_sql(operation) -> str:
    if isinstance(operation, migrations.RunSQL):
        sql = operation.sql
        return sql if isinstance(sql, str) else " ".join(map(str, sql))
    if isinstance(operation, migrations.RunPython):
        return inspect.getsource(operation.code)
    return ""


def _big_tables() -> set[str]:
    return {apps.get_model(label)._meta.db_table for label in BIG_MODELS}


def violations(name: str, migration, removed_before: set) -> list[str]:
    """Return how one migration breaks the rule (empty when it keeps it)."""
    app = migration.app_label
    created = {
        op.name.lower()
        for op in _database_operations(migration.operations)
        if isinstance(op, migrations.CreateModel)
    }
    found = []
    for op in _database_operations(migration.operations):
        model = getattr(op, "model_name", None) or getattr(op, "name", "")
        label = f"{app}.{str(model).lower()}"
        existing = str(model).lower() not in created
        big = label in BIG_MODELS and existing
        if isinstance(op, migrations.RemoveField):
            if (app, op.model_name.lower(), op.name) not in removed_before:
                found.append(f"{name} drops the column {label}.{op.name}")
        elif isinstance(op, migrations.DeleteModel):
            if (app, op.name.lower(), None) not in removed_before:
                found.append(f"{name} drops the table of {label}")
        elif isinstance(op, migrations.RenameField | migrations.RenameModel):
            found.append(f"{name} renames {label}")
        elif isinstance(op, migrations.AlterModelTable):
            found.append(f"{name} renames the table of {label}")
        elif isinstance(op, migrations.AddField) and existing:
            field = op.field
            has_db_default = field.db_default is not models.NOT_PROVIDED
            if not (field.null or field.many_to_many or has_db_default):
                found.append(f"{name} adds {label}.{op.name} NOT NULL without a db_default")
            if big and (field.db_index or field.unique or field.is_relation):
                found.append(f"{name} indexes {label}.{op.name} on a big table")
        elif isinstance(op, AddIndexConcurrently):
            if migration.atomic:
                found.append(f"{name} builds an index concurrently in an atomic migration")
        elif isinstance(op, migrations.AddIndex | migrations.AddConstraint) and big:
            found.append(f"{name} builds {op.describe()} on a big table without CONCURRENTLY")
        code = _code_and_sql(op)
        if DROP_OR_RENAME_SQL.search(code):
            found.append(f"{name} drops or renames in SQL")
        for match in PLAIN_INDEX_SQL.finditer(code):
            target = re.search(r"\bON\s+\"?(\w+)", code[match.end() :])
            if target and target.group(1) in _big_tables():
                found.append(f"{name} builds an index on {target.group(1)} without CONCURRENTLY")
    return found


def rule_report() -> dict[str, list[str]]:
    """Return the violations of every migration, by the release that ships it."""
    known = releases()
    found: dict[str, list[str]] = {release.version: [] for release in known}
    by_release: dict[str, list[str]] = {}
    all_migrations = project_migrations()
    for name in all_migrations:
        by_release.setdefault(release_of(name, known), []).append(name)
    removed: set = set()
    for version in sorted(by_release, key=_version_key):
        removed_before = set(removed)
        for name in sorted(by_release[version]):
            migration = all_migrations[name]
            found[version] += violations(name, migration, removed_before)
            removed |= _state_only_removals(migration.app_label, migration.operations)
    return found


def test_every_migration_is_in_one_release_and_the_releases_are_in_order():
    known = releases()
    assert [r.version for r in known] == sorted(
        (r.version for r in known), key=_version_key, reverse=True
    )
    listed = [name for release in known for name in release.migrations]
    assert len(listed) == len(set(listed)), "a migration is listed in two releases"
    assert set(listed) <= set(project_migrations()), "the changelog lists a missing migration"
    for release in known:
        assert "**Upgrading**" in release.text, f"{release.version} has no Upgrading note"


def test_no_migration_since_the_rule_drops_renames_or_blocks_what_the_serving_release_uses():
    report = rule_report()
    broken = {
        version: found
        for version, found in report.items()
        if _version_key(version) >= _version_key(RULE_SINCE) and found
    }
    assert broken == {}


def test_each_older_release_that_broke_the_rule_says_so_in_its_upgrading_note():
    report = rule_report()
    for release in releases():
        if _version_key(release.version) >= _version_key(RULE_SINCE):
            continue
        for problem in report[release.version]:
            migration = problem.split()[0]
            assert migration in release.text.split("**Migrations**")[0], problem
        if report[release.version]:
            assert "stop `rekisteri-web`" in release.text, release.version


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        (migrations.RemoveField("customer", "email"), "drops the column customers.customer.email"),
        (migrations.RenameField("order", "total", "sum"), "renames customers.order"),
        (
            migrations.AddField("customer", "nickname", models.CharField(max_length=9)),
            "adds customers.customer.nickname NOT NULL without a db_default",
        ),
        (
            migrations.AddIndex("customer", models.Index(fields=["email"], name="c_email")),
            "on a big table without CONCURRENTLY",
        ),
        (
            migrations.RunSQL("CREATE INDEX c_e ON customers_customer (email)"),
            "builds an index on customers_customer without CONCURRENTLY",
        ),
    ],
)
def test_the_rule_refuses_what_would_break_the_serving_release(operation, expected):
    migration = type("Migration", (migrations.Migration,), {"operations": [operation]})(
        "9999_example", "customers"
    )
    (problem,) = violations("customers.9999", migration, set())
    assert expected in problem


def test_the_rule_lets_a_column_go_one_release_after_the_models_stopped_reading_it():
    drop = migrations.RemoveField("customer", "fax")
    migration = type("Migration", (migrations.Migration,), {"operations": [drop]})(
        "9999_example", "customers"
    )
    assert violations("customers.9999", migration, {("customers", "customer", "fax")}) == []
    concurrent = type(
        "Migration",
        (migrations.Migration,),
        {
            "atomic": False,
            "operations": [
                AddIndexConcurrently("customer", models.Index(fields=["email"], name="c_email"))
            ],
        },
    )("9999_example", "customers")
    assert violations("customers.9999", concurrent, set()) == []


def test_the_search_indexes_migration_builds_concurrently_outside_a_transaction():
    migration = project_migrations()["customers.0002"]
    assert migration.atomic is False
    assert connection.vendor != "postgresql" or violations("customers.0002", migration, set()) == []
