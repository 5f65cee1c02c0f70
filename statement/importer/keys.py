"""The parts of a statement an imported text is sorted into, and which ones GDPR requires."""

from django.utils.translation import gettext_noop

SECTION_KEYS: tuple[str, ...] = (
    "controller", "contact_person", "dpo", "register_name", "legal_basis", "purposes",
    "data_subjects", "data_content", "sources", "disclosures", "transfers", "retention",
    "security", "cookies", "automated_decisions", "rights", "complaint", "direct_marketing",
    "date",
)  # fmt: skip

# Items GDPR Art 13 and 14 require every privacy statement to give, each with its article.
REQUIRED_KEYS: tuple[str, ...] = (
    "controller",  # Art 13(1)(a): controller's identity and contact details
    "purposes",  # Art 13(1)(c): purposes of processing
    "legal_basis",  # Art 13(1)(c)-(d), 13(2)(e): legal basis, legitimate interest, requirement
    "disclosures",  # Art 13(1)(e): recipients or categories of recipients
    "transfers",  # Art 13(1)(f): transfers to third countries and their safeguards
    "retention",  # Art 13(2)(a): retention period or the criteria that set it
    "rights",  # Art 13(2)(b)-(c): access, rectification, erasure, ..., withdrawing consent
    "complaint",  # Art 13(2)(d): right to complain to the supervisory authority
    "automated_decisions",  # Art 13(2)(f): automated decision-making and profiling
    "data_content",  # Art 14(1)(d): categories of personal data
    "sources",  # Art 14(2)(f): where the data comes from
)
# Not demanded by Art 13 but expected: categories of data subjects and security measures are in
# the Art 30(1)(c),(g) record the shop must keep anyway; a date tells readers which version holds.
EXPECTED_KEYS: tuple[str, ...] = ("data_subjects", "security", "date")

# What each key names, for people reading the report (translated where it is shown).
KEY_LABELS: dict[str, str] = {
    "controller": gettext_noop("rekisterinpitäjä ja yhteystiedot"),
    "contact_person": gettext_noop("yhteyshenkilö rekisteriä koskevissa asioissa"),
    "dpo": gettext_noop("tietosuojavastaava"),
    "register_name": gettext_noop("rekisterin nimi"),
    "legal_basis": gettext_noop("käsittelyn oikeusperuste"),
    "purposes": gettext_noop("käsittelyn tarkoitukset"),
    "data_subjects": gettext_noop("rekisteröityjen ryhmät"),
    "data_content": gettext_noop("rekisterin tietosisältö"),
    "sources": gettext_noop("säännönmukaiset tietolähteet"),
    "disclosures": gettext_noop("tietojen vastaanottajat ja luovutukset"),
    "transfers": gettext_noop("tietojen siirto EU:n tai ETA:n ulkopuolelle"),
    "retention": gettext_noop("säilytysaika"),
    "security": gettext_noop("suojauksen periaatteet"),
    "cookies": gettext_noop("evästeet"),
    "automated_decisions": gettext_noop("automaattinen päätöksenteko ja profilointi"),
    "rights": gettext_noop("rekisteröidyn oikeudet"),
    "complaint": gettext_noop("oikeus tehdä valitus valvontaviranomaiselle"),
    "direct_marketing": gettext_noop("suoramarkkinointi ja sen kieltäminen"),
    "date": gettext_noop("laatimis- tai päivityspäivä"),
}
