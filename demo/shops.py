"""The five seed shops as demos: each set up by the onboarding from its own old statement.

`set_up_shop` does what the shop's register admin would do on the onboarding page: import the
old rekisteriseloste (demo/seeds/, the same files as tests/fixtures/seeds/), confirm what the
importer recognised (controller, contact person, recipients, purpose and source keys), fill in
what the old statement never said (an address, a phone number), drop the promises the review
says to drop, declare the processing the statement names but the database does not hold (data
held outside the register, sources, retention choices), and publish. The shop's customers and
orders come from demo.customers with the shop's `Profile`.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from customers.models import Customer
from demo.customers import SOURCES, Profile
from statement import onboarding
from statement.importing import import_statement
from statement.models import (
    Controller,
    OutsideCategory,
    ShopSource,
    StatementDraft,
    StatementPart,
    StatementVersion,
)
from statement.publishing import publish_statement

SEEDS = Path(__file__).resolve().parent / "seeds"
# Komiat Hetket's gift-card promise, worded as customers.marketing.rules keeps it.
REDEEMER_WORDING = (
    "Lahjakorttien lunastajien tietoja emme käytä markkinointiin ilman lunastajan omaa "
    "suostumusta, emmekä välitä niitä kolmansille osapuolille ilman lahjakortin lunastajan lupaa."
)
VAT = Decimal("25.5")


@dataclass(frozen=True)
class SeedShop:
    """One seed shop: its old statement and what its register admin adds on onboarding."""

    key: str
    seed_file: str
    # The controller's details the old statement leaves out (the admin types them in).
    controller: dict[str, str]
    register_name: str
    # Parts the statement must have (statement.models.REQUIRED_PARTS) the old one lacks.
    parts: dict[str, str]
    recipients: tuple[str, ...] = ()  # besides those the importer recognised
    purposes: tuple[str, ...] = ()  # catalogue keys besides those recognised
    sources: tuple[str, ...] = ()  # ShopSource names (Finnish)
    outside: tuple[dict, ...] = ()  # OutsideCategory fields, "purposes" as catalogue keys
    retention: dict[str, int] = field(default_factory=dict)  # rule key -> months
    # Declared purposes the shop does not have (statement.purposes.OPTIONAL keys).
    purposes_off: tuple[str, ...] = ()
    profile: Profile = field(default_factory=Profile)
    # Details the importer read wrong (Offistore's statement names a person as the controller).
    corrected: dict[str, str] = field(default_factory=dict)
    # Old promises stricter than the mechanism, and the mechanism's wording the admin writes
    # instead (the review's explanation gives it): the statement promises what the code does.
    reworded: dict[str, str] = field(default_factory=dict)

    def statement_bytes(self) -> bytes:
        return (SEEDS / self.seed_file).read_bytes()

    def customer_profile(self) -> Profile:
        """Return the shop's customer profile: no gift-card redeemers where it has no gift cards."""
        if "gift_cards" not in self.purposes_off:
            return self.profile
        weights = dict(zip(SOURCES, self.profile.source_weights, strict=True))
        weights[Customer.Source.GIFT_CARD] = 0
        return replace(self.profile, source_weights=tuple(weights.values()))


_COMMON_PARTS = {
    StatementPart.AUTOMATED_DECISIONS: "Emme tee rekisterin tietojen perusteella automaattisia "
    "päätöksiä, joilla on sinuun oikeudellisia tai vastaavia vaikutuksia.",
    StatementPart.SECURITY_ELECTRONIC: "Rekisteriä käytetään salatun yhteyden kautta. Jokainen "
    "käyttäjä kirjautuu omalla tunnuksellaan ja kertakäyttökoodilla, oikeudet rajataan tehtävän "
    "mukaan, ja asiakastietojen käsittely kirjataan lokiin. Tiedot varmuuskopioidaan "
    "säännöllisesti.",
    StatementPart.COOKIES: "Verkkosivusto käyttää välttämättömiä evästeitä ostoskorin ja "
    "kirjautumisen toteuttamiseen. Muita evästeitä käytetään vain suostumuksellasi.",
    StatementPart.DIRECT_MARKETING: "Voit kieltää tietojesi käytön suoramarkkinointiin omilla "
    "sivuillasi tai jokaisen viestin peruutuslinkistä.",
}


def _parts(**extra: str) -> dict[str, str]:
    return {**{str(k): v for k, v in _COMMON_PARTS.items()}, **extra}


def _products(*rows: tuple[str, str, str]) -> tuple:
    return tuple((name, sku, Decimal(price), VAT) for name, sku, price in rows)


SHOPS: dict[str, SeedShop] = {
    shop.key: shop
    for shop in (
        SeedShop(
            key="postcardissimo",
            seed_file="000_e966481798ddf730.txt",
            controller={
                "street_address": "Korttikatu 1",
                "postal_code": "00100",
                "post_office": "Helsinki",
                "email": "customerservice@postcardissimo.com",
            },
            register_name="Postcardissimo Oy:n asiakasrekisteri",
            parts=_parts(
                data_subjects="Lähetäkortti.comin asiakkaat, jotka tilaavat kortteja itselleen "
                "tai lähetettäväksi.",
                security_manual="Paperisia asiakirjoja ei pidetä.",
            ),
            recipients=("Posti",),
            # Statistics, market research and targeting, but no gift cards or reference list.
            purposes_off=("gift_cards", "reference_list"),
            profile=Profile(
                products=_products(
                    ("Postikortti omalla kuvalla", "PK-OMA", "2.39"),
                    ("Joulukortti, 10 kpl", "JK-10", "19.90"),
                    ("Valokuvakortti, taitettu", "PK-TAI", "3.19"),
                    ("Kiitoskortti, 25 kpl", "KK-25", "39.00"),
                ),
                company_fraction=0.15,
                carriers=("posti",),
            ),
        ),
        SeedShop(
            key="komiat-hetket",
            seed_file="001_db8140427b108a6d.txt",
            controller={"email": "asiakaspalvelu@komiathetket.example"},
            register_name="Komiat Hetket Oy:n palveluiden asiakastietokanta",
            parts=_parts(
                data_subjects="Lahjakorttien ja elämysten ostajat sekä lahjakorttien lunastajat.",
                security_manual="Paperiset asiakirjat säilytetään lukitussa tilassa.",
            ),
            recipients=("viranomaiset",),
            # Redeemers are marketed to on their own consent (customers.marketing.rules), so
            # "never for marketing" is worded as the rule is; the law allows consent (LEGAL.md).
            reworded={
                "Lahjakorttien lunastajien tietoja emme käytä markkinointitarkoituksiin, emmekä "
                "välitä niitä kolmansille osapuolille ilman lahjakortin lunastajan lupaa.": (
                    REDEEMER_WORDING
                ),
            },
            # Gift cards and statistics of demographic details, no lists, research or targeting.
            purposes_off=("market_research", "reference_list", "targeting"),
            sources=(
                "Digi- ja väestötietoviraston väestötietojärjestelmä (osoitteiden päivitys)",
                "Suomen Asiakkuusmarkkinointiliiton kieltopalvelut",
            ),
            outside=(
                {
                    "name_fi": "Tapahtuma- ja käyttäjäanalyysitiedot",
                    "description_fi": "Sivuston käyttö: katsotut sivut, laite ja selain, "
                    "evästetunniste.",
                    "held_in_fi": "Google Analytics",
                    "retention_months": 14,
                    "purposes": ("analytics",),
                },
            ),
            profile=Profile(
                products=_products(
                    ("Lahjakortti 50 €", "LK-050", "50.00"),
                    ("Lahjakortti 100 €", "LK-100", "100.00"),
                    ("Elämys: kahden hengen illallinen", "EL-ILL", "129.00"),
                    ("Elämys: kylpyläpäivä", "EL-KYL", "89.00"),
                ),
                company_fraction=0.05,
                # Gift cards are sent by e-mail; many customers came by redeeming one.
                source_weights=(25, 35, 5, 30, 3, 2),
                carriers=(),
            ),
        ),
        SeedShop(
            key="offistore",
            seed_file="002_db6dfb59f197885c.txt",
            corrected={"name": "Offistore"},
            controller={
                "business_id": "2456780-2",
                "street_address": "Toimistotie 4",
                "postal_code": "33100",
                "post_office": "Tampere",
                "email": "offistore@offistore.fi",
            },
            register_name="Offistoren asiakasrekisteri",
            parts=_parts(
                data_subjects="Yritysasiakkaiden yhteyshenkilöt.",
            ),
            recipients=("Matkahuolto",),
            # Lists unless refused, research, targeting and statistics; no gift cards.
            purposes_off=("gift_cards",),
            outside=(
                {
                    "name_fi": "Tarjoukset ja tarjouspyynnöt",
                    "description_fi": "Yritysasiakkaalle tehdyt tarjoukset ja sen lähettämät "
                    "tarjouspyynnöt yhteyshenkilöineen.",
                    "held_in_fi": "Sähköposti ja tarjousarkisto",
                    "retention_months": 24,
                    "purposes": ("customer_relationship",),
                },
            ),
            profile=Profile(
                products=_products(
                    ("Tulostinpaperi A4, 5 × 500 arkkia", "TP-A4-5", "24.90"),
                    ("Mappi A4, 10 kpl", "MA-10", "29.00"),
                    ("Toimistotuoli", "TT-900", "159.20"),
                    ("Kuulakärkikynä, 50 kpl", "KK-50", "18.50"),
                ),
                company_fraction=1.0,
                carriers=("matkahuolto",),
            ),
        ),
        SeedShop(
            key="webstrella",
            seed_file="003_2462a533b62ed91f.txt",
            controller={
                "name": "Webstrella",
                "business_id": "2345678-0",
                "street_address": "Verkkokuja 3",
                "postal_code": "40100",
                "post_office": "Jyväskylä",
                "email": "asiakaspalvelu@webstrella.example",
            },
            register_name="Webstrella verkkopalveluiden asiakasrekisteri",
            parts=_parts(
                data_subjects="Webstrellan verkkokauppapalvelun käyttäjät ja asiakkaat.",
                security_manual="Paperisia asiakirjoja ei pidetä.",
            ),
            # Analysis and statistics of a web-shop service only.
            purposes_off=("gift_cards", "market_research", "reference_list", "targeting"),
            outside=(
                {
                    "name_fi": "Tapahtuma- ja käyttäjäanalyysitiedot",
                    "description_fi": "Palvelun käyttö: katsotut sivut, laite ja selain.",
                    "held_in_fi": "Webstrellan palvelinlokit",
                    "retention_months": 12,
                    "purposes": ("analytics",),
                },
                {
                    "name_fi": "Asiakaspalvelun sähköpostiviestit",
                    "description_fi": "Asiakaspalvelulle lähetetyt ja siltä saadut viestit.",
                    "held_in_fi": "Asiakaspalvelun sähköposti",
                    "retention_months": 24,
                    "purposes": ("customer_relationship",),
                },
            ),
            profile=Profile(
                products=_products(
                    ("Verkkokauppa Perus, kuukausimaksu", "WS-PERUS", "29.00"),
                    ("Verkkokauppa Pro, kuukausimaksu", "WS-PRO", "79.00"),
                    ("Verkkotunnus .fi, vuosi", "WS-FI", "15.00"),
                ),
                company_fraction=0.7,
                carriers=(),
            ),
        ),
        SeedShop(
            key="finanime",
            seed_file="004_09d16aaa72ee3a86.txt",
            controller={"email": "asiakaspalvelu@finanime.fi", "phone": "+358 50 436 3099"},
            register_name="Finanime Sekain asiakasrekisteri",
            parts=_parts(
                data_subjects="Finanime.fi-verkkokaupan asiakkaat ja rekisteröityneet käyttäjät.",
                security_manual="Paperisia asiakirjoja ei pidetä.",
            ),
            retention={"delivery": 12},
            # Statistics and targeted content, no gift cards, lists or research.
            purposes_off=("gift_cards", "market_research", "reference_list"),
            profile=Profile(
                products=_products(
                    ("Anime-figuuri", "AF-042", "39.84"),
                    ("Manga, pokkari", "MA-001", "9.90"),
                    ("Juliste 50 × 70", "JU-570", "14.90"),
                    ("Pehmolelu", "PE-030", "24.90"),
                ),
                company_fraction=0.02,
                carriers=("posti",),
            ),
        ),
    )
}


def _filled(recognised: dict[str, str], fill: dict[str, str]) -> dict[str, str]:
    """Return what the statement said, with the admin's input only where it said nothing."""
    return {key: value or fill.get(key, "") for key, value in recognised.items()}


@transaction.atomic
def set_up_shop(shop: SeedShop) -> StatementDraft:
    """Run the onboarding on the shop's old statement, up to publishing; the register is new.

    Its customers are seeded next (their shipments point at the carriers confirmed here), then
    `publish_shop` publishes.
    """
    result = import_statement(data=shop.statement_bytes(), filename=shop.seed_file)
    setup = result.setup
    values = {**_filled(setup["controller"], shop.controller), **shop.corrected}
    onboarding.confirm_controller(user=None, values=values)
    contact = dict(setup["contact_person"])
    # An old statement naming only an address for register matters: the business answers them.
    contact["name"] = contact["name"] or Controller.current().name
    onboarding.confirm_contact_person(user=None, values=contact)
    onboarding.add_recipients(user=None, names=[*setup["recipients"], *shop.recipients])
    keys = [*setup["purposes"], *shop.purposes]
    onboarding.confirm_keys(user=None, purposes=keys, sources=setup["sources"])
    onboarding.drop_promises(user=None)

    controller = Controller.current()
    controller.register_name = shop.register_name
    if not controller.contact_email and not controller.contact_phone:
        controller.contact_email = controller.email
    controller.full_clean()
    controller.save()

    draft = StatementDraft.current()
    draft.serves_swedish = draft.serves_english = False  # the seed shops write Finnish only
    for part, text in list(draft.texts.get("fi", {}).items()):
        for promise, wording in shop.reworded.items():
            text = onboarding.replace_sentence(text, promise, wording)
        draft.set_text(part, "fi", text)
    draft.purposes_off = sorted(shop.purposes_off)
    for part, text in shop.parts.items():
        if not draft.text(part, "fi"):
            draft.set_text(part, "fi", text)
    draft.save()
    # The onboarding enabled the catalogue purposes it recognised and the shop's own keys.
    purposes = {p.catalogue_key: p for p in draft.purposes.exclude(catalogue_key="")}
    named = {name.casefold() for name in draft.sources.values_list("name_fi", flat=True)}
    position = max(draft.sources.values_list("position", flat=True), default=0)
    for name in shop.sources:
        if name.casefold() not in named:
            position += 1
            ShopSource.objects.create(draft=draft, name_fi=name, position=position)
    for position, values in enumerate(shop.outside):
        values = dict(values)
        keys_of = values.pop("purposes", ())
        category = OutsideCategory(draft=draft, position=position, **values)
        category.full_clean()
        category.save()
        category.purposes.set([purposes[k] for k in keys_of if k in purposes])
    for rule, months in shop.retention.items():
        choice = draft.retention_choices.create(rule=rule, months=months)
        choice.full_clean()
    return draft


def publish_shop() -> StatementVersion:
    """Publish the set-up draft (the statement in force when it says the same)."""
    return StatementVersion.latest() or publish_statement(draft=StatementDraft.current())
