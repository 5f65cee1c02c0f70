"""The categories, purposes, sources and retention rules that declarations are made of.

Finnish is the source text; the statement renders these in the reader's language.
"""

from django.utils.translation import gettext_lazy as _

from privacy.declaration import Basis, Category, Purpose, Retention, Source

# Categories, in the order the statement lists them.
BASIC = Category("basic", _("Asiakkaan perustiedot"), 10)
CONTACT = Category("contact", _("Yhteystiedot"), 20)
COMPANY = Category("company", _("Yritystiedot"), 30)
DEMOGRAPHICS = Category("demographics", _("Demografiatiedot ja kiinnostuksen kohteet"), 40)
ORDERS = Category("orders", _("Tilaushistoria"), 50)
BILLING = Category("billing", _("Laskutus- ja perintätiedot"), 60)
DELIVERY = Category("delivery", _("Toimituksen seurantatiedot"), 70)
MARKETING = Category("marketing", _("Markkinointiluvat ja -kiellot"), 80)
DISCLOSURES = Category("disclosures", _("Tietojen luovutukset"), 90)
CUSTOMER_SERVICE = Category("customer_service", _("Asiakaspalvelun viestit"), 100)
REQUESTS = Category("requests", _("Tietosuojapyynnöt"), 110)
LOGS = Category("logs", _("Lokitiedot"), 120)

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
    requirement=_(
        "Laki velvoittaa noudattamaan annettuja suostumuksia ja markkinointikieltoja (laki "
        "sähköisen viestinnän palveluista 917/2014 200 §, tietosuoja-asetuksen 21 art. 3 kohta). "
        "Tiedot syntyvät, kun annat tai perut suostumuksen tai asetat kiellon."
    ),
)
DATA_SUBJECT_RIGHTS = Purpose(
    "data_subject_rights",
    _("Rekisteröidyn oikeuksien toteuttaminen"),
    Basis.LEGAL_OBLIGATION,
    requirement=_(
        "Tietosuoja-asetus velvoittaa käsittelemään rekisteröidyn pyynnöt ja osoittamaan, miten "
        "ne on ratkaistu (12–22 art. ja 5 art. 2 kohta). Ilman pyynnön tietoja pyyntöä ei voi "
        "käsitellä."
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
    requirement=_(
        "Tietosuoja-asetus velvoittaa suojaamaan henkilötiedot asianmukaisesti (32 art.). "
        "Lokitiedot syntyvät palvelun käytöstä."
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

# Retention rules (GDPR 13(2)(a)); the sweep and the erasure plan compute dates from these.
WHILE_CUSTOMER = Retention(
    "while_customer",
    _(
        "Asiakassuhteen ajan; tiedot anonymisoidaan, kun asiakas ei ole asioinut määräaikaan "
        "(oletus 36 kuukautta) tai pyytää poistoa."
    ),
)
ACCOUNTING_VOUCHERS = Retention(
    "accounting_vouchers",
    _(
        "Tositteet (tilaukset ja laskut) 6 vuotta sen kalenterivuoden lopusta, jonka aikana "
        "tilikausi päättyi; henkilö anonymisoidaan, summat ja päivämäärät säilyvät."
    ),
    law=_("kirjanpitolaki 1336/1997, 2 luvun 10 §"),
)
UNTIL_CONSENT_CHANGES = Retention(
    "consent_proof",
    _(
        "Suostumusten ja kieltojen tapahtumahistoria säilytetään todisteena asiakassuhteen ajan; "
        "poistossa yhteystiedot poistetaan ja tapahtumat säilyvät ilman niitä."
    ),
    law=_("tietosuoja-asetuksen 7 art. 1 kohta"),
)
SUPPRESSION = Retention(
    "suppression",
    _(
        "Markkinointikiellon saaneen yhteystiedon tiiviste säilytetään pysyvästi, jotta henkilöä "
        "ei lisätä markkinointiin uudelleen."
    ),
    law=_("tietosuoja-asetuksen 21 art. 3 kohta"),
)
DELIVERY_TRACKING = Retention(
    "delivery",
    _("Toimituksen seurantatiedot 12 kuukautta toimituksesta, kadonneiden lähetysten selvitys."),
)
CASE_RECORDS = Retention(
    "case_records",
    _("Tietosuojapyynnöt ja niiden ratkaisut 5 vuotta pyynnön ratkaisemisesta."),
)
LOGIN_CODES = Retention(
    "login_codes",
    _("Kertakäyttöiset kirjautumiskoodit 30 päivää luomisesta."),
)
AUDIT_LOG = Retention(
    "audit_log",
    _("Käyttölokit 2 vuotta kirjauksesta."),
    law=_("tietosuoja-asetuksen 5 art. 2 kohta ja 32 art."),
)

KEEP_FOR_ACCOUNTING = _("Kirjanpitolain (1336/1997) 2 luvun 10 §:n säilytysvelvollisuus")
KEEP_AS_CONSENT_PROOF = _("Suostumuksen todistaminen (GDPR 7 art. 1 kohta)")
KEEP_FOR_MARKETING_BAN = _("Markkinointikiellon noudattaminen (GDPR 21 art. 3 kohta)")
