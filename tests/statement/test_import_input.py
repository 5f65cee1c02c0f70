"""What the importer accepts as a file, and the Finnish message for what it does not."""

import pytest
from django.utils import translation

from statement.importer import StatementImportError, decode_statement, parse_statement
from tests.statement.import_expectations import FIXTURES

STATEMENT = (FIXTURES / "statements" / "kukkakauppa_kysymykset.txt").read_text()


def test_windows_1252_bytes_are_decoded():
    text = decode_statement(STATEMENT.encode("cp1252"))
    assert text == STATEMENT
    assert "Oona Orvokki" in parse_statement(text).sections["controller"]


def test_utf8_with_a_stray_windows_byte_stays_utf8():
    data = STATEMENT.encode() + b" \x96 loppu"  # one cp1252 dash pasted into a UTF-8 file
    text = decode_statement(data)
    assert "Kukkasidonta Orvokki – näin käsittelemme tietojasi" in text
    assert "Ã" not in text


def test_utf8_with_bom_is_decoded_without_the_bom():
    assert decode_statement("\ufeffRekisterinpitäjä".encode()) == "Rekisterinpitäjä"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_a_bom_is_decoded(codec):
    assert decode_statement(STATEMENT.encode(codec)).lstrip("\ufeff") == STATEMENT


def test_a_stray_nul_or_control_character_is_dropped_from_the_text():
    # Found by the fuzz test: a NUL in UTF-16 text reached PostgreSQL, which refuses it in JSON.
    data = ("Rekisterinpitäjä\n\x00" + STATEMENT + "\x07").encode("utf-16")
    text = decode_statement(data)
    assert "\x00" not in text and "\x07" not in text
    assert text.lstrip("\ufeff") == "Rekisterinpitäjä\n" + STATEMENT


def test_utf8_that_was_once_read_as_windows_1252_is_repaired():
    garbled = STATEMENT.encode().decode("cp1252", "replace").encode()  # "kÃ¤sittelemme"
    assert "Ã¤" in garbled.decode()
    assert decode_statement(garbled) == STATEMENT


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n", b"\xef\xbb\xbf"])
def test_empty_or_whitespace_file_is_refused_as_empty(data):
    with pytest.raises(StatementImportError, match=r"^Tiedosto on tyhjä\.$"):
        decode_statement(data)


def test_empty_text_is_refused_as_empty():
    with pytest.raises(StatementImportError, match=r"^Tiedosto on tyhjä\.$"):
        parse_statement("  \n\n ")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # an old .doc
        b"Rekisterinpit\x00\x00j\x00\x01\x02\x03",
        bytes(range(1, 32)) * 10,
    ],
    ids=["png", "jpeg", "doc", "nul-bytes", "control-bytes"],
)
def test_binary_file_is_refused(data):
    with pytest.raises(StatementImportError, match=r"binääritiedosto"):
        decode_statement(data)


def test_pdf_file_is_refused_with_advice():
    with pytest.raises(StatementImportError, match="PDF-tiedosto; tallenna seloste tekstinä"):
        decode_statement(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")


def test_word_file_is_refused_with_advice():
    with pytest.raises(StatementImportError, match="pakattu tiedosto"):
        decode_statement(b"PK\x03\x04\x14\x00\x06\x00word/document.xml")


def test_english_privacy_policy_is_refused_and_named_english():
    text = (
        "Privacy policy\n\nController\n\nShop Ltd, Main Street 1.\n\n"
        "Purpose of processing\n\nWe use your data to deliver the orders you make with us.\n"
    )
    with pytest.raises(StatementImportError, match=r"ei näytä suomenkieliseltä.*englanninkiel"):
        parse_statement(text)


def test_text_in_no_language_we_know_is_refused_as_not_finnish():
    with pytest.raises(StatementImportError, match=r"^Teksti ei näytä suomenkieliseltä"):
        parse_statement("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 5)


def test_finnish_text_without_headings_is_refused():
    text = (
        "Kesä on tullut ja ihmiset lähtevät mökeille. Sää on ollut lämmin, ja järvet ovat "
        "jo uimakelpoisia.\n\nKaupoissa on myös paljon asiakkaita, kun lomat alkavat.\n"
    )
    with pytest.raises(StatementImportError, match="ei tunnistettu yhtään"):
        parse_statement(text)


def test_a_single_heading_is_not_a_statement():
    with pytest.raises(StatementImportError, match="vain yksi"):
        parse_statement(
            "Evästeet\n\nKäytämme sivustollamme evästeitä, jotta ostoskori toimii. Voit myös "
            "sallia analytiikan, jos haluat, ja kieltää sen milloin tahansa.\n"
        )


def test_html_without_text_is_refused():
    with pytest.raises(StatementImportError, match="ei ole tekstiä"):
        parse_statement("<html><body><p>&nbsp;</p><div></div></body></html>")


def test_errors_are_value_errors_with_finnish_messages():
    with pytest.raises(ValueError) as info:
        parse_statement("")
    assert str(info.value) == "Tiedosto on tyhjä."


def test_refusals_are_shown_in_the_staff_members_language():
    with translation.override("sv"), pytest.raises(StatementImportError, match=r"^Filen är tom\.$"):
        decode_statement(b"")
    with translation.override("en"), pytest.raises(StatementImportError, match="Swedish one"):
        parse_statement((FIXTURES / "statements" / "svenska_dataskydd.txt").read_text())
