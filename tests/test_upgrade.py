"""An existing PostgreSQL database upgrades in place across the split into one app per concern.

`tests/fixtures/schema/before-apps.sql` is a `pg_dump` of a database migrated and seeded by the
release before the split (demo shop, a consent stamped with a statement version, a correction
case, an access package, an erased customer), when the statement's and the requests' models
still lived in the privacy app. Migrating it with today's code must keep every row, point the
moved models at the same tables and keep the staff groups' permissions.
"""

import json
import subprocess

import pytest
from django.conf import settings
from django.db import connection

from tests.manage_subprocess import run_manage

pytestmark = pytest.mark.django_db

DUMP = settings.BASE_DIR / "tests" / "fixtures" / "schema" / "before-apps.sql"

MOVED_TABLES = {
    "statement.Controller": "privacy_controller",
    "statement.StatementVersion": "privacy_statementversion",
    "statement.StatementDraft": "privacy_statementdraft",
    "statement.StatementRecipient": "privacy_statementrecipient",
    "statement.StatementPdf": "privacy_statementpdf",
    "rights.DataSubjectRequest": "privacy_datasubjectrequest",
    "rights.RequestEvent": "privacy_requestevent",
    "rights.CorrectionItem": "privacy_correctionitem",
    "rights.RecipientNotification": "privacy_recipientnotification",
    "rights.AccessPackage": "privacy_accesspackage",
    "rights.AccessPackageDownload": "privacy_accesspackagedownload",
    "rights.ErasureLedger": "privacy_erasureledger",
}

# Run by today's code on the upgraded database: what the ORM reads through the moved models.
PROBE = """
import json
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from customers.models import ConsentEvent
from rights.models import CorrectionItem, DataSubjectRequest
from statement.models import StatementVersion
moved = {moved}
consent = ConsentEvent.objects.exclude(statement_version=None).get()
case = DataSubjectRequest.objects.get()
print(json.dumps({{
    "counts": {{label: apps.get_model(label).objects.count() for label in moved}},
    "tables": {{label: apps.get_model(label)._meta.db_table for label in moved}},
    "consent_version": consent.statement_version.number,
    "latest_version": StatementVersion.latest().number,
    "correction": [case.get_kind_display(), CorrectionItem.objects.get().new_value],
    "content_types": sorted(
        f"{{ct.app_label}}.{{ct.model}}:{{ct.pk}}"
        for ct in ContentType.objects.filter(model__in=[m.split(".")[1].lower() for m in moved])
    ),
    "service_perms": sorted(
        Group.objects.get(name="asiakaspalvelu").permissions.filter(
            content_type__model="datasubjectrequest"
        ).values_list("content_type__app_label", "codename")
    ),
}}))
"""


def _sql(database: str, sql: str) -> list[tuple]:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-XAtc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return [tuple(line.split("|")) for line in result.stdout.splitlines() if line]


@pytest.fixture
def old_database():
    """A scratch database restored from the dump of the release before the split."""
    if connection.vendor != "postgresql":
        pytest.skip("the upgrade is of a PostgreSQL database")
    name = f"{connection.settings_dict['NAME']}_upgrade"
    admin = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-Xqc"]
    subprocess.run([*admin, f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run([*admin, f'CREATE DATABASE "{name}"'], check=True)
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            name,
            "-Xq",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            str(DUMP),
        ],
        check=True,
        capture_output=True,
    )
    yield name
    subprocess.run([*admin, f'DROP DATABASE IF EXISTS "{name}"'], check=True)


def test_an_existing_database_migrates_forward_keeping_every_row_and_permission(old_database):
    before = {
        # Table names from this module, not from input.
        label: int(_sql(old_database, f"SELECT count(*) FROM {table}")[0][0])  # noqa: S608
        for label, table in MOVED_TABLES.items()
    }
    old_types = dict(
        _sql(
            old_database,
            "SELECT model, id FROM django_content_type WHERE app_label = 'privacy'",
        )
    )
    assert before["rights.DataSubjectRequest"] == 1 and before["statement.StatementVersion"] >= 1

    env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{old_database}"}
    migrated = run_manage("migrate", "--no-input", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    probe = run_manage(
        "shell", "-v0", "-c", PROBE.format(moved=json.dumps(list(MOVED_TABLES))), env=env
    )
    assert probe.returncode == 0, probe.stderr
    after = json.loads(probe.stdout.strip().splitlines()[-1])

    assert after["counts"] == before
    assert after["tables"] == MOVED_TABLES
    assert after["consent_version"] == after["latest_version"]
    assert after["correction"] == ["oikaisupyyntö (16 artikla)", "Uusinimi"]
    # Each moved model keeps its content type row (same id), now under its new app.
    expected_types = sorted(
        f"{label.split('.')[0]}.{label.split('.')[1].lower()}:{old_types[label.split('.')[1].lower()]}"
        for label in MOVED_TABLES
    )
    assert after["content_types"] == expected_types
    assert ["rights", "change_datasubjectrequest"] in after["service_perms"]
    assert all(app == "rights" for app, _codename in after["service_perms"])
