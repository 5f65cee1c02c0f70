"""Tests for the pure-Python privacy statement importer (no Django, no database)."""

from pathlib import Path

import pytest

from privacy.statement_import import (
    REQUIRED_KEYS,
    SECTION_KEYS,
    ImportResult,
    StatementImportError,
    decode_statement,
    names_gdpr_basis,
    parse_statement,
)

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def _seed(name: str) -> ImportResult:
    """Parse one seed statement read from the fixtures as bytes."""
    return parse_statement(decode_statement((SEEDS / name).read_bytes()))


def _assert_placed(
    result: ImportResult,
    expected: dict[str, list[str]],
    shared: list[tuple[str, set[str]]] | tuple = (),
) -> None:
    """Check each phrase is under its key and under no other key than those allowed.

    ``shared`` lists (part of a phrase, extra keys) for text the importer rightly puts under
    several keys, such as a combined heading's body.
    """
    for key, phrases in expected.items():
        for phrase in phrases:
            assert phrase in result.sections.get(key, ""), (key, phrase)
            allowed = {key} | {k for start, keys in shared if start in phrase for k in keys}
            wrong = [
                k for k, text in result.sections.items() if phrase in text and k not in allowed
            ]
            assert not wrong, (phrase, wrong)


def _has_promise(result: ImportResult, phrase: str) -> bool:
    """Tell whether some promise sentence contains the phrase."""
    return any(phrase in promise for promise in result.promises)


# --- The five real statements -----------------------------------------------------------------


def test_postcardissimo_statement_lands_under_the_right_keys():
    result = _seed("000_e966481798ddf730.txt")
    _assert_placed(
        result,
        {
            "controller": ["Y-tunnus: 2786213-7"],
            "contact_person": ["customerservice@postcardissimo.com"],
            "register_name": ["Postcardissimo Oy:n asiakasrekisteri"],
            "purposes": ["asiakas- ja kauppasuhteen ylläpitäminen"],
            "data_content": ["asiakasnumero, sukunimi, etunimi"],
            "rights": ["Tietojen poistaminen", "hävitetään käyttäjän pyynnöstä", "kirjallisena"],
            "sources": ["asiakassuhteen syntyessä"],
            "disclosures": ["Rekisterin ylläpitäjä ei luovuta tietoja"],
            "transfers": ["Rekisterin ylläpitäjä ei luovuta tietoja"],
            "security": ["henkilökohtaisten käyttäjätunnusten", "Vaitiolovelvollisuus sitoo"],
            "direct_marketing": ["kieltää yhteystietojensa käytön sähköiseen suoramarkkinointiin"],
        },
        shared=[
            ("Rekisterin ylläpitäjä ei luovuta tietoja", {"disclosures", "transfers"}),
            ("kieltää yhteystietojensa", {"sources", "direct_marketing"}),
        ],
    )
    assert result.missing == [
        "legal_basis", "retention", "complaint", "automated_decisions", "data_subjects", "date",
    ]  # fmt: skip
    assert len(result.outdated) == 2
    assert "523/99" in result.outdated[0]
    for phrase in (
        "hävitetään käyttäjän pyynnöstä",
        "poistamaan valvonnan seurauksena",
        "kieltää yhteystietojensa käytön",
        "Rekisteriä ei luovuteta ulkopuolisille tahoille",
        "henkilökohtaisten käyttäjätunnusten",
        "kopioimalla",
        "todentamaan henkilöllisyytensä",
        "Tarkastuspyynnössä tulee ilmetä",
    ):
        assert _has_promise(result, phrase), phrase
    assert result.unmapped == []


def test_komiat_hetket_statement_lands_under_the_right_keys():
    result = _seed("001_db8140427b108a6d.txt")
    _assert_placed(
        result,
        {
            "controller": ["Y-tunnus 2311066-7"],
            "contact_person": ["Heidi Saukko"],
            "register_name": ["palveluiden asiakastietokanta"],
            "legal_basis": ["Asiakassuhde"],
            "purposes": ["Lahjakorttien lunastajien tietoja emme käytä"],
            "data_content": ["Demografiatiedot", "suoramarkkinointikiellot"],
            "sources": ["väestörekisteristä"],
            "security": ["sisäänkirjautumisia valvotaan", "palomuurein"],
            "rights": ["kirjallisesti ja allekirjoitettuna"],
        },
    )
    assert result.sections["legal_basis"] == "Asiakassuhde"
    assert not names_gdpr_basis(result.sections["legal_basis"])
    assert "direct_marketing" not in result.sections  # a list item "kiellot" is not a ban right
    assert result.missing == [
        "disclosures", "transfers", "retention", "complaint", "automated_decisions",
        "data_subjects", "date",
    ]  # fmt: skip
    assert any("Suoramarkkinointiliiton" in item for item in result.outdated)
    assert any("henkilötietolain 26 §" in item for item in result.outdated)
    for phrase in (
        "Lahjakorttien lunastajien tietoja emme käytä",
        "kieltorekisteristä",
        "myöntämää käyttäjätunnusta",
        "sisäänkirjautumisia valvotaan",
        "kirjallisesti ja allekirjoitettuna",
    ):
        assert _has_promise(result, phrase), phrase


def test_offistore_html_table_statement_lands_under_the_right_keys():
    result = _seed("002_db6dfb59f197885c.txt")
    _assert_placed(
        result,
        {
            "date": ["03.05.2018"],
            "controller": ["marko.rinnetmaki@offistore.fi"],
            "contact_person": ["marko.rinnetmaki@offistore.fi"],
            "purposes": ["postitustarroja suoramainoksiin"],
            "data_content": ["Laskutustiedot"],
            "sources": ["päivityspalveluja tarjoavilta viranomaisilta"],
            "disclosures": ["luottopäätöksen tueksi"],
            "transfers": ["teknisen toteutuksen varmistamiseksi"],
            "security": ["A: Manuaalinen aineisto", "paloturvallisissa", "palomuurilla"],
            "cookies": ["Verkkosivuillamme käytetään evästeitä"],
            "rights": ["suomeksi tai englanniksi", "toteutetaan viivytyksettä", "unohdetuksi"],
            "direct_marketing": ["etämyyntiä"],
        },
        shared=[
            # The seed's sources row runs on into text it repeats under later headings.
            ("marko.rinnetmaki@offistore.fi", {"controller", "contact_person"}),
            ("luottopäätöksen tueksi", {"sources"}),
            ("teknisen toteutuksen varmistamiseksi", {"sources"}),
            ("etämyyntiä", {"rights"}),
            ("unohdetuksi", {"direct_marketing"}),
        ],
    )
    assert result.sections["register_name"] == "Asiakasrekisteri"
    assert "<p>" not in "".join(result.sections.values())
    assert result.missing == [
        "legal_basis", "retention", "complaint", "automated_decisions", "data_subjects",
    ]  # fmt: skip
    # Only a refused correction may go to the Ombudsman: narrower than Art 13(2)(d).
    assert "tietosuojavaltuutetun ratkaistavaksi" in result.sections["rights"]
    assert "complaint" not in result.sections
    assert len(result.outdated) == 1
    for phrase in (
        "ellei asiakas sitä erityisesti kiellä",
        "Korjaaminen toteutetaan viivytyksettä",
        "Virheen korjaamisesta ilmoitetaan",
        "kirjallisen todistuksen",
        "tietosuojavaltuutetun ratkaistavaksi",
        "anonymisointia",
        "oikeus tulla kokonaan unohdetuksi",
        "etämyyntiä",
        "Tietoja ei luovuteta yrityksen ulkopuolelle",
        "hävitetään käyttäjän pyynnöstä",
    ):
        assert _has_promise(result, phrase), phrase


def test_webstrella_numbered_statement_lands_under_the_right_keys():
    result = _seed("003_2462a533b62ed91f.txt")
    _assert_placed(
        result,
        {
            "date": ["01.10.2013"],
            "contact_person": ["Jyri Tähtelä"],
            "legal_basis": ["asiakassuhteen perusteella tapahtuvan"],
            "purposes": ["analysointiin, tilastointiin"],
            "data_content": ["Asiakaspalvelutilanteisiin sähköpostilla"],
            "sources": ["tilaamisen ja asiakaspalvelutilanteiden yhteydessä"],
            "disclosures": ["ei luovuta näitä tietoja ilman lupaasi"],
            "security": ["lukituissa tiloissa"],
            "rights": ["oikeus tarkastaa", "kirjallisesti ja allekirjoitettuna"],
        },
    )
    assert "Vierailuja" not in "".join(result.sections.values())
    assert result.missing == [
        "controller", "transfers", "retention", "complaint", "automated_decisions",
        "data_subjects",
    ]  # fmt: skip
    assert len(result.outdated) == 3
    for phrase in ("ilman lupaasi", "lukituissa tiloissa", "kirjallisesti ja allekirjoitettuna"):
        assert _has_promise(result, phrase), phrase


def test_finanime_upper_case_statement_lands_under_the_right_keys():
    result = _seed("004_09d16aaa72ee3a86.txt")
    _assert_placed(
        result,
        {
            "controller": ["Joutsentie 8"],
            "contact_person": ["kaj.soderholm@finanime.fi"],
            "register_name": ["Finanime Sekain asiakasrekisteri"],
            "legal_basis": ["ostanut Finanime.fi:sta tavaraa"],
            "purposes": ["kadonneiden pakettien seurantaan"],
            "data_content": ["Tilausten Postin tai muun toimittajan seurantatiedot"],
            "disclosures": ["tiedotetaan asiakkaalle ennen tietojen luovuttamista"],
            "rights": ["hävitetään käyttäjän pyynnöstä"],
            "transfers": ["Henkilötietoja ei siirretä Euroopan Unionin ulkopuolelle"],
            "security": ["salasanasuojatussa tietojärjestelmässä"],
        },
        shared=[
            # "TIETOJEN LUOVUTUS JA ASIAKKAAN OMIEN TIETOJEN HALLINTA" names both keys.
            ("tiedotetaan asiakkaalle", {"rights"}),
            ("hävitetään käyttäjän pyynnöstä", {"disclosures"}),
            ("Henkilötietoja ei siirretä", {"disclosures", "rights"}),
        ],
    )
    assert result.missing == [
        "retention", "complaint", "automated_decisions", "sources", "data_subjects", "date",
    ]  # fmt: skip
    assert len(result.outdated) == 2
    for phrase in (
        "kadonneiden pakettien seurantaan",
        "tiedotetaan asiakkaalle ennen tietojen luovuttamista",
        "Ilmoitamme aina välittömästi",
        "tuomioistuimen lainvoimaista",
        "hävitetään käyttäjän pyynnöstä, välittömästi ja pysyvästi",
    ):
        assert _has_promise(result, phrase), phrase


def test_every_seed_lacks_retention_complaint_and_automated_decisions():
    for path in sorted(SEEDS.glob("00*.txt")):
        result = _seed(path.name)
        assert {"retention", "complaint", "automated_decisions"} <= set(result.missing)
        assert result.outdated, path.name
        assert list(result.sections) == [k for k in SECTION_KEYS if k in result.sections]


def test_json_dict_holds_sections_missing_outdated_and_promises():
    data = _seed("003_2462a533b62ed91f.txt").as_json_dict()
    assert set(data) == {"sections", "missing", "outdated", "promises"}
    assert data["sections"]["contact_person"].startswith("Jyri Tähtelä")
    assert data["missing"][0] == "controller"


def test_required_keys_are_section_keys():
    assert set(REQUIRED_KEYS) <= set(SECTION_KEYS)


# --- Other styles ---------------------------------------------------------------------------

MODERN_NUMBERED = """\
Tietosuojaseloste

Päivitetty 12.3.2024

1. Rekisterinpitäjä
Kukkakauppa Orvokki Oy (Y-tunnus 1234567-8), Kauppakatu 5, 33100 Tampere, info@orvokki.fi
2. Tietosuojavastaava
Tietosuojavastaavamme Liisa Laine, tietosuoja@orvokki.fi
3. Käsittelyn tarkoitus ja oikeusperuste
Käsittelemme tietoja tilausten toimittamiseksi. Käsittely perustuu sopimukseen \
(tietosuoja-asetuksen 6 artiklan 1 kohdan b alakohta).
4. Mitä tietoja keräämme?
Nimi, toimitusosoite, sähköpostiosoite ja puhelinnumero sekä tilaushistoria.
5. Mistä saamme tiedot?
Tiedot saadaan asiakkaalta itseltään tilauksen yhteydessä.
6. Kenelle tietoja luovutetaan?
Tietoja luovutetaan kuljetusyhtiölle tilauksen toimittamiseksi.
7. Siirretäänkö tietoja EU:n ulkopuolelle?
Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.
8. Kuinka kauan tietoja säilytetään?
Tositteita säilytetään kuusi vuotta kirjanpitolain mukaisesti. Muut tiedot poistetaan \
kahden vuoden kuluttua viimeisestä tilauksesta.
9. Evästeet
Käytämme vain välttämättömiä evästeitä.
10. Automaattinen päätöksenteko ja profilointi
Emme tee automaattisia päätöksiä emmekä profiloi asiakkaita.
11. Rekisteröidyn oikeudet
Sinulla on oikeus saada pääsy tietoihisi, oikaista ja poistaa ne sekä vastustaa käsittelyä.
12. Oikeus tehdä valitus valvontaviranomaiselle
Voit tehdä valituksen tietosuojavaltuutetun toimistolle, jos katsot käsittelyn rikkovan lakia.
13. Muutokset tähän selosteeseen
Ilmoitamme olennaisista muutoksista verkkosivuillamme.
"""


def test_modern_numbered_statement_is_complete_except_subjects_and_security():
    result = parse_statement(MODERN_NUMBERED)
    _assert_placed(
        result,
        {
            "date": ["12.3.2024"],
            "controller": ["Kukkakauppa Orvokki Oy"],
            "dpo": ["Liisa Laine"],
            "purposes": ["tilausten toimittamiseksi"],
            "legal_basis": ["6 artiklan 1 kohdan b alakohta"],
            "data_content": ["toimitusosoite"],
            "sources": ["asiakkaalta itseltään"],
            "disclosures": ["kuljetusyhtiölle"],
            "transfers": ["ETA:n ulkopuolelle"],
            "retention": ["kuusi vuotta"],
            "cookies": ["välttämättömiä evästeitä"],
            "automated_decisions": ["Emme tee automaattisia päätöksiä"],
            "rights": ["vastustaa käsittelyä"],
            "complaint": ["tietosuojavaltuutetun toimistolle"],
        },
        shared=[
            ("tilausten toimittamiseksi", {"legal_basis"}),
            ("6 artiklan", {"purposes"}),
        ],
    )
    assert result.missing == ["data_subjects", "security"]
    assert result.outdated == []
    assert names_gdpr_basis(result.sections["legal_basis"])
    assert result.unmapped == [
        ("Muutokset tähän selosteeseen", "Ilmoitamme olennaisista muutoksista verkkosivuillamme.")
    ]


QUESTIONS = """\
Näin käsittelemme asiakkaidemme henkilötietoja

Kuka vastaa tietojesi käsittelystä?

Verkkokauppa Nappula Oy, Pajatie 3, 40100 Jyväskylä.

Keiden tietoja käsittelemme?

Verkkokaupan asiakkaiden ja uutiskirjeen tilaajien tietoja.

Mitä tietoja keräämme?

Nimen, osoitteen, sähköpostiosoitteen ja ostoshistorian.

Mihin tietoja käytetään?

Tilausten käsittelyyn ja asiakaspalveluun.

Millä perusteella käsittelemme tietoja?

Asiakassopimukseen ja suostumukseen.

Mistä tiedot saadaan?

Asiakkaalta itseltään.

Kenelle tietoja luovutetaan?

Maksunvälittäjälle ja kuljetusliikkeelle.

Kuinka kauan tietoja säilytetään?

Niin kauan kuin asiakassuhde on voimassa ja sen jälkeen kaksi vuotta.

Miten tiedot suojataan?

Palvelin on lukitussa konesalissa ja yhteydet salataan.

Mitä oikeuksia sinulla on?

Voit tarkastaa ja korjata tietosi sekä kieltää suoramarkkinoinnin.
"""


def test_question_headings_are_recognised():
    result = parse_statement(QUESTIONS)
    _assert_placed(
        result,
        {
            "controller": ["Nappula Oy"],
            "data_subjects": ["uutiskirjeen tilaajien"],
            "data_content": ["ostoshistorian"],
            "purposes": ["Tilausten käsittelyyn"],
            "legal_basis": ["Asiakassopimukseen"],
            "sources": ["Asiakkaalta itseltään"],
            "disclosures": ["Maksunvälittäjälle"],
            "retention": ["kaksi vuotta"],
            "security": ["lukitussa konesalissa"],
            "rights": ["tarkastaa ja korjata"],
            "direct_marketing": ["kieltää suoramarkkinoinnin"],
        },
        # The ban sentence is copied to direct_marketing whole, rights included.
        shared=[("kieltää suoramarkkinoinnin", {"rights"}), ("korjata", {"direct_marketing"})],
    )
    assert result.missing == ["transfers", "complaint", "automated_decisions", "date"]
    assert _has_promise(result, "lukitussa konesalissa")


UPPER_CASE_COLONS = """\
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


def test_upper_case_numbered_headings_with_inline_content_are_split():
    result = parse_statement(UPPER_CASE_COLONS)
    _assert_placed(
        result,
        {
            "controller": ["Pyöräpaja Ketju Oy"],
            "contact_person": ["Maija Virtanen"],
            "register_name": ["Pyöräpajan asiakasrekisteri"],
            "legal_basis": ["huoltosopimus"],
            "purposes": ["Huoltotilausten hoitaminen"],
            "data_content": ["huoltohistoria"],
            "sources": ["huoltotilauksen yhteydessä"],
            "disclosures": ["Tietoja ei luovuteta eikä siirretä."],
            "transfers": ["Tietoja ei luovuteta eikä siirretä."],
            "security": ["lukitussa kaapissa"],
            "rights": ["Pyynnöt kirjallisesti"],
        },
        shared=[("Tietoja ei luovuteta eikä siirretä.", {"disclosures", "transfers"})],
    )
    assert result.missing[:3] == ["retention", "complaint", "automated_decisions"]


HTML_STATEMENT = """\
<!DOCTYPE html>
<html><head><title>Tietosuojaseloste</title><style>h2 {color: red}</style></head>
<body>
<h1>Tietosuojaseloste</h1>
<p>Laatimisp&auml;iv&auml; 1.2.2019</p>
<h2>Rekisterin pit&auml;j&auml;</h2>
<p>Leipomo Limppu Oy<br>Myllytie 1<br>20100 Turku</p>
<h2>Rekisteriasioista vastaava henkil&ouml;</h2>
<p>Pekka Leipuri, <a href="mailto:pekka@limppu.fi">pekka@limppu.fi</a></p>
<h2>Henkil&ouml;tietojen k&auml;sittelyn tarkoitus</h2>
<p>Tilausten vastaanottaminen ja&nbsp;toimittaminen.</p>
<h2>Rekisterin sis&auml;lt&auml;m&auml;t tiedot</h2>
<ul><li>Nimi</li><li>Puhelinnumero</li><li>Tilatut tuotteet</li></ul>
<h2>Tietojen luovutus</h2>
<p>Tietoja ei luovuteta kolmansille osapuolille.</p>
<h2>Tietojen s&auml;ilytys</h2>
<p>Tilaustiedot poistetaan 12 kuukauden kuluttua tilauksesta.</p>
<h2>Rekister&ouml;idyn oikeudet</h2>
<p>Sinulla on oikeus tarkastaa tietosi ja <strong>vaatia niiden poistamista</strong>.</p>
</body></html>
"""


def test_html_statement_with_h2_headings_is_stripped_and_split():
    result = parse_statement(HTML_STATEMENT)
    _assert_placed(
        result,
        {
            "date": ["1.2.2019"],
            "controller": ["Leipomo Limppu Oy\nMyllytie 1\n20100 Turku"],
            "contact_person": ["pekka@limppu.fi"],
            "purposes": ["Tilausten vastaanottaminen ja toimittaminen."],
            "data_content": ["• Puhelinnumero"],
            "disclosures": ["kolmansille osapuolille"],
            "retention": ["12 kuukauden kuluttua"],
            "rights": ["vaatia niiden poistamista"],
        },
    )
    assert "color" not in "".join(result.sections.values())
    assert "retention" not in result.missing
    assert result.missing[0] == "legal_basis"


DENSE_OLD_STYLE = """\
Rekisteriseloste
Rekisterin pitäjä
Kampaamo Kihara, Torikatu 4, 15100 Lahti
Rekisteriasioista vastaava henkilö
Kaisa Kampaaja, puh. 040 123 4567
Rekisterin nimi
Kampaamo Kiharan asiakaskortisto
Rekisterin sisältämät tiedot
Nimi, puhelinnumero ja käytetyt hoitoaineet.
Tietojen säännönmukaiset luovutukset
Tietoja ei luovuteta.
Rekisterin suojauksen periaatteet
Kortisto säilytetään lukitussa kaapissa.
Suoramarkkinointikielto
Asiakas voi kieltää tekstiviestimuistutukset.
Laatimispäivä 1.2.2017
"""


def test_dense_old_statement_without_blank_lines_is_split():
    result = parse_statement(DENSE_OLD_STYLE)
    _assert_placed(
        result,
        {
            "controller": ["Kampaamo Kihara, Torikatu 4"],
            "contact_person": ["Kaisa Kampaaja"],
            "register_name": ["asiakaskortisto"],
            "data_content": ["käytetyt hoitoaineet"],
            "disclosures": ["Tietoja ei luovuteta."],
            "security": ["lukitussa kaapissa"],
            "direct_marketing": ["tekstiviestimuistutukset"],
            "date": ["1.2.2017"],
        },
    )
    # "säilytetään lukitussa kaapissa" states where, not how long: no retention.
    assert "retention" in result.missing


def test_headings_in_swedish_or_english_in_a_finnish_statement_are_recognised():
    text = (
        "Rekisterinpitäjä / Registeransvarig\n\nYritys Oy, Katu 1, Helsinki.\n\n"
        "Rekisterin käyttötarkoitus / Purpose of processing\n\n"
        "Tietoja käytetään asiakassuhteen hoitamiseen ja laskutukseen.\n"
    )
    result = parse_statement(text)
    assert result.sections["controller"] == "Yritys Oy, Katu 1, Helsinki."
    assert result.sections["purposes"].startswith("Tietoja käytetään")


def test_windows_1252_bytes_are_decoded():
    data = MODERN_NUMBERED.encode("cp1252")
    text = decode_statement(data)
    assert "Rekisterinpitäjä" in text
    assert parse_statement(text).sections["controller"].startswith("Kukkakauppa Orvokki")


def test_utf8_with_bom_is_decoded_without_the_bom():
    assert decode_statement("\ufeffRekisterinpitäjä".encode()) == "Rekisterinpitäjä"


def test_utf16_with_bom_is_decoded():
    assert decode_statement("Rekisterinpitäjä".encode("utf-16")) == "Rekisterinpitäjä"


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n", b"\xef\xbb\xbf"])
def test_empty_or_whitespace_file_is_refused_as_empty(data):
    with pytest.raises(StatementImportError, match=r"Tiedosto on tyhjä\."):
        decode_statement(data)


def test_empty_text_is_refused_as_empty():
    with pytest.raises(StatementImportError, match=r"Tiedosto on tyhjä\."):
        parse_statement("  \n\n ")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"Rekisterinpit\x00\x00j\x00\x01\x02\x03",
        bytes(range(1, 32)) * 10,
    ],
)
def test_binary_file_is_refused(data):
    with pytest.raises(StatementImportError, match=r"binääritiedosto"):
        decode_statement(data)


def test_pdf_file_is_refused_with_advice():
    with pytest.raises(StatementImportError, match="PDF"):
        decode_statement(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")


def test_english_privacy_policy_is_refused_as_not_finnish():
    text = (
        "Privacy policy\n\nController\n\nShop Ltd, Main Street 1.\n\n"
        "Purpose of processing\n\nWe use your data to deliver the orders you make with us.\n"
    )
    with pytest.raises(StatementImportError, match="ei näytä suomenkieliseltä"):
        parse_statement(text)


def test_random_text_is_refused_as_not_finnish():
    with pytest.raises(StatementImportError, match="ei näytä suomenkieliseltä"):
        parse_statement("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 5)


def test_finnish_text_without_headings_is_refused():
    text = (
        "Kesä on tullut ja ihmiset lähtevät mökeille. Sää on ollut lämmin, ja järvet ovat "
        "jo uimakelpoisia.\n\nKaupoissa on myös paljon asiakkaita, kun lomat alkavat.\n"
    )
    with pytest.raises(StatementImportError, match="ei tunnistettu yhtään"):
        parse_statement(text)


def test_errors_are_value_errors_with_finnish_messages():
    with pytest.raises(ValueError) as info:
        parse_statement("")
    assert str(info.value) == "Tiedosto on tyhjä."


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


def test_html_without_text_is_refused():
    with pytest.raises(StatementImportError, match="ei ole tekstiä"):
        parse_statement("<html><body><p>&nbsp;</p><div></div></body></html>")
