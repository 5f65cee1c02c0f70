"""The erasure ledger file: every erasure, appended once it has committed, outside the database.

A restored backup cannot rewind it, so `rights.erasure.reapply_erasures` can erase again each
customer it names who a restore brought back (GDPR 17).
"""

import datetime as dt
import json
import os
from pathlib import Path

from django.conf import settings

from rights.models import (
    ErasureLedger,
)


def ledger_entry(ledger: ErasureLedger) -> dict[str, str]:
    """Return a ledger row as the JSON object the ledger file and dump hold."""
    return {
        "customer_code": str(ledger.customer_code),
        "customer_number": ledger.customer_number,
        "reason": ledger.reason,
        "erased_at": ledger.erased_at.isoformat(),
    }


def append_ledger_file(*, entry: dict[str, str]) -> None:
    """Append one erasure to ERASURE_LEDGER_FILE and flush it to disk.

    Called once the erasure has committed: the file must never name an erasure that was rolled
    back, and it lives outside the database so a restored backup cannot rewind it.
    """
    path = Path(settings.ERASURE_LEDGER_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


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
