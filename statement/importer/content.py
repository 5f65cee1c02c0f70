"""The items of an old statement's data-content list, and the register categories they name.

"Asiakkaan perustiedot: nimi, osoite, …", a bullet list, or items run together by a pasted HTML
list ("- Nimi- Sähköpostiosoite- …") are split into items; each item is matched against the word
stems of the register's categories (the keys of ``privacy.vocabulary``). An item that matches
none names data the register does not hold.
"""

import re

from statement.importer.sections import is_clause

# The register's category keys (privacy.vocabulary) and the stems that name each in a list.
CATEGORY_PATTERNS: dict[str, str] = {
    "basic": r"perustied|\bnimi|nimet\b|etunim|sukunim|asiakasnumero|asiointikiel|äidinkiel",
    "contact": r"yhteystied|osoite|postinumero|postitoimipaik|puhelin|sähköposti",
    "company": r"yritys|yhteisö|y-tunnus|yrityksen|edustama",
    "demographics": r"demografi|\bikä|syntymä|ammatti|mielenkiin|kiinnostuks|harrastu",
    "orders": r"tilau|ostohistori|ostoks|tuotteet ja palvelut|sopimussuh|asiakkuu",
    "billing": r"lasku|perint|maksu",
    "delivery": r"toimitu|seuranta|lähety|paketi|kuljetu",
    "marketing": r"lupatied|suostumu|kielto|kiellot|kiello",
    "disclosures": r"luovutu",
    "customer_service": r"asiakaspalvelu|viestinnän tallennu|yhteydenot|palaute",
    "requests": r"tietosuojapyyn|tarkastuspyyn",
    "logs": r"\bloki|kirjautum|ip-osoit",
}
_PATTERNS = {key: re.compile(p, re.IGNORECASE) for key, p in CATEGORY_PATTERNS.items()}
_INTRO = re.compile(
    r"^(rekisterissä|henkilörekisteri|rekisteri|palveluissa)\b.*(seuraav|tietoja)\w*\s*:?$", re.I
)
_BULLET = re.compile(r"^\s*[-•*–·▪]\s*")


def _split_commas(text: str) -> list[str]:
    """Split at commas and "ja"/"sekä" outside brackets, keeping "etu- ja sukunimi" whole."""
    parts, depth, current = [], 0, ""
    for ch in text:
        depth += ch in "(["
        depth -= ch in ")]"
        if ch in ",;" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    out = []
    for part in parts:
        out += re.split(r"(?<!-)\s+(?:ja|sekä)\s+(?=[a-zåäö])", part) if "(" not in part else [part]
    return [p.strip(" .:") for p in out]


def items(text: str) -> list[str]:
    """Return the items of a data-content section, in order, without intro lines."""
    found: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line or _INTRO.match(line):
            continue
        for piece in re.split(r"(?<=\w)- (?=[A-ZÅÄÖ])", _BULLET.sub("", line)):
            _head, sep, rest = piece.partition(":")
            if sep and rest.strip():  # "Asiakkaan perustiedot: nimi, osoite, …"
                found += _split_commas(rest)
            elif not sep:
                found += _split_commas(piece) if _is_short_list(piece) else [piece.strip(" .")]
    cleaned = [re.sub(r"^(kuten|esim\.?|mm\.?)\s+", "", item, flags=re.I) for item in found]
    return [
        item
        for item in cleaned
        if item and not _INTRO.match(item) and not (len(item.split()) > 8 and is_clause(item))
    ]


def _is_short_list(text: str) -> bool:
    """Tell whether a line is a plain list of short items ("tilauksista, tarjouksista")."""
    parts = text.split(",")
    return (
        len(parts) > 1
        and not re.search(r"\bkuten\b|\(", text)
        and all(len(p.split()) <= 3 for p in parts)
    )


def categories_of(item: str) -> list[str]:
    """Return the register category keys an item names ([] for data the register lacks)."""
    return [key for key, rx in _PATTERNS.items() if rx.search(item)]
