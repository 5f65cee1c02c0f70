"""Turn an old-style Finnish privacy statement into keyed sections and a gap report.

Pure Python (stdlib only) so it can be tested without Django or a database.

Decisions worth knowing:

* Headings are recognised by word stems scored per key (``_RULES``), after numbering, case and
  punctuation are normalised; whether a line is a heading at all is decided from line features
  (short, no final period, not a list item, not a wrapped sentence, followed by body text).
* A combined heading ("... luovutukset ja tietojen siirto EU:n ... ulkopuolelle") is split on
  "ja"/"sekä"/commas and its text goes to every key a part names.
* When a key collects several sections, each chunk keeps its old heading as its first line so
  that e.g. "Tietojen poistaminen" stays recognisable inside ``rights``.
* Some keys are filled from sentences elsewhere when no heading names them (``_FALLBACKS``):
  a right to ban direct marketing ("kieltää ... suoramarkkinointiin") found in a rights or
  sources section becomes ``direct_marketing`` only when there is no direct-marketing heading;
  likewise a sentence about transfers outside the EU, a stated retention period and a complaint
  to the supervisory authority.
* ``complaint``: Art 13(2)(d) needs the general right to lodge a complaint. A sentence that only
  lets the person take a *refusal* to the Data Protection Ombudsman (HetiL 29 §, seed 002:
  "saattaa epäämisen tietosuojavaltuutetun ratkaistavaksi") does not count, so the gap report
  asks for the general complaint paragraph rather than silently keeping a narrower one.
* ``retention`` counts only when a period or the criteria setting it are stated (Art 13(2)(a)).
* ``legal_basis`` counts when present even if it names no GDPR Art 6 basis (old "Rekisterin
  pitämisen peruste: Asiakassuhde"); callers can flag that with ``names_gdpr_basis``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

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


class StatementImportError(ValueError):
    """Raised with a Finnish message when a file cannot be read as a privacy statement."""


@dataclass(frozen=True)
class ImportResult:
    """Hold the keyed sections of an imported statement and its gap report."""

    sections: dict[str, str]
    missing: list[str]
    outdated: list[str]
    promises: list[str]
    unmapped: list[tuple[str, str]]

    def as_json_dict(self) -> dict:
        """Return the JSON-serialisable summary stored with the import."""
        return {
            "sections": {k: self.sections[k] for k in SECTION_KEYS if k in self.sections},
            "missing": list(self.missing),
            "outdated": list(self.outdated),
            "promises": list(self.promises),
        }


# --- Decoding -------------------------------------------------------------------------------

_BINARY = "Tiedosto ei ole tekstiä (binääritiedosto?)."
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "Tiedosto on PDF-tiedosto; tallenna seloste tekstinä (.txt) tai HTML-sivuna."),
    (b"PK\x03\x04", "Tiedosto on pakattu tiedosto (esim. Word); tallenna seloste tekstinä (.txt)."),
    (b"\x89PNG", _BINARY),
    (b"\xff\xd8\xff", _BINARY),
    (b"GIF8", _BINARY),
)


def decode_statement(data: bytes) -> str:
    """Decode uploaded bytes as UTF-8 (BOM optional) or Windows-1252, refusing binaries."""
    if not data.strip():
        raise StatementImportError("Tiedosto on tyhjä.")
    for magic, message in _MAGIC:
        if data.startswith(magic):
            raise StatementImportError(message)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows Notepad's "Unicode" is UTF-16 with a BOM; its NUL bytes are not binary.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise StatementImportError(_BINARY) from exc
    elif b"\x00" in data:
        raise StatementImportError(_BINARY)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Mostly valid UTF-8 with a stray byte is still UTF-8, not Windows-1252 mojibake.
            pairs = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", data))
            high = len(re.findall(rb"[\x80-\xff]", data))
            try:
                text = data.decode("utf-8", "replace") if pairs * 2 >= 0.8 * high else ""
                text = text or data.decode("cp1252")
            except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
                text = data.decode("latin-1")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text) // 200):
        raise StatementImportError(_BINARY)
    if not text.strip():
        raise StatementImportError("Tiedosto on tyhjä.")
    return text


# --- Cleaning -------------------------------------------------------------------------------

_MARK = "\x1e"  # put before lines that markup declares headings (<h2>, Markdown #)
_BLOCK_TAGS = (
    "p|div|tr|ul|ol|table|tbody|thead|tfoot|section|article|header|footer|blockquote|dl|dt|dd"
    "|main|nav|aside|figure|figcaption|caption|pre|address|hr|html|body|form|fieldset|li"
)
_HTML_HINT = re.compile(
    r"</?(?:p|br|div|h[1-6]|li|ul|ol|table|tr|td|th|span|strong|em|b|i|a|html|body)\b[^<>]*>",
    re.IGNORECASE,
)


def _strip_html(text: str) -> str:
    """Turn HTML into plain lines: block tags become line breaks, cells become tabs."""
    text = re.sub(r"(?is)<(script|style|head|template|noscript)\b.*?</\1\s*>", " ", text)
    text = re.sub(r"(?s)<!--.*?-->", " ", text)
    text = re.sub(r"(?i)<h[1-6]\b[^>]*>", "\n\n" + _MARK, text)
    text = re.sub(r"(?i)</h[1-6]\s*>", "\n\n", text)
    text = re.sub(r"(?i)<li\b[^>]*>", "\n• ", text)
    # Table cells become tab-separated rows, the same shape seed 002 already has.
    text = re.sub(r"(?i)<t[dh]\b[^>]*>", "\t", text)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(rf"(?i)</?(?:{_BLOCK_TAGS})\b[^>]*>", "\n\n", text)
    text = re.sub(r"<[^>]*>", "", text)
    return html.unescape(text)


def _clean(text: str) -> str:
    """Normalise Unicode, line ends and spaces, and strip HTML when the text is markup."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\ufeff\u200b\u200c\u200d\u2060]", "", text).replace(_MARK, " ")
    if _HTML_HINT.search(text):
        text = _strip_html(text)
    text = re.sub(r"[\xa0\u2007\u202f]", " ", text)
    text = re.sub(r"\*\*(\S(?:.*?\S)?)\*\*", r"\1", text)  # Markdown bold
    return unicodedata.normalize("NFC", text)


_FI_WORDS = frozenset((
    "ja", "tai", "sekä", "ei", "että", "tietoja", "tiedot", "tietojen", "henkilötietoja",
    "henkilötiedot", "voi", "voidaan", "kun", "jos", "mukaan", "myös", "vain", "joka", "jotka",
    "ovat", "olla", "ole", "tämä", "sen", "niiden", "kuten", "rekisterin", "asiakkaan",
    "käsitellään", "mitä", "yhteydessä", "tulee", "oikeus", "emme", "meille", "eikä",
    "tarvittaessa", "asiakas", "rekisteri", "henkilön", "hänen", "sitä", "siitä", "niitä",
))  # fmt: skip
_SV_WORDS = frozenset((
    "och", "att", "det", "som", "för", "av", "med", "till", "är", "ett", "på", "inte", "eller",
    "den", "vi", "har", "kan",
))  # fmt: skip
_EN_WORDS = frozenset((
    "the", "and", "of", "to", "is", "in", "for", "we", "your", "you", "with", "are", "be", "that",
    "this", "or", "by", "from", "will", "may",
))  # fmt: skip


# Finnish case endings and register vocabulary that Swedish and English words rarely have.
_FI_SHAPE = re.compile(
    r"(ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|tta|ttä|nen|jen|iden|ään)$"
    r"|^(rekister|henkilötie|tietosuoj|käsittel|tietoj)"
)


def _looks_finnish(text: str) -> bool:
    """Tell whether Finnish words outnumber Swedish and English function words."""
    tokens = re.findall(r"[a-zåäö]+", text.lower())
    fi = sum(t in _FI_WORDS or bool(_FI_SHAPE.search(t)) for t in tokens)
    sv = sum(t in _SV_WORDS for t in tokens)
    en = sum(t in _EN_WORDS for t in tokens)
    return fi >= 3 and fi > sv and fi > en


# --- Heading recognition --------------------------------------------------------------------

# Stems scored per key: a heading (or each "ja"-separated part of it) takes the best-scoring
# keys with at least _THRESHOLD. Swedish and English stems serve bilingual statements.
_RULES: tuple[tuple[str, str, int], ...] = (
    ("controller", r"rekisterin ?pitäj|\bpitäjä|rekisterin omistaja|\bkuka vastaa", 4),
    ("controller", r"registeransvarig|personuppgiftsansvarig|\bcontroller", 4),
    ("contact_person", r"yhteyshenkil|rekisteriasio|(hoitava|vastaava) henkilö|vastuuhenkilö", 5),
    ("contact_person", r"koskevissa asioissa|\bkehen\b|yhteydenot", 3),
    ("contact_person", r"kontaktperson|contact person", 5),
    ("dpo", r"tietosuojavastaav|dataskyddsombud|data protection officer|\bdpo\b", 8),
    ("register_name", r"rekisterin nimi|registrets namn|name of the (register|filing)", 5),
    ("legal_basis", r"peruste", 3),
    ("legal_basis", r"oikeusperust|laillisuusperust|käsittelyperust", 3),
    ("legal_basis", r"oikeutettu etu|oikeutetut edut", 5),  # beats "oikeu" of rights
    ("legal_basis", r"rättslig grund|grund för|legal basis|lawful basis|basis for", 4),
    ("purposes", r"tarkoitu|ändamål|purpose", 4),
    ("purposes", r"\bmiksi\b|\bmihin\b", 3),
    ("data_subjects", r"rekisteröi(dy|ty)t\b|rekisteröityjen (ryhm|kategor)", 4),
    ("data_subjects", r"\bkeiden\b|\bkenen\b|\bkeitä\b|\bregistrerade\b|data subjects", 4),
    ("data_subjects", r"(asiakas|henkilö|kohde)ryhm", 3),
    ("data_content", r"tietosisäl|sisältäm|mitä (henkilö)?tieto|mitkä tiedot|tietoryhm"
                     r"|tietokategor", 5),
    ("data_content", r"(käsiteltävät|kerättävät|kerätyt|käsittelemät|tallennettavat)"
                     r" (henkilö)?tiedot", 5),
    ("data_content", r"datainnehåll|vilka uppgifter|data content|categories of personal data"
                     r"|what data", 4),
    ("sources", r"tietolähte", 5),
    ("sources", r"lähte|\bmistä\b|uppgiftskäll|källor|\bsources?\b", 4),
    ("disclosures", r"luovut|vastaanottaj|utlämna|mottagare|disclos|recipient", 5),
    ("disclosures", r"\bkenelle\b|jakami|jaetaan|jaamme", 4),
    ("disclosures", r"käsittelijä", 3),
    ("transfers", r"siirr|siirt", 3),
    ("transfers", r"ulkopuolel|kolmansiin maihin|kolmas maa|kolmanteen maahan", 2),
    ("transfers", r"\beu\b|\beta\b|euroopan", 1),  # alone a title: "EU:n tietosuoja-asetus"
    ("transfers", r"överföring|transfer|utanför (eu|ees)|outside the (eu|eea)", 4),
    ("retention", r"säily|kuinka kauan|kauanko|miten kauan", 5),
    ("retention", r"lagring|bevarande|hur länge|retention|storage period|how long", 5),
    ("security", r"(?<!tieto)suoja|tietoturv|turvallisuu", 5),
    ("security", r"skydd|säkerhet|security|protect(?!ion officer)|safeguard", 5),
    ("cookies", r"eväste|kakor|cookie", 6),
    ("automated_decisions", r"automa|profiloi|profiler", 6),
    ("rights", r"oikeu|tarkast|korja|oikais|poist|hävit|unohd|rajoitt", 3),
    ("rights", r"omien tietojen|omat tiedot|tietojen hallinta|vastusta", 3),
    ("rights", r"kielto|kieltä", 2),  # "suoramarkkinointikielto" stays direct_marketing
    ("rights", r"siirrettävyy|järjestelmästä toiseen|siirtää tiedot", 6),  # not a transfer
    ("rights", r"rättighet|rätt till|rätt att|insyn|rättelse|radering", 3),
    ("rights", r"\brights?\b|\baccess\b|rectif|erasure|objection|portability", 3),
    ("complaint", r"valitu|valitt|kantel|klagomål|complain", 5),
    ("complaint", r"valvontaviranomai|tietosuojavaltuutet|tietosuojaviranomai"
                  r"|tillsynsmyndighet|supervisory", 4),
    ("direct_marketing", r"suoramarkkin|suoramainon|markkinoin|mainon|marknadsför|marketing", 6),
    ("direct_marketing", r"uutiskirje", 3),
    ("date", r"laatimis|laadittu|päivitetty|päivityspäiv|päiväys|päivämäärä|\bpvm\b"
             r"|voimaantulo", 6),
    ("date", r"viimeksi (päivitetty|muutettu)|viimeisin (muutos|päivitys)", 6),
    ("date", r"\bdatum\b|uppdaterad|last updated|\bupdated\b|\bdate\b", 6),
)  # fmt: skip
_COMPILED = [(key, re.compile(pattern), weight) for key, pattern, weight in _RULES]
_THRESHOLD = 3
_PART_SPLIT = re.compile(r"\s+(?:ja|sekä|och|and)\s+|\s*[,;&/]\s*")


def _best_keys(text: str) -> list[str]:
    """Return the best-scoring keys of one heading part, if any reaches the threshold."""
    scores = dict.fromkeys(SECTION_KEYS, 0)
    for key, rx, weight in _COMPILED:
        scores[key] += weight if rx.search(text) else 0
    top = max(scores.values())
    return [k for k in SECTION_KEYS if top >= _THRESHOLD and scores[k] == top]


def _classify(heading: str) -> tuple[str, ...]:
    """Map a heading to its section keys; combined headings may name several."""
    norm = " ".join(re.sub(r"[()\[\]:\"'!?.*#_–—]", " ", heading.lower()).split())
    if norm == "yhteystiedot":  # only alone: "nimi ja yhteystiedot" is a list of data items
        return ("controller",)
    keys: list[str] = []
    for part in _PART_SPLIT.split(norm):
        keys += [k for k in _best_keys(part.strip()) if k not in keys] if part.strip() else []
    if not keys and norm:
        keys = _best_keys(norm)
    return tuple(keys)


_NUMBERING = re.compile(
    r"^(?:(?P<n>\d{1,2})(?:\.\d{1,2})*\s*[.)]?|[IVX]{1,4}[.)]|[A-Za-z][.)])\s+(?=\S)"
)
_LIST_ITEM = re.compile(r"^[-•*–·▪◦‣>]\s*")
_DATE = r"\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.\s?[a-zäö]+kuuta\s+\d{4}"
_LONE_DATE = re.compile(rf"^(?:{_DATE})\.?$")
_TRAILING_DATE = re.compile(rf"^(?P<head>\D+?)[\s:]+(?P<date>{_DATE})\.?$")
_SUBSECTION = re.compile(
    r"^(?P<head>.+?)\s+(?P<label>(?:[A-ZÅÄÖ]|\d{1,2}|[IVX]{1,4})\s*[:.)]\s+.+)$"
)
_COLON = re.compile(r"^(?P<head>(?:[^:]|:(?=\S))+?)\s*:(?:\s+(?P<tail>.*))?$")  # not "EU:n"
_INTERROGATIVE = re.compile(
    r"^(mitä|mistä|miksi|mihin|millä|miten|kuinka|kenelle|keiden|kenen|kuka|ketkä|mitkä|"
    r"siirretäänkö|luovutetaanko|käytämmekö|onko|\w+(ko|kö))\b",
    re.IGNORECASE,
)
_FINITE = frozenset((
    "on", "ovat", "ei", "eivät", "voi", "voivat", "voidaan", "tulee", "saa", "saavat", "pitää",
    "täytyy",
))  # fmt: skip


def _is_clause(text: str) -> bool:
    """Tell whether a short line reads as a sentence (has a finite verb) rather than a title."""
    words = re.findall(r"[a-zåäö]+", text.lower())
    return any(
        w in _FINITE or (len(w) >= 7 and w.endswith(("taan", "tään", "daan", "dään", "mme")))
        for w in words
    )


def _is_caps(text: str) -> bool:
    """Tell whether a line is written in capitals (a common heading style)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _shape_ok(text: str, max_words: int) -> bool:
    """Check the line features of a heading: short, no final period, not a sentence run."""
    return (
        0 < len(text) <= 110
        and len(text.split()) <= max_words
        and not text.endswith((".", ",", ";"))
        and not re.search(r"[.!?]\s+[A-ZÅÄÖ]", text)
        and not _LIST_ITEM.match(text)
    )


@dataclass
class _Ctx:
    """Describe the surroundings of a line for the heading-vs-body decision."""

    prev_blank: bool
    has_body: bool
    next_continues: bool
    has_next: bool
    in_preamble: bool
    last_number: int | None
    caps_headings: int
    tab_headings: int


@dataclass
class _Block:
    """Collect one section: its heading, keys and body lines."""

    heading: str
    keys: tuple[str, ...]
    lines: list[str]


_Found = tuple[str, tuple[str, ...], str, int | None, str]


def _detect(raw: str, ctx: _Ctx) -> _Found | None:
    """Return (heading, keys, inline content, number, style) when the line is a heading."""
    marked = raw.lstrip().startswith(_MARK)
    text = raw.replace(_MARK, "").strip()
    if "\t" in raw:  # a table row "heading<TAB>content", possibly with empty cells
        cells = [c.strip() for c in raw.replace(_MARK, "").split("\t") if c.strip()]
        head = _NUMBERING.sub("", cells[0]).rstrip(" :")
        keys = _classify(head)
        if _shape_ok(head, 12) and (
            keys or (ctx.tab_headings >= 2 and len(cells) > 1 and len(head.split()) <= 5)
        ):
            return head, keys, "\n".join(cells[1:]), None, "tab"
        text = " ".join(cells)
    if text.startswith("#"):
        marked, text = True, text.lstrip("#").strip()
    text = text.strip("*_ ")
    if not text or _LIST_ITEM.match(text):
        return None
    match = _NUMBERING.match(text)
    number = int(match.group("n")) if match and match.group("n") else None
    numbered = bool(match)
    head = text[match.end() :] if match else text
    if not (head[:1].isupper() or marked or numbered):
        return None
    weak_ok = ctx.prev_blank and ctx.has_body and not ctx.next_continues and ctx.has_next
    m = _TRAILING_DATE.match(head)
    if m and "date" in _classify(m.group("head")) and len(m.group("head").split()) <= 4:
        return m.group("head").strip(" :"), ("date",), m.group("date"), number, "inline"
    m = _SUBSECTION.match(head) if len(head) <= 200 else None  # long lines: no backtracking
    strong_line = numbered or marked or weak_ok or _is_caps(head)
    if m and strong_line and _shape_ok(head, 14) and (keys := _classify(m.group("head"))):
        return m.group("head"), keys, m.group("label"), number, "inline"
    m = _COLON.match(head)
    if m and len(m.group("head").split()) <= 7 and not _is_clause(m.group("head")):
        keys = _classify(m.group("head"))
        if keys and (ctx.has_body or ctx.in_preamble or numbered or marked):
            return m.group("head"), keys, (m.group("tail") or "").strip(), number, "inline"
    cand = head.rstrip(" :")
    question = cand.endswith("?") or bool(_INTERROGATIVE.match(cand))
    caps = _is_caps(cand)
    strong = marked or numbered or caps or question
    if not _shape_ok(cand, 14):
        return None
    if ctx.in_preamble and _DOC_TITLE.search(cand):
        return None  # "Tietosuojaseloste - EU:n tietosuoja-asetus" titles the whole document
    keys = _classify(cand)
    style = "caps" if caps else "number" if numbered else "plain"
    if keys:
        if strong or (weak_ok and not _is_clause(cand) and len(cand.split()) <= 14):
            return cand, keys, "", number, style
        return None
    # An unrecognised heading needs a style the document already uses for its headings.
    if ctx.in_preamble or not ctx.has_body or ctx.next_continues or not ctx.has_next:
        return None
    in_sequence = number is not None and ctx.last_number is not None
    if (
        marked
        or (in_sequence and number == (ctx.last_number or 0) + 1)
        or (caps and ctx.caps_headings >= 2 and len(cand.split()) <= 8)
        or (question and ctx.prev_blank and len(cand.split()) <= 10)
    ):
        return cand, (), "", number, style
    return None


_DOC_TITLE = re.compile(
    r"seloste|privacy (policy|notice|statement)|dataskyddsbeskrivning|tietosuojakäytän", re.I
)
_TITLE = re.compile(r"seloste|rekisteri|tietokanta|tietosuoja|privacy|dataskydd", re.IGNORECASE)


def _split(lines: list[str]) -> tuple[list[str], list[_Block]]:
    """Split cleaned lines into preamble lines and heading blocks."""
    preamble: list[str] = []
    blocks: list[_Block] = []
    blank = sum(1 for line in lines if not line.strip())
    dense = len(lines) >= 8 and blank < len(lines) * 0.1  # no blank lines between sections
    prev_blank, last_number, caps_headings, tab_headings = True, None, 0, 0
    text_after = [False] * len(lines)  # whether any text line follows line i
    for i in range(len(lines) - 2, -1, -1):
        text_after[i] = text_after[i + 1] or bool(lines[i + 1].strip())
    for i, raw in enumerate(lines):
        line = raw.replace(_MARK, "").strip()
        if not line:
            prev_blank = True
            if blocks:
                blocks[-1].lines.append("")
            continue
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        ctx = _Ctx(
            prev_blank=prev_blank or dense,
            has_body=not blocks or any(x.strip() for x in blocks[-1].lines),
            next_continues=following[:1].islower() and not re.match(r"\S+@|www\.|http", following),
            has_next=text_after[i],
            in_preamble=not blocks,
            last_number=last_number,
            caps_headings=caps_headings,
            tab_headings=tab_headings,
        )
        found = _detect(raw, ctx)
        prev_blank = False
        if found is None:
            target = blocks[-1].lines if blocks else preamble
            target.append(" ".join(line.split()))
            continue
        heading, keys, content, number, style = found
        content = "\n".join(" ".join(x.split()) for x in content.split("\n"))
        blocks.append(_Block(heading, keys, [content] if content else []))
        if number is not None:
            last_number = number
        caps_headings += style == "caps" and bool(keys)
        tab_headings += style == "tab" and bool(keys)
    return preamble, blocks


def _body(lines: list[str]) -> str:
    """Join body lines, keeping single blank lines between paragraphs."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- Sentences, promises, outdated references ------------------------------------------------

_ABBREV = frozenset((
    "esim", "ks", "mm", "puh", "yms", "tms", "jne", "nro", "ns", "vrt", "os", "myöh", "ym", "klo",
    "tel", "oy", "ry", "n", "s", "p",
))  # fmt: skip


def _sentences(text: str) -> list[str]:
    """Split text into sentences, keeping list items and paragraphs apart."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n(?=\s*[-•*–·▪])", text):
        para = " ".join(para.split())
        start = 0
        for m in re.finditer(r"[.!?](?=\s+[\"'(]?[A-ZÅÄÖ])", para):
            word = re.search(r"(\w+)$", para[start : m.start()])
            if word and word.group(1).lower() in _ABBREV:
                continue
            out.append(para[start : m.end()].strip())
            start = m.end()
        if para[start:].strip():
            out.append(para[start:].strip())
    return out


_OUTDATED = re.compile(
    r"henkilötietolai|henkilötietolaki|523/(19)?99|\bhetil\b|suoramarkkinointiliit|"
    r"tietosuojalautakun|95/46|tietosuojadirektiiv|robinson",
    re.IGNORECASE,
)
_PROMISE = re.compile(
    "|".join(
        (
            r"hävit|poist|unohde|anonymi",  # erasure, anonymisation
            r"kirjallise|allekirjoit|tarkastuspyyn|korjauspyyn",  # written, signed requests
            r"henkilöllisyy|todenta|tunnistetaan",  # identity verification
            r"kieltä|suoramainon|etämyyn|mielipidetutkimu|kieltorekister",  # marketing bans
            r"\bei luovut|\bemme\b|\bemmekä\b|\bei koskaan|\bei siirr|luovuttamatta",  # limits
            r"ilman (\w+ )?(lupaa|lupaasi|suostumusta)|\bvain\b|ainoastaan|\bei halua",
            r"julkais|luettelo",  # publication in lists unless refused
            r"korja|oikais|viivytyksettä|välittömästi",  # correction without delay
            r"tiedotetaan|ilmoitamme|ilmoitetaan",  # telling the customer or recipients
            r"kadonn|varmiste|varmuuskopi|kopioimalla",  # tracing parcels, backups
            r"käyttäjätunnu|käyttöoikeu|salasan|valvotaan|lukitu|palomuur|salassapito|vaitiolo",
            r"tuomioistui|suomeksi|englanniksi|ruotsiksi|tietosuojavaltuutet|valvontaviranomai",
        )
    ),
    re.IGNORECASE,
)


def _excerpt(sentence: str, match: re.Match[str], width: int = 110) -> str:
    """Shorten a long sentence to the part around the match."""
    if len(sentence) <= 2 * width + 20:
        return sentence
    start, end = max(0, match.start() - width), min(len(sentence), match.end() + width)
    prefix = "…" if start else ""
    return f"{prefix}{sentence[start:end].strip()}{'…' if end < len(sentence) else ''}"


def _dedupe(items: list[str]) -> list[str]:
    """Drop repeated items (case- and space-insensitively), keeping the first."""
    seen: set[str] = set()
    out = []
    for item in items:
        norm = " ".join(item.lower().split())
        if norm not in seen:
            seen.add(norm)
            out.append(item)
    return out


# --- Gaps -----------------------------------------------------------------------------------

_PERIOD = re.compile(
    r"\d+\s*(vuo|kk\b|kuukau|päiv|viiko)|\bvuo(si|den|tta|det)\b|kuukau|niin kauan kuin|kunnes|"
    r"päätyttyä|päätty|\bajan\b|kirjanpitolai|kirjanpitoaineist|kuluttua|lakisääteis",
    re.IGNORECASE,
)
_AUTHORITY = re.compile(
    r"valvontaviranomai|tietosuojavaltuutet|tietosuojaviranomai|tillsynsmyndighet", re.IGNORECASE
)


def _mentions_complaint(sentence: str) -> bool:
    """Tell whether a sentence gives the general right to complain to the authority."""
    if not _AUTHORITY.search(sentence):
        return False
    if re.search(r"valitu|valitt|kantel", sentence, re.IGNORECASE):
        return True
    # Art 13(2)(d) is general; taking only a refused request to the Ombudsman is narrower.
    return bool(re.search(r"käsiteltäväksi|ratkaistavaksi", sentence, re.IGNORECASE)) and not (
        re.search(r"epää|evät|evätty|kieltäyty", sentence, re.IGNORECASE)
    )


# Sentences are single lines, so anchored lookaheads (``match``) scan each one once.
_FALLBACKS: dict[str, Callable[[str], object]] = {
    "transfers": re.compile(
        r"(?=.*\b(siirr|siirt))(?=.*(\beu\b|\beta\b|euroopan|kolmans|kolmas|ulkopuolel))",
        re.IGNORECASE,
    ).match,
    "retention": re.compile(r"(?=.*säily)(?=.*(" + _PERIOD.pattern + "))", re.IGNORECASE).match,
    "complaint": _mentions_complaint,
    "direct_marketing": re.compile(
        r"(?=.*kieltä)(?=.*(suoramarkkin|suoramainon|markkinoin))", re.IGNORECASE
    ).match,
}
_GDPR_BASIS = re.compile(
    r"6\s*art|artikla\s*6|6\s*(\(1\)|kohd)|suostumu|sopimu|oikeutettu etu|oikeutettuun etuun|"
    r"lakisääteinen velvoite|lakisääteisen velvoitteen|elintärkeä|yleistä etua",
    re.IGNORECASE,
)


def names_gdpr_basis(text: str) -> bool:
    """Tell whether a legal-basis text names a GDPR Art 6(1) basis."""
    return bool(_GDPR_BASIS.search(text))


def _has_substance(key: str, text: str) -> bool:
    """Tell whether a section's text gives what its key requires."""
    if not text.strip():
        return False
    if key == "retention":  # Art 13(2)(a): the period or the criteria that set it
        return bool(_PERIOD.search(text))
    return True


# --- Entry point ----------------------------------------------------------------------------


def parse_statement(text: str) -> ImportResult:
    """Split a Finnish privacy statement into keyed sections and report its gaps."""
    if not text or not text.strip():
        raise StatementImportError("Tiedosto on tyhjä.")
    clean = _clean(text)
    if not clean.strip():
        raise StatementImportError("Tiedostossa ei ole tekstiä.")
    if not _looks_finnish(clean):
        raise StatementImportError("Teksti ei näytä suomenkieliseltä tietosuojaselosteelta.")
    preamble, blocks = _split(clean.split("\n"))
    recognised = {k for block in blocks for k in block.keys} - {"date"}
    if not recognised:
        raise StatementImportError("Tekstistä ei tunnistettu yhtään tietosuojaselosteen otsikkoa.")
    if len(recognised) < 2:
        raise StatementImportError(
            "Tekstistä tunnistettiin vain yksi tietosuojaselosteen otsikko; "
            "tiedosto ei näytä kokonaiselta selosteelta."
        )

    chunks: dict[str, list[tuple[str, str]]] = {}
    unmapped: list[tuple[str, str]] = []
    for line in preamble:
        if _LONE_DATE.match(line) or (re.search(_DATE, line) and "date" in _classify(line)):
            chunks.setdefault("date", []).append(("", line.rstrip(".")))
        elif len(line.split()) >= 8 and not (_TITLE.search(line) and len(line.split()) <= 16):
            unmapped.append(("", line))
    for block in blocks:
        body = _body(block.lines)
        if not block.keys:
            unmapped.append((block.heading, body))
        for key in block.keys:
            chunks.setdefault(key, []).append((block.heading, body))

    found: dict[str, str] = {}
    for key, parts in chunks.items():
        parts = [(h, t) for h, t in parts if t]
        if len(parts) == 1:
            found[key] = parts[0][1]
        elif parts:
            texts, previous = [], None
            for heading, body in parts:
                keep = heading and heading != previous
                texts.append(f"{heading}\n{body}" if keep else body)
                previous = heading
            found[key] = "\n\n".join(texts)

    sentences = [s for block in blocks for s in _sentences(_body(block.lines))]
    for key, matches in _FALLBACKS.items():
        if key not in found:
            hits = _dedupe([s for s in sentences if matches(s)])
            if hits:
                found[key] = "\n".join(hits)
    sections = {k: found[k] for k in SECTION_KEYS if k in found}

    missing = [
        k for k in REQUIRED_KEYS + EXPECTED_KEYS if not _has_substance(k, sections.get(k, ""))
    ]
    all_sentences = [s for line in preamble for s in _sentences(line)]
    for block in blocks:  # document order: heading, then its body
        all_sentences += _sentences(block.heading) + _sentences(_body(block.lines))
    outdated = _dedupe([_excerpt(s, m) for s in all_sentences if (m := _OUTDATED.search(s))])
    promises = _dedupe([s for s in sentences if _PROMISE.search(s)])
    return ImportResult(sections, missing, outdated, promises, unmapped)
