"""Turn an existing Finnish privacy statement into keyed sections and a gap report.

One module a step: ``decoding`` turns uploaded bytes into text; ``text`` turns text, Markdown or
HTML into lines, marking those the markup declares headings; ``headings`` holds the one table
of word stems that maps a heading to its keys; ``sections`` decides which lines are headings
and collects the text under each; ``report`` finds what the text lacks under GDPR Art. 13/14,
what it cites that has been repealed and what it promises; ``parser`` ties them together.
"""

from statement.importer.decoding import decode_statement
from statement.importer.keys import EXPECTED_KEYS, KEY_LABELS, REQUIRED_KEYS, SECTION_KEYS
from statement.importer.parser import parse_statement
from statement.importer.report import names_gdpr_basis
from statement.importer.result import ImportResult, StatementImportError

__all__ = [
    "EXPECTED_KEYS",
    "KEY_LABELS",
    "REQUIRED_KEYS",
    "SECTION_KEYS",
    "ImportResult",
    "StatementImportError",
    "decode_statement",
    "names_gdpr_basis",
    "parse_statement",
]
