"""Each promise of an old statement: the mechanism that keeps it, or why the shop should drop it.

``review_promises`` reads the sentences ``report.find_promises`` found. Rules are tried in order
and the first that matches decides: the promises the shop should drop come first, because a
sentence such as "Ilmoitamme aina … emmekä koskaan luovuta tietoja ilman tuomioistuimen
määräystä" cannot be kept as a whole even though telling the customer first can. A promise about
the shop's premises or staff contracts is the shop's own to keep (``OUTSIDE``); one no rule
recognises is left for the admin to judge (``UNKNOWN``).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from privacy.citations import Style, cite_lazy, with_citations

MAPPED = "mapped"  # the register keeps it
DROP = "drop"  # the shop should not make it
OUTSIDE = "outside"  # true only if the shop keeps it itself, outside the register
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Rule:
    key: str
    status: str
    pattern: re.Pattern[str]
    text: object  # the mechanism that keeps it, or the reason to drop it (lazy translation)


def _rule(key: str, status: str, pattern: str, text) -> Rule:
    return Rule(key, status, re.compile(pattern, re.IGNORECASE), text)


RULES: tuple[Rule, ...] = (
    _rule(
        "court_order_only",
        DROP,
        r"tuomioistuim",
        _(
            "Luvattu ei voi pitää: viranomaisella on lakiin perustuva oikeus saada tietoja ilman "
            "tuomioistuimen määräystä (esim. poliisi, verohallinto). Rekisteri kirjaa jokaisen "
            "viranomaispyynnön ja luovutuksen; asiakkaalle kerrotaan ensin, ellei laki kiellä."
        ),
    ),
    _rule(
        "absolute_security",
        DROP,
        r"täysin (turva|suojat)|100 ?%|ei (voi )?koskaan (vuota|joutua)|aina turvassa",
        _(
            "Ei ole todennettava lupaus: mikään järjestelmä ei ole täysin turvallinen. Kerro "
            "sen sijaan suojauksen keinot."
        ),
    ),
    _rule(
        "bundled_consent",
        DROP,
        r"(tekemällä|tehdessään) tilauksen\w* .*suostu|suostuu .*tilau",
        with_citations(
            _(
                "Tilaukseen sidottu suostumus ei ole vapaaehtoinen (%(article)s). "
                "Kuljetusliikkeelle ja maksunvälittäjälle luovutetaan tietoja sopimuksen "
                "perusteella, ja vastaanottajat nimetään selosteessa."
            ),
            article=cite_lazy("7(4)", style=Style.TEXT),
        ),
    ),
    _rule(
        "refusal_letter",
        MAPPED,
        r"\bepää|\bevät|evätty|tietosuojavaltuutet|valvontaviranomai",
        _(
            "Ratkaisukirje: epäävä ratkaisu kertoo syyt ja oikeuden tehdä valitus "
            "tietosuojavaltuutetun toimistolle."
        ),
    ),
    _rule(
        "written_request",
        DROP,
        r"(tarkastus|korjaus)pyyn\w* .*(kirjallise|allekirjoit|omakätise)"
        r"|(kirjallise|allekirjoit|omakätise)\w* .*(pyyn|pyynnöllä)"
        r"|tarkastuspyynnössä tulee ilmetä",
        with_citations(
            _(
                "Pyynnön tekemistä on helpotettava (%(article)s): allekirjoitettua kirjettä tai "
                "lomaketta ei voi vaatia. Asiakas tekee pyynnön omilla sivuilla, ja kirjautuminen "
                "todentaa hänet; muut pyynnöt kirjataan tietosuojapyyntöinä."
            ),
            article=cite_lazy("12(2)", style=Style.TEXT),
        ),
    ),
    _rule(
        "removal_on_misuse",
        DROP,
        r"väärinkäy|rikollis",
        _(
            "Väärinkäytön selvittämiseen tarvittavia tietoja ei kannata luvata poistaa: ne voivat "
            "olla näyttöä. Tiedot poistetaan säilytysajan päätyttyä tai pyynnöstä."
        ),
    ),
    _rule(
        "told_first",
        MAPPED,
        r"tiedotetaan asiakkaalle ennen|ilmoitamme .*viranomai|viranomai.*ilmoitamme",
        _(
            "Viranomaispyynnöt: asiakkaalle kerrotaan ennen luovutusta, ellei laki kiellä "
            "kertomasta; syy kirjataan (tietosuojapyynnöt › viranomaispyynnöt)."
        ),
    ),
    _rule(
        "authority_requests",
        MAPPED,
        r"viranomai",
        _(
            "Viranomaispyynnöt kirjataan, ja luovutus tehdään vain selosteessa nimetylle "
            "viranomaiselle (vastaanottajarekisteri)."
        ),
    ),
    _rule(
        "retention_period",
        MAPPED,
        r"(poistetaan|hävitetään|anonymisoidaan) \w* ?\d+ (kuukau|vuo|päiv)|\d+ (kuukau|vuo)\w* "
        r"(kuluttua|jälkeen)",
        _(
            "Säilytyssääntö: tiedot anonymisoidaan, kun viimeisestä asioinnista on kulunut "
            "asetettu aika; päivittäinen säilytysajan valvonta tekee sen."
        ),
    ),
    _rule(
        "recipients_told",
        MAPPED,
        r"ilmoitetaan (sille|niille)|jolle tiedot on luovutettu",
        with_citations(
            _(
                "Oikaisusta ja poistosta ilmoitetaan vastaanottajille: rekisteri listaa, kenelle "
                "tietoja on luovutettu (%(article)s)."
            ),
            article=cite_lazy(19, style=Style.TEXT),
        ),
    ),
    _rule(
        "correction",
        MAPPED,
        r"korja|oikais|täydennet|viivytyksettä|viipymättä",
        _(
            "Oikaisu: asiakas muuttaa omat yhteystietonsa omilla sivuilla heti; muut oikaisut "
            "käsitellään tietosuojapyyntöinä määräajassa."
        ),
    ),
    _rule(
        "parcel_tracing",
        MAPPED,
        r"kadonn\w* (pakett|lähety)|lähetysten (seuranta|selvit)",
        _(
            "Toimitusten seuranta: lähetysten seurantatiedot säilytetään kadonneiden lähetysten "
            "selvittämiseen säilytyssäännön mukaan ja poistetaan sen jälkeen."
        ),
    ),
    _rule(
        "erasure",
        MAPPED,
        r"hävit|poist|unohde|anonymi",
        _(
            "Poistopyyntö omilla sivuilla tai tietosuojapyyntönä: rekisteri poistaa tiedot "
            "poistosuunnitelman mukaan ja pitää vain kirjanpitolain vaatimat tositteet ja "
            "avoimien laskujen tiedot; poisto tehdään uudelleen, jos varmuuskopio palautetaan."
        ),
    ),
    _rule(
        "restriction_lists",
        MAPPED,
        r"kieltorekister|suoramarkkinointiliit|robinson|asml",
        _(
            "Markkinointi › kieltorekisterit: ASML:n kieltopalvelujen listat tuodaan, ja posti- "
            "ja puhelinmarkkinoinnin kohderyhmät seulotaan niitä vasten."
        ),
    ),
    _rule(
        "publication",
        MAPPED,
        r"julkais|luettelo",
        _(
            "Markkinointikiellot: kielto julkaista tietoja luetteloissa on oma kieltonsa, ja "
            "luettelot muodostetaan vain niistä, jotka eivät ole sitä kieltäneet."
        ),
    ),
    _rule(
        "gift_cards",
        MAPPED,
        r"lahjakort",
        _(
            "Markkinoinnin säännöt: lahjakortin lunastajalle ei markkinoida ilman hänen omaa "
            "suostumustaan. Jos lupaus sanoo, ettei lunastajien tietoja käytetä markkinointiin "
            "lainkaan, kirjoita se niin kuin rekisteri sen pitää: ”ei markkinointiin ilman "
            "lunastajan omaa suostumusta”."
        ),
    ),
    _rule(
        "marketing_bans",
        MAPPED,
        r"kieltä|suoramainon|etämyyn|mielipidetutkimu|suoramarkkinoin|peruutuslink|ei halua",
        _(
            "Markkinointikiellot ja suostumukset: asiakas asettaa kiellon omilla sivuilla tai "
            "viestin peruutuslinkistä, asiakaspalvelu kirjaa muut; kohderyhmät noudattavat niitä."
        ),
    ),
    _rule(
        "profiling",
        MAPPED,
        r"kohdista|kohdenn|profiloi",
        _(
            "Profilointi: kohdentaminen tehdään vain niille, jotka eivät ole kieltäneet "
            "profilointia (markkinointikiellot)."
        ),
    ),
    _rule(
        "identity",
        MAPPED,
        r"henkilöllisyy|todenta|tunnistetaan",
        _(
            "Tietosuojapyynnöt: omilla sivuilla kirjautuminen todentaa asiakkaan; muun pyynnön "
            "tekijän henkilöllisyys tarkistetaan ja kirjataan pyynnölle."
        ),
    ),
    _rule(
        "access",
        MAPPED,
        r"tarkasta|tarkista|saada tietää|suomeksi|englanniksi|ruotsiksi",
        _(
            "Tarkastuspyyntö omilla sivuilla: asiakas lataa tietopaketin suomeksi, ruotsiksi "
            "tai englanniksi; muut pyynnöt käsitellään kuukauden määräajassa."
        ),
    ),
    _rule(
        "backups",
        MAPPED,
        r"varmiste|varmuuskopi|kopioimalla",
        _(
            "Varmuuskopiot: rekisteri kirjaa tarkistetut varmuuskopiot ja varoittaa, kun "
            "viimeisin on liian vanha."
        ),
    ),
    _rule(
        "premises",
        OUTSIDE,
        r"palomuur|lukitu|vartioi|paloturval|salassapitositoum|vaitiolo",
        _(
            "Rekisteri ei voi osoittaa tätä: tilat, palomuuri ja henkilökunnan "
            "vaitiolositoumukset ovat yrityksen ja palveluntarjoajan pidettäviä. Pidä lause "
            "vain, jos se on totta, ja kerro se selosteen suojausosassa."
        ),
    ),
    _rule(
        "staff_access",
        MAPPED,
        r"käyttäjätunnu|käyttöoikeu|salasan|valvotaan|kirjautum|pääkäyttäj"
        r"|oikeus (käyttää|käsitellä)|pääsevät käsiksi",
        _(
            "Henkilökunnan tunnukset ja roolit: jokaisella oma tunnus, salasana ja "
            "kertakäyttökoodi, oikeudet roolin mukaan, ja asiakastietojen käsittely kirjataan "
            "käyttölokiin."
        ),
    ),
    _rule(
        "no_disclosure",
        MAPPED,
        r"\bei luovut|luovuttamatta|\bemme\b|\bemmekä\b|\bei (luovuteta|välitetä)"
        r"|ainoastaan .*käytössä|sivullisille|ulkopuolisille",
        _(
            "Vastaanottajarekisteri: tietoja luovutetaan vain selosteessa nimetyille "
            "vastaanottajille, ja rekisteri kieltäytyy muista luovutuksista ja kirjaa jokaisen."
        ),
    ),
    _rule(
        "transfers",
        MAPPED,
        r"\bei siirr|siirretä|siirto|siirrä",
        _(
            "Vastaanottajarekisteri: jokaisen vastaanottajan maa ja EU:n ja ETA:n ulkopuolisen "
            "siirron suojatoimi kerrotaan selosteessa."
        ),
    ),
    _rule(
        "declared_purposes",
        MAPPED,
        r"\bvain\b|ainoastaan|sallimissa|edellyttämissä|rajoissa|puitteissa",
        _(
            "Henkilötietojen ilmoitus: jokaisen tiedon käyttötarkoitus ja peruste on ilmoitettu, "
            "ja seloste muodostetaan siitä."
        ),
    ),
)


@dataclass(frozen=True)
class PromiseReview:
    """One old promise and what to do with it."""

    text: str
    status: str  # MAPPED, DROP, OUTSIDE or UNKNOWN
    rule: str  # the rule's key, "" when none matched
    explanation: str  # the mechanism that keeps it, or why to drop it

    def as_dict(self) -> dict[str, str]:
        return {
            "text": self.text,
            "status": self.status,
            "rule": self.rule,
            "explanation": self.explanation,
        }


def review_promise(sentence: str) -> PromiseReview:
    """Return the first rule's verdict on one promise sentence."""
    for rule in RULES:
        if rule.pattern.search(sentence):
            return PromiseReview(sentence, rule.status, rule.key, str(rule.text))
    return PromiseReview(
        sentence, UNKNOWN, "", str(_("Ei tunnistettu: arvioi itse, pitääkö rekisteri tämän."))
    )


def review_promises(sentences: list[str]) -> list[PromiseReview]:
    """Return the verdict on each promise, in the statement's order."""
    return [review_promise(s) for s in sentences]
