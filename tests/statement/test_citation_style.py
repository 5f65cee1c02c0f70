"""One citation style (privacy.citations, docs/terminology.md "Citation style"): every article
reference a reader meets is made by `cite`, so the demo shop's statement and the letters in
Finnish, Swedish and English hold none of the forms written by hand before."""

import re
from html import unescape

import pytest
from django.utils import translation

from demo.shop import ensure_demo_statement
from privacy.citations import Style, cite, parse
from rights.letters import extension_notice_text
from statement.content import build_statement
from statement.models import STATEMENT_LANGUAGES, StatementDraft
from statement.publishing import render_statement_html
from tests.rights.conftest import make_letter_cases

# The forms references were written in by hand: "6 art. 1 b", "17 art. 3 k. e", "(16 art.)",
# "art. 6.1 b", "Art. 6(1)(b)", "Arts. 5(2) and 32", "GDPR 5 art.", "tietosuoja-asetus, 77".
OLD_FORMS = re.compile(
    r"\d+\s+art\.|\bart\.\s*\d|\bArts?\.\s*\d|\b\d+\s+k\.|\bk\.\s+[a-h]\b|\bGDPR\s+\d"
    r"|tietosuoja-asetus,\s+\d|\d+\s*/\s*art"
)


@pytest.mark.parametrize(
    ("language", "references", "style", "expected"),
    [
        ("fi", ("6(1)(b)",), Style.SHORT, "6 artiklan 1 kohdan b alakohta"),
        ("fi", ("21(3)",), Style.TEXT, "tietosuoja-asetuksen 21 artiklan 3 kohta"),
        ("fi", (77,), Style.FULL, "EU:n yleisen tietosuoja-asetuksen (2016/679) 77 artikla"),
        ("fi", (13, 14), Style.SHORT, "13 ja 14 artikla"),
        ("fi", ("5(2)", 32), Style.TEXT, "tietosuoja-asetuksen 5 artiklan 2 kohta ja 32 artikla"),
        ("fi", ("21(2,3)",), Style.SHORT, "21 artiklan 2 ja 3 kohta"),
        ("sv", ("6(1)(b)",), Style.SHORT, "artikel 6.1 b"),
        ("sv", ("21(3)",), Style.TEXT, "artikel 21.3 i dataskyddsförordningen"),
        ("sv", ("5(2)", 32), Style.SHORT, "artiklarna 5.2 och 32"),
        ("sv", ("12–22",), Style.SHORT, "artiklarna 12–22"),
        ("en", ("6(1)(b)",), Style.SHORT, "Article 6(1)(b)"),
        ("en", ("21(3)",), Style.TEXT, "Article 21(3) GDPR"),
        (
            "en",
            (15,),
            Style.FULL,
            "Article 15 of the EU General Data Protection Regulation (2016/679)",
        ),
        ("en", ("5(2)", 32), Style.SHORT, "Articles 5(2) and 32"),
    ],
)
def test_a_reference_is_written_in_the_languages_style(language, references, style, expected):
    with translation.override(language):
        assert cite(*references, style=style) == expected
        assert not OLD_FORMS.search(expected)


def test_a_reference_that_is_no_article_is_refused():
    for wrong in ("6(b)", "art. 6", "6(1,2)(b)", ""):
        with pytest.raises(ValueError):
            parse(wrong)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.django_db
@pytest.mark.parametrize("language", STATEMENT_LANGUAGES)
def test_the_demo_statement_cites_in_one_style(language):
    ensure_demo_statement()
    text = _text(render_statement_html(build_statement(StatementDraft.current(), language)))
    assert OLD_FORMS.findall(text) == []
    with translation.override(language):
        for reference in (cite("6(1)(b)"), cite(77), cite("21(3)", style=Style.TEXT)):
            assert reference in text, reference


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_letters_cite_in_one_style(language):
    ensure_demo_statement()

    refused, done = make_letter_cases(language)
    letters = [refused.decision_text, extension_notice_text(refused), done.decision_text]
    for letter in letters:
        assert OLD_FORMS.findall(letter) == [], letter
    with translation.override(language):
        assert cite(77, style=Style.FULL) in letters[0]
        assert cite("17(3)(b)") in letters[0]
        assert cite("12(3)", style=Style.FULL) in letters[1]
