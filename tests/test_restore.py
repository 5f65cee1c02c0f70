"""Backup, erase, restore into a new database, apply the erasures again: no erased person is back.

docs/deploy.md's "Restoring" and "restore drill" blocks are run as written: the lines are read
from the document and run in bash. Only what cannot run here is stood in for, by commands of the
same names on PATH: `systemctl` (recorded), `ssh` (runs its command here) and `sudo` (runs its
command as this user; PostgreSQL's own commands reach the test server as its superuser). The
placeholders (the backup's name, the install directory, the drill's database and its owner)
are filled in, and the env file the scripts read (REKISTERI_ENV) names databases of this test's own.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from customers.models import Customer, Order
from demo.shop import ensure_demo_statement
from rekisteri.operations import database_url
from rights.access import create_access_package
from rights.erasure import erase_customer
from rights.models import ErasureLedger
from tests.backups import RECIPIENT, run_backup, write_env_file
from tests.factories import CustomerFactory, OrderFactory
from tests.manage_subprocess import run_manage

pytestmark = pytest.mark.django_db(transaction=True)

DEPLOY_DOC = settings.BASE_DIR / "docs" / "deploy.md"
BACKUP_NAME = "rekisteri-YYYY-MM-DDTHHMMSS.dump.gpg"

SHIMS = {
    "systemctl": 'echo "systemctl $*" >> "$SHIM_LOG"\n',
    "ssh": (
        'while [ "${1#-}" != "$1" ]; do shift; done\n'  # options
        'echo "ssh $1" >> "$SHIM_LOG"; shift\n'  # the host
        'exec bash -c "$*"\n'
    ),
    "sudo": (
        'while :; do case "$1" in -u) shift 2 ;; -H) shift ;; *) break ;; esac; done\nexec "$@"\n'
    ),
}


def _doc_block(after: str) -> str:
    """Return the first indented code block of docs/deploy.md after the line containing `after`."""
    lines = DEPLOY_DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    block: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("    "):
            block.append(line[4:])
        elif block:
            break
    assert block, f"no code block after {after!r}"
    return "\n".join(block)


def _fill(block: str, **placeholders: str) -> str:
    for placeholder, value in placeholders.items():
        assert placeholder in block, f"the document no longer has {placeholder}"
        block = block.replace(placeholder, value)
    return block


def _run_doc_block(block: str, tmp_path: Path, env_file: Path, gnupg_home: Path):
    shims = tmp_path / "shims"
    shims.mkdir()
    for name, body in SHIMS.items():
        (shims / name).write_text("#!/bin/bash\n" + body)
        (shims / name).chmod(0o755)
    log = tmp_path / "shim.log"
    log.touch()
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        env={
            "PATH": f"{shims}:{os.environ['PATH']}",
            "HOME": os.environ.get("HOME", "/root"),
            "GNUPGHOME": str(gnupg_home),
            "REKISTERI_ENV": str(env_file),
            "SHIM_LOG": str(log),
            "PGHOST": "127.0.0.1",
            "PGUSER": "postgres",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return result, log.read_text().splitlines()


def _admin_sql(sql: str) -> list[tuple]:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        cursor = admin.execute(sql)
        return cursor.fetchall() if cursor.description else []


def _drop_databases(prefix: str) -> None:
    names = _admin_sql(
        f"SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%'"  # noqa: S608
    )
    for (name,) in names:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site_database():
    """A database name of this test's own for the "server" being restored, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_site"
    _drop_databases(name)
    yield name
    _drop_databases(name)


def _customers(url: str) -> dict[str, tuple]:
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT code::text, number, first_name, last_name, email, erased_at IS NOT NULL "
            "FROM customers_customer"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def _live_customers() -> dict[str, tuple]:
    return {
        str(c.code): (c.number, c.first_name, c.last_name, c.email, c.erased_at is not None)
        for c in Customer.objects.all()
    }


def _shop() -> dict[str, Customer]:
    """The register before the backup: a statement, customers with orders, one with a package."""
    ensure_demo_statement()
    people = {
        "kept": CustomerFactory(first_name="Pysyvä", email="pysyva@example.fi"),
        "package_owner": CustomerFactory(first_name="Paketti", email="paketti@example.fi"),
        "erased_before": CustomerFactory(first_name="Aiemmin", last_name="Poistettu"),
        "erased_after": CustomerFactory(first_name="Myöhemmin", last_name="Poistettava"),
        "also_erased_after": CustomerFactory(first_name="Toinen", last_name="Poistettava"),
    }
    for customer in people.values():
        OrderFactory(customer=customer)
    erase_customer(customer=people["erased_before"])
    return people


_PAGES_AFTER_RESTORE = """
import json, re
from django.core import mail
from django.test import Client
client, out = Client(), {}
for path in ("/tietosuojaseloste/pdf/", "/sv/tietosuojaseloste/pdf/", "/en/tietosuojaseloste/pdf/"):
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    out[path] = [response.status_code, body[:5].decode()]
client.post("/oma/kirjaudu/", {"email": EMAIL})
code = re.search(r"\\b(\\d{6})\\b", mail.outbox[-1].body).group(1)
client.post("/oma/kirjaudu/koodi/", {"code": code})
page = client.get("/oma/lataa/")
out["download page"] = page.status_code
out["links listed"] = re.findall(r'href="(/tietopaketti/[^"]+)"', page.content.decode())
out["old package"] = client.get(OLD).status_code
made = client.post("/oma/lataa/", follow=True)
new = re.findall(r'href="(/tietopaketti/[^"]+/json/)"', made.content.decode())
out["new package"] = client.get(new[0]).status_code
print(json.dumps(out))
"""


def test_the_documented_restore_brings_no_erased_person_back_and_serves_with_empty_media(
    tmp_path, gnupg_home, site_database
):
    people = _shop()
    package = create_access_package(customer=people["package_owner"])
    old_package = reverse("portal:access_download", args=[package.token, "json"])
    backups = tmp_path / "backups"
    backups.mkdir()
    taken = run_backup(backup_dir=backups, gnupg_home=gnupg_home)
    assert taken.returncode == 0, taken.stderr
    (backup,) = backups.glob("rekisteri-*.dump.gpg")
    # Erased after the backup: only the ledger file knows of them once the backup is restored.
    erase_customer(customer=people["erased_after"])
    erase_customer(customer=people["also_erased_after"])
    live = _live_customers()
    live_orders = Order.objects.count()

    # The server being restored: set up as the guide says (an empty database), media empty.
    _admin_sql(f'CREATE DATABASE "{site_database}"')
    media = tmp_path / "empty-media"
    media.mkdir()
    env_file = write_env_file(
        tmp_path / "rekisteri.env",
        DATABASE_URL=database_url(site_database),
        ERASURE_LEDGER_FILE=str(settings.ERASURE_LEDGER_FILE),
        MEDIA_ROOT=str(media),
        BACKUP_GPG_RECIPIENT=RECIPIENT,
    )
    block = _fill(
        _doc_block("Then, with the backup on the machine that holds the private key:"),
        **{BACKUP_NAME: str(backup), "/srv/rekisteri": str(settings.BASE_DIR)},
    )
    result, calls = _run_doc_block(block, tmp_path, env_file, gnupg_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "restored into" in result.stdout
    assert calls[0] == "systemctl stop rekisteri-web rekisteri-worker@*"
    assert calls[-1] == "systemctl start rekisteri-web rekisteri-worker@1"

    restored = _customers(database_url(site_database))
    # The erased stay erased, the one erased after the backup included; all else is as it was.
    for key in ("erased_before", "erased_after", "also_erased_after"):
        code = str(people[key].code)
        assert restored[code][4], f"{key} is back"
        assert restored[code][1:4] == live[code][1:4]
    assert {code: row for code, row in restored.items() if not row[4]} == {
        code: row for code, row in live.items() if not row[4]
    }
    with psycopg.connect(database_url(site_database)) as db:
        assert db.execute("SELECT count(*) FROM customers_order").fetchone()[0] == live_orders
        ledger = {r[0] for r in db.execute("SELECT customer_code::text FROM privacy_erasureledger")}
    assert ledger == {
        str(code) for code in ErasureLedger.objects.values_list("customer_code", flat=True)
    }
    # The database it replaced is kept aside, not dropped.
    assert _admin_sql(
        f"SELECT datname FROM pg_database WHERE datname LIKE '{site_database}_before_restore_%'"  # noqa: S608
    )

    # The restored app serves the statement PDF and packages from an empty media folder.
    pages = run_manage(
        "shell",
        "-v0",
        "-c",
        f"EMAIL = {people['package_owner'].email!r}\nOLD = {old_package!r}\n"
        + _PAGES_AFTER_RESTORE,
        env={
            "DATABASE_URL": database_url(site_database),
            "MEDIA_ROOT": str(media),
            "ERASURE_LEDGER_FILE": str(settings.ERASURE_LEDGER_FILE),
            "EMAIL_URL": "memorymail://",
            "ALLOWED_HOSTS": "testserver",
        },
    )
    assert pages.returncode == 0, pages.stderr
    out = json.loads(pages.stdout.strip().splitlines()[-1])
    for path in (
        "/tietosuojaseloste/pdf/",
        "/sv/tietosuojaseloste/pdf/",
        "/en/tietosuojaseloste/pdf/",
    ):
        assert out[path] == [200, "%PDF-"]
    assert out["download page"] == 200
    assert out["links listed"] == []
    assert out["old package"] == 404
    assert out["new package"] == 200


def test_the_documented_restore_drill_reports_counts_and_leaves_the_live_database_alone(
    tmp_path, gnupg_home, site_database
):
    people = _shop()
    backups = tmp_path / "backups"
    backups.mkdir()
    assert run_backup(backup_dir=backups, gnupg_home=gnupg_home).returncode == 0
    (backup,) = backups.glob("rekisteri-*.dump.gpg")
    erase_customer(customer=people["erased_after"])
    live = _live_customers()

    drill = f"{site_database}_drill"
    env_file = write_env_file(
        tmp_path / "rekisteri.env",
        DATABASE_URL=database_url(connection.settings_dict["NAME"]),
        ERASURE_LEDGER_FILE=str(settings.ERASURE_LEDGER_FILE),
    )
    block = _fill(
        _doc_block("The live database is not touched:"),
        **{
            BACKUP_NAME: str(backup),
            "/srv/rekisteri": str(settings.BASE_DIR),
            "rekisteri_drill": drill,
            # The app's database user (the test server has no rekisteri role).
            "--owner=rekisteri": f"--owner={connection.settings_dict['USER']}",
        },
    )
    result, _calls = _run_doc_block(block, tmp_path, env_file, gnupg_home)

    assert result.returncode == 0, result.stdout + result.stderr
    customers = len(live)
    assert f"Restored into {drill}: {customers} customers, 2 of them erased." in result.stdout
    assert "Erasures in the ledger: 2; erased again: 1; still present: 0." in result.stdout
    assert not _admin_sql(f"SELECT 1 FROM pg_database WHERE datname = '{drill}'")  # noqa: S608
    assert _live_customers() == live


def test_a_restore_refuses_a_backup_it_cannot_decrypt_and_a_ledger_that_lacks_erasures(
    tmp_path, gnupg_home, site_database, monkeypatch
):
    _shop()
    backups = tmp_path / "backups"
    backups.mkdir()
    assert run_backup(backup_dir=backups, gnupg_home=gnupg_home).returncode == 0
    (backup,) = backups.glob("rekisteri-*.dump.gpg")
    _admin_sql(f'CREATE DATABASE "{site_database}"')
    # On the server, where the private key is not: nothing is restored.
    no_key = tmp_path / "no-key"
    no_key.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(no_key))
    with pytest.raises(CommandError, match=r"gpg could not decrypt .*is the private key here"):
        call_command("restore_check", str(backup), database=site_database)
    monkeypatch.setenv("GNUPGHOME", str(gnupg_home))
    empty = tmp_path / "new-server-ledger.jsonl"
    empty.touch()

    with pytest.raises(CommandError, match=r"lacks 1 erasures the backup itself records"):
        call_command("restore_check", str(backup), database=site_database, ledger=empty)

    with pytest.raises(CommandError, match="is the database this app uses"):
        call_command("restore_check", str(backup), database=connection.settings_dict["NAME"])


def test_the_restore_section_is_the_one_the_tests_follow():
    text = DEPLOY_DOC.read_text()
    assert "`tests/test_restore.py` runs these three lines as written." in text
    assert re.search(r"deploy/restore\.sh", _doc_block("Then, with the backup on the machine"))
