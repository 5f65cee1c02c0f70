"""Importing the five real statements in tests/fixtures/seeds: every section under its key.

Each seed's table lists every section the seed has, by its own heading, with a phrase of its
text and the keys it belongs to; the keys found must be exactly those. The gap report is
checked against what GDPR Art. 13/14 asks and what the seed actually says.
"""

import pytest

from statement.importer import SECTION_KEYS, names_gdpr_basis
from tests.statement.import_expectations import (
    FIXTURES,
    Expected,
    assert_nowhere,
    assert_sections,
    parse_file,
)

SEEDS = FIXTURES / "seeds"

POSTCARDISSIMO: Expected = [
    ("Rekisterinpitäjä", "Lähetäkortti.com / Postcardissimo Oy Y-tunnus: 2786213-7",
     {"controller"}),
    ("Rekisteriasioista vastaava yhteyshenkilö", "customerservice@postcardissimo.com",
     {"contact_person"}),
    ("Rekisterin nimi", "Postcardissimo Oy:n asiakasrekisteri", {"register_name"}),
    ("Henkilötietojen käsittelyn tarkoitus", "asiakas- ja kauppasuhteen ylläpitäminen",
     {"purposes"}),
    ("Henkilötietojen käsittelyn tarkoitus", "Rekisteriä ei luovuteta ulkopuolisille tahoille.",
     {"purposes"}),
    ("Rekisterin tietosisältö", "asiakasnumero, sukunimi, etunimi", {"data_content"}),
    ("Tietojen poistaminen", "hävitetään käyttäjän pyynnöstä", {"rights"}),
    ("Säännönmukaiset tietolähteet", "saadaan asiakassuhteen syntyessä", {"sources"}),
    # The ban paragraph of the sources section is also the statement's direct-marketing text.
    ("Säännönmukaiset tietolähteet", "kieltää yhteystietojensa käytön sähköiseen",
     {"sources", "direct_marketing"}),
    ("Säännönmukaiset tietojen luovutukset ja tietojen siirto EU:n tai Euroopan talousalueen "
     "ulkopuolelle", "Rekisterin ylläpitäjä ei luovuta tietoja", {"disclosures", "transfers"}),
    ("Rekisterin suojauksen periaatteet", "henkilökohtaisten käyttäjätunnusten", {"security"}),
    ("Rekisterin suojauksen periaatteet", "Vaitiolovelvollisuus sitoo", {"security"}),
    ("Tarkastusoikeus", "Tarkastuspyyntö on esitettävä kirjallisena", {"rights"}),
    ("Tarkastusoikeus", "Lisäksi tarkastuksen kohde", {"rights"}),
]  # fmt: skip

KOMIAT_HETKET: Expected = [
    ("Rekisterinpitäjä", "Y-tunnus 2311066-7", {"controller"}),
    ("Rekisterinpitäjä", "Puh. 0400 417 447", {"controller"}),
    ("Rekisteriasioita hoitava henkilö", "Heidi Saukko, puh. 040 - 8498 246", {"contact_person"}),
    ("Rekisterin nimi", "Komiat Hetket Oy:n palveluiden asiakastietokanta", {"register_name"}),
    ("Rekisterin pitämisen peruste", "Asiakassuhde", {"legal_basis"}),
    ("Rekisterin käyttötarkoitus", "Lahjakorttien lunastajien tietoja emme käytä", {"purposes"}),
    ("Rekisterin sisältämät tiedot", "Demografiatiedot (ikä, ammatti yms.)", {"data_content"}),
    ("Rekisterin sisältämät tiedot", "Lupatiedot ja kiellot, kuten suoramarkkinointikiellot",
     {"data_content"}),
    ("Säännönmukaiset tietolähteet", "väestörekisteristä ja Suomen Suoramarkkinointiliiton",
     {"sources"}),
    ("Rekisterin suojaus", "Rekisterin käyttöä ja sisäänkirjautumisia valvotaan.", {"security"}),
    ("Rekisterin suojaus", "palomuurein", {"security"}),
    ("Tarkastusoikeus", "kirjallisesti ja allekirjoitettuna osoitteella", {"rights"}),
    ("Tarkastusoikeus", "Asiakaspalautteet", {"rights"}),
]  # fmt: skip

OFFISTORE: Expected = [
    ("Laatimispäivä", "03.05.2018", {"date"}),
    # The seed gives the same person and the same words as controller and as contact person.
    ("Rekisterinpitäjä / Yhteyshenkilö rekisteriä koskevissa asioissa",
     "Marko Rinnetmäki 0504353330 marko.rinnetmaki@offistore.fi", {"controller", "contact_person"}),
    ("Rekisterin nimi", "Asiakasrekisteri", {"register_name"}),
    ("Henkilötietojen käsittelyn tarkoitus", "postitustarroja suoramainoksiin", {"purposes"}),
    ("Henkilötietojen käsittelyn tarkoitus", "yrityksen asiakasrekisterin ylläpitäminen",
     {"purposes"}),
    ("Rekisterin tietosisältö", "Laskutustiedot- Tiedot aikaisemmista tilauksista",
     {"data_content"}),
    ("Säännönmukaiset tietolähteet", "päivityspalveluja tarjoavilta viranomaisilta", {"sources"}),
    ("Säännönmukaiset tietolähteet", "joihin kirjaudutaan sähköisen kutsun kautta", {"sources"}),
    # The seed's sources row runs on into the text it repeats under the next two headings.
    ("Tietojen säännönmukaiset luovutukset", "luottihakemukseen, perintään tai laskutukseen",
     {"sources", "disclosures"}),
    ("Tietojen säännönmukaiset luovutukset", "perintätoimet estä tietojen poistamista",
     {"sources", "disclosures"}),
    ("Tietojen siirto EU:n tai ETA:n ulkopuolelle", "teknisen toteutuksen varmistamiseksi",
     {"sources", "transfers"}),
    ("Rekisterin suojauksen periaatteet A: Manuaalinen aineisto",
     "A: Manuaalinen aineisto Asiakastapahtumissa", {"security"}),
    ("Rekisterin suojauksen periaatteet A: Manuaalinen aineisto", "paloturvallisissa",
     {"security"}),
    ("Rekisterin suojauksen periaatteet B: ATK:lla käsiteltävät toiminnot",
     "B: ATK:lla käsiteltävät toiminnot", {"security"}),
    ("Rekisterin suojauksen periaatteet B: ATK:lla käsiteltävät toiminnot", "palomuurilla",
     {"security"}),
    ("Evästeet", "Verkkosivuillamme käytetään evästeitä", {"cookies"}),
    ("Tarkastusoikeus", "suomeksi tai englanniksi", {"rights"}),
    ("Tarkastusoikeus", "suoramainontaa, etämyyntiä ja suoramarkkinointia",
     {"rights", "direct_marketing"}),
    ("Oikeus vaatia tiedon korjaamista", "Korjaaminen toteutetaan viivytyksettä.", {"rights"}),
    ("Oikeus vaatia tiedon korjaamista", "saattaa epäämisen tietosuojavaltuutetun ratkaistavaksi",
     {"rights"}),
    ("Muut henkilötietojen käsittelyyn liittyvät oikeudet", "oikeus tulla kokonaan unohdetuksi",
     {"rights", "direct_marketing"}),
]  # fmt: skip

WEBSTRELLA: Expected = [
    ("(date before the first heading)", "01.10.2013", {"date"}),
    ("(register named before the first heading)", "Webstrella verkkopalveluiden asiakasrekisteri",
     {"register_name"}),
    ("Rekisteriasioita hoitava henkilö:", "Jyri Tähtelä (ks. Yhteystiedot-sivu)",
     {"contact_person"}),
    ("1 Rekisterin pitämisen peruste", "asiakassuhteen perusteella tapahtuvan", {"legal_basis"}),
    ("2 Rekisterin käyttötarkoitus", "analysointiin, tilastointiin", {"purposes"}),
    ("3 Rekisterin sisältämät tiedot", "Asiakaspalvelutilanteisiin sähköpostilla",
     {"data_content"}),
    ("3 Rekisterin sisältämät tiedot", "sallimissa rajoissa Webstrellan omissa rekistereissä",
     {"data_content"}),
    ("4 Säännönmukaiset tietolähteet", "tilaamisen ja asiakaspalvelutilanteiden yhteydessä",
     {"sources"}),
    ("5 Tietojen luovutus", "ei luovuta näitä tietoja ilman lupaasi", {"disclosures"}),
    ("6 Rekisterin suojaus", "sijaitsevat lukituissa tiloissa", {"security"}),
    ("7 Tarkastusoikeus", "oikeus tarkastaa, mitä häntä koskevia", {"rights"}),
    ("7 Tarkastusoikeus", "kirjallisesti ja allekirjoitettuna", {"rights"}),
]  # fmt: skip

FINANIME: Expected = [
    ("REKISTERINPITÄJÄ", "Finanime Sekai (Y-tunnus: 2787109-2)", {"controller"}),
    ("REKISTERINPITÄJÄ", "Joutsentie 8", {"controller"}),
    ("REKISTERIASIOITA HOITAVA HENKILÖ", "Sähköposti kaj.soderholm@finanime.fi",
     {"contact_person"}),
    ("REKISTERIN NIMI", "Finanime Sekain asiakasrekisteri", {"register_name"}),
    ("REKISTERIN PITÄMISEN PERUSTE", "ostanut Finanime.fi:sta tavaraa", {"legal_basis"}),
    ("REKISTERIN KÄYTTÖTARKOITUS", "kadonneiden pakettien seurantaan", {"purposes"}),
    ("REKISTERIN KÄYTTÖTARKOITUS", "mainonnan kohdistamiseen luovuttamatta", {"purposes"}),
    ("REKISTERIN SISÄLTÄMÄT TIEDOT", "Tilausten Postin tai muun toimittajan seurantatiedot",
     {"data_content"}),
    # A combined heading: its disclosure paragraph and its erasure paragraph go apart.
    ("TIETOJEN LUOVUTUS JA ASIAKKAAN OMIEN TIETOJEN HALLINTA",
     "tiedotetaan asiakkaalle ennen tietojen luovuttamista", {"disclosures"}),
    ("TIETOJEN LUOVUTUS JA ASIAKKAAN OMIEN TIETOJEN HALLINTA",
     "Henkilötietoja ei siirretä Euroopan Unionin ulkopuolelle", {"disclosures", "transfers"}),
    ("TIETOJEN LUOVUTUS JA ASIAKKAAN OMIEN TIETOJEN HALLINTA",
     "hävitetään käyttäjän pyynnöstä, välittömästi ja pysyvästi", {"rights"}),
    ("REKISTERIN SUOJAUS", "salasanasuojatussa tietojärjestelmässä", {"security"}),
]  # fmt: skip


def test_postcardissimo_old_statement_lands_section_by_section():
    result = parse_file(SEEDS / "000_e966481798ddf730.txt")
    assert_sections(result, POSTCARDISSIMO)
    assert result.missing == [
        "legal_basis", "retention", "complaint", "automated_decisions", "data_subjects", "date",
    ]  # fmt: skip
    assert result.outdated == [
        "Henkilötietolain (523/99) 10 §:n mukainen rekisteriseloste.",
        "Henkilötietoja käytetään henkilötietolain sallimissa ja edellyttämissä puitteissa.",
    ]
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
        assert any(phrase in p for p in result.promises), phrase
    assert result.unmapped == []


def test_komiat_hetket_old_statement_lands_section_by_section():
    result = parse_file(SEEDS / "001_db8140427b108a6d.txt")
    assert_sections(result, KOMIAT_HETKET)
    assert result.sections["legal_basis"] == "Asiakassuhde"
    # "Asiakassuhde" names no GDPR Art 6 basis, so the basis still counts as missing.
    assert not names_gdpr_basis(result.sections["legal_basis"])
    assert result.missing == [
        "legal_basis", "disclosures", "transfers", "retention", "complaint",
        "automated_decisions", "data_subjects", "date",
    ]  # fmt: skip
    assert any("6 artiklan" in note for note in result.notes)
    assert any("Suoramarkkinointiliiton" in item for item in result.outdated)
    assert any("henkilötietolain 26 §" in item for item in result.outdated)
    for phrase in (
        "Lahjakorttien lunastajien tietoja emme käytä",
        "kieltorekisteristä",
        "myöntämää käyttäjätunnusta",
        "sisäänkirjautumisia valvotaan",
        "kirjallisesti ja allekirjoitettuna",
    ):
        assert any(phrase in p for p in result.promises), phrase


def test_offistore_html_table_statement_lands_section_by_section():
    result = parse_file(SEEDS / "002_db6dfb59f197885c.txt")
    assert_sections(result, OFFISTORE)
    assert result.sections["register_name"] == "Asiakasrekisteri"
    assert result.sections["controller"] == result.sections["contact_person"]
    assert_nowhere(result, "<p>", "</p>", "<ul", "list-style-type")
    assert result.missing == [
        "legal_basis", "retention", "complaint", "automated_decisions", "data_subjects",
    ]  # fmt: skip
    # Only a refused correction may go to the Ombudsman: narrower than Art 13(2)(d).
    assert any("evätyn pyynnön" in note for note in result.notes)
    assert result.outdated == [
        "Henkilötietoja käsitellään henkilötietolain sallimissa ja edellyttämässä rajoissa."
    ]
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
        assert any(phrase in p for p in result.promises), phrase


def test_webstrella_numbered_statement_lands_section_by_section():
    result = parse_file(SEEDS / "003_2462a533b62ed91f.txt")
    assert_sections(result, WEBSTRELLA)
    assert_nowhere(result, "Vierailuja", "62588")  # the page's visitor counter
    assert result.missing == [
        "controller", "legal_basis", "transfers", "retention", "complaint",
        "automated_decisions", "data_subjects",
    ]  # fmt: skip
    assert result.outdated == [
        "Henkilötietolain (523/1999) 10 §:n mukainen rekisteriseloste.",
        "Käyttäjää koskevia tietoja voidaan käsitellä henkilötietolain sallimissa rajoissa "
        "Webstrellan omissa rekistereissä.",
        "Käyttäjällä on henkilötietolain 26 §:n mukaisesti oikeus tarkastaa, mitä häntä koskevia "
        "tietoja henkilörekisteriin on talletettu.",
    ]
    for phrase in ("ilman lupaasi", "lukituissa tiloissa", "kirjallisesti ja allekirjoitettuna"):
        assert any(phrase in p for p in result.promises), phrase


def test_finanime_upper_case_statement_lands_section_by_section():
    result = parse_file(SEEDS / "004_09d16aaa72ee3a86.txt")
    assert_sections(result, FINANIME)
    assert result.missing == [
        "legal_basis", "retention", "complaint", "automated_decisions", "sources",
        "data_subjects", "date",
    ]  # fmt: skip
    assert len(result.outdated) == 2
    assert "10§:n ja 24§:n" in result.outdated[0]
    for phrase in (
        "kadonneiden pakettien seurantaan",
        "tiedotetaan asiakkaalle ennen tietojen luovuttamista",
        "Ilmoitamme aina välittömästi",
        "tuomioistuimen lainvoimaista",
        "hävitetään käyttäjän pyynnöstä, välittömästi ja pysyvästi",
    ):
        assert any(phrase in p for p in result.promises), phrase


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("00*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_lacks_retention_complaint_and_automated_decisions(seed):
    # None of the five gives a retention period, the right to complain or automated decisions:
    # the three GDPR items the old Henkilötietolaki statement form never had.
    result = parse_file(seed)
    assert {"retention", "complaint", "automated_decisions"} <= set(result.missing)
    assert result.outdated
    assert list(result.sections) == [k for k in SECTION_KEYS if k in result.sections]


def test_json_dict_holds_sections_missing_outdated_promises_and_setup():
    data = parse_file(SEEDS / "003_2462a533b62ed91f.txt").as_json_dict()
    assert set(data) == {"sections", "missing", "outdated", "promises", "setup"}
    assert data["sections"]["contact_person"] == "Jyri Tähtelä (ks. Yhteystiedot-sivu)"
    assert data["missing"][0] == "controller"
