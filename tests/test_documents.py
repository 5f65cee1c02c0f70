"""Every document a person receives, looked at: the statement, the demo customer's access package
and each kind of letter, in Finnish, Swedish and English, printed and turned into a picture of its
first page (pdftoppm), as a reader would see it."""

import subprocess

import pytest
from PIL import Image

from demo.shop import ensure_demo_statement
from rights.access import build_access_files
from rights.letters import extension_notice_text, render_letter_pdf
from statement.publishing import get_statement_pdf
from tests.rights.conftest import make_full_customer, make_letter_cases

pytestmark = pytest.mark.django_db

# What a reader sees on the first page of each document, per language.
SEEN = {
    "fi": {
        "statement": "Tietosuojaseloste",
        "access": "Vastaus tarkastuspyyntöön",
        "refusal": "Muutoksenhaku",
        "decision": "Olemme toteuttaneet pyyntösi",
        "extension": "Miksi tarvitsemme lisäaikaa",
    },
    "sv": {
        "statement": "Dataskyddsbeskrivning",
        "access": "Svar på din begäran om insyn",
        "refusal": "Rättsmedel",
        "decision": "Vi har tillmötesgått din begäran",
        "extension": "Varför vi behöver mer tid",
    },
    "en": {
        "statement": "Privacy statement",
        "access": "Reply to your request for access",
        "refusal": "Remedies",
        "decision": "We have carried out your request",
        "extension": "Why we need more time",
    },
}


def _letters(language: str) -> dict[str, bytes]:
    refused, done = make_letter_cases(language)
    return {
        "refusal": render_letter_pdf(case=refused),
        "decision": render_letter_pdf(case=done),
        "extension": render_letter_pdf(
            case=refused,
            text=extension_notice_text(refused),
            dated=refused.extension_notified_on,
        ),
    }


def test_every_document_is_seen_on_a_picture_of_its_first_page_in_every_language(tmp_path):
    version = ensure_demo_statement()
    customer = make_full_customer()
    documents: dict[str, bytes] = {}
    for language in SEEN:
        documents[f"statement-{language}"] = get_statement_pdf(
            version=version, language=language
        ).file.read()
        customer.preferred_language = language
        customer.save(update_fields=["preferred_language"])
        files = build_access_files(customer=customer)
        documents[f"access-{language}"] = next(
            content for name, content in files.items() if name.endswith(".pdf")
        )
        documents.update({f"{kind}-{language}": pdf for kind, pdf in _letters(language).items()})

    for name, pdf in documents.items():
        kind, language = name.rsplit("-", 1)
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-singlefile", "-png", path, path],
            check=True,
        )
        with Image.open(path.with_suffix(".pdf.png")) as picture:
            assert picture.width > 200 and picture.height > 200, name
            darkest, lightest = picture.convert("L").getextrema()
            assert darkest < 100 < lightest, name  # text on paper, not a blank page
        first_page = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", path, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert SEEN[language][kind] in first_page, (name, first_page[:400])
        assert "Esimerkkikauppa Oy" in first_page, name
