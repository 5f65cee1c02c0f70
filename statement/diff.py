"""The word-level difference between two versions of the statement, as staff review it.

The statement's HTML is read as text block by block (headings, paragraphs, list items, table
cells), each block a line; the lines' words are compared with difflib, and the result is HTML in
which removed words are in <del> and added ones in <ins>, each with a visually hidden word for
screen readers, which announce neither element.
"""

import difflib
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Elements whose end ends a line of text; the others (a, strong, span) run inside a line.
_BLOCKS = frozenset(
    ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "th", "td", "tr", "caption")
)
# A line break: a token of its own, so the difference keeps the statement's paragraphs.
_BREAK = "\n"


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


class _TextBlocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []
        self.kinds: list[str] = []  # per line: "heading" or "text"
        self._line: list[str] = []
        self._open: list[str] = []

    def handle_data(self, data: str) -> None:
        self._line.extend(data.split())

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":
            self._end_line()
        elif tag in _BLOCKS:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._end_line()
            if tag in self._open:
                self._open.remove(tag)

    def _end_line(self) -> None:
        if self._line:
            self.tokens.extend([*self._line, _BREAK])
            self.kinds.append("heading" if _HEADINGS & set(self._open) else "text")
            self._line = []

    def close(self) -> None:
        super().close()
        self._end_line()


def _parse(html: str) -> _TextBlocks:
    parser = _TextBlocks()
    parser.feed(html)
    parser.close()
    return parser


def words(html: str) -> list[str]:
    """Return the words of an HTML fragment, with a line break token after each block."""
    return _parse(html).tokens


@dataclass(frozen=True)
class WordDiff:
    html: SafeString
    inserted: int
    deleted: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)


def _mark(tag: str, hidden: str, run: list[str]) -> str:
    return format_html(
        '<{tag}><span class="visually-hidden">{hidden} </span>{text}</{tag}>',
        tag=tag,
        hidden=hidden,
        text=" ".join(run),
    )


@dataclass
class _Line:
    kind: str
    pieces: list[str]

    @property
    def changed(self) -> bool:
        return any(p.startswith(("<ins>", "<del>")) for p in self.pieces)

    def html(self) -> str:
        tag = "h3" if self.kind == "heading" else "p"
        return f"<{tag}>{' '.join(self.pieces)}</{tag}>"


def word_diff(old_html: str, new_html: str) -> WordDiff:
    """Return the changed lines of the new HTML's text, word by word against the old one.

    A line shows with the heading of its section; unchanged sections are left out. Removed words
    are in <del>, added ones in <ins>, each run opened by a visually hidden "poistettu:" or
    "lisätty:" for screen readers.
    """
    old, new = _parse(old_html), _parse(new_html)
    lines: list[_Line] = []
    current: list[str] = []
    position = {"old": 0, "new": 0}
    counts = {"ins": 0, "del": 0}

    def end_line(side: str) -> None:
        nonlocal current
        kinds = old.kinds if side == "old" else new.kinds
        lines.append(_Line(kinds[position[side]], current))
        current = []

    def take(tag: str | None, tokens: list[str], side: str) -> None:
        run: list[str] = []
        for token in tokens:
            if token != _BREAK:
                run.append(token)
                continue
            if run:
                current.append(_mark(tag, HIDDEN[tag], run) if tag else " ".join(map(escape, run)))
                run = []
            if tag is None:
                # A line both versions have: both advance.
                position["old"] += 1
                end_line("new")
                position["new"] += 1
            else:
                end_line(side)
                position[side] += 1
        if run:
            current.append(_mark(tag, HIDDEN[tag], run) if tag else " ".join(map(escape, run)))
        if tag:
            counts[tag] += sum(1 for t in tokens if t != _BREAK)

    HIDDEN = {"del": _("poistettu:"), "ins": _("lisätty:")}
    # No junk heuristic: in a statement the common words ("ja", "tiedot") are words like others.
    matcher = difflib.SequenceMatcher(a=old.tokens, b=new.tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            take(None, new.tokens[b1:b2], "new")
            continue
        if op in ("delete", "replace"):
            take("del", old.tokens[a1:a2], "old")
        if op in ("insert", "replace"):
            take("ins", new.tokens[b1:b2], "new")
    shown: list[str] = []
    heading: _Line | None = None
    for line in lines:
        if line.kind == "heading":
            heading = line
        if line.changed:
            if heading is not None and heading is not line:
                shown.append(heading.html())
            heading = None
            shown.append(line.html())
    # Safe: every word went through escape() or format_html().
    return WordDiff(
        html=mark_safe("".join(shown)),  # noqa: S308
        inserted=counts["ins"],
        deleted=counts["del"],
    )
