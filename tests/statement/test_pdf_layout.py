"""The printed statement as a reader sees it: nothing printed over anything else, every page
naming the shop and the version, Finnish and Swedish hyphenated, references on one line, and
links that lead to the public site."""

import io
import re

import pytest
from pypdf import PdfReader

from demo.shop import ensure_demo_statement
from privacy.pdf import render_pdf
from rights.access import build_access_files
from rights.cases import receive_request, refuse_request, verify_identity
from rights.letters import render_letter_pdf
from rights.models import DataSubjectRequest
from statement.models import StatementVersion
from statement.publishing import get_statement_pdf, statement_pdf_html
from tests.rights.conftest import make_full_customer
from tests.statement.pdf_layout import link_targets, overlaps, page_texts, page_words

pytestmark = pytest.mark.django_db

SITE_URL = "https://rekisteri.example.fi"

# What every page's header and footer say, per language, for the demo shop's first version.
RUNNING = {
    "fi": ("Esimerkkikauppa Oy", "Tietosuojaseloste", r"Versio 1, voimassa \S+ alkaen — sivu"),
    "sv": ("Esimerkkikauppa Oy", "Dataskyddsbeskrivning", r"Version 1, gäller från \S+ — sida"),
    "en": (
        "Esimerkkikauppa Oy",
        "Privacy statement",
        r"Version 1, in force from \d+ \w+ \d{4} — page",
    ),
}


@pytest.fixture
def version(settings) -> StatementVersion:
    # Published as a deployed shop publishes it: the statement's links are written with SITE_URL.
    settings.SITE_URL = SITE_URL
    return ensure_demo_statement()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_text_of_the_statement_pdf_is_printed_over_another(version, language):
    data = get_statement_pdf(version=version, language=language).file.read()
    assert list(overlaps(data)) == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_page_names_the_shop_the_document_and_the_version(version, language):
    data = get_statement_pdf(version=version, language=language).file.read()
    pages = page_texts(data)
    shop, document, footer = RUNNING[language]
    assert len(pages) > 1
    for number, text in enumerate(pages, 1):
        assert shop in text, number
        assert document in text, number
        assert re.search(rf"{footer} {number} (/|of) {len(pages)}", text), (number, text[-120:])


@pytest.mark.parametrize("size", ["A5", "A6"])
def test_a_narrow_page_wraps_long_compounds_instead_of_overprinting(version, size):
    # At any width: a narrower page gives every column less room than the longest words need.
    for language in ("fi", "sv"):
        html = statement_pdf_html(version, language).replace(
            "</head>", f"<style>@page statement {{ size: {size}; margin: 15mm 8mm }}</style></head>"
        )
        data = render_pdf(html, title="t", author="a", language=language)
        assert list(overlaps(data)) == [], (language, size)


@pytest.mark.parametrize(
    ("language", "term"),
    [
        ("fi", "suoramarkkinointikielto"),
        ("fi", "tietosuojavaltuutetulle"),
        ("sv", "Marknadsföringsförbud"),
        ("sv", "personuppgiftsansvarig"),
    ],
)
def test_finnish_and_swedish_compounds_are_hyphenated_in_a_narrow_column(language, term):
    html = (
        f'<!DOCTYPE html><html lang="{language}"><body class="statement-document">'
        f'<article class="statement"><p style="width: 25mm">{term}</p></article></body></html>'
    )
    data = render_pdf(html, title="t", author="a", language=language)
    (text,) = page_texts(data)
    assert "‐" in text, text
    assert text.replace("‐ ", "") == term
    assert list(overlaps(data)) == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_article_references_are_not_broken_across_lines(version, language):
    # "16 artikla", "6 artiklan 1 kohdan b alakohta" in Finnish, "artikel 6.1 b" in Swedish,
    # "Article 6(1)(b)" in English (privacy.citations): each number and its unit are always on
    # the same line, side by side.
    unit = {
        "fi": r"\(?(artikla|artiklan|kohta|kohdan|alakohta)\)?[,.;:]?$",
        "sv": r"\(?(artikel|artiklarna)$",
        "en": r"\(?(Articles?)$",
    }[language]
    data = get_statement_pdf(version=version, language=language).file.read()
    checked = 0
    for words in page_words(data):
        for word in words:
            if not re.match(unit, word["text"]):
                continue
            line = sorted(
                (w for w in words if abs(w["top"] - word["top"]) < 1), key=lambda w: w["x0"]
            )
            at = line.index(word)
            if language == "fi":
                neighbour = line[at - 1]["text"] if at > 0 else ""
                assert re.search(r"(\d|^[a-h])$", neighbour), (neighbour, word["text"])
            else:
                neighbour = line[at + 1]["text"] if at + 1 < len(line) else ""
                assert re.match(r"\d", neighbour), (word["text"], neighbour)
            checked += 1
    assert checked > 10


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_suspended_hyphen_stays_with_its_word(version, language):
    # "Markkinointiluvat ja -kiellot": a line never ends in "ja -".
    data = get_statement_pdf(version=version, language=language).file.read()
    lone = [w["text"] for words in page_words(data) for w in words if w["text"] == "-"]
    assert lone == []


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_stored_pdf_links_to_the_public_site_only(version, language):
    data = get_statement_pdf(version=version, language=language).file.read()
    targets = link_targets(data)
    assert any(t.startswith(f"{SITE_URL}/") for t in targets), targets
    for target in targets:
        assert target.startswith(("https://", "mailto:")), target
        assert not re.search(r"127\.0\.0\.1|localhost|testserver|file:", target), target


def test_a_relative_link_in_the_content_is_printed_absolute(version):
    html = statement_pdf_html(version, "fi").replace(
        "</article>", '<p><a href="/oma/">oma</a> <a href="#rights">x</a></p></article>'
    )
    assert f'href="{SITE_URL}/oma/"' in html
    assert 'href="#rights"' in html


def test_the_statement_pdf_is_still_tagged_for_screen_readers(version):
    data = get_statement_pdf(version=version, language="sv").file.read()
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


# The other printed documents: checked, not restyled here (the access package and the letters
# have layouts of their own).


def test_no_text_of_the_access_package_pdf_is_printed_over_another(version):
    customer = make_full_customer()
    data = build_access_files(customer=customer)["tiedot.pdf"]
    assert list(overlaps(data)) == []


def test_no_text_of_a_decision_letter_pdf_is_printed_over_another(version):
    customer = make_full_customer()
    case = receive_request(
        kind=DataSubjectRequest.Kind.ACCESS,
        channel=DataSubjectRequest.Channel.EMAIL,
        customer=customer,
    )
    verify_identity(case=case, method=DataSubjectRequest.Verification.EMAIL_ON_FILE)
    refuse_request(case=case, reason=DataSubjectRequest.RefusalReason.EXCESSIVE)
    case.refresh_from_db()
    data = render_letter_pdf(case=case)
    assert list(overlaps(data)) == []
