"""The catalogue keys an old statement's text is recognised as: purposes and sources.

Only the keys and the Finnish word stems that recognise them live here. What each key means in
the register (its wording in three languages, its legal basis, its legitimate interest) is the
purpose catalogue's business; the catalogue uses these same keys. A pattern is matched against
one sentence at a time, case-insensitively; a key is recognised when any sentence matches.
"""

import re

# Purposes of processing (GDPR Art. 13(1)(c)) as Finnish web shops write them.
PURPOSE_PATTERNS: dict[str, str] = {
    "customer_relationship": r"asiak\w*suhte|asiakkuu\w* (hoit|hallin|ylläpi)|kauppasuhte"
    r"|asiakasrekisterin ylläpi",
    "order_delivery": r"tilau\w* (toimitt|käsitt|hallin|arkist|hoit)|toimittamise"
    r"|toimitu\w* (hoit|seur)|tilausten (\w+, )*(\w+ )?(ja )?käsittely",
    "customer_service": r"asiakaspalvelun (hoit|tarjoa|järjest)|asiakaspalveluun liittyv|reklamaati"
    r"|yhteydenottoihin vastaa",
    "parcel_tracing": r"kadonn\w* (pakett|lähety)|lähetysten selvit",
    "marketing": r"markkinoin|palveluista tiedottami|mainontaan|suoramainon|tarjousten lähettä",
    "direct_marketing_profiling": r"kohdenn|kohdist|profiloi|henkilökohtaisem",
    "newsletter": r"uutiskirje",
    "market_research": r"markkinatutkimu|mielipidetutkimu|asiakastyytyväisyy",
    "analytics": r"tilast|analy",
    "service_development": r"(palvelu|toiminn|tarjonn|valikoim|liiketoiminn)\w* "
    r"(suunnittelu|kehittä)|palvelutarjonnan|(tuottamiseen|tarjoamiseen) ja kehittämiseen",
    "credit_check": r"luottopäätö|luottotie|luot+ohakemu|luottokelpoisuu",
    "debt_collection": r"\bperin(tä|nä|tää|nän)|perintätoimi",
    "accounting": r"kirjanpi|laskutu|lakisääteis\w* velvoit",
}

# Regular sources of data (GDPR Art. 14(2)(f)).
SOURCE_PATTERNS: dict[str, str] = {
    "data_subject": r"rekisteröidyltä|asiakkaalta|käyttäjältä|asiakkaan (itse|tekemi|rekisterin)"
    r"|suoraan (rekisteröidyltä|asiakkaalta|sinulta)|rekisteröity\w* (itse|palveluun)"
    r"|rekisteröitymi|sinulta itseltäsi|annat meille|tekee ostoksen|ostoksist",
    "population_register": r"väestörekister|väestötietojärjestelm|digi- ja väestö|\bdvv\b",
    "restriction_lists": r"suoramarkkinointiliit|asiakkuusmarkkinointiliit|kieltorekister"
    r"|\basml\b|robinson",
    "address_updates": r"päivityspalvelu|osoitepalvelu|osoitteenmuuto|osoitetietojen päivit",
    "partners": r"yhteistyökumppane\w*(?! käyttöön)|alihankkij",
    "credit_information": (
        r"luottotietorekister|luottotieto\w*|asiakastieto oy|bisnode|dun & bradstreet"
    ),
    "public_sources": r"julkisist\w* lähteist|kaupparekister|\bytj\b|yritystietojärjestelm",
    "cookies_and_tracking": r"eväste|digitaalisist\w* lähteist",
    "previous_register": r"aiemma\w* rekisteri|edellise\w* rekisteri|vanha\w* asiakasrekister",
}

PURPOSE_KEYS: tuple[str, ...] = tuple(PURPOSE_PATTERNS)
SOURCE_KEYS: tuple[str, ...] = tuple(SOURCE_PATTERNS)

_PURPOSES = {key: re.compile(p, re.IGNORECASE) for key, p in PURPOSE_PATTERNS.items()}
_SOURCES = {key: re.compile(p, re.IGNORECASE) for key, p in SOURCE_PATTERNS.items()}


def _recognise(patterns: dict[str, re.Pattern[str]], sentences: list[str]) -> list[str]:
    return [key for key, rx in patterns.items() if any(rx.search(s) for s in sentences)]


def recognise_purposes(sentences: list[str]) -> list[str]:
    """Return the purpose keys the sentences name, in catalogue order."""
    return _recognise(_PURPOSES, sentences)


def recognise_sources(sentences: list[str]) -> list[str]:
    """Return the source keys the sentences name, in catalogue order."""
    return _recognise(_SOURCES, sentences)
