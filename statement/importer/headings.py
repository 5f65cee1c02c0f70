"""Which part of the statement a heading names: one table of word stems per key.

A heading is normalised (lower case, numbering and punctuation gone), split into its parts at
"ja", "sekä", commas and slashes ("Tietojen luovutus ja siirto EU:n ulkopuolelle" has two), and
each part is scored against ``CUES``: every cue that matches adds its weight to its key. The
part takes the key (or the keys tied) with the highest score, if it reaches ``THRESHOLD``.

Finnish builds headings from compounds and inflected forms — "säilytysaika", "säilyttäminen",
"Kuinka kauan säilytämme tietojasi?" — so a cue is mostly a word stem matched anywhere in a
word: "säily" covers them all. That is the light stemming the importer needs, with no
dictionary: the stems are chosen short enough to catch the inflections and compounds and long
enough not to meet other words. ``\\b`` anchors a stem to a word's start where a shorter one
would; ``^...$`` cues match only a heading that is nothing else. Swedish and English cues serve
bilingual statements ("Rekisterinpitäjä / Personuppgiftsansvarig"); LEGAL.md lists the headings
of the old and the GDPR-era forms in all three languages.
"""

import re
from functools import lru_cache

from statement.importer.keys import SECTION_KEYS

CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "controller": (
        (r"rekisterin ?pitäj|\bpitäjä|rekisterin (omistaja|ylläpitäjä)", 4),
        (r"^yhteystiedot$|^(yrityksen|yhtiön) (yhteys)?tiedot$", 4),
        (r"\bkuka\b|\bkeitä (me )?olemme\b|\bkeitä me\b", 5),  # "Kuka vastaa tiedoistasi?"
        (r"personuppgiftsansvarig|registeransvarig|registerförare|\bcontroller\b", 4),
    ),
    "contact_person": (
        (r"yhteyshenkil|rekisteriasio|vastuuhenkilö|(hoitava|vastaava) henkilö", 5),
        (r"koskevissa asioissa|tietosuoja-? ?asio", 4),
        (r"\bkehen\b|\bkeneen\b|yhteydenot|yhteyden ?otto|yhteyttä|yhteydessä", 3),
        (r"kontaktperson|contact person", 5),
    ),
    "dpo": ((r"tietosuojavastaav|dataskyddsombud|data protection officer|\bdpo\b", 8),),
    "register_name": (
        (r"rekisterin nim|registrets namn|name of the (register|filing)", 5),
    ),
    "legal_basis": (
        (r"peruste", 3),  # "Rekisterin pitämisen peruste", "Millä perusteella?"
        (r"oikeusperust|laillisuusperust|käsittelyperust|lainmukaisuu", 3),
        (r"oikeutettu etu|oikeutetut edut|oikeutettu intressi", 5),  # beats "oikeu" of rights
        (r"antamisen (vapaaehtoisuu|pakollisuu)|vapaaehtoista|pakollista", 4),  # Art 13(2)(e)
        (r"rättslig grund|grund för|legal basis|lawful basis|basis for|lawfulness", 4),
    ),
    "purposes": (
        (r"tarkoitu", 4),  # käyttötarkoitus, tarkoitukset, tarkoituksiin
        (r"\bmiksi\b|\bmihin\b", 4),  # "Miksi keräämme tietoja?" beats the "kerää" of sources
        (r"\bkäyttö\b|\bkäytämme\b|\bkäytetään\b", 3),
        (r"ändamål|purpose", 4),
    ),
    "data_subjects": (
        (r"rekisteröi(dy|ty)t\b|rekisteröityjen (ryhm|kategor|piiri)", 4),
        (r"\bkeiden\b|\bkenen\b|\bkeitä\b|\bketä\b", 4),
        (r"(asiakas|henkilö|kohde)ryhm|rekisterin kattavuus", 3),
        (r"kategorier av registrerade|grupper av registrerade|categories of data subjects", 4),
        (r"whose (personal )?data", 4),
    ),
    "data_content": (
        (r"tietosisäl|sisältäm|mitä (\w+ )?(henkilö)?tieto|mitkä tiedot|tietoryhm|tietokategor", 5),
        (r"(käsiteltävät|kerättävät|kerätyt|käsittelemät|tallennettavat|tallennetut"
         r"|rekisteröitävät|keräämämme|käsittelemämme) (henkilö)?tiedo", 5),
        (r"datainnehåll|vilka (person)?uppgifter|kategorier av personuppgifter|data content"
         r"|categories of (personal )?data(?! subj)|what (personal )?data", 4),
    ),
    "sources": (
        (r"tietolähte", 5),
        (r"lähte|\bmistä\b|uppgiftskäll|källor|\bsources?\b", 4),
        (r"kerää|keruu", 3),  # "Miten keräämme tietoja?" ("Mitä tietoja keräämme?" is content)
    ),
    "disclosures": (
        (r"luovut|vastaanottaj|utlämna|mottagare|disclos|recipient", 5),
        (r"\bkenelle\b|jakami|jaetaan|jaamme|jakaminen", 4),
        (r"käsittelijä|alihankkij|kumppan|palveluntarjoaj|processor", 3),
        (r"kolmansille|kolmannelle", 3),
    ),
    "transfers": (
        (r"siirr|siirt", 3),
        (r"ulkopuolel|kolmansiin maihin|kolmas maa|kolmanteen maahan|kolmansissa maissa", 2),
        (r"\beu\b|\beta\b|euroopan|\bees\b", 1),  # alone a title: "EU:n tietosuoja-asetus"
        (r"kansainväli", 3),
        (r"överföring|transfer|utanför (eu|ees)|outside the (eu|eea)|third countr|tredje land", 4),
    ),
    "retention": (
        (r"säily|kuinka kauan|kauanko|miten kauan|kuinka pitkään|miten pitkään", 5),
        (r"lagring|bevarande|hur länge|retention|storage period|how long", 5),
    ),
    "security": (
        (r"(?<!tieto)suoja|tietoturv|turvallisuu|salassapi|luottamuksellisuu", 5),
        # The "A: manual, B: electronic" halves of the old security section, named on their own.
        (r"manuaali|sähköisesti (käsitel|tallen)|\batk\b|atk-|paperi\w* aineisto", 6),
        (r"skydd|säkerhet|\bsecurity\b|protect(?!ion officer)|safeguard", 5),
    ),
    "cookies": (
        (r"eväste|kakor|\bcookie", 6),
        (r"analytiik|seurantatekniik", 3),
    ),
    "automated_decisions": (
        (r"automaat\w* päätö|automatisoi\w* päätö|päätöksente|automated decision"
         r"|automatiserat beslut", 6),
        (r"profiloi|profiler|profiling", 6),
    ),
    "rights": (
        (r"oikeu|tarkast|tarkist|korja|oikais|poist|hävit|unohd|rajoitt", 3),
        (r"omien tietojen|omat tiedot|tietojen hallinta|vastusta", 3),
        (r"kielto|kieltä", 2),  # "Suoramarkkinointikielto" stays direct_marketing
        (r"siirrettävyy|järjestelmästä toiseen|siirtää tiedot|siirtää tietonsa", 6),  # portability
        (r"suostumuksen (peru|peruutta|peruuttami)", 4),
        (r"rättighet|rätt till|rätt att|insyn|rättelse|radering", 3),
        (r"\brights?\b|\baccess\b|rectif|erasure|objection|portability", 3),
    ),
    "complaint": (
        (r"valitu|valitt|kantel|klagomål|complain", 5),
        (r"valvontaviranomai|tietosuojavaltuutet|tietosuojaviranomai|tillsynsmyndighet"
         r"|dataombudsman|supervisory", 4),
    ),
    "direct_marketing": (
        (r"suoramarkkin|suoramainon|markkinoin|mainon|marknadsför|direktreklam|marketing", 6),
        (r"uutiskirje", 3),
    ),
    "date": (
        (r"laatimis|laadittu|päivitetty|päivityspäiv|päiväys|päivämäärä|\bpvm\b|voimaantulo"
         r"|voimassa alkaen", 6),
        (r"viimeksi (päivitetty|muutettu)|viimeisin (muutos|päivitys)|muutettu viimeksi", 6),
        (r"\bdatum\b|uppdaterad|last updated|\bupdated\b|\bdate\b", 6),
        (r"\bvoimassa\b|\balkaen\b|\bgäller från\b|\beffective\b", 3),  # "Voimassa 1.1.2024 alkaen"
    ),
}  # fmt: skip
THRESHOLD = 3

_COMPILED = tuple(
    (key, re.compile(pattern), weight, pattern.startswith("^"))
    for key, cues in CUES.items()
    for pattern, weight in cues
)
_PART_SPLIT = re.compile(r"\s+(?:ja|sekä|och|and)\s+|\s*[,;&/|]\s*")


def normalise(heading: str) -> str:
    """Lower-case a heading and turn its punctuation into spaces, keeping hyphens."""
    return " ".join(re.sub(r"[()\[\]:\"'!?.*#_–—«»“”„]", " ", heading.lower()).split())


def score(text: str, *, whole: bool = True) -> dict[str, int]:
    """Return each key's score for one normalised heading part (or a body paragraph)."""
    scores = dict.fromkeys(SECTION_KEYS, 0)
    for key, rx, weight, anchored in _COMPILED:
        if (whole or not anchored) and rx.search(text):
            scores[key] += weight
    return scores


def _best(text: str, *, whole: bool) -> list[str]:
    scores = score(text, whole=whole)
    top = max(scores.values())
    return [k for k in SECTION_KEYS if top >= THRESHOLD and scores[k] == top]


@lru_cache(maxsize=4096)  # page furniture and repeated labels recur line after line
def classify(heading: str, *, alone: bool = True) -> tuple[str, ...]:
    """Map a heading to its section keys; a combined heading may name several.

    ``alone`` is False for a label with its text after it on the same line ("Yhteystiedot:
    puh. ..."), where the ``^...$`` cues meant for a heading on its own do not apply.
    """
    norm = normalise(heading)
    parts = [p.strip() for p in _PART_SPLIT.split(norm) if p.strip()]
    keys: list[str] = []
    for part in parts:
        keys += [k for k in _best(part, whole=alone and len(parts) == 1) if k not in keys]
    if not keys and len(parts) > 1:
        keys = _best(norm, whole=False)  # "Mistä ja miten ..." scores only as a whole
    return tuple(keys)


def names(text: str, key: str) -> bool:
    """Tell whether a line or sentence scores for one key ("Laadittu 1.2.2019." for date)."""
    return score(normalise(text), whole=False)[key] >= THRESHOLD
