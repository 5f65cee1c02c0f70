"""Legal references keep their number and unit on one line (statement.citations)."""

import pytest

from statement.citations import (
    NBSP,
    WORD_JOINER,
    keep_citations_together,
    keep_suspended_hyphens,
    keep_together_in_html,
)


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("Oikeus tietojen oikaisemiseen (16 art.)", "(16_art.)"),
        ("sopimus (6 art. 1 b).", "(6_art._1_b)."),
        ("(7 art. 3 kohta)", "(7_art._3_kohta)"),
        ("(17 art. 3 k. e)", "(17_art._3_k._e)"),
        ("laki 917/2014 200 §", "917/2014 200_§"),
        ("ALV 209 e §", "209_e_§"),
        ("6 artiklan 1 kohdan b alakohta", "6_artiklan 1_kohdan b_alakohta"),
        ("6(1)(b) artikla", "6(1)(b)_artikla"),
        ("Rätt till rättelse (art. 16)", "(art._16)"),
        ("(art. 6.1 f)", "(art._6.1_f)"),
        ("artikel 21.3 i dataskyddsförordningen", "artikel_21.3 i"),
        ("Right to object (Art. 21)", "(Art._21)"),
        ("GDPR Arts. 6(1)(f)", "Arts._6(1)(f)"),
    ],
)
def test_each_reference_pair_is_bound_with_a_no_break_space(text, bound):
    assert bound.replace("_", NBSP) in keep_citations_together(text)


@pytest.mark.parametrize("text", ["12 kuukautta", "30 päivää", "3 a day", "versio 2 julkaistu"])
def test_other_numbers_keep_their_ordinary_spaces(text):
    assert keep_citations_together(text) == text


def test_only_the_text_of_html_is_changed():
    html = '<a href="https://x.example/6 art." title="16 art.">16 art.</a>'
    assert keep_together_in_html(html) == (
        f'<a href="https://x.example/6 art." title="16 art.">16{NBSP}art.</a>'
    )


def test_a_suspended_hyphen_is_joined_to_its_word():
    assert keep_together_in_html("<th>Markkinointiluvat ja -kiellot</th>") == (
        f"<th>Markkinointiluvat ja -{WORD_JOINER}kiellot</th>"
    )
    assert keep_suspended_hyphens("tietosuoja-asetus, 2 - 3") == "tietosuoja-asetus, 2 - 3"
