"""Decide which lines of a statement are headings, and collect the text under each.

Whether a line is a heading is decided from what it says (``headings.classify``) and how it
looks: markup that declares it (``<h2>``, ``#``, ``<dt>``, a bold line), numbering (1. 1) 1.2
IV § A:), capitals, a question, a trailing colon, shortness and no final period, a blank line
before and body text after. The document's own habits count too: a page that marks its
headings with markup has no unmarked ones, a numbered heading continues the numbering, a
heading nobody recognises must share a style the recognised ones use, and a subheading one
level down that names nothing of its own ("A. Manuaalinen aineisto") stays in its section.
"""

import re
from dataclasses import dataclass, field

from statement.importer.headings import classify
from statement.importer.text import BODY, MARK

DATE = r"\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.\s?[a-zäö]+kuuta\s+\d{4}"
LONE_DATE = re.compile(rf"^(?:{DATE})\.?$")
_TRAILING_DATE = re.compile(rf"^(?P<head>\D{{1,60}}?)[\s:]+(?P<date>{DATE})\.?$")
_NUMBERING = re.compile(
    r"^(?:"
    r"(?:§\s*(?P<s1>\d{1,2})|(?P<s2>\d{1,2})\s*§)\s*[.:]?"  # 1 §, § 1
    r"|\(?(?P<n>\d{1,2})(?P<sub>(?:\.\d{1,2})*)\s*[.):]?"  # 1  1.  1)  (1)  1.2
    r"|(?P<roman>[IVX]{1,5})(?:[.):]|(?=\s+[A-ZÅÄÖ]))"  # IV. or a bare IV before a capital
    r"|\(?(?P<letter>[A-Za-z])[.):]"  # A.  a)  B:
    r")\s+(?=\S)"
)
_ROMAN = {"I": 1, "V": 5, "X": 10}
_LIST_ITEM = re.compile(r"^(?:[-•*–·▪◦‣>+]\s*|\|)")
_SUBSECTION = re.compile(
    r"^(?P<head>.+?)\s+(?P<label>(?:[A-ZÅÄÖ]|\d{1,2}|[IVX]{1,4})\s*[:.)]\s+.+)$"
)
# "REKISTERIN NIMI Asiakasrekisteri": a heading in capitals with its text on the same line.
_CAPS_PREFIX = re.compile(
    r"^(?P<head>[A-ZÅÄÖ][A-ZÅÄÖ0-9 ,/&:-]{2,80}?[A-ZÅÄÖ])\s+(?P<tail>[A-ZÅÄÖ][a-zåäö].*)$"
)
_INTERROGATIVE = re.compile(
    r"^(mitä|mistä|miksi|mihin|millä|miten|kuinka|kenelle|keiden|kenen|kuka|ketkä|mitkä|"
    r"kehen|keneen|\w+(ko|kö))\b",
    re.IGNORECASE,
)
# A plain line with a number, an e-mail or a web address is an address line ("Suojatie 3"),
# not a heading; numbered, marked or capital headings and dates are told apart before this.
_ADDRESS = re.compile(r"\d|@|www\.|https?:")
_FINITE = frozenset((
    "on", "ovat", "ei", "eivät", "voi", "voivat", "voidaan", "tulee", "saa", "saavat", "pitää",
    "täytyy",
))  # fmt: skip
DOC_TITLE = re.compile(
    r"seloste|privacy (policy|notice|statement)|dataskyddsbeskrivning|tietosuojakäytän"
    r"|näin käsittelemme",
    re.IGNORECASE,
)


# The line a bilingual statement puts before each language's version.
_LANGUAGE_SWITCH = {
    "fi": re.compile(r"^(suomeksi|på finska|in finnish|suomenkielinen( versio)?)\W*$", re.I),
    "sv": re.compile(r"^(på svenska|svenska|ruotsiksi|in swedish|svensk version)\W*$", re.I),
    "en": re.compile(r"^(in english|english|englanniksi|english version)\W*$", re.I),
}


def is_clause(text: str) -> bool:
    """Tell whether a short line reads as a sentence (has a finite verb) rather than a title."""
    words = re.findall(r"[a-zåäö]+", text.lower())
    return any(
        w in _FINITE or (len(w) >= 7 and w.endswith(("taan", "tään", "daan", "dään", "mme")))
        for w in words
    )


_LETTERS = re.compile(r"[^\W\d_]")


def _is_caps(text: str) -> bool:
    return text == text.upper() and len(_LETTERS.findall(text, 0, 200)) >= 4


def _shape_ok(text: str, max_words: int = 14) -> bool:
    """Check the line features of a heading: short, no final period, not a sentence run."""
    return (
        0 < len(text) <= 110
        and len(text.split()) <= max_words
        and not text.endswith((".", ",", ";"))
        and not re.search(r"[.!?]\s+[A-ZÅÄÖ]", text)
        and not _LIST_ITEM.match(text)
    )


@dataclass(frozen=True)
class Level:
    """How deep a heading sits: by markup (h1 = 1 … bold line = 8), numbering (1.2 = 2), letter."""

    family: str  # "mark", "number" or "letter"
    depth: int

    def is_below(self, other: "Level | None") -> bool:
        if other is None:
            return False
        if self.family == "letter":
            return other.family != "letter"
        return self.family == other.family and self.depth > other.depth


@dataclass
class Block:
    """One section: its heading (numbering removed), keys, and body lines."""

    heading: str
    keys: tuple[str, ...]
    lines: list[str] = field(default_factory=list)
    level: Level | None = None
    style: str = "plain"
    language: str = "fi"  # "sv" or "en" after a "PÅ SVENSKA" / "IN ENGLISH" line
    has_text: bool = False

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.has_text = self.has_text or bool(line)


Path = tuple[int, ...]  # a heading's number: "3.2" is (3, 2), "IV" is (4,)


@dataclass(frozen=True)
class _Found:
    heading: str
    keys: tuple[str, ...]
    content: str
    path: Path | None
    level: Level | None
    style: str  # mark, tab, caps, number, inline, plain, date, sub


@dataclass(frozen=True)
class _Ctx:
    prev_blank: bool
    has_body: bool
    next_continues: bool
    has_next: bool
    in_preamble: bool
    last_path: Path | None
    caps_headings: int
    tab_headings: int
    strict: bool
    in_list: bool  # numbered like the line next to it, with no text between: a list item
    current: Block | None
    parents: tuple[Block, ...]  # the enclosing headings, outermost first

    @property
    def weak_ok(self) -> bool:
        """A plain line in the place of a heading: after a gap, between texts."""
        return self.prev_blank and self.has_body and not self.next_continues and self.has_next

    def parent_of(self, level: Level | None) -> Block | None:
        """Return the nearest enclosing heading a heading at ``level`` would sit under."""
        if level is None:
            return None
        return next((b for b in reversed(self.parents) if level.is_below(b.level)), None)


@dataclass(frozen=True)
class _Line:
    text: str  # without markers
    marked: int | None  # the level markup gave it
    body: bool  # markup says it is never a heading


def _read(raw: str) -> _Line:
    stripped = raw.lstrip()
    if stripped.startswith(BODY):
        return _Line(stripped[1:].strip(), None, True)
    if stripped.startswith(MARK) and len(stripped) > 1 and stripped[1].isdigit():
        return _Line(stripped[2:].strip(), int(stripped[1]), False)
    return _Line(raw.strip(), None, False)


def _numbering(text: str) -> tuple[re.Match[str] | None, Path | None, Level | None]:
    """Return the numbering match, its path and the level it gives."""
    m = _NUMBERING.match(text)
    if not m:
        return None, None, None
    if m["letter"]:
        return m, (ord(m["letter"].upper()) - ord("A") + 1,), Level("letter", 1)
    if m["roman"]:
        digits = [_ROMAN[c] for c in m["roman"]]
        value = sum(-d if d < max(digits[i:]) else d for i, d in enumerate(digits))  # IV = 4
        return m, (value,), Level("number", 1)
    if m["n"]:
        path = (int(m["n"]), *(int(n) for n in m["sub"].split(".") if n))
    else:
        path = (int(m["s1"] or m["s2"]),)
    return m, path, Level("number", len(path))


def _follows(path: Path | None, last: Path | None, *, gap: int = 2) -> bool:
    """Tell whether a heading number continues the numbering: 2 → 3, 2 → 2.1, 2.3 → 3."""
    if path is None or last is None:
        return True
    depth = min(len(path), len(last))
    if len(path) > len(last):  # one level down: 2 → 2.1
        return len(path) == len(last) + 1 and path[:-1] == last and 1 <= path[-1] <= gap
    step = path[depth - 1] - last[depth - 1]
    return path[: depth - 1] == last[: depth - 1] and 1 <= step <= gap


def _table_row(raw: str, ctx: _Ctx) -> _Found | None:
    """A "heading<TAB>content" row, the shape of a statement pasted from a table (seed 002)."""
    cells = [c.strip() for c in raw.split("\t") if c.strip()]
    if not cells:
        return None
    m, path, _ = _numbering(cells[0])
    head = (cells[0][m.end() :] if m else cells[0]).rstrip(" :")
    keys = classify(head)
    if _shape_ok(head, 12) and (
        keys or (ctx.tab_headings >= 2 and len(cells) > 1 and len(head.split()) <= 5)
    ):
        return _Found(head, keys, "\n".join(cells[1:]), path, None, "tab")
    return None


def _inline_colon(head: str, ctx: _Ctx, strong: bool) -> _Found | None:
    """A "Rekisterinpitäjä: Yritys Oy" line: the heading and its text on one line."""
    m = re.search(r":(?:\s|$)", head[:100])
    if not m:
        return None
    label, tail = head[: m.start()].strip(), head[m.end() :].strip()
    if not tail or len(label.split()) > 7 or is_clause(label):
        return None
    # In a list of "Label: value" lines inside a section, the labels are data, not headings.
    habit = ctx.current is not None and ctx.current.style == "inline"
    if not (strong or ctx.in_preamble or ctx.prev_blank or habit):
        return None
    keys = classify(label, alone=False)
    return _Found(label, keys, tail, None, None, "inline") if keys else None


def _detect(raw: str, line: _Line, ctx: _Ctx) -> _Found | None:
    """Return the heading a line starts, or None when the line is body text."""
    if line.body or not line.text:
        return None
    if "\t" in raw and line.marked is None and not ctx.strict:
        if found := _table_row(raw, ctx):
            return found
        line = _Line(" ".join(line.text.split()), None, False)
    text = line.text
    marked = line.marked is not None
    if _LIST_ITEM.match(text):
        return None
    m, path, level = _numbering(text)
    head = text[m.end() :] if m else text
    if marked:
        level = Level("mark", line.marked or 0)
    if not head or not (head[:1].isupper() or marked):
        return None

    date = _TRAILING_DATE.match(head)
    if date and "date" in classify(date["head"]) and len(date["head"].split()) <= 5:
        return _Found(date["head"].strip(" :"), ("date",), date["date"], path, level, "date")
    if ctx.strict and not marked:
        return None  # a page that marks its headings marks all of them
    if level and level.family == "letter" and level.is_below(ctx.current and ctx.current.level):
        return None  # "A. Manuaalinen aineisto" under "Rekisterin suojaus" stays in it
    if m and not marked and not _follows(path, ctx.last_path) and not ctx.weak_ok:
        return None  # a numbered list inside a section
    caps = _is_caps(head)
    strong = marked or bool(m) or caps

    sub = _SUBSECTION.match(head) if len(head) <= 200 else None
    if sub and (strong or ctx.weak_ok) and _shape_ok(head) and (keys := classify(sub["head"])):
        return _Found(sub["head"], keys, sub["label"], path, level, "inline")
    if found := _inline_colon(head, ctx, strong):
        return _Found(found.heading, found.keys, found.content, path, level, "inline")
    cap = _CAPS_PREFIX.match(head) if len(head) <= 300 else None
    if cap and (ctx.prev_blank or ctx.caps_headings or m) and (keys := classify(cap["head"])):
        return _Found(cap["head"], keys, cap["tail"], path, level, "inline")

    cand = head.rstrip(" :")
    question = cand.endswith("?") or bool(_INTERROGATIVE.match(cand))
    if not _shape_ok(cand):
        return None
    if ctx.in_preamble and DOC_TITLE.search(cand):
        return None  # "Tietosuojaseloste - EU:n tietosuoja-asetus" titles the whole document
    if ctx.in_list and not marked:
        return None  # "1) Tilausten toimittamiseen / 2) Markkinointiin" lists, not headings
    keys = classify(cand)
    style = "mark" if marked else "caps" if caps else "number" if m else "plain"
    if keys:
        if (
            strong
            or question
            or (ctx.weak_ok and not is_clause(cand) and not _ADDRESS.search(cand))
        ):
            return _Found(cand, keys, "", path, level, style)
        return None
    # An unrecognised heading needs a style the document already uses for its headings.
    if ctx.in_preamble or not ctx.has_body or ctx.next_continues or not ctx.has_next:
        return None
    if not (
        marked
        or (m and ctx.last_path is not None and path != ctx.last_path
            and _follows(path, ctx.last_path, gap=1))
        or (caps and ctx.caps_headings >= 2 and len(cand.split()) <= 8)
        or (question and ctx.prev_blank and len(cand.split()) <= 10)
    ):  # fmt: skip
        return None
    parent = ctx.parent_of(level)
    if parent and parent.keys:  # "6.4 Miten pyynnön voi tehdä?" under "6) Sinun oikeutesi"
        return _Found(cand, parent.keys, "", path, level, "sub")
    return _Found(cand, (), "", path, level, style)


def _list_depth(raw: str) -> int | None:
    """Return the numbering depth of an unmarked numbered line, for spotting numbered lists."""
    line = _read(raw)
    if line.marked is not None or line.body:
        return None
    _, path, level = _numbering(line.text)
    return len(path) if path and level and level.family == "number" else None


def _marks_headings(lines: list[str]) -> bool:
    """Tell whether markup declares the headings: three or more marked lines name a part."""
    count = 0
    for raw in lines:
        line = _read(raw)
        if line.marked is not None:
            m, _, _ = _numbering(line.text)
            count += bool(classify(line.text[m.end() :] if m else line.text))
            if count >= 3:
                return True
    return False


def split(lines: list[str]) -> tuple[list[str], list[Block]]:
    """Split cleaned lines into preamble lines and heading blocks."""
    preamble: list[str] = []
    blocks: list[Block] = []
    current: Block | None = None  # the block that body lines go to
    parents: list[Block] = []  # the enclosing headings of the next one, outermost first
    blank = sum(1 for line in lines if not line.strip())
    dense = len(lines) >= 8 and blank < len(lines) * 0.1  # no blank lines between sections
    strict = _marks_headings(lines)
    prev_blank, last_path, caps_headings, tab_headings = True, None, 0, 0
    language = "fi"
    text_after = [False] * len(lines)  # whether any text line follows line i
    for i in range(len(lines) - 2, -1, -1):
        text_after[i] = text_after[i + 1] or bool(lines[i + 1].strip())
    depths = [_list_depth(line) for line in lines]
    in_list = [
        d is not None
        and d in (depths[i - 1] if i else None, depths[i + 1] if i + 1 < len(depths) else None)
        for i, d in enumerate(depths)
    ]
    read = [_read(raw) for raw in lines]
    for i, raw in enumerate(lines):
        line = read[i].text
        if not line:
            prev_blank = True
            (current.add if current else preamble.append)("")
            continue
        if switch := next((k for k, rx in _LANGUAGE_SWITCH.items() if rx.match(line)), None):
            language, prev_blank = switch, True
            continue
        following = read[i + 1].text if i + 1 < len(lines) else ""
        ctx = _Ctx(
            prev_blank=prev_blank or dense,
            has_body=current is None or current.has_text,
            next_continues=following[:1].islower() and not re.match(r"\S+@|www\.|http", following),
            has_next=text_after[i],
            in_preamble=not blocks,
            last_path=last_path,
            caps_headings=caps_headings,
            tab_headings=tab_headings,
            strict=strict,
            in_list=in_list[i],
            current=current,
            parents=tuple(parents),
        )
        found = _detect(raw, read[i], ctx)
        prev_blank = False
        if found is None:
            (current.add if current else preamble.append)(" ".join(line.split()))
            continue
        content = "\n".join(" ".join(x.split()) for x in found.content.split("\n"))
        block = Block(found.heading, found.keys, level=found.level)
        block.style, block.language = found.style, language
        if content:
            block.add(content)
        blocks.append(block)
        if found.style == "date" and content:
            continue  # a "Päivitetty 1.2.2024" line has no body of its own
        current = block
        if found.level is None:
            parents = [block]
        else:
            while parents and not found.level.is_below(parents[-1].level):
                parents.pop()
            parents.append(block)
        if found.path is not None and found.level and found.level.family != "letter":
            last_path = found.path
        caps_headings += found.style == "caps" and bool(found.keys)
        tab_headings += found.style == "tab" and bool(found.keys)
    return preamble, blocks
