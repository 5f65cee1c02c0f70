"""The vetted catalogue of purposes a Finnish web shop commonly has: the shop enables, not writes.

Each entry is a `privacy.declaration.Purpose` with its legal basis (GDPR 6(1)), the legitimate
interest where the basis is 6(1)(f) (13(1)(d)) and the 13(2)(e) text, in Finnish with Swedish and
English in `locale/`. A shop enables entries on the statement draft (`statement.ShopPurpose`) and
adds its own beside them; the statement lists the purposes the declaration uses and the enabled
ones. The keys are the importer's (statement.importer.catalogue_keys): an old statement that names
a purpose is mapped onto its key. Entries the code already declares are the declaration's own
purposes, so enabling one never lists it twice.
"""

from django.utils.translation import gettext_lazy as _

from privacy.declaration import Basis, Purpose
from privacy.vocabulary import (
    BASIC,
    BILLING,
    CONTACT,
    CUSTOMER_RELATIONSHIP,
    DELIVERY,
    EXISTING_CUSTOMER_MARKETING,
    MARKETING,
    ORDERS,
    TARGETING,
)

ORDER_DELIVERY = Purpose(
    "order_delivery",
    _("Tilausten toimittaminen ja lähetysten seuranta"),
    Basis.CONTRACT,
    requirement=_(
        "Toimitusosoite ja yhteystiedot ovat toimituksen edellytys: ilman niitä emme voi "
        "toimittaa tilausta emmekä kertoa sen etenemisestä."
    ),
)
CREDIT_CHECK = Purpose(
    "credit_check",
    _("Luottotietojen tarkistaminen lasku- tai osamaksuostoksessa"),
    Basis.LEGITIMATE_INTEREST,
    legitimate_interest=_(
        "Luottotappioiden välttäminen: tarkistamme luottotiedot ennen kuin myönnämme laskun tai "
        "osamaksun (luottotietolaki 527/2007, 15 §)."
    ),
    requirement=_(
        "Henkilötunnus tarvitaan luottotietojen tarkistamiseen. Ilman sitä voit maksaa "
        "tilauksen muulla maksutavalla."
    ),
)
ANALYTICS = Purpose(
    "analytics",
    _("Verkkosivuston käytön analysointi"),
    Basis.CONSENT,
    requirement=_(
        "Analytiikkaevästeet ovat vapaaehtoisia, ja suostumuksen voi perua evästeasetuksista. "
        "Jos et anna suostumusta, käyttöäsi ei analysoida; se ei vaikuta asiointiin."
    ),
)
NEWSLETTER = Purpose(
    "newsletter",
    _("Uutiskirjeen lähettäminen sen tilanneille"),
    Basis.CONSENT,
    requirement=_(
        "Uutiskirjeen tilaaminen on vapaaehtoista, ja tilauksen voi perua jokaisen kirjeen "
        "lopusta. Ilman tilausta et saa uutiskirjettä; se ei vaikuta asiointiin."
    ),
)
LEGAL_OBLIGATIONS = Purpose(
    "legal_obligations",
    _("Lakisääteisten velvoitteiden noudattaminen"),
    Basis.LEGAL_OBLIGATION,
    requirement=_(
        "Laki velvoittaa esimerkiksi säilyttämään kirjanpidon tositteet ja vastaamaan "
        "viranomaisten pyyntöihin. Tiedot ovat peräisin asioinnistasi."
    ),
)

# key -> purpose, in the order the staff panel offers them.
CATALOGUE: dict[str, Purpose] = {
    "customer_relationship": CUSTOMER_RELATIONSHIP,
    "order_delivery": ORDER_DELIVERY,
    "marketing": EXISTING_CUSTOMER_MARKETING,
    "direct_marketing_profiling": TARGETING,
    "credit_check": CREDIT_CHECK,
    "analytics": ANALYTICS,
    "newsletter": NEWSLETTER,
    "legal_obligations": LEGAL_OBLIGATIONS,
}

# The register's declared categories a catalogue purpose usually uses, picked for the shop when
# it enables the entry (statement.ShopPurpose.categories; the register admin may change them).
# The entries the declaration already uses have theirs from the fields' declarations; analytics
# uses data held outside the register.
DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "order_delivery": (CONTACT.key, DELIVERY.key),
    "credit_check": (BASIC.key,),
    "newsletter": (CONTACT.key, MARKETING.key),
    "legal_obligations": (ORDERS.key, BILLING.key),
}


# An importer key whose catalogue entry is kept under another key: the old statement's
# "kirjanpito, laskutus ja lakisääteiset velvoitteet" is the catalogue's legal obligations.
IMPORTED_AS: dict[str, str] = {"accounting": "legal_obligations"}

# The purposes an old statement may name (importer keys) that the catalogue does not offer: no
# one wording and basis fits every shop, so the register admin writes them as the shop's own
# purpose (the onboarding page says so). Each is named here as the onboarding page names it.
# Every importer key is a catalogue entry, an IMPORTED_AS alias or one of these
# (tests/statement/test_catalogue_keys.py).
NOT_OFFERED: dict[str, object] = {
    "customer_service": _("Asiakaspalvelu ja reklamaatiot"),
    "parcel_tracing": _("Kadonneiden lähetysten selvittäminen"),
    "market_research": _("Markkina- ja mielipidetutkimukset"),
    "service_development": _("Palvelun ja liiketoiminnan kehittäminen"),
    "debt_collection": _("Maksamattomien laskujen periminen"),
}

# The regular sources an old statement may name (the importer's source keys), as the statement
# names them. The customer themself is the declaration's own source, so it needs no row.
DECLARED_SOURCES = frozenset({"data_subject"})
SOURCES: dict[str, object] = {
    "data_subject": _("Asiakas itse"),
    "population_register": _("Väestötietojärjestelmä"),
    "restriction_lists": _("ASML:n kieltopalvelujen listat"),
    "address_updates": _("Osoitteiden päivityspalvelut"),
    "partners": _("Yhteistyökumppanit ja alihankkijat"),
    "credit_information": _("Luottotietorekisteri"),
    "public_sources": _("Julkiset lähteet, kuten kaupparekisteri"),
    "cookies_and_tracking": _("Evästeet ja verkkosivujen seuranta"),
    "previous_register": _("Aiempi asiakasrekisteri"),
}


def catalogue_key(imported_key: str) -> str | None:
    """Return the catalogue entry's key for a purpose key the importer recognised, or None."""
    key = IMPORTED_AS.get(imported_key, imported_key)
    return key if key in CATALOGUE else None


def imported_label(imported_key: str) -> object:
    """Return how the onboarding names a purpose key the importer recognised.

    The catalogue entry's own name when it offers one (what confirming enables), else the
    name of the purpose the shop writes itself.
    """
    key = catalogue_key(imported_key)
    return CATALOGUE[key].label if key else NOT_OFFERED[imported_key]


def catalogue_choices() -> list[tuple[str, object]]:
    """Return (key, label) for each catalogue purpose, for the staff panel's choice."""
    return [(key, purpose.label) for key, purpose in CATALOGUE.items()]
