"""Heading recognition on its own: the variants real Finnish statements use, in three languages.

The headings here are not taken from the five seeds: they are the forms LEGAL.md lists and the
ones Finnish shops commonly write — inflected, compounded, as questions, combined, with
Swedish or English beside the Finnish.
"""

import pytest

from statement.importer.headings import classify

HEADINGS: list[tuple[str, set[str]]] = [
    # controller
    ("Rekisterinpitäjä", {"controller"}),
    ("Rekisterin pitäjä", {"controller"}),
    ("Rekisterinpitäjän yhteystiedot", {"controller"}),
    ("Rekisterin ylläpitäjä", {"controller"}),
    ("Yhteystiedot", {"controller"}),
    ("Kuka vastaa tietojesi käsittelystä?", {"controller"}),
    ("Kuka käsittelee henkilötietojasi?", {"controller"}),
    ("Keitä me olemme?", {"controller"}),
    ("Personuppgiftsansvarig", {"controller"}),
    ("Registeransvarig", {"controller"}),
    ("Controller", {"controller"}),
    # contact person
    ("Yhteyshenkilö rekisteriä koskevissa asioissa", {"contact_person"}),
    ("Rekisteriasioita hoitava henkilö", {"contact_person"}),
    ("Rekisteriasioista vastaava henkilö", {"contact_person"}),
    ("Rekisterin vastuuhenkilö", {"contact_person"}),
    ("Yhteyshenkilö", {"contact_person"}),
    ("Yhteydenotot tietosuoja-asioissa", {"contact_person"}),
    ("Kehen voin ottaa yhteyttä?", {"contact_person"}),
    ("Keneen voin olla yhteydessä?", {"contact_person"}),
    ("Kontaktperson i ärenden som gäller registret", {"contact_person"}),
    ("Contact person for register matters", {"contact_person"}),
    # dpo
    ("Tietosuojavastaava", {"dpo"}),
    ("Tietosuojavastaavan yhteystiedot", {"dpo"}),
    ("Dataskyddsombud", {"dpo"}),
    ("Data protection officer", {"dpo"}),
    # register name
    ("Rekisterin nimi", {"register_name"}),
    ("Henkilörekisterin nimi", {"register_name"}),
    ("Registrets namn", {"register_name"}),
    ("Name of the register", {"register_name"}),
    # legal basis
    ("Rekisterin pitämisen peruste", {"legal_basis"}),
    ("Käsittelyn oikeusperuste", {"legal_basis"}),
    ("Henkilötietojen käsittelyn oikeusperusteet", {"legal_basis"}),
    ("Käsittelyn lainmukaisuus", {"legal_basis"}),
    ("Millä perusteella käsittelemme tietoja?", {"legal_basis"}),
    ("Oikeutettu etu", {"legal_basis"}),
    ("Tietojen antamisen vapaaehtoisuus", {"legal_basis"}),
    ("Grund för registerföringen", {"legal_basis"}),
    ("Rättslig grund för behandlingen", {"legal_basis"}),
    ("Legal basis for processing", {"legal_basis"}),
    # purposes
    ("Henkilötietojen käsittelyn tarkoitus", {"purposes"}),
    ("Rekisterin käyttötarkoitus", {"purposes"}),
    ("Käsittelyn tarkoitukset", {"purposes"}),
    ("Mihin käytämme tietojasi?", {"purposes"}),
    ("Miksi keräämme henkilötietoja?", {"purposes"}),
    ("Ändamålet med behandlingen av personuppgifter", {"purposes"}),
    ("Purpose of processing personal data", {"purposes"}),
    # data subjects
    ("Rekisteröityjen ryhmät", {"data_subjects"}),
    ("Rekisteröidyt", {"data_subjects"}),
    ("Keiden tietoja käsittelemme?", {"data_subjects"}),
    ("Kenen tietoja rekisterissä on?", {"data_subjects"}),
    ("Keitä rekisteri koskee?", {"data_subjects"}),
    ("Rekisterin kohderyhmä", {"data_subjects"}),
    ("Kategorier av registrerade", {"data_subjects"}),
    ("Categories of data subjects", {"data_subjects"}),
    # data content
    ("Rekisterin tietosisältö", {"data_content"}),
    ("Rekisterin sisältämät tiedot", {"data_content"}),
    ("Mitä tietoja keräämme?", {"data_content"}),
    ("Mitä henkilötietoja käsittelemme?", {"data_content"}),
    ("Käsiteltävät henkilötiedot", {"data_content"}),
    ("Kerättävät tiedot", {"data_content"}),
    ("Henkilötietoryhmät", {"data_content"}),
    ("Keräämämme tiedot", {"data_content"}),
    ("Registrets datainnehåll", {"data_content"}),
    ("Data content of the register", {"data_content"}),
    # sources
    ("Säännönmukaiset tietolähteet", {"sources"}),
    ("Tietojen lähteet", {"sources"}),
    ("Mistä saamme tiedot?", {"sources"}),
    ("Mistä henkilötiedot kerätään", {"sources"}),
    ("Miten keräämme tietoja?", {"sources"}),
    ("Tietojen kerääminen", {"sources"}),
    ("Regelmässiga uppgiftskällor", {"sources"}),
    ("Regular sources of data", {"sources"}),
    # disclosures
    ("Tietojen säännönmukaiset luovutukset", {"disclosures"}),
    ("Tietojen luovuttaminen", {"disclosures"}),
    ("Henkilötietojen vastaanottajat", {"disclosures"}),
    ("Kenelle tietoja luovutetaan?", {"disclosures"}),
    ("Kenelle luovutamme tietojasi?", {"disclosures"}),
    ("Henkilötietojen käsittelijät", {"disclosures"}),
    ("Tietojen jakaminen kolmansille osapuolille", {"disclosures"}),
    ("Regelmässigt utlämnande av uppgifter", {"disclosures"}),
    ("Mottagare", {"disclosures"}),
    ("Regular disclosure of data", {"disclosures"}),
    # transfers
    ("Tietojen siirto EU:n tai ETA:n ulkopuolelle", {"transfers"}),
    ("Tietojen siirtäminen Euroopan talousalueen ulkopuolelle", {"transfers"}),
    ("Siirretäänkö tietoja EU:n ulkopuolelle?", {"transfers"}),
    ("Tietojen siirrot kolmansiin maihin", {"transfers"}),
    ("Kansainväliset tiedonsiirrot", {"transfers"}),
    ("Överföring av uppgifter utanför EU eller EES", {"transfers"}),
    ("Transfer of data outside the EU/EEA", {"transfers"}),
    # retention
    ("Säilytysaika", {"retention"}),
    ("Tietojen säilytysaika", {"retention"}),
    ("Henkilötietojen säilyttäminen", {"retention"}),
    ("Kuinka kauan säilytämme tietojasi?", {"retention"}),
    ("Kuinka pitkään tietoja säilytetään?", {"retention"}),
    ("Lagringstid", {"retention"}),
    ("Retention period", {"retention"}),
    # security
    ("Rekisterin suojauksen periaatteet", {"security"}),
    ("Rekisterin suojaus", {"security"}),
    ("Tietoturva", {"security"}),
    ("Tietojen suojaaminen", {"security"}),
    ("Miten suojaamme tietosi?", {"security"}),
    ("Tietoturvallisuus", {"security"}),
    ("A: Manuaalinen aineisto", {"security"}),
    ("Sähköisesti käsiteltävät tiedot", {"security"}),
    ("ATK:lla käsiteltävät tiedot", {"security"}),
    ("Principerna för skydd av registret", {"security"}),
    ("Principles of protecting the register", {"security"}),
    # cookies
    ("Evästeet", {"cookies"}),
    ("Evästeiden käyttö", {"cookies"}),
    ("Evästekäytäntö", {"cookies"}),
    ("Käytämmekö evästeitä?", {"cookies"}),
    ("Kakor", {"cookies"}),
    ("Cookies", {"cookies"}),
    # automated decisions
    ("Automaattinen päätöksenteko ja profilointi", {"automated_decisions"}),
    ("Automatisoitu päätöksenteko", {"automated_decisions"}),
    ("Profilointi", {"automated_decisions"}),
    ("Teemmekö automaattisia päätöksiä?", {"automated_decisions"}),
    ("Automatiserat beslutsfattande och profilering", {"automated_decisions"}),
    ("Automated decision-making and profiling", {"automated_decisions"}),
    # rights
    ("Rekisteröidyn oikeudet", {"rights"}),
    ("Sinun oikeutesi", {"rights"}),
    ("Mitä oikeuksia sinulla on?", {"rights"}),
    ("Tarkastusoikeus", {"rights"}),
    ("Tarkistusoikeus", {"rights"}),
    ("Oikeus vaatia tiedon korjaamista", {"rights"}),
    ("Oikeus tietojen oikaisemiseen", {"rights"}),
    ("Oikeus tulla unohdetuksi", {"rights"}),
    ("Tietojen poistaminen", {"rights"}),
    ("Oikeus käsittelyn rajoittamiseen", {"rights"}),
    ("Vastustamisoikeus", {"rights"}),
    ("Oikeus siirtää tiedot järjestelmästä toiseen", {"rights"}),
    ("Tietojen siirrettävyys", {"rights"}),
    ("Suostumuksen peruuttaminen", {"rights"}),
    ("Muut henkilötietojen käsittelyyn liittyvät oikeudet", {"rights"}),
    ("Den registrerades rättigheter", {"rights"}),
    ("Rätt till insyn", {"rights"}),
    ("Rights of the data subject", {"rights"}),
    # complaint
    ("Oikeus tehdä valitus valvontaviranomaiselle", {"complaint"}),
    ("Valitusoikeus", {"complaint"}),
    ("Oikeus valittaa", {"complaint"}),
    ("Voinko valittaa tietojeni käsittelystä?", {"complaint"}),
    ("Kantelu tietosuojavaltuutetulle", {"complaint"}),
    ("Rätt att lämna klagomål till tillsynsmyndigheten", {"complaint"}),
    ("Right to lodge a complaint with a supervisory authority", {"complaint"}),
    # direct marketing
    ("Suoramarkkinointi", {"direct_marketing"}),
    ("Suoramarkkinointikielto", {"direct_marketing"}),
    ("Markkinointi", {"direct_marketing"}),
    ("Markkinointikiellot", {"direct_marketing"}),
    ("Uutiskirje", {"direct_marketing"}),
    ("Direktmarknadsföring", {"direct_marketing"}),
    # date
    ("Laatimispäivä", {"date"}),
    ("Laatimispvm", {"date"}),
    ("Päivitetty", {"date"}),
    ("Päivityspäivämäärä", {"date"}),
    ("Viimeksi päivitetty", {"date"}),
    ("Voimaantulo", {"date"}),
    ("Uppdaterad", {"date"}),
    # combined headings name each part
    ("Käsittelyn tarkoitus ja oikeusperuste", {"purposes", "legal_basis"}),
    ("Tietojen luovutukset ja siirrot EU:n ulkopuolelle", {"disclosures", "transfers"}),
    ("Tietojen luovutus ja asiakkaan omien tietojen hallinta", {"disclosures", "rights"}),
    ("Tarkastusoikeus ja oikeus vaatia tiedon korjaamista", {"rights"}),
    ("Säilytysaika, luovutukset ja siirrot", {"retention", "disclosures", "transfers"}),
    ("Evästeet ja analytiikka", {"cookies"}),
    ("Miksi käsittelemme tietojasi ja millä perusteella?", {"purposes", "legal_basis"}),
    ("Rekisterinpitäjä / Personuppgiftsansvarig", {"controller"}),
    ("Säilytysaika / Lagringstid / Retention", {"retention"}),
    # words inside other words do not mislead
    ("Tietosuojaseloste", set()),
    ("Yleistä", set()),
    ("Muutokset tähän selosteeseen", set()),
    ("Sovellettava laki", set()),
]


@pytest.mark.parametrize(("heading", "keys"), HEADINGS, ids=[h for h, _ in HEADINGS])
def test_heading_names_its_part_of_the_statement(heading, keys):
    assert set(classify(heading)) == keys


@pytest.mark.parametrize(
    "heading",
    ["REKISTERIN TIETOSISÄLTÖ", "rekisterin tietosisältö", "Rekisterin tietosisältö:",
     "»Rekisterin tietosisältö«", "Rekisterin  tietosisältö ?"],
)  # fmt: skip
def test_case_spacing_and_punctuation_do_not_matter(heading):
    assert classify(heading) == ("data_content",)


def test_a_label_with_its_text_after_it_is_not_the_controller_for_saying_contact_details():
    # "Yhteystiedot: osoite, puhelin" is a data item in a list; alone on a line it is a heading.
    assert classify("Yhteystiedot", alone=False) == ()
    assert classify("Yhteystiedot") == ("controller",)
