"""The erasure ledger file: every erasure, appended as it commits, outside the database.

A restored backup cannot rewind it, so `rights.erasure.reapply_erasures` can erase again each
customer it names who a restore brought back (GDPR 17).

The line is written once the erasure has committed, so the file never names an erasure that was
rolled back. What makes that safe: the erasure itself first checks, inside its transaction,
that the file can be appended to and its disk has room (`check_ledger_writable`), and is
rolled back when not; and should the write still fail after the commit, `catch_up_ledger_file`
(run by `recover_tasks` every ten minutes) appends every ledger row the file lacks.
"""

import datetime as dt
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from customers.hashing import keyed_hash, keyed_hashes
from rights.models import (
    ErasedShopId,
    ErasureLedger,
)

logger = logging.getLogger(__name__)

# Room a ledger line needs, with a wide margin (a line is under 200 bytes): less free space than
# this and the disk is taken as full.
MIN_FREE_BYTES = 64 * 1024


class LedgerUnwritable(Exception):
    """The ledger file cannot be written, so an erasure must not happen (it would not last)."""

    # Shown to staff, who cannot fix it: what happened and who can.
    message = _(
        "Poistoa ei tehty, koska sitä ei voitu kirjata poistojen lokitiedostoon. Mitään ei "
        "poistettu. Pyydä ylläpitoa tarkistamaan palvelimen levytila ja oikeudet."
    )


def ledger_problem() -> str | None:
    """Return why ERASURE_LEDGER_FILE cannot be appended to, or None when it can.

    Opens the file for appending (creating it, empty, when missing), writes nothing, and checks
    that its disk has MIN_FREE_BYTES free.
    """
    path = Path(settings.ERASURE_LEDGER_FILE)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
        disk = os.statvfs(path)
    except OSError as exc:
        return f"ERASURE_LEDGER_FILE {path} is not writable: {exc.strerror or exc}"
    if disk.f_bavail * disk.f_frsize < MIN_FREE_BYTES:
        return f"ERASURE_LEDGER_FILE {path} is on a full disk"
    return None


def check_ledger_writable() -> None:
    """Raise LedgerUnwritable, and log why, when the ledger file cannot take another line."""
    problem = ledger_problem()
    if problem is not None:
        logger.error("erasure refused: %s", problem, extra={"event": "ledger_unwritable"})
        raise LedgerUnwritable(problem)


# The kind of value hashed: the keyed hash of a web shop's customer id (customers.hashing).
SHOP_ID = "shop_customer"


def shop_id_hash(platform_id: str) -> str:
    """Return the keyed hash under which the ledger keeps a web shop's id of an erased customer."""
    return keyed_hash(SHOP_ID, platform_id.strip())


def record_shop_ids(*, ledger: ErasureLedger, platform_ids: list[str]) -> None:
    """Keep the hashes of the shop's ids of an erased customer with their ledger row."""
    hashes = sorted({shop_id_hash(value) for value in platform_ids if value and value.strip()})
    ErasedShopId.objects.bulk_create(
        [ErasedShopId(ledger=ledger, id_hash=value) for value in hashes], ignore_conflicts=True
    )


def erased_shop_ids(platform_ids: list[str]) -> set[str]:
    """Return those of the web shop ids that belong to a customer the register has erased.

    Every key an entry may have been hashed with is tried (SUPPRESSION_KEY_FALLBACKS). The
    ledger holds the last BACKUP_KEEP_DAYS of erasures, so its hashes are read whole: an import
    of 100,000 rows costs one query and the ids' hashes.
    """
    stored = set(ErasedShopId.objects.values_list("id_hash", flat=True).distinct())
    if not stored:
        return set()
    values = {p.strip() for p in platform_ids if p and p.strip()}
    return {
        value
        for value in values
        if any(hashed in stored for hashed in keyed_hashes(SHOP_ID, value))
    }


def is_erased_shop_id(platform_id: str) -> bool:
    """Return whether a web shop's customer id is that of a customer the register erased."""
    if not platform_id or not platform_id.strip():
        return False
    return ErasedShopId.objects.filter(
        id_hash__in=keyed_hashes(SHOP_ID, platform_id.strip())
    ).exists()


def ledger_entry(ledger: ErasureLedger) -> dict[str, str]:
    """Return a ledger row as the JSON object the ledger file and dump hold."""
    return {
        "customer_code": str(ledger.customer_code),
        "customer_number": ledger.customer_number,
        "reason": ledger.reason,
        "erased_at": ledger.erased_at.isoformat(),
    }


def append_ledger_file(*, entries: list[dict[str, str]]) -> None:
    """Append erasures to ERASURE_LEDGER_FILE and flush them to disk.

    Called once the erasure has committed (`transaction.on_commit`), and by the catch-up.
    """
    path = Path(settings.ERASURE_LEDGER_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(json.dumps(entry) + "\n" for entry in entries))
        handle.flush()
        os.fsync(handle.fileno())


def catch_up_ledger_file() -> int:
    """Append to ERASURE_LEDGER_FILE every ledger row it lacks; return how many.

    Nothing to do unless a write after a commit failed (the disk filled up in between): then
    the erasure is in the database's ledger only, and a restore of an older backup would undo it.
    """
    path = Path(settings.ERASURE_LEDGER_FILE)
    written = {e["customer_code"] for e in read_ledger_file(path)} if path.exists() else set()
    missing = [
        ledger_entry(row)
        for row in ErasureLedger.objects.order_by("erased_at")
        if str(row.customer_code) not in written
    ]
    if missing:
        append_ledger_file(entries=missing)
        logger.warning(
            "appended %d erasures missing from the ledger file",
            len(missing),
            extra={"event": "ledger_caught_up"},
        )
    return len(missing)


def read_ledger_file(path: Path) -> list[dict]:
    """Return the entries of a ledger file: JSON lines, or a JSON list written by --dump."""
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        return []
    if text.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def known_erasures() -> list[dict]:
    """Return every erasure on record: the database's ledger and ERASURE_LEDGER_FILE together."""
    entries = list(ErasureLedger.objects.values("customer_code", "customer_number", "reason"))
    path = Path(settings.ERASURE_LEDGER_FILE)
    if path.exists():
        entries += read_ledger_file(path)
    return entries


def prune_ledger_file(*, before: dt.datetime) -> int:
    """Drop the file's entries of erasures made before `before`; return how many went.

    The file is rewritten whole to a temporary file beside it and moved over the old one, so a
    crash leaves either the old file or the new one, never half of either.
    """
    path = Path(settings.ERASURE_LEDGER_FILE)
    if not path.exists():
        return 0
    entries = read_ledger_file(path)
    kept = [
        e
        for e in entries
        if "erased_at" not in e or dt.datetime.fromisoformat(e["erased_at"]) >= before
    ]
    if len(kept) == len(entries):
        return 0
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(entry) + "\n" for entry in kept)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return len(entries) - len(kept)


def _erased_at(entry: dict) -> dt.datetime | None:
    # A dump from `reapply_erasures --dump` of an older release may lack the time.
    return dt.datetime.fromisoformat(entry["erased_at"]) if "erased_at" in entry else None
