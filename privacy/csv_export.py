"""The one CSV writer of every export: no cell that a spreadsheet would run as a formula.

A customer writes their own name, address and company in the portal, and the shop sends them
through the API; a marketing export or an access package opened in Excel or LibreOffice must
not turn `=HYPERLINK(…)` or `+1+cmd|' /C calc'!A0` in a name into a formula. OWASP's rule (CSV
Injection): a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return — or the
full-width `＝`, `＋`, `－`, `＠`, which spreadsheets read as the same — is written with a
leading apostrophe, which spreadsheets take as "this is text" and do not show. A plain number
(`+358401234567`, `-12.50`) is left as it is: it cannot call anything, and a phone number in
an SMS audience must stay dialable by the tool that imports it.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def safe_cell(value: Any) -> Any:
    """Return the value as a spreadsheet will show it, never as a formula it would run."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer's writerow and writerows, every cell through safe_cell()."""

    def __init__(self, stream: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: Any, **fmtparams: Any) -> SafeWriter:
    """Return a CSV writer over `stream` (csv.writer's arguments) that neutralises formulas."""
    return SafeWriter(stream, **fmtparams)
