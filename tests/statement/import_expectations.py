"""Assertions shared by the statement-import tests."""

import re
from pathlib import Path

from statement.importer import ImportResult, decode_statement, parse_statement

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# (the section's heading as the statement writes it, a phrase of its text, the keys it must be
# under and no others). A phrase under two keys is text the importer rightly copies: a combined
# heading's body, or a sentence also taken for a key no heading names (a direct-marketing ban
# in the rights section).
Expected = list[tuple[str, str, set[str]]]


def parse_file(path: Path) -> ImportResult:
    """Parse a statement file read as bytes, the way the command and the upload do."""
    return parse_statement(decode_statement(path.read_bytes()))


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_sections(result: ImportResult, expected: Expected) -> None:
    """Check that each section's text is under exactly its keys, and that no other key is found."""
    sections = {key: flat(text) for key, text in result.sections.items()}
    for heading, phrase, keys in expected:
        whole = re.compile(rf"(?<!\w){re.escape(flat(phrase))}(?!\w)")  # not "Asiakasrekisterin"
        holders = {key for key, text in sections.items() if whole.search(text)}
        assert holders == keys, f"{heading!r}: {phrase!r} is under {sorted(holders)}, not {keys}"
    assert set(result.sections) == set().union(*(keys for _, _, keys in expected))


def assert_nowhere(result: ImportResult, *phrases: str) -> None:
    """Check that none of the phrases (page furniture, markup) got into any section."""
    everything = "\n".join(result.sections.values())
    for phrase in phrases:
        assert phrase not in everything, phrase
