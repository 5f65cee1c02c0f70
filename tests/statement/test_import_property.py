"""Whatever a file holds, the importer either imports it or refuses it with its own error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statement.importer import (
    SECTION_KEYS,
    ImportResult,
    StatementImportError,
    decode_statement,
    parse_statement,
)

# Pieces real statements are made of, so generated text reaches the heading paths, not only
# the "not Finnish" refusal: headings, numbering, markup, body sentences, dates, table cells.
PIECES = st.sampled_from(
    [
        "Rekisterinpitäjä", "REKISTERIN NIMI", "Tietojen säilytys:", "Mitä tietoja keräämme?",
        "Tietojen luovutus ja siirto EU:n ulkopuolelle", "1.", "2)", "IV ", "A: ", "§ 3", "3.2 ",
        "## ", "**", "<h2>", "</h2>", "<p>", "</p>", "<br>", "<table><tr><th>", "</th><td>",
        "</td></tr></table>", "<strong>", "</strong>", "<dl><dt>", "</dt><dd>", "<li>", "\t",
        "\n", "\n\n", " ", ": ", "Tiedot säilytetään kuusi vuotta.", "Päivitetty 1.2.2024",
        "Asiakas voi kieltää suoramarkkinoinnin.", "henkilötietolain 26 §", "PÅ SVENSKA",
        "Tietoja ei luovuteta.", "| a | b |", "-", "•", "ja", "\ue000", "\x00", "\r\n", "Ã¤",
    ]
)  # fmt: skip
STATEMENT_LIKE = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=60).map("".join)


def _import(text: str) -> ImportResult | None:
    try:
        return parse_statement(text)
    except StatementImportError as exc:
        assert str(exc)  # a message for the user, never an empty one
        return None


def _check(result: ImportResult | None) -> None:
    if result is None:
        return
    assert list(result.sections) == [k for k in SECTION_KEYS if k in result.sections]
    assert all(text.strip() for text in result.sections.values())
    assert set(result.missing) <= set(SECTION_KEYS)
    assert "\ue000" not in "".join(result.sections.values())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_any_text_is_imported_or_refused_with_a_statement_import_error(text):
    _check(_import(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STATEMENT_LIKE)
def test_any_statement_like_text_is_imported_or_refused(text):
    _check(_import(text))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_imported_or_refused(data):
    try:
        text = decode_statement(data)
    except StatementImportError as exc:
        assert str(exc)
        return
    _check(_import(text))
