"""Place the paragraphs of a statement written as prose, without headings.

The smallest businesses often publish a few paragraphs: "Yritys: …, Y-tunnus …", then one
paragraph each on purposes, data, storage and rights. With no headings to go by, each paragraph
is placed by what it says: the heading cues (``headings.score``) plus the cues of body text
below. A paragraph that names two things equally ("Säilytämme … ja suojaamme …") goes under
both; one that names nothing continues the paragraph before it. The text counts as a statement
only when one paragraph identifies the controller (a Y-tunnus, or "Yritys:" / "Rekisterinpitäjä"
with an address) and the paragraphs name at least three parts.
"""

import re

from statement.importer import report
from statement.importer.headings import THRESHOLD, normalise, score
from statement.importer.keys import SECTION_KEYS
from statement.importer.sections import DOC_TITLE, LONE_DATE, is_clause
from statement.importer.setup import EMAIL, business_ids

# Cues of body text, beside the heading cues: how a paragraph on each part reads.
BODY_CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "controller": (
        (r"^(yritys|yhtiö|rekisterinpitäjä|toiminimi)\b", 8),
        (r"y-tunnus", 6),
    ),
    "contact_person": ((r"yhteyshenkilö\w* (on|tietosuoja)", 4),),
    "purposes": (
        (r"käytämme\b.{0,30}tieto|käytetään|tarvitsemme tietoja", 3),
        (r"toimittamise|hoitamise|markkinointiin|tarkoituksiin", 2),
    ),
    "data_content": (
        (r"(keräämme|tallennamme|käsittelemme) (seuraavia|näitä|sinusta|asiakkaista)", 5),
        (r"\bnimi|\bnimesi|osoite|sähköpostiosoit|puhelinnumero|tilaushistori", 2),
    ),
    "retention": ((r"säilytämme|poistamme|kuukaude|\bvuotta\b|vuoden ajan", 3),),
    "security": ((r"salasan|palomuur|suojat|suojaamme|lukitu", 3),),
    "rights": ((r"\bvoit (pyytää|tarkast|korja|poist|kieltä|vaati)|sinulla on oikeus", 4),),
    "complaint": ((r"tietosuojavaltuutet", 3),),
    "sources": ((r"(tiedot|tietoja) saamme|saamme (tiedot|tietoja)|tiedot saadaan", 5),),
    "disclosures": (
        (r"kuljetusliik|maksunvälit|\bPosti(lle|n)?\b|Matkahuol|luovutamme|annamme \w+", 5),
    ),
}  # fmt: skip
STRONG = 5  # a sentence this sure of its part leaves its paragraph for it
_BODY = tuple(
    (key, re.compile(rx, re.IGNORECASE), weight)
    for key, cues in BODY_CUES.items()
    for rx, weight in cues
)


def _scores(paragraph: str) -> dict[str, int]:
    scores = score(normalise(paragraph), whole=False)
    for key, rx, weight in _BODY:
        if rx.search(paragraph):
            scores[key] += weight
    scores["date"] = 0  # a date inside a paragraph does not make it the date line
    return scores


def paragraphs(lines: list[str]) -> list[str]:
    """Return the paragraphs of cleaned lines: blank-line separated, wrapped lines joined."""
    text = "\n".join(lines)
    parts = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(parts) == 1:  # no blank lines at all: one run per paragraph
        parts = report.runs(text)
    return [" ".join(p.split()) for p in parts]


def names_controller(paragraph: str) -> bool:
    """Tell whether a paragraph identifies the controller."""
    if business_ids(paragraph):
        return True
    labelled = re.match(r"(yritys|yhtiö|rekisterinpitäjä|toiminimi)\s*:", paragraph, re.I)
    return bool(labelled and (EMAIL.search(paragraph) or re.search(r"\d{5}", paragraph)))


def place(lines: list[str]) -> tuple[dict[str, list[str]], list[str], list[str]] | None:
    """Return ({key: paragraphs}, date lines, unplaced paragraphs), or None if not a statement."""
    placed: dict[str, list[str]] = {}
    dates: list[str] = []
    unplaced: list[str] = []
    previous: list[str] = []
    found_controller = False
    for para in paragraphs(lines):
        if LONE_DATE.match(para) or (
            len(para.split()) <= 6
            and re.search(r"\d{4}", para)
            and not is_clause(para)
            and "date" in _date_keys(para)
        ):
            dates.append(para.rstrip("."))
            continue
        if len(para.split()) <= 8 and DOC_TITLE.search(para) and not is_clause(para):
            continue  # the document's title
        if names_controller(para):
            keys = ["controller"]
            found_controller = True
        else:
            keys = _top(_scores(para), THRESHOLD) or previous
        if not keys:
            unplaced.append(para)
            continue
        # A sentence that clearly names another part goes there ("Tiedot saamme sinulta…" in
        # a paragraph on the data); the rest stays with its paragraph.
        sentences = [para] if keys == ["controller"] else report.sentences(para)
        given: dict[str, list[str]] = {}
        for sentence in sentences:
            for key in _top(_scores(sentence), STRONG) or keys:
                given.setdefault(key, []).append(sentence)
        for key, texts in given.items():
            placed.setdefault(key, []).append(" ".join(texts))
        previous = keys
    if not found_controller or len(placed) < 3:
        return None
    return placed, dates, unplaced


def _top(scores: dict[str, int], threshold: int) -> list[str]:
    top = max(scores.values())
    return [k for k in SECTION_KEYS if top >= threshold and scores[k] == top]


def _date_keys(text: str) -> dict[str, int]:
    scores = score(normalise(text), whole=False)
    return {"date": scores["date"]} if scores["date"] >= THRESHOLD else {}
