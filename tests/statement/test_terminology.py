"""The glossary's forbidden terms (docs/terminology.md) appear in no message catalogue and in no
language of the demo shop's published statement."""

import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from demo.shop import ensure_demo_statement

GLOSSARY = Path(settings.BASE_DIR) / "docs" / "terminology.md"
CATALOGUES = sorted(Path(settings.BASE_DIR).glob("locale/*/LC_MESSAGES/django.po"))


@cache
def forbidden_terms() -> list[str]:
    """Return the first column of the glossary's "Forbidden terms" table."""
    section = GLOSSARY.read_text(encoding="utf-8").split("## Forbidden terms", 1)[1]
    section = section.split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def _pattern(term: str) -> re.Pattern:
    # A trailing * stands for any ending (an inflected form).
    stem = re.escape(term.removesuffix("*"))
    return re.compile(stem if term.endswith("*") else rf"{stem}(?!\w)", re.IGNORECASE)


def _found(text: str) -> list[str]:
    return [term for term in forbidden_terms() if _pattern(term).search(text)]


def catalogue_texts(path: Path) -> list[str]:
    """Return every msgid and msgstr of a .po file, continuation lines joined; comments skipped."""
    texts: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        match = re.match(r'^(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if match:
            texts.append(match.group(1))
        elif line.startswith('"') and texts:
            texts[-1] += line[1:-1]
    return texts


def test_the_glossary_lists_the_forbidden_terms():
    terms = forbidden_terms()
    for required in (
        "vakiosopimuslausek*",
        "förstörs genom rivning",
        "Marknadsföringstillstånd*",
        "kontrollsumma*",
    ):
        assert required in terms


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-3])
def test_no_message_catalogue_uses_a_forbidden_term(catalogue):
    offending = {text: found for text in catalogue_texts(catalogue) if (found := _found(text))}
    assert offending == {}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_demo_statement_uses_no_forbidden_term(language):
    html = ensure_demo_statement().html(language)
    assert _found(html) == []


def test_the_matching_catches_inflected_forms_only_where_asked():
    assert _found("Euroopan komission vakiosopimuslausekkeisiin") == ["vakiosopimuslausek*"]
    assert _found("Marknadsföringstillstånden") == ["Marknadsföringstillstånd*"]
    assert _found("Dokumenten förstörs genom rivningen") == []
    assert _found("tietosuojaa koskevat vakiolausekkeet") == []
