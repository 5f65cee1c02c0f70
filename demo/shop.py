"""The demo shop "Esimerkkikauppa Oy": its controller details and staff accounts."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from staff import roles
from staff.accounts import enrol_totp_device
from statement.models import Controller, StatementDraft, StatementVersion
from statement.publishing import publish_statement

DEMO_STAFF = [
    ("paakayttaja", "Pia", "Pääkäyttäjä", roles.REGISTER_ADMIN),
    ("asiakaspalvelu", "Aki", "Asiakaspalvelija", roles.CUSTOMER_SERVICE),
    ("markkinointi", "Maija", "Markkinoija", roles.MARKETING),
]


@transaction.atomic
def ensure_demo_controller() -> Controller:
    """Return the controller, creating the demo shop's details the first time."""
    controller = Controller.current()
    if controller is None:
        controller = Controller.objects.create(
            name="Esimerkkikauppa Oy",
            business_id="1234567-1",
            street_address="Esimerkkikatu 1",
            postal_code="00100",
            post_office="Helsinki",
            phone="+358 9 123 4567",
            email="asiakaspalvelu@esimerkkikauppa.example",
            website="https://esimerkkikauppa.example",
            contact_name="Pia Pääkäyttäjä",
            contact_email="tietosuoja@esimerkkikauppa.example",
            contact_phone="+358 40 123 4567",
            register_name="Esimerkkikauppa Oy:n asiakasrekisteri",
            register_name_sv="Esimerkkikauppa Oy:s kundregister",
            register_name_en="Customer register of Esimerkkikauppa Oy",
        )
    return controller


@transaction.atomic
def ensure_demo_staff() -> list[tuple[str, str, str, str]]:
    """Create the three demo staff accounts with a TOTP device each.

    Return (username, role, password, otpauth URL) for the new ones.
    """

    groups = roles.ensure_role_groups()
    user_model = get_user_model()
    created = []
    for username, first, last, role in DEMO_STAFF:
        if user_model.objects.filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(12)
        user = user_model.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@esimerkkikauppa.example",
            is_staff=True,
            is_superuser=False,
        )
        user.groups.add(groups[role])
        device = enrol_totp_device(user=user)
        created.append((username, role, password, device.config_url))
    return created


# The demo shop's hand-written statement parts; the rest is generated from the declaration.
DEMO_STATEMENT_TEXTS = {
    "fi": {
        "purposes": "Käsittelemme asiakkaidemme henkilötietoja verkkokaupan toimintaan liittyviin "
        "tarkoituksiin. Tietoja ei käytetä muihin kuin alla mainittuihin tarkoituksiin.",
        "data_subjects": "Verkkokaupan asiakkaat, uutiskirjeen tilaajat ja lahjakorttien "
        "lunastajat sekä yritysasiakkaiden yhteyshenkilöt.",
        "sources": "Tietoja ei hankita julkisista lähteistä eikä osoitepalveluista.",
        "disclosures": "Tietoja ei luovuteta kolmansille osapuolille markkinointia varten. "
        "Käsittelijät käsittelevät tietoja vain lukuunamme ja sopimuksen mukaisesti.",
        "transfers": "Sähköpostipalvelun toimittaja käsittelee uutiskirjeiden vastaanottajien "
        "nimiä ja sähköpostiosoitteita Yhdysvalloissa.",
        "security_manual": "Paperiset asiakirjat säilytetään lukitussa tilassa, johon on pääsy "
        "vain asiakaspalvelun henkilöstöllä. Tarpeettomat asiakirjat hävitetään silppuamalla.",
        "security_electronic": "Rekisteriä käytetään salatun yhteyden kautta. Henkilöstö "
        "kirjautuu henkilökohtaisella tunnuksella ja kertakäyttökoodilla, ja käyttöoikeudet "
        "rajataan tehtävän mukaan. Käyttö kirjataan lokiin.",
        "cookies": "Verkkokauppa käyttää välttämättömiä evästeitä ostoskorin ja kirjautumisen "
        "toteuttamiseen. Muita evästeitä käytetään vain suostumuksellasi.",
        "automated_decisions": "Emme tee rekisterin tietojen perusteella automaattisia päätöksiä, "
        "joilla on sinuun oikeudellisia tai vastaavia vaikutuksia. Markkinointia kohdennetaan "
        "ostohistorian perusteella vain, jos et ole kieltänyt profilointia.",
        "rights": "Voit esittää pyynnön myös kirjeellä rekisterinpitäjän osoitteeseen.",
        "direct_marketing": "Uutiskirjeemme ilmestyy noin kerran kuukaudessa ja kertoo "
        "uutuuksista ja tarjouksista. Alla kerrotaan, kenelle markkinoimme minkäkin kanavan "
        "kautta.",
    },
    "sv": {
        "purposes": "Vi behandlar våra kunders personuppgifter för ändamål som hör till "
        "webbutikens verksamhet. Uppgifterna används inte för andra ändamål än de nedan.",
        "data_subjects": "Webbutikens kunder, nyhetsbrevets prenumeranter, de som löser in "
        "presentkort samt företagskundernas kontaktpersoner.",
        "sources": "Uppgifter hämtas inte från offentliga källor eller adresstjänster.",
        "disclosures": "Uppgifter lämnas inte ut till tredje parter för marknadsföring. "
        "Personuppgiftsbiträden behandlar uppgifterna endast för vår räkning och enligt avtal.",
        "transfers": "Leverantören av e-posttjänsten behandlar namn och e-postadresser för "
        "mottagarna av nyhetsbrev i USA.",
        "security_manual": "Pappersdokument förvaras i ett låst utrymme som endast "
        "kundtjänstens personal har tillgång till. Dokument som inte längre behövs makuleras.",
        "security_electronic": "Registret används via en krypterad förbindelse. Personalen "
        "loggar in med personligt användarnamn och engångskod, och behörigheterna begränsas "
        "enligt uppgift. Användningen loggas.",
        "cookies": "Webbutiken använder nödvändiga kakor för varukorgen och inloggningen. Andra "
        "kakor används endast med ditt samtycke.",
        "automated_decisions": "Vi fattar inga automatiserade beslut med rättsliga eller "
        "liknande följder för dig. Marknadsföring riktas utifrån köphistoriken endast om du "
        "inte har förbjudit profilering.",
        "rights": "Du kan också framställa din begäran per brev till den "
        "personuppgiftsansvariges adress.",
        "direct_marketing": "Vårt nyhetsbrev kommer ut ungefär en gång i månaden och berättar om "
        "nyheter och erbjudanden. Nedan står till vem vi marknadsför genom vilken kanal.",
    },
    "en": {
        "purposes": "We process our customers' personal data for purposes related to running "
        "the web shop. The data is not used for any purposes other than those below.",
        "data_subjects": "The web shop's customers, newsletter subscribers, people redeeming "
        "gift cards and contact persons of business customers.",
        "sources": "No data is collected from public sources or address services.",
        "disclosures": "Data is not disclosed to third parties for marketing. Processors "
        "process the data only on our behalf and under contract.",
        "transfers": "The e-mail service provider processes the names and e-mail addresses of "
        "newsletter recipients in the United States.",
        "security_manual": "Paper documents are kept in a locked room that only customer "
        "service staff can enter. Documents no longer needed are shredded.",
        "security_electronic": "The register is used over an encrypted connection. Staff sign "
        "in with a personal account and a one-time code, and access rights are limited by "
        "task. Use is logged.",
        "cookies": "The web shop uses strictly necessary cookies for the shopping cart and "
        "signing in. Other cookies are used only with your consent.",
        "automated_decisions": "We make no automated decisions with legal or similarly "
        "significant effects on you. Marketing is targeted by purchase history only if you "
        "have not objected to profiling.",
        "rights": "You can also make your request by letter to the controller's address.",
        "direct_marketing": "Our newsletter comes out about once a month with news and offers. "
        "Below is to whom we market through which channel.",
    },
}

# The shop's carriers, one recipient each: the disclosure log points every shipment to its own.
DEMO_CARRIERS = [
    ("posti", "Posti Oy", "Posti Ab", "Posti Ltd"),
    ("matkahuolto", "Oy Matkahuolto Ab", "Oy Matkahuolto Ab", "Oy Matkahuolto Ab"),
    ("dbschenker", "DB Schenker Oy", "DB Schenker Oy", "DB Schenker Oy"),
    ("postnord", "PostNord Oy", "PostNord Oy", "PostNord Oy"),
    ("dhl", "DHL Express (Finland) Oy", "DHL Express (Finland) Oy", "DHL Express (Finland) Oy"),
    ("budbee", "Budbee Oy", "Budbee Oy", "Budbee Oy"),
]
DEMO_RECIPIENTS = [
    *(
        {
            "name_fi": fi,
            "name_sv": sv,
            "name_en": en,
            "role": "recipient",
            "kind": "carrier",
            "carrier": code,
            "country": "FI",
        }
        for code, fi, sv, en in DEMO_CARRIERS
    ),
    {
        "name_fi": "Perintätoimisto",
        "name_sv": "Inkassobyrå",
        "name_en": "Debt collection agency",
        "role": "recipient",
        "kind": "collection",
        "country": "FI",
    },
    {
        "name_fi": "Verkkokauppa-alustan ylläpitäjä",
        "name_sv": "Leverantör av webbutiksplattformen",
        "name_en": "Web shop platform provider",
        "role": "processor",
        "kind": "hosting",
        "country": "FI",
    },
    {
        "name_fi": "Sähköpostipalvelun toimittaja",
        "name_sv": "Leverantör av e-posttjänsten",
        "name_en": "E-mail service provider",
        "role": "processor",
        "kind": "newsletter",
        "country": "US",
        "safeguard": "scc",
    },
    {
        "name_fi": "Viranomaiset, kun laki velvoittaa luovuttamaan tietoja",
        "name_sv": "Myndigheter, när lagen förpliktar oss att lämna ut uppgifter",
        "name_en": "Authorities, when the law obliges us to disclose data",
        "role": "authority",
        "kind": "authority",
        "country": "FI",
    },
]


@transaction.atomic
def ensure_demo_statement():
    """Fill an empty draft with the demo shop's statement and publish it if none is published.

    Returns the current StatementVersion.
    """

    ensure_demo_controller()
    draft = StatementDraft.current()
    if not draft.texts:
        for language, parts in DEMO_STATEMENT_TEXTS.items():
            for part, text in parts.items():
                draft.set_text(part, language, text)
        draft.save()
    if not draft.recipients.exists():
        for position, recipient in enumerate(DEMO_RECIPIENTS):
            draft.recipients.create(position=position, **recipient)
    return StatementVersion.latest() or publish_statement(draft=draft)
