"""Importing statements of other, invented shops: the recognition must not be tuned to the seeds.

Each file in tests/fixtures/statements is written the way Finnish shops publish theirs, each in
a different layout: HTML with <h2>/<h3>, a definition list, WordPress bold paragraphs and an
old <th>/<td> table; Markdown; Roman numerals, "1 §" numbering in Windows-1252 with CRLF,
"1)" with "2.1" subheadings; upper case; question headings with hard-wrapped text; "Heading:
text" lines; headings with a trailing colon and no blank lines; bilingual Finnish/Swedish
headings and a statement with a full Swedish version after the Finnish.
"""

import pytest

from statement.importer import StatementImportError
from tests.statement.import_expectations import (
    FIXTURES,
    Expected,
    assert_nowhere,
    assert_sections,
    parse_file,
)

STATEMENTS = FIXTURES / "statements"

# file: (every section: heading, phrase, keys), missing, headings of the unmapped parts
CASES: dict[str, tuple[Expected, list[str], list[str]]] = {
    "kahvipaahtimo_h2.html": (
        [
            ("Päivitetty 14.2.2024", "14.2.2024", {"date"}),
            ("1. Rekisterinpitäjä", "Satamakatu 12, 65100 Vaasa", {"controller"}),
            ("2. Yhteyshenkilö tietosuoja-asioissa", "Anna Mäkelä", {"contact_person"}),
            ("3. Mihin käytämme henkilötietojasi?", "reklamaatioiden hoitamiseen", {"purposes"}),
            ("4. Käsittelyn oikeusperusteet", "6 artiklan 1 kohdan b alakohta", {"legal_basis"}),
            ("5. Mitä tietoja käsittelemme?", "emme tallenna maksukorttien tietoja",
             {"data_content"}),
            ("6. Mistä tiedot saadaan?", "Postin osoitepalvelusta", {"sources"}),
            ("7. Tietojen vastaanottajat", "Paytrail Oyj | Maksujen välitys | Suomi",
             {"disclosures"}),
            ("7. Tietojen vastaanottajat", "Vastaanottaja | Tehtävä | Sijainti", {"disclosures"}),
            ("8. Tietojen siirto EU:n ja ETA:n ulkopuolelle", "Data Privacy Framework",
             {"transfers"}),
            ("9. Kuinka kauan säilytämme tietoja?", "kolme vuotta viimeisestä tilauksesta",
             {"retention"}),
            ("10. Evästeet", "analytiikkaevästeitä", {"cookies"}),
            ("11. Automaattinen päätöksenteko", "emmekä profiloi", {"automated_decisions"}),
            ("12. Sinun oikeutesi / Oikeus tarkastaa tiedot", "Voit pyytää kopion tiedoistasi",
             {"rights"}),
            ("Oikeus oikaisuun ja poistamiseen", "Oikeus oikaisuun ja poistamiseen Korjaamme",
             {"rights"}),
            # The objection subheading names both the right and direct marketing.
            ("Oikeus vastustaa suoramarkkinointia", "uutiskirjeen lopussa olevasta linkistä",
             {"rights", "direct_marketing"}),
            ("Oikeus siirtää tiedot järjestelmästä toiseen", "koneluettavassa muodossa",
             {"rights"}),
            ("13. Valitusoikeus", "PL 800, 00531 Helsinki", {"complaint"}),
            ("14. Tietoturva", "henkilökohtaisilla tunnuksilla", {"security"}),
        ],
        ["data_subjects"],
        ["Muutokset tähän selosteeseen"],
    ),
    "lankakauppa_roomalaiset.txt": (
        [
            ("Laatimispäivä: 15.3.2012", "15.3.2012", {"date"}),
            ("I REKISTERINPITÄJÄ", "Kauppatie 3, 86300 Oulainen", {"controller"}),
            ("II YHTEYSHENKILÖ REKISTERIÄ KOSKEVISSA ASIOISSA", "Sirpa Villanen",
             {"contact_person"}),
            ("III REKISTERIN NIMI", "Villasukan kanta-asiakasrekisteri", {"register_name"}),
            ("IV HENKILÖTIETOJEN KÄSITTELYN TARKOITUS", "ostohyvitysten laskeminen", {"purposes"}),
            ("V REKISTERIN TIETOSISÄLTÖ", "syntymävuosi, kanta-asiakasnumero", {"data_content"}),
            ("VI SÄÄNNÖNMUKAISET TIETOLÄHTEET", "kanta-asiakaslomakkeella ja kassajärjestelmästä",
             {"sources"}),
            ("VII TIETOJEN SÄÄNNÖNMUKAISET LUOVUTUKSET", "Tietoja ei luovuteta ulkopuolisille.",
             {"disclosures"}),
            ("VIII TIETOJEN SIIRTO EU:N TAI ETA:N ULKOPUOLELLE",
             "Euroopan talousalueen ulkopuolelle", {"transfers"}),
            ("IX REKISTERIN SUOJAUKSEN PERIAATTEET",
             "A. Manuaalinen aineisto Kanta-asiakaslomakkeet", {"security"}),
            ("IX … B. Sähköisesti käsiteltävät tiedot", "B. Sähköisesti käsiteltävät tiedot",
             {"security"}),
            ("X TARKASTUSOIKEUS", "Kirjallinen ja allekirjoitettu tarkastuspyyntö", {"rights"}),
            ("XI OIKEUS VAATIA TIEDON KORJAAMISTA", "korjataan viipymättä", {"rights"}),
            ("XII MUUT HENKILÖTIETOJEN KÄSITTELYYN LIITTYVÄT OIKEUDET",
             "kieltää tietojensa käyttö suoramarkkinointiin", {"rights", "direct_marketing"}),
        ],
        ["legal_basis", "retention", "complaint", "automated_decisions", "data_subjects"],
        [],
    ),
    "pyorapaja_markdown.md": (
        [
            ("*Viimeksi päivitetty: 2.5.2023*", "2.5.2023", {"date"}),
            ("## Rekisterinpitäjä", "Pyöräpaja Vanne Oy, Y-tunnus 2718281-8", {"controller"}),
            ("## Tietosuojavastaava", "Emme ole nimittäneet tietosuojavastaavaa", {"dpo"}),
            ("## Keiden tietoja käsittelemme?", "huoltoajan varanneiden", {"data_subjects"}),
            ("## Henkilötietojen käsittelyn tarkoitukset ja oikeusperusteet",
             "| Kirjanpito | Lakisääteinen velvoite |", {"purposes", "legal_basis"}),
            ("## Käsiteltävät henkilötiedot", "runkonumero", {"data_content"}),
            ("## Mistä henkilötiedot kerätään", "huoltovarauksen tai yhteydenoton", {"sources"}),
            ("## Henkilötietojen säilyttäminen", "kirjanpitolain edellyttämän ajan",
             {"retention"}),
            ("## Tietojen luovuttaminen ja käsittelijät", "Verkkokauppa-alustamme toimittaja",
             {"disclosures"}),
            ("## Tietojen siirtäminen Euroopan talousalueen ulkopuolelle", "Emme siirrä tietoja",
             {"transfers"}),
            ("## Profilointi ja automaattinen päätöksenteko", "automaattiseen päätöksentekoon",
             {"automated_decisions"}),
            ("### Oikeus tarkastaa omat tietosi", "kaikki sinusta tallennetut tiedot", {"rights"}),
            ("### Oikeus tulla unohdetuksi", "Poistamme tietosi pyynnöstä", {"rights"}),
            ("### Oikeus peruuttaa suostumus", "uutiskirjeen suostumuksen", {"rights"}),
            ("## Valituksen tekeminen valvontaviranomaiselle", "rikkovan tietosuoja-asetusta",
             {"complaint"}),
            ("## Miten suojaamme tietosi", "tarvitsevat niitä työssään", {"security"}),
        ],
        [],
        [""],  # the introduction before the first heading
    ),
    "kirjakauppa_dl.html": (
        [
            ("<dt>Rekisterinpitäjä", "Kirkkokatu 21, 80100 Joensuu", {"controller"}),
            ("<dt>Yhteyshenkilö", "Toni Lukkarinen", {"contact_person"}),
            ("<dt>Rekisterin nimi", "lukupiirin jäsenrekisteri", {"register_name"}),
            ("<dt>Käsittelyn peruste", "lukupiiriin liittyessä annettu suostumus",
             {"legal_basis"}),
            ("<dt>Käyttötarkoitus", "myynnin tilastointi", {"purposes"}),
            ("<dt>Rekisteröityjen ryhmät", "Verkkokaupan asiakkaat ja lukupiirin jäsenet",
             {"data_subjects"}),
            ("<dt>Tietosisältö", "jäsenyyden alkamispäivä", {"data_content"}),
            ("<dt>Tietolähteet", "tilausta tehdessään", {"sources"}),
            ("<dt>Luovutukset", "kuljetusliikkeelle", {"disclosures"}),
            ("<dt>Säilytysaika", "vuoden kuluttua eroamisesta", {"retention"}),
            ("<dt>Suojaus", "paperiset tilauslomakkeet", {"security"}),
            ("<dt>Oikeudet", "Pyynnöt voi lähettää sähköpostitse", {"rights"}),
            ("<dt>Oikeudet", "kieltää niiden käyttö markkinointiin",
             {"rights", "direct_marketing"}),
            ("<dt>Valitusoikeus", "Tietosuojavaltuutetun toimistoon", {"complaint"}),
            ("Seloste on laadittu 9.9.2019.", "9.9.2019", {"date"}),
        ],
        ["transfers", "automated_decisions"],
        [],
    ),
    "vaatekauppa_strong.html": (
        [
            ("Laadittu 24.5.2018. Viimeisin muutos 3.1.2022.", "Laadittu 24.5.2018", {"date"}),
            ("Laadittu 24.5.2018. Viimeisin muutos 3.1.2022.", "Viimeisin muutos 3.1.2022",
             {"date"}),
            ("1. Rekisterinpitäjä", "Hämeenkatu 30, 33200 Tampere", {"controller"}),
            ("2. Rekisteristä vastaava yhteyshenkilö", "Laura Koskinen", {"contact_person"}),
            ("3. Rekisterin nimi", "Yrityksen asiakasrekisteri", {"register_name"}),
            ("4. Oikeusperuste ja henkilötietojen käsittelyn tarkoitus",
             "suostumus ja sopimuksen täytäntöönpano", {"legal_basis", "purposes"}),
            ("4. … (its second paragraph)", "automatisoituun päätöksentekoon",
             {"legal_basis", "purposes", "automated_decisions"}),
            ("5. Rekisterin tietosisältö", "verkkoyhteyden IP-osoite", {"data_content"}),
            ("5. … (its second paragraph)", "kaksi vuotta, ellei kirjanpitolaki",
             {"data_content", "retention"}),
            ("6. Säännönmukaiset tietolähteet", "www-lomakkeilla", {"sources"}),
            ("7. Tietojen säännönmukaiset luovutukset ja tietojen siirto EU:n tai ETA:n "
             "ulkopuolelle", "julkaista siltä osin", {"disclosures"}),
            ("7. … (its second paragraph)", "Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle",
             {"transfers"}),
            ("8. Rekisterin suojauksen periaatteet", "palvelimien käyttöoikeuksia", {"security"}),
            ("9. Tarkastusoikeus ja oikeus vaatia tiedon korjaamista",
             "todistamaan henkilöllisyytensä", {"rights"}),
            ("10. Muut henkilötietojen käsittelyyn liittyvät oikeudet", "oikeus tulla unohdetuksi",
             {"rights"}),
        ],
        ["complaint", "data_subjects"],
        [""],  # "Tämä on Vaatehuone Tyyli Oy:n … seloste." introduces it
    ),
    "kodintekniikka_pykalat_cp1252.txt": (
        [
            ("1 § Rekisterinpitäjä:", "Teollisuustie 5, 60100 Seinäjoki", {"controller"}),
            ("2 § Rekisteriasioista vastaa:", "Myyntipäällikkö Jari Sirkka", {"contact_person"}),
            ("3 § Tietosuojavastaavan yhteystiedot:", "tietosuoja@sahkosirkka.fi", {"dpo"}),
            ("4 § Rekisterin käyttötarkoitus ja käsittelyn oikeusperuste:",
             "takuuasioiden hoitamiseen", {"purposes", "legal_basis"}),
            ("5 § Rekisteröityjen ryhmät:", "Kuluttaja-asiakkaat", {"data_subjects"}),
            ("6 § Rekisterin sisältämät henkilötiedot:", "sarjanumerot", {"data_content"}),
            ("7 § Tietojen lähteet:", "kaupparekisteristä", {"sources"}),
            ("8 § Tietojen vastaanottajat:", "perintätoimisto", {"disclosures"}),
            ("9 § Tietojen siirrot kolmansiin maihin:", "Tietoja ei siirretä kolmansiin maihin.",
             {"transfers"}),
            ("10 § Tietojen säilytysaika:", "takuuajan päättymiseen asti", {"retention"}),
            ("11 § Tietoturva:", "lukitussa arkistossa", {"security"}),
            ("12 § Rekisteröidyn oikeudet:", "rajoittaa tai vastustaa", {"rights"}),
            ("13 § Suoramarkkinointi:", "jokaisen viestin lopussa", {"direct_marketing"}),
            ("14 § Oikeus valittaa:", "Rekisteröity voi tehdä valituksen", {"complaint"}),
            ("Päivitetty 10.1.2021", "10.1.2021", {"date"}),
        ],
        ["automated_decisions"],
        [],
    ),
    "kukkakauppa_kysymykset.txt": (
        [
            ("Kuka tietojasi käsittelee?", "Puistokatu 2, 24100 Salo", {"controller"}),
            ("Mitä tietoja keräämme?", "korttiin kirjoittamasi tervehdyksen", {"data_content"}),
            ("Miksi käsittelemme tietojasi ja millä perusteella?", "perustuu tilaussopimukseen",
             {"purposes", "legal_basis"}),
            ("Mistä saamme tiedot?", "saamme tilaajalta", {"sources"}),
            ("Kenelle tietojasi luovutetaan?", "Kukkalähetit ja kuljetusliike", {"disclosures"}),
            ("Siirretäänkö tietoja EU:n ulkopuolelle?", "Ei siirretä.", {"transfers"}),
            ("Kuinka kauan tietojasi säilytetään?", "kuukauden kuluttua toimituksesta",
             {"retention"}),
            ("Miten tietosi suojataan?", "salattua yhteyttä", {"security"}),
            ("Mitä oikeuksia sinulla on?", "pyytää korjaamaan virheet", {"rights"}),
            ("Mitä oikeuksia sinulla on?", "kieltää meitä lähettämästä sinulle markkinointia",
             {"rights", "direct_marketing"}),
            ("Voinko valittaa tietojeni käsittelystä?", "www.tietosuoja.fi", {"complaint"}),
            ("Kehen voin ottaa yhteyttä?", "oona@orvokki.fi", {"contact_person"}),
            ("Tämä seloste on päivitetty 1.6.2022.", "1.6.2022", {"date"}),
        ],
        ["automated_decisions", "data_subjects"],
        [],
    ),
    "urheilu_kaksikielinen.txt": (
        [
            ("1. Rekisterinpitäjä / Personuppgiftsansvarig", "Storgatan 4, 68600 Pietarsaari",
             {"controller"}),
            ("2. Tietosuojavastaava / Dataskyddsombud", "Mikael Nyström", {"dpo"}),
            ("3. Käsittelyn tarkoitukset / Ändamålen med behandlingen",
             "seurajoukkueiden tilausten", {"purposes"}),
            ("4. Käsittelyn oikeusperuste / Rättslig grund för behandlingen",
             "oikeutettu etu (asiakasviestintä", {"legal_basis"}),
            ("5. Henkilötietoryhmät / Kategorier av personuppgifter", "pelinumero painatuksia",
             {"data_content"}),
            ("6. Tietolähteet / Uppgiftskällor", "pelaajaluettelon", {"sources"}),
            ("7. Vastaanottajat / Mottagare", "painotalo", {"disclosures"}),
            ("8. Tietojen siirto EU:n ulkopuolelle / Överföring utanför EU",
             "Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.", {"transfers"}),
            ("9. Säilytysaika / Lagringstid", "kaksi vuotta viimeisestä tilauksesta",
             {"retention"}),
            ("10. Profilointi / Profilering", "Emme profiloi asiakkaita", {"automated_decisions"}),
            ("11. Rekisteröidyn oikeudet / Den registrerades rättigheter",
             "Suostumuksen voi perua milloin tahansa", {"rights"}),
            ("12. Oikeus tehdä valitus / Rätt att lämna klagomål", "PL 800, 00531 Helsinki",
             {"complaint"}),
            ("13. Evästeet / Kakor", "välttämättömiä evästeitä", {"cookies"}),
            ("Päivitetty / Uppdaterad: 5.4.2023", "5.4.2023", {"date"}),
        ],
        ["data_subjects", "security"],
        [],
    ),
    "elaintarvike_taulukko.html": (
        [
            ("Laatimispvm: 20.11.2016", "20.11.2016", {"date"}),
            ("<th>1. Rekisterinpitäjä", "Eläintarvike Tassu Oy Myllykatu 7 15110 Lahti",
             {"controller"}),
            ("<th>2. Yhteyshenkilö rekisteriä koskevissa asioissa", "petra@tassu.fi",
             {"contact_person"}),
            ("<th>3. Rekisterin nimi", "Tassun verkkokaupan asiakasrekisteri", {"register_name"}),
            ("<th>4. Henkilötietojen käsittelyn tarkoitus", "lemmikkikerhon etujen", {"purposes"}),
            ("<th>5. Rekisterin tietosisältö", "• lemmikin laji ja syntymävuosi",
             {"data_content"}),
            ("<th>6. Säännönmukaiset tietolähteet", "rekisteröityessään antamat", {"sources"}),
            ("<th>7. Tietojen säännönmukaiset luovutukset", "markkinointitarkoituksiin",
             {"disclosures"}),
            ("<th>8. Tietojen siirto EU:n tai ETA:n ulkopuolelle",
             "Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.", {"transfers"}),
            ("<th>9. Rekisterin suojauksen periaatteet", "B. Sähköisesti tallennetut tiedot",
             {"security"}),
            ("<th>10. Tarkastusoikeus", "kirjallisesti ja allekirjoitettuna", {"rights"}),
            ("<th>11. Oikeus vaatia tiedon korjaamista", "asiakkaan ilmoituksesta viipymättä",
             {"rights"}),
            ("<th>12. Suoramarkkinointikielto", "kieltää suoramarkkinoinnin ilmoittamalla",
             {"direct_marketing"}),
        ],
        ["legal_basis", "retention", "complaint", "automated_decisions", "data_subjects"],
        [],
    ),
    "hierontapalvelu_kaksoispiste.txt": (
        [
            ("Rekisterinpitäjä:", "Rantakatu 3, 57130 Savonlinna", {"controller"}),
            ("Yhteyshenkilö:", "kaisa@kaisla.fi", {"contact_person"}),
            ("Rekisterin nimi:", "Asiakaskortisto ja ajanvarausrekisteri", {"register_name"}),
            ("Käyttötarkoitus:", "muistuttaminen varatusta ajasta", {"purposes"}),
            ("Tietosisältö:", "hoitoon vaikuttavat terveystiedot", {"data_content"}),
            ("Tietolähteet:", "hoitokäynnin yhteydessä", {"sources"}),
            ("Luovutukset:", "Tietoja ei luovuteta kenellekään.", {"disclosures"}),
            ("Säilytys:", "viisi vuotta viimeisestä käynnistä", {"retention"}),
            ("Suojaus:", "henkilökohtaisella tunnuksella", {"security"}),
            ("Asiakkaan oikeudet:", "korjauttaa tietonsa", {"rights"}),
            ("Laadittu:", "12.8.2019", {"date"}),
        ],
        ["legal_basis", "transfers", "complaint", "automated_decisions", "data_subjects"],
        [],
    ),
    "lelukauppa_alaotsikot.txt": (
        [
            ("Päivitetty 3.3.2025", "3.3.2025", {"date"}),
            ("1) Rekisterinpitäjä", "Torikatu 10, 20100 Turku", {"controller"}),
            ("2.1 Käsittelyn tarkoitukset", "kanta-asiakasedut", {"purposes"}),
            ("2.2 Oikeusperusteet", "kanta-asiakasohjelma suostumukseen", {"legal_basis"}),
            ("3) Mitä tietoja käsittelemme?", "kanta-asiakasnumero", {"data_content"}),
            ("4) Kenelle tietoja luovutetaan ja siirretäänkö niitä EU:n ulkopuolelle?",
             "Tietoja ei siirretä EU:n ulkopuolelle", {"disclosures", "transfers"}),
            ("5) Kuinka kauan tietoja säilytetään?", "kahden vuoden kuluttua", {"retention"}),
            ("6.1 Tarkastusoikeus", "Voit pyytää nähtäväksi tietosi.", {"rights"}),
            ("6.2 Oikeus oikaisuun ja poistamiseen", "Korjaamme ja poistamme", {"rights"}),
            ("6.3 Oikeus kieltää suoramarkkinointi", "kieltää markkinointiviestit",
             {"direct_marketing"}),
            # A subheading nobody recognises belongs to its parent "6) Sinun oikeutesi".
            ("6.4 Miten pyynnön voi tehdä?", "Vastaamme kuukauden kuluessa", {"rights"}),
            ("7) Valitus valvontaviranomaiselle", "tietosuojavaltuutetulle", {"complaint"}),
        ],
        ["automated_decisions", "sources", "data_subjects", "security"],
        ["Lapsia koskevat tiedot"],  # "2.3" under the unrecognised "2) Henkilötietojen käsittely"
    ),
    "kampaamo_tiivis.txt": (
        [
            ("Rekisterinpitäjä:", "Kirkkokatu 2, 50100 Mikkeli Puhelin: 015 123 456",
             {"controller"}),
            ("Mihin tietoja käytetään:", "asiakaskortin pitäminen", {"purposes"}),
            ("Mitä tietoja tallennetaan:", "käytetyt värisävyt", {"data_content"}),
            ("Käsittelyn peruste:", "muistutusviestien osalta suostumus", {"legal_basis"}),
            ("Tietojen säilytys:", "on kulunut kolme vuotta", {"retention"}),
            ("Tietojen luovutus:", "Emme luovuta tietoja kenellekään.", {"disclosures"}),
            ("Tietoturva:", "salasanasuojattu", {"security"}),
            ("Oikeutesi:", "perua suostumuksesi", {"rights"}),
            ("Valitus:", "Voit tehdä valituksen tietosuojavaltuutetulle.", {"complaint"}),
        ],
        ["transfers", "automated_decisions", "sources", "data_subjects", "date"],
        [],
    ),
    "tilitoimisto_fi_sv.txt": (
        [
            ("Rekisterinpitäjä", "Rantakatu 5, 65100 Vaasa", {"controller"}),
            ("Henkilötietojen käsittelyn tarkoitus", "palkanlaskentapalveluiden", {"purposes"}),
            ("Käsiteltävät henkilötiedot", "palkansaajien palkkatiedot", {"data_content"}),
            ("Tietojen säilytys", "kymmenen vuotta", {"retention"}),
            ("Rekisteröidyn oikeudet", "ottamalla yhteyttä toimistoomme", {"rights"}),
        ],
        [
            "legal_basis", "disclosures", "transfers", "complaint", "automated_decisions",
            "sources", "data_subjects", "security", "date",
        ],
        # The Swedish version after "PÅ SVENSKA" is left out of the Finnish draft.
        [
            "Personuppgiftsansvarig", "Ändamålet med behandlingen av personuppgifter",
            "Den registrerades rättigheter",
        ],
    ),
    "autohuolto_word_cp1252.html": (
        [
            ("Laatimispäivä 12.4.2019", "12.4.2019", {"date"}),
            ("<b>1. Rekisterinpitäjä", "Konepajantie 4, 40320 Jyväskylä", {"controller"}),
            ("<b>2. Yhteyshenkilö", "timo@mutteri.fi", {"contact_person"}),
            ("<b>3. Henkilötietojen käsittelyn tarkoitus ja peruste",
             "perustuu asiakkaan kanssa tehtyyn sopimukseen", {"purposes", "legal_basis"}),
            ("<b>4. Käsiteltävät tiedot", "auton rekisterinumero ja huoltohistoria",
             {"data_content"}),
            ("<b>5. Säilytysaika", "Huoltohistoria säilytetään viisi vuotta.", {"retention"}),
            ("<b>6. Tietojen luovutukset", "auton valmistajalle", {"disclosures"}),
            ("<b>7. Rekisteröidyn oikeudet", "Voit tarkastaa, korjata ja poistaa tietosi.",
             {"rights"}),
            ("<b>7. Rekisteröidyn oikeudet", "Voit tehdä valituksen tietosuojavaltuutetulle.",
             {"rights", "complaint"}),
        ],
        ["transfers", "automated_decisions", "sources", "data_subjects", "security"],
        [],
    ),
    "juoksukauppa_gdpr.md": (
        [
            ("Voimassa 1.1.2024 alkaen.", "Voimassa 1.1.2024 alkaen", {"date"}),
            ("## 1. Kuka on rekisterinpitäjä?", "Urheiluverkkokauppa Juoksu Oy", {"controller"}),
            ("## 2. Mitä henkilötietoja keräämme ja mistä?", "Kumppaneilta: Postin",
             {"data_content", "sources"}),
            ("## 3. Mihin ja millä perusteella käytämme tietojasi?", "| Uutiskirje | Suostumus |",
             {"purposes", "legal_basis"}),
            ("## 4. Kenelle tietoja luovutetaan?", "maksunvälittäjälle (Klarna)",
             {"disclosures"}),
            ("### 4.1 Siirrot EU:n ulkopuolelle", "komission vakiosopimuslausekkeiden",
             {"transfers"}),
            ("## 5. Kuinka kauan säilytämme tietoja?", "suostumuksen perumiseen asti",
             {"retention"}),
            ("## 6. Evästeet ja analytiikka", "Google Analytics", {"cookies"}),
            ("## 7. Oikeutesi", "siirtää tiedot järjestelmästä toiseen", {"rights"}),
            ("## 7. Oikeutesi", "Voit myös tehdä valituksen", {"rights", "complaint"}),
            ("## 8. Tietoturva", "kaksivaiheista tunnistautumista", {"security"}),
        ],
        ["automated_decisions", "data_subjects"],
        [],
    ),
    "kultaseppa_pohja_tiivis.txt": (
        [
            ("Laadittu 20.5.2018. Viimeisin muutos 15.9.2021.", "Viimeisin muutos 15.9.2021",
             {"date"}),
            ("1. Rekisterinpitäjä", "Kauppakatu 12, 87100 Kajaani", {"controller"}),
            ("2. Rekisteristä vastaava yhteyshenkilö", "aino@aika.fi", {"contact_person"}),
            ("3. Rekisterin nimi", "Yrityksen asiakasrekisteri", {"register_name"}),
            ("4. Oikeusperuste ja henkilötietojen käsittelyn tarkoitus",
             "korjaustöiden seuranta", {"legal_basis", "purposes"}),
            ("4. … (its second line)", "automatisoituun päätöksentekoon",
             {"legal_basis", "purposes", "automated_decisions"}),
            ("5. Rekisterin tietosisältö", "korjaukseen jätetyn tuotteen tiedot", {"data_content"}),
            ("5. … (its last sentence)", "viisi vuotta viimeisestä asioinnista",
             {"data_content", "retention"}),
            ("6. Säännönmukaiset tietolähteet", "liikkeessä ja puhelimitse", {"sources"}),
            ("7. Tietojen säännönmukaiset luovutukset ja tietojen siirto EU:n tai ETA:n "
             "ulkopuolelle", "Tietoja ei luovuteta säännönmukaisesti",
             {"disclosures", "transfers"}),
            ("8. Rekisterin suojauksen periaatteet", "suojataan asianmukaisesti", {"security"}),
            ("9. Tarkastusoikeus ja oikeus vaatia tiedon korjaamista",
             "vaatia virheellisen tiedon korjaamista", {"rights"}),
            ("10. Muut henkilötietojen käsittelyyn liittyvät oikeudet", "oikeus tulla unohdetuksi",
             {"rights"}),
        ],
        ["complaint", "data_subjects"],
        [""],  # "Tämä on … tietosuojaseloste." introduces it
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CASES, ids=lambda name: name.split(".")[0])
def test_statement_lands_section_by_section(name):
    expected, missing, unmapped = CASES[name]
    result = parse_file(STATEMENTS / name)
    assert_sections(result, expected)
    assert result.missing == missing
    assert [heading for heading, _ in result.unmapped] == unmapped
    assert_nowhere(result, "<", "&nbsp;", "\ue000", "\ue001", "**", "## ")


def test_page_furniture_around_an_html_statement_is_left_out():
    result = parse_file(STATEMENTS / "kahvipaahtimo_h2.html")
    assert_nowhere(result, "Etusivu", "dataLayer", "© 2024", "Tietosuojaseloste | Paahtimo")


def test_markdown_links_keep_their_text_and_address():
    result = parse_file(STATEMENTS / "pyorapaja_markdown.md")
    assert "tietosuoja.fi (https://tietosuoja.fi)" in result.sections["complaint"]
    assert result.unmapped[0][1].startswith("Tässä selosteessa kerromme")


def test_swedish_version_is_left_out_with_a_note():
    result = parse_file(STATEMENTS / "tilitoimisto_fi_sv.txt")
    assert_nowhere(result, "Strandgatan", "Vi behandlar", "PÅ SVENSKA")
    assert any("Den registrerades rättigheter" in note for note in result.notes)


def test_windows_1252_file_with_crlf_is_read():
    data = (STATEMENTS / "kodintekniikka_pykalat_cp1252.txt").read_bytes()
    assert b"\r\n" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert (
        "Sähkö-Sirkka Oy"
        in parse_file(STATEMENTS / "kodintekniikka_pykalat_cp1252.txt").sections["controller"]
    )


def test_a_swedish_statement_is_refused_and_named_swedish():
    with pytest.raises(StatementImportError, match="ruotsinkieliseltä"):
        parse_file(STATEMENTS / "svenska_dataskydd.txt")
