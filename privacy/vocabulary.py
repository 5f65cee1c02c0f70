"""The categories, purposes, sources and retention rules that declarations are made of.

Finnish is the source text; the statement renders these in the reader's language.
"""

from django.utils.translation import gettext_lazy as _

from privacy.citations import Style, cite_lazy, with_citations
from privacy.deadlines import VOUCHER_YEARS
from privacy.declaration import Basis, Category, Purpose, Retention, Source

# Categories, in the order the statement lists them.
BASIC = Category(
    "basic",
    _("Asiakkaan perustiedot"),
    10,
    _("Nimesi, asiakasnumerosi ja asiointikielesi sekä se, milloin ja mistä tietosi on saatu."),
)
CONTACT = Category(
    "contact",
    _("Yhteystiedot"),
    20,
    _(
        "Osoitteesi, sähköpostiosoitteesi ja puhelinnumerosi sekä sähköpostit, jotka olemme "
        "sinulle lähettäneet."
    ),
)
COMPANY = Category(
    "company",
    _("Yritystiedot"),
    30,
    _("Jos asioit yrityksen puolesta: yrityksen nimi ja Y-tunnus."),
)
DEMOGRAPHICS = Category(
    "demographics",
    _("Demografiatiedot ja kiinnostuksen kohteet"),
    40,
    _("Syntymäaikasi, ammattisi ja kiinnostuksen kohteesi, jos olet kertonut ne meille."),
)
ORDERS = Category(
    "orders",
    _("Tilaushistoria"),
    50,
    _("Tilauksesi: mitä tilasit, milloin ja millä hinnalla, sekä tilaukseen kirjoittamasi viesti."),
)
BILLING = Category(
    "billing",
    _("Laskutus- ja perintätiedot"),
    60,
    _("Laskun saajan nimi ja yhteystiedot sekä se, onko lasku maksettu."),
)
DELIVERY = Category(
    "delivery",
    _("Toimituksen seurantatiedot"),
    70,
    _("Toimitusosoite, kuljetusliike sekä lähetysten seurantatunnukset ja -tapahtumat."),
)
MARKETING = Category(
    "marketing",
    _("Markkinointiluvat ja -kiellot"),
    80,
    _(
        "Antamasi markkinointisuostumukset ja asettamasi kiellot ajankohtineen sekä tieto siitä, "
        "onko tietojesi käsittelyä rajoitettu."
    ),
)
DISCLOSURES = Category(
    "disclosures",
    _("Tietojen luovutukset"),
    90,
    _("Kenelle tietojasi on luovutettu, mitä tietoja ja milloin, myös viranomaisten tietopyynnöt."),
)
CUSTOMER_SERVICE = Category(
    "customer_service",
    _("Asiakaspalvelun viestit"),
    100,
    _("Yhteydenottosi asiakaspalveluun ja niistä tehdyt merkinnät."),
)
REQUESTS = Category(
    "requests",
    _("Tietosuojapyynnöt"),
    110,
    _(
        "Tietosuojapyyntösi, kuten tarkastus-, oikaisu- ja poistopyynnöt, sekä niiden käsittely "
        "ja ratkaisut."
    ),
)
LOGS = Category(
    "logs",
    _("Lokitiedot"),
    120,
    _(
        "Tekniset lokit ja tietoturva: kirjautumisesi omille sivuille, henkilökunnan tekemät "
        "asiakastietojen käsittelyt ja verkkokaupan tietoliikenne rekisterin kanssa."
    ),
)

# Purposes with their legal basis (GDPR 6(1)); for 6(1)(f) the legitimate interest; and, for
# 13(2)(e), whether providing the data is a legal or contractual requirement and what follows if
# the person does not provide it.
CUSTOMER_RELATIONSHIP = Purpose(
    "customer_relationship",
    _("Asiakassuhteen hoitaminen ja tilausten toimittaminen"),
    Basis.CONTRACT,
    requirement=_(
        "Nimi, osoite ja yhteystiedot ovat sopimuksen tekemisen edellytys: ilman niitä emme voi "
        "ottaa tilausta vastaan emmekä toimittaa sitä."
    ),
)
ACCOUNTING = Purpose(
    "accounting",
    _("Kirjanpito ja laskutus"),
    Basis.LEGAL_OBLIGATION,
    requirement=_(
        "Kirjanpitolaki (1336/1997) velvoittaa kirjaamaan tilaukset ja laskut ja säilyttämään "
        "tositteet; tilausta ei voi tehdä ilman niihin merkittäviä tietoja."
    ),
)
CUSTOMER_SERVICE_PURPOSE = Purpose(
    "customer_service",
    _("Asiakaspalvelu ja reklamaatioiden käsittely"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_(
        "Asiakkaan yhteydenottoihin vastaaminen ja kadonneiden lähetysten selvittäminen."
    ),
    requirement=_(
        "Tietojen antaminen on vapaaehtoista, mutta ilman niitä emme voi vastata "
        "yhteydenottoosi tai selvittää reklamaatiota."
    ),
)
DIRECT_MARKETING = Purpose(
    "direct_marketing",
    _("Suoramarkkinointi"),
    Basis.CONSENT,
    requirement=_(
        "Suostumus on vapaaehtoinen, ja sen voi perua milloin tahansa. Jos et anna suostumusta, "
        "et saa sähköistä suoramarkkinointia; se ei vaikuta tilaamiseen."
    ),
)
EXISTING_CUSTOMER_MARKETING = Purpose(
    "existing_customer_marketing",
    _("Omien vastaavien tuotteiden markkinointi asiakkaille"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_(
        "Olemassa olevan asiakassuhteen ylläpito; asiakas voi kieltää markkinoinnin jokaisessa "
        "viestissä (laki sähköisen viestinnän palveluista 917/2014 200 §)."
    ),
    requirement=_(
        "Tähän tarkoitukseen ei pyydetä erillisiä tietoja. Markkinoinnin kieltäminen ei vaikuta "
        "asiakassuhteeseen."
    ),
)
MARKETING_CONTROL = Purpose(
    "marketing_control",
    _("Suostumusten ja markkinointikieltojen noudattaminen"),
    Basis.LEGAL_OBLIGATION,
    requirement=with_citations(
        _(
            "Laki velvoittaa noudattamaan annettuja suostumuksia ja markkinointikieltoja (laki "
            "sähköisen viestinnän palveluista 917/2014 200 §, %(article)s). Tiedot syntyvät, kun "
            "annat tai perut suostumuksen tai asetat kiellon."
        ),
        article=cite_lazy("21(3)", style=Style.TEXT),
    ),
)
DATA_SUBJECT_RIGHTS = Purpose(
    "data_subject_rights",
    _("Rekisteröidyn oikeuksien toteuttaminen"),
    Basis.LEGAL_OBLIGATION,
    requirement=with_citations(
        _(
            "Tietosuoja-asetus velvoittaa käsittelemään rekisteröidyn pyynnöt ja osoittamaan, "
            "miten ne on ratkaistu (%(article)s). Ilman pyynnön tietoja pyyntöä ei voi käsitellä."
        ),
        article=cite_lazy("12–22", "5(2)"),
    ),
)
STATISTICS = Purpose(
    "statistics",
    _("Liiketoiminnan kehittäminen ja tilastointi"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_("Palvelun ja valikoiman kehittäminen koostetietojen perusteella."),
    requirement=_(
        "Syntymäajan, ammatin ja kiinnostuksen kohteiden antaminen on vapaaehtoista; niiden "
        "antamatta jättämisellä ei ole seurauksia."
    ),
)
SECURITY = Purpose(
    "security",
    _("Tietoturva ja käytön valvonta"),
    Basis.LEGAL_OBLIGATION,
    requirement=with_citations(
        _(
            "Tietosuoja-asetus velvoittaa suojaamaan henkilötiedot asianmukaisesti (%(article)s). "
            "Lokitiedot syntyvät palvelun käytöstä."
        ),
        article=cite_lazy(32),
    ),
)
TARGETING = Purpose(
    "targeting",
    _("Markkinoinnin kohdentaminen ostohistorian perusteella (profilointi)"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_(
        "Tarjota sinulle tuotteita, jotka vastaavat aiempia ostoksiasi. Voit kieltää "
        "profiloinnin milloin tahansa, jolloin markkinointia ei kohdenneta."
    ),
    requirement=_(
        "Kohdentamiseen ei pyydetä erillisiä tietoja; se tehdään tilaushistoriasta. Kieltosi "
        "ei vaikuta asiakassuhteeseen."
    ),
)
MARKET_RESEARCH = Purpose(
    "market_research",
    _("Markkina- ja mielipidetutkimukset"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_(
        "Kysyä asiakkaiden mielipidettä tuotteista ja palvelusta niiden kehittämiseksi. "
        "Sähköpostilla ja tekstiviestillä kysymme vain suostumuksellasi; postitse ja puhelimitse "
        "kysymme, kunnes kiellät sen."
    ),
    requirement=_(
        "Vastaaminen on vapaaehtoista, eikä kieltäminen vaikuta asiakassuhteeseen. Tähän "
        "tarkoitukseen ei pyydetä erillisiä tietoja."
    ),
)
REFERENCE_LIST = Purpose(
    "reference_list",
    _("Yritysasiakkaiden nimien julkaiseminen asiakasluettelossa"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_(
        "Kertoa, keitä yrityksiä palvelemme. Julkaisemme vain yrityksen nimen, emme kuluttaja-"
        "asiakkaita, ja yritys voi kieltää julkaisemisen milloin tahansa."
    ),
    requirement=_("Tähän tarkoitukseen ei pyydetä erillisiä tietoja."),
)
DEBT_COLLECTION = Purpose(
    "debt_collection",
    _("Maksamattomien laskujen periminen"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_(
        "Erääntyneen saatavan periminen itse tai perintätoimiston avulla; laskutustiedot "
        "luovutetaan perintätoimistolle vain, kun lasku on jäänyt maksamatta."
    ),
    requirement=_("Tiedot ovat peräisin tilauksesta; perintä ei edellytä uusia tietoja sinulta."),
)
BUSINESS_CONTACTS = Purpose(
    "business_contacts",
    _("Yritysasiakkaiden yhteyshenkilöiden tietojen käsittely"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_(
        "Yritysasiakkaan tilausten ja sopimuksen hoitaminen: sopimus on yrityksen kanssa, ja "
        "yhteyshenkilön tietoja käsitellään sen hoitamiseksi."
    ),
    requirement=_("Yhteyshenkilön nimi ja yhteystiedot tarvitaan yrityksen tilausten hoitamiseen."),
)
GIFT_CARDS = Purpose(
    "gift_cards",
    _("Lahjakorttien lunastaminen"),
    Basis.CONTRACT,
    requirement=_(
        "Lahjakortin lunastaja antaa nimensä ja yhteystietonsa lunastaessaan kortin; ilman niitä "
        "tilausta ei voi toimittaa. Lunastajalle ei markkinoida ilman hänen omaa suostumustaan."
    ),
)
AUTHORITY_REQUESTS = Purpose(
    "authority_requests",
    _("Viranomaisten lakiin perustuviin tietopyyntöihin vastaaminen"),
    Basis.LEGAL_OBLIGATION,
    requirement=_(
        "Laki velvoittaa luovuttamaan tietoja viranomaiselle, kun se pyytää niitä lain "
        "nojalla; pyynnöt ja luovutukset kirjataan."
    ),
)

# Regular sources of data (GDPR 14(2)(f)).
FROM_CUSTOMER = Source(
    "customer", _("Asiakas itse rekisteröityessään, tilatessaan tai asioidessaan")
)
FROM_WEB_SHOP = Source("web_shop", _("Verkkokaupan tilausjärjestelmä"))
FROM_CARRIER = Source("carrier", _("Kuljetusliikkeiden seurantajärjestelmät"))
FROM_STAFF = Source("staff", _("Asiakaspalvelun ja ylläpidon kirjaukset"))
FROM_SYSTEM = Source("system", _("Rekisterin oma toiminta (aikaleimat, tunnisteet)"))

# Retention rules (GDPR 13(2)(a)). Each states its period through "%(period)s" from the numbers
# here or a setting, and is enforced by what privacy.retention names for it (privacy.E006).
WHILE_CUSTOMER = Retention(
    "while_customer",
    _(
        "Asiakassuhteen ajan. Tiedot anonymisoidaan, kun viimeisestä asioinnista on kulunut "
        "%(period)s, tai heti, kun pyydät tietojesi poistamista."
    ),
    setting="RETENTION_INACTIVE_MONTHS",
    # The shop may keep a dormant customer's data for a year to five years (GDPR 5(1)(e)).
    choice_months=(12, 60),
    choice_label=_("Asiakkaan tiedot, kun asiointi on päättynyt"),
    counted_from=_("viimeisestä asioinnistasi"),
    reason=_("Asiakassuhteen hoitaminen. Jos pyydät tietojesi poistamista, poistamme ne heti."),
)
ACCOUNTING_VOUCHERS = Retention(
    "accounting_vouchers",
    _(
        "Tositteet (tilaukset ja laskut) säilytetään sellaisinaan %(period)s sen kalenterivuoden "
        "lopusta, jonka aikana tilikausi päättyi, ja poistetaan sen jälkeen. Säilytysaikana niitä "
        "käytetään vain kirjanpitoon."
    ),
    law=_("kirjanpitolaki 1336/1997, 2 luvun 10 §"),
    months=VOUCHER_YEARS * 12,
    counted_from=_("sen kalenterivuoden lopusta, jonka aikana tilikausi päättyi"),
    reason=_(
        "Kirjanpitolaki velvoittaa säilyttämään tositteet (tilaukset ja laskut). Säilytysaikana "
        "niitä käytetään vain kirjanpitoon."
    ),
)
CONSENT_HISTORY = Retention(
    "consent_proof",
    _(
        "Suostumusten historia säilytetään niin kauan kuin suostumus on voimassa ja sen jälkeen "
        "%(period)s, jotta voimme osoittaa markkinoinnin perustuneen suostumukseen."
    ),
    law=with_citations(
        _("%(article)s; laki velan vanhentumisesta 728/2003, 4 §"),
        article=cite_lazy("7(1)", style=Style.TEXT),
    ),
    months=36,
    counted_from=_("suostumuksen päättymisestä"),
    reason=_(
        "Voimme osoittaa, että markkinointi perustui suostumukseesi. Voimassa oleva suostumus "
        "säilytetään niin kauan kuin se on voimassa."
    ),
)
MARKETING_BANS = Retention(
    "marketing_bans",
    _(
        "Markkinointikielto säilytetään niin kauan kuin se on voimassa; peruttu kielto "
        "%(period)s perumisesta. Kun tietosi poistetaan, kielto jatkuu yhteystietojen tiivisteenä."
    ),
    law=cite_lazy("21(3)", style=Style.TEXT),
    months=36,
    counted_from=_("kiellon perumisesta"),
    reason=_(
        "Kielto on voimassa, kunnes perut sen. Kun tietosi poistetaan, kielto jatkuu "
        "yhteystietojesi tiivisteenä."
    ),
)
SUPPRESSION = Retention(
    "suppression",
    _(
        "Suoramarkkinointia vastustaneen henkilön sähköpostiosoitteen tai puhelinnumeron "
        "tiiviste säilytetään niin kauan kuin kielto on voimassa: se poistetaan, kun samaan "
        "yhteystietoon annetaan uusi markkinointisuostumus. Tiivisteestä ei voi päätellä "
        "yhteystietoa."
    ),
    law=cite_lazy("21(3)", style=Style.TEXT),
    until=_("niin kauan kuin kielto on voimassa"),
    reason=_(
        "Emme markkinoi sähköpostiosoitteeseen tai puhelinnumeroon, jonka käyttöä "
        "suoramarkkinointiin on vastustettu. Tiiviste poistetaan, kun samaan yhteystietoon "
        "annetaan uusi markkinointisuostumus; siitä ei voi päätellä yhteystietoa."
    ),
)
DELIVERY_TRACKING = Retention(
    "delivery",
    _(
        "Toimituksen seurantatiedot %(period)s toimituksesta; niitä tarvitaan kadonneiden "
        "lähetysten selvittämiseen."
    ),
    months=12,
    # Reclamations of a lost parcel come within months; the shop may keep them up to two years.
    choice_months=(3, 24),
    choice_label=_("Toimitusten seurantatiedot toimituksen jälkeen"),
    counted_from=_("toimituksesta (toimittamattoman lähetyksen lähettämisestä)"),
    reason=_(
        "Kadonneiden lähetysten selvittäminen. Lähetyksen tiedot säilytetään toimituksen "
        "todisteena, kunnes sen lasku on maksettu."
    ),
)
DISCLOSURE_LOG = Retention(
    "disclosures",
    _(
        "Kirjaus tietojen luovutuksesta säilytetään %(period)s luovutuksesta, jotta voimme kertoa "
        "sinulle ja tietojen vastaanottajille, kenelle tietoja on luovutettu."
    ),
    law=cite_lazy("5(2)", 19, style=Style.TEXT),
    months=36,
    counted_from=_("luovutuksesta"),
    reason=_(
        "Voimme kertoa sinulle ja tietojen vastaanottajille, kenelle tietojasi on luovutettu."
    ),
)
CASE_RECORDS = Retention(
    "case_records",
    _(
        "Tietosuojapyynnöt ja niiden ratkaisut %(period)s pyynnön ratkaisemisesta; sen jälkeen "
        "ne poistetaan."
    ),
    law=cite_lazy("5(2)", 12, style=Style.TEXT),
    months=60,
    counted_from=_("pyynnön ratkaisemisesta"),
    reason=_("Voimme osoittaa, miten pyyntösi on käsitelty ja ratkaistu."),
)
LOGIN_CODES = Retention(
    "login_codes",
    _("Kertakäyttöiset kirjautumiskoodit %(period)s luomisesta."),
    days=30,
    counted_from=_("koodin luomisesta"),
    reason=_(
        "Kirjautumisen turvallisuus: käytetyn tai vanhentuneen koodin väärinkäyttöyritykset "
        "voidaan selvittää."
    ),
)
AUDIT_LOG = Retention(
    "audit_log",
    _(
        "Henkilökunnan käyttöloki (kirjautumiset, asiakastietojen katselut, muutokset, viennit "
        "ja pyyntöjen käsittely) ja rajapinnan kutsuloki %(period)s kirjauksesta; vanhemmat "
        "merkinnät poistetaan päivittäin."
    ),
    law=cite_lazy("5(2)", 32, style=Style.TEXT),
    months=24,
    counted_from=_("kirjauksesta"),
    reason=_(
        "Voimme selvittää, kuka on käsitellyt tietojasi, ja kertoa sinulle henkilökunnan tekemistä"
        " käsittelyistä."
    ),
)
ACCESS_PACKAGES = Retention(
    "access_packages",
    _(
        "Tarkastuspyynnön tietopaketti %(period)s muodostamisesta; se poistetaan myös, kun "
        "tietosi poistetaan."
    ),
    days=7,
    counted_from=_("paketin muodostamisesta"),
    reason=_(
        "Voit ladata tietosi omilta sivuilta. Paketti poistetaan myös, kun tietosi poistetaan."
    ),
)
ERASURE_LEDGER = Retention(
    "erasure_ledger",
    _(
        "Poistokirjaus (vain asiakasnumero, tunniste ja verkkokaupan asiakastunnuksen "
        "avaimella suojattu tiiviste) säilytetään %(period)s poistosta, yhtä kauan kuin "
        "varmuuskopiot, joista poistetut tiedot voisivat palautua: poisto tehdään uudelleen, "
        "jos varmuuskopio palautetaan, eikä verkkokaupasta myöhässä saapuva tieto tuo poistettua "
        "asiakasta takaisin."
    ),
    law=cite_lazy(17, "5(2)", style=Style.TEXT),
    setting="BACKUP_KEEP_DAYS",
    setting_unit="days",
    counted_from=_("poistosta"),
    reason=_(
        "Jos rekisteri palautetaan varmuuskopiosta, poisto tehdään uudelleen, eikä verkkokaupan "
        "myöhässä lähettämä tieto tuo poistettua asiakasta takaisin. Kirjauksessa on vain "
        "asiakasnumero, tunniste ja verkkokaupan asiakastunnuksen avaimella suojattu tiiviste."
    ),
)
OUTGOING_MAIL = Retention(
    "outgoing_mail",
    _(
        "Lähtevän sähköpostin vastaanottaja ja sisältö poistetaan heti, kun viesti on lähetetty "
        "tai jätetty lähettämättä; tieto lähetyksestä poistetaan %(period)s kuluttua."
    ),
    days=30,
    counted_from=_("viestin lähettämisestä"),
    reason=_(
        "Viestin vastaanottaja ja sisältö poistetaan heti lähettämisen jälkeen; jäljelle jää vain "
        "tieto lähetyksestä."
    ),
)
PLATFORM_MESSAGES = Retention(
    "platform_messages",
    _(
        "Verkkokaupasta saapuneen tapahtuman sisältö poistetaan heti, kun se on käsitelty, ja "
        "verkkokauppaan tai uutiskirjepalveluun lähtevän pyynnön kohde heti, kun pyyntö on "
        "lähetetty; tieto tapahtumasta ja pyynnöstä poistetaan %(period)s kuluttua."
    ),
    days=30,
    counted_from=_("käsittelystä tai lähettämisestä"),
    reason=_(
        "Sama tapahtuma tunnistetaan, jos verkkokauppa lähettää sen uudelleen, ja henkilökunta "
        "näkee, milloin poisto- tai kieltopyyntö lähetettiin."
    ),
)
API_IDEMPOTENCY = Retention(
    "api_idempotency",
    _("Rajapintapyyntöjen toistosuojan vastaukset %(period)s pyynnöstä."),
    days=1,
    counted_from=_("pyynnöstä"),
    reason=_("Verkkokaupan samaa pyyntöä ei käsitellä kahdesti."),
)
IMPORT_FILES = Retention(
    "import_files",
    _(
        "Tuontitiedosto poistetaan heti tuonnin päätyttyä; tuonnin rivikohtainen raportti "
        "%(period)s tuonnista."
    ),
    days=30,
    counted_from=_("tuonnista"),
    reason=_(
        "Tuontitiedosto poistetaan heti tuonnin päätyttyä; rivikohtaisesta raportista selvitetään "
        "tuonnin virheet."
    ),
)
RESTRICTION_LISTS = Retention(
    "ban_register",
    _("Rajoituspalvelun lista säilytetään, kunnes seuraava tuotu lista korvaa sen."),
    law=cite_lazy("21(2,3)", style=Style.TEXT),
    until=_("kunnes seuraava tuotu lista korvaa sen"),
    reason=_(
        "Puhelin- ja postimarkkinoinnin kohderyhmistä poistetaan rajoituspalveluun ilmoittautuneet."
    ),
)

KEEP_FOR_ACCOUNTING = _("Kirjanpitolain (1336/1997) 2 luvun 10 §:n säilytysvelvollisuus")
KEEP_AS_CONSENT_PROOF = with_citations(
    _("Suostumuksen todistaminen (%(article)s)"), article=cite_lazy("7(1)", style=Style.TEXT)
)
KEEP_ON_ANONYMOUS_ROW = _(
    "Säilyy nimettömällä asiakasrivillä, johon säilytettävät tositteet viittaavat; aika ei "
    "yksinään yksilöi ketään"
)
KEEP_AS_AUTHORITY_RECORD = with_citations(
    _("Viranomaisluovutuksen osoittaminen (%(article)s); kirjauksen säilytysajan loppuun"),
    article=cite_lazy("5(2)", style=Style.TEXT),
)
KEEP_FOR_MARKETING_BAN = with_citations(
    _("Markkinointikiellon noudattaminen (%(article)s)"),
    article=cite_lazy("21(3)", style=Style.TEXT),
)
