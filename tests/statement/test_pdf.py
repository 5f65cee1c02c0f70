"""The statement's PDF: content per language, metadata, storage, ETag and caching."""

import io
import shutil

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from demo.shop import ensure_demo_statement
from statement import publishing as statement_service
from statement.content import build_statement
from statement.models import StatementDraft, StatementPdf, StatementVersion
from statement.publishing import get_statement_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def version() -> StatementVersion:
    return ensure_demo_statement()


@pytest.fixture
def render_count(monkeypatch) -> list[int]:
    """Count calls of the real HTML→PDF function (it still renders)."""
    calls = [0]
    real = statement_service.render_pdf

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(statement_service, "render_pdf", counting)
    return calls


def _outline_titles(outline) -> list[str]:
    """Flatten the PDF's bookmarks (nested lists for sub-headings) into their titles."""
    titles = []
    for item in outline:
        titles += _outline_titles(item) if isinstance(item, list) else [item["/Title"]]
    return titles


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_pdf_has_every_heading_and_the_controller_in_each_language(version, language):
    pdf = get_statement_pdf(version=version, language=language)
    data = pdf.file.read()
    text = _text(data)
    for heading in build_statement(StatementDraft.current(), language).headings:
        assert heading in text, heading
    assert "Esimerkkikauppa Oy" in text
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.author == "Esimerkkikauppa Oy"
    assert "Esimerkkikauppa Oy" in reader.metadata.title
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    # Tagged for accessibility (PDF/UA-1): structure tree, marked content, the title shown in
    # the window, the PDF/UA identification, and bookmarks for the numbered headings.
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    headings = build_statement(StatementDraft.current(), language).headings
    with translation.override(language):
        brief = [_("Lyhyesti"), _("Sisällys")]
    assert _outline_titles(reader.outline)[1:] == brief + [
        f"{number}. {heading}" for number, heading in enumerate(headings, 1)
    ]


def test_pdf_is_a4_with_page_numbers(version):
    data = get_statement_pdf(version=version, language="fi").file.read()
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    pages = len(reader.pages)
    assert f"1 / {pages}" in reader.pages[0].extract_text()
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert all(
        "/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        or "/FontFile3" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for f in fonts.values()
    )


def test_a_repeat_download_is_served_from_storage(client, version, render_count, settings):
    first = client.get("/tietosuojaseloste/pdf/")
    second = client.get("/tietosuojaseloste/pdf/")
    assert first.status_code == second.status_code == 200
    assert b"".join(first.streaming_content) == b"".join(second.streaming_content)
    assert render_count[0] == 1
    assert StatementPdf.objects.filter(version=version).count() == 1
    assert len(list((settings.MEDIA_ROOT / "statements").iterdir())) == 1


def test_each_language_is_rendered_once(client, version, render_count):
    for url in (
        "/tietosuojaseloste/pdf/",
        "/sv/tietosuojaseloste/pdf/",
        "/en/tietosuojaseloste/pdf/",
    ):
        client.get(url)
        client.get(url)
    assert render_count[0] == 3
    assert set(StatementPdf.objects.values_list("language", flat=True)) == {"fi", "sv", "en"}


def test_pdf_is_served_with_etag_and_a_matching_request_gets_304(client, version):
    response = client.get("/tietosuojaseloste/pdf/")
    etag = response["ETag"]
    assert response["Content-Type"] == "application/pdf"
    assert "public" in response["Cache-Control"]
    assert etag == f'"{StatementPdf.objects.get(language="fi").sha256}"'
    again = client.get("/tietosuojaseloste/pdf/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag


def test_a_numbered_version_pdf_is_cached_as_immutable(client, version):
    response = client.get(f"/en/tietosuojaseloste/versiot/{version.number}/pdf/")
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert "tietosuojaseloste-v1-en.pdf" in response["Content-Disposition"]


def test_no_pdf_before_a_statement_is_published(client, db):
    assert client.get("/tietosuojaseloste/pdf/").status_code == 404


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_pdf_missing_from_an_emptied_media_folder_is_rendered_again(
    client, version, render_count, settings, language
):
    prefix = "" if language == "fi" else f"/{language}"
    first = client.get(f"{prefix}/tietosuojaseloste/pdf/")
    assert first.status_code == 200
    b"".join(first.streaming_content)
    # A restore on a new server: the rows are back, the media folder is empty.
    shutil.rmtree(settings.MEDIA_ROOT)
    again = client.get(f"{prefix}/tietosuojaseloste/pdf/")
    assert again.status_code == 200
    data = b"".join(again.streaming_content)
    assert version.controller_name in _text(data)
    assert render_count[0] == 2
    stored = StatementPdf.objects.get(version=version, language=language)
    assert stored.file.storage.exists(stored.file.name)
    assert again["ETag"] == f'"{stored.sha256}"'
    # Then it is served from storage again.
    client.get(f"{prefix}/tietosuojaseloste/pdf/")
    assert render_count[0] == 2


def test_stored_pdfs_are_readable_by_the_apps_user_and_group_only(client, version, settings):
    client.get("/tietosuojaseloste/pdf/")
    stored = StatementPdf.objects.get(language="fi")
    path = settings.MEDIA_ROOT / stored.file.name
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.parent.stat().st_mode & 0o777 == 0o750
