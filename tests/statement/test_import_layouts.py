"""One layout rule at a time: how a line is told to be a heading, and what its section gets."""

from statement.importer import names_gdpr_basis, parse_statement
from tests.statement.import_expectations import assert_sections

UPPER_CASE_INLINE = """\
ASIAKASREKISTERIN TIETOSUOJASELOSTE

1) REKISTERINPITÄJÄ: Pyöräpaja Ketju Oy, Rantatie 2, 90100 Oulu
2) REKISTERIASIOITA HOITAVA HENKILÖ: Maija Virtanen, maija@ketju.fi
3) REKISTERIN NIMI: Pyöräpajan asiakasrekisteri
4) REKISTERIN PITÄMISEN PERUSTE: Asiakassuhde ja huoltosopimus.
5) REKISTERIN KÄYTTÖTARKOITUS: Huoltotilausten hoitaminen ja asiakkaille tiedottaminen.
6) REKISTERIN TIETOSISÄLTÖ: Nimi, puhelinnumero, pyörän merkki ja huoltohistoria.
7) SÄÄNNÖNMUKAISET TIETOLÄHTEET: Asiakkaalta itseltään huoltotilauksen yhteydessä.
8) TIETOJEN SÄÄNNÖNMUKAISET LUOVUTUKSET JA SIIRROT EU:N ULKOPUOLELLE: Tietoja ei luovuteta \
eikä siirretä.
9) REKISTERIN SUOJAUS: Paperiset huoltokortit säilytetään lukitussa kaapissa.
10) TARKASTUSOIKEUS JA OIKEUS VAATIA TIEDON KORJAAMISTA: Pyynnöt kirjallisesti osoitteeseen \
Rantatie 2.
"""


def test_numbered_upper_case_headings_with_their_text_on_the_same_line():
    result = parse_statement(UPPER_CASE_INLINE)
    assert_sections(
        result,
        [
            ("1)", "Pyöräpaja Ketju Oy, Rantatie 2", {"controller"}),
            ("2)", "Maija Virtanen", {"contact_person"}),
            ("3)", "Pyöräpajan asiakasrekisteri", {"register_name"}),
            ("4)", "Asiakassuhde ja huoltosopimus.", {"legal_basis"}),
            ("5)", "Huoltotilausten hoitaminen", {"purposes"}),
            ("6)", "huoltohistoria", {"data_content"}),
            ("7)", "huoltotilauksen yhteydessä", {"sources"}),
            ("8)", "Tietoja ei luovuteta eikä siirretä.", {"disclosures", "transfers"}),
            ("9)", "lukitussa kaapissa", {"security"}),
            ("10)", "Pyynnöt kirjallisesti", {"rights"}),
        ],
    )
    # "huoltosopimus" is a contract: a GDPR Art 6(1)(b) basis.
    assert names_gdpr_basis(result.sections["legal_basis"])
    assert "legal_basis" not in result.missing


def test_caps_heading_with_its_text_on_the_same_line_without_a_colon():
    text = (
        "REKISTERINPITÄJÄ Kauppa Oy, Katu 1, 00100 Helsinki\n\n"
        "REKISTERIN NIMI Kaupan asiakasrekisteri\n\n"
        "TIETOJEN LUOVUTUS Tietoja ei luovuteta kenellekään.\n"
    )
    result = parse_statement(text)
    assert result.sections["controller"] == "Kauppa Oy, Katu 1, 00100 Helsinki"
    assert result.sections["register_name"] == "Kaupan asiakasrekisteri"
    assert result.sections["disclosures"] == "Tietoja ei luovuteta kenellekään."


def test_dense_old_statement_without_blank_lines_is_split():
    text = (
        "Rekisteriseloste\nRekisterin pitäjä\nKampaamo Kihara, Torikatu 4, 15100 Lahti\n"
        "Rekisteriasioista vastaava henkilö\nKaisa Kampaaja, puh. 040 123 4567\n"
        "Rekisterin nimi\nKampaamo Kiharan asiakaskortisto\nRekisterin sisältämät tiedot\n"
        "Nimi, puhelinnumero ja käytetyt hoitoaineet.\nTietojen säännönmukaiset luovutukset\n"
        "Tietoja ei luovuteta.\nRekisterin suojauksen periaatteet\n"
        "Kortisto säilytetään lukitussa kaapissa.\nSuoramarkkinointikielto\n"
        "Asiakas voi kieltää tekstiviestimuistutukset.\nLaatimispäivä 1.2.2017\n"
    )
    result = parse_statement(text)
    assert_sections(
        result,
        [
            ("Rekisterin pitäjä", "Kampaamo Kihara, Torikatu 4", {"controller"}),
            ("Rekisteriasioista vastaava henkilö", "Kaisa Kampaaja", {"contact_person"}),
            ("Rekisterin nimi", "Kampaamo Kiharan asiakaskortisto", {"register_name"}),
            ("Rekisterin sisältämät tiedot", "käytetyt hoitoaineet", {"data_content"}),
            ("Tietojen säännönmukaiset luovutukset", "Tietoja ei luovuteta.", {"disclosures"}),
            ("Rekisterin suojauksen periaatteet", "lukitussa kaapissa", {"security"}),
            ("Suoramarkkinointikielto", "tekstiviestimuistutukset", {"direct_marketing"}),
            ("Laatimispäivä", "1.2.2017", {"date"}),
        ],
    )
    # "säilytetään lukitussa kaapissa" says where, not for how long: no retention.
    assert "retention" in result.missing


def test_label_lines_inside_a_section_are_data_not_headings():
    text = (
        "Rekisterinpitäjä\n\nKauppa Oy, Katu 1, Helsinki\n\n"
        "Rekisterin tietosisältö\n\n"
        "Perustiedot: nimi ja syntymävuosi\n"
        "Yhteystiedot: osoite, puhelinnumero, sähköposti\n"
        "Markkinointiluvat: uutiskirjeen tilaus ja sen peruutus\n"
    )
    result = parse_statement(text)
    assert result.sections["controller"] == "Kauppa Oy, Katu 1, Helsinki"
    assert "Markkinointiluvat: uutiskirjeen tilaus" in result.sections["data_content"]
    assert "Yhteystiedot: osoite" in result.sections["data_content"]
    assert "direct_marketing" not in result.sections


def test_a_numbered_list_inside_a_section_is_not_a_run_of_headings():
    text = (
        "1. Rekisterinpitäjä\n\nKauppa Oy, Katu 1, Helsinki\n\n"
        "2. Käsittelyn tarkoitus\n\nKäsittelemme tietoja\n"
        "1) Tilausten toimittamiseen\n2) Markkinointiin\n3) Asiakaspalveluun\n\n"
        "3. Tietojen luovutukset\n\nTietoja ei luovuteta.\n"
    )
    result = parse_statement(text)
    assert "2) Markkinointiin" in result.sections["purposes"]
    assert "direct_marketing" not in result.sections
    assert result.sections["disclosures"] == "Tietoja ei luovuteta."


def test_lettered_subsections_stay_in_their_section():
    text = (
        "1. Rekisterinpitäjä\n\nKauppa Oy, Katu 1, Helsinki\n\n"
        "2. Rekisterin suojaus\n\n"
        "A) Manuaalinen aineisto\nLomakkeet ovat lukitussa kaapissa.\n\n"
        "B) Sähköisesti käsiteltävät tiedot\nJärjestelmä on suojattu salasanoin.\n\n"
        "3. Tarkastusoikeus\n\nPyyntö kirjallisesti.\n"
    )
    result = parse_statement(text)
    security = result.sections["security"]
    assert security.startswith("A) Manuaalinen aineisto")
    assert "B) Sähköisesti käsiteltävät tiedot\nJärjestelmä on suojattu" in security
    assert "data_content" not in result.sections
    assert result.sections["rights"] == "Pyyntö kirjallisesti."


def test_markdown_underlined_and_bold_headings():
    text = (
        "Tietosuojaseloste\n=================\n\n"
        "Rekisterinpitäjä\n----------------\n\nKauppa Oy, Katu 1, Helsinki\n\n"
        "**Tietojen säilytys**\n\nTiedot poistetaan kahden vuoden kuluttua.\n\n"
        "**Evästeet:**\n\nKäytämme vain välttämättömiä evästeitä.\n"
    )
    result = parse_statement(text)
    assert result.sections == {
        "controller": "Kauppa Oy, Katu 1, Helsinki",
        "retention": "Tiedot poistetaan kahden vuoden kuluttua.",
        "cookies": "Käytämme vain välttämättömiä evästeitä.",
    }


def test_html_with_bold_paragraph_headings_and_inline_bold_labels():
    html = (
        "<p><strong>Rekisterinpitäjä</strong><br>Kauppa Oy<br>Katu 1, Helsinki</p>"
        "<p><b>Rekisterin nimi:</b> Kaupan asiakasrekisteri</p>"
        "<p><strong>Tietojen luovutus</strong></p><p>Tietoja ei luovuteta, ja "
        "<strong>tämä korostus</strong> on tekstiä.</p>"
    )
    result = parse_statement(html)
    assert result.sections == {
        "controller": "Kauppa Oy\nKatu 1, Helsinki",
        "register_name": "Kaupan asiakasrekisteri",
        "disclosures": "Tietoja ei luovuteta, ja tämä korostus on tekstiä.",
    }


def test_headings_in_swedish_or_english_beside_the_finnish_are_recognised():
    text = (
        "Rekisterinpitäjä / Registeransvarig\n\nYritys Oy, Katu 1, Helsinki.\n\n"
        "Rekisterin käyttötarkoitus / Purpose of processing\n\n"
        "Tietoja käytetään asiakassuhteen hoitamiseen ja laskutukseen.\n"
    )
    result = parse_statement(text)
    assert result.sections["controller"] == "Yritys Oy, Katu 1, Helsinki."
    assert result.sections["purposes"].startswith("Tietoja käytetään")


def test_complaint_sentence_inside_rights_counts_as_the_complaint_section():
    text = (
        "Rekisterinpitäjä\n\nYritys Oy, Katu 1, Helsinki.\n\nRekisteröidyn oikeudet\n\n"
        "Voit tarkastaa tietosi. Voit myös tehdä valituksen tietosuojavaltuutetulle.\n"
    )
    result = parse_statement(text)
    assert result.sections["complaint"] == "Voit myös tehdä valituksen tietosuojavaltuutetulle."
    assert "complaint" not in result.missing


def test_portability_heading_is_a_right_not_a_transfer():
    text = (
        "Rekisterinpitäjä\n\nYritys Oy, Katu 1, Helsinki.\n\n"
        "Oikeus siirtää tiedot järjestelmästä toiseen\n\nVoit pyytää tietosi koneluettavassa "
        "muodossa.\n"
    )
    result = parse_statement(text)
    assert "koneluettavassa" in result.sections["rights"]
    assert "transfers" not in result.sections


def test_retention_without_a_period_is_missing_with_a_note():
    text = (
        "Rekisterinpitäjä\n\nYritys Oy, Katu 1, Helsinki.\n\n"
        "Tietojen säilytys\n\nTiedot säilytetään huolellisesti palvelimellamme.\n"
    )
    result = parse_statement(text)
    assert "retention" in result.sections
    assert "retention" in result.missing
    assert any("Säilytyksestä ei kerrota aikaa" in note for note in result.notes)


def test_notes_list_the_rights_a_statement_leaves_out():
    text = (
        "Rekisterinpitäjä\n\nYritys Oy, Katu 1, Helsinki.\n\n"
        "Tarkastusoikeus\n\nVoit tarkastaa tietosi. Virheet korjataan.\n\n"
        "Uutiskirje\n\nUutiskirje lähetetään suostumuksesi perusteella.\n"
    )
    result = parse_statement(text)
    (note,) = [n for n in result.notes if n.startswith("Rekisteröidyn oikeuksista")]
    for right in ("poistamiseen", "rajoittamiseen", "vastustamisoikeus", "peruuttaa suostumus"):
        assert right in note
    assert "tarkastusoikeus" not in note
    assert "oikaisemiseen" not in note


def test_address_lines_in_a_dense_statement_are_not_headings():
    text = (
        "Rekisterinpitäjä\nKauppa Oy\nSuojatie 3\n00100 Helsinki\nwww.suojaus.fi\n"
        "Rekisterin nimi\nAsiakasrekisteri\nTietojen luovutus\nTietoja ei luovuteta.\n"
        "Rekisteröidyn oikeudet\nVoit tarkastaa tietosi.\n"
    )
    result = parse_statement(text)
    assert result.sections["controller"] == "Kauppa Oy\nSuojatie 3\n00100 Helsinki\nwww.suojaus.fi"
    assert "security" not in result.sections


def test_text_from_a_two_column_pdf_layout_splits_at_the_column_gap():
    text = (
        "REKISTERISELOSTE\n\n"
        "Rekisterinpitäjä          Kauppa Oy, Katu 1, 00100 Helsinki\n"
        "Rekisterin nimi           Kaupan asiakasrekisteri\n"
        "Tietojen luovutus         Tietoja ei luovuteta kenellekään.\n"
        "Tarkastusoikeus           Pyyntö kirjallisesti rekisterinpitäjälle.\n"
    )
    result = parse_statement(text)
    assert result.sections == {
        "controller": "Kauppa Oy, Katu 1, 00100 Helsinki",
        "register_name": "Kaupan asiakasrekisteri",
        "disclosures": "Tietoja ei luovuteta kenellekään.",
        "rights": "Pyyntö kirjallisesti rekisterinpitäjälle.",
    }
