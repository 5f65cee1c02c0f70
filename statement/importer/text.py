"""Turn plain text, Markdown or HTML into lines, marking the lines markup declares headings.

Two control characters carry what the markup said into the line-based splitter:
``MARK`` + a level digit starts a line that markup declares a heading (``<h2>`` → ``MARK2``,
``###`` → ``MARK3``, a table header cell or ``<dt>`` → ``MARK5``, a bold line → ``MARK8``), and
``BODY`` starts a line that can never be a heading (a row of a data table). Everything else is
the document's own wording, kept as written.
"""

import re
import unicodedata
from html.parser import HTMLParser

# Private-use characters: no text has them, and unlike \x1e they are not whitespace to strip().
MARK = "\ue000"
BODY = "\ue001"

HTML_HINT = re.compile(
    r"</?(?:p|br|div|h[1-6]|li|ul|ol|table|tr|td|th|dl|dt|dd|span|strong|em|b|i|a|html|body)"
    r"\b[^<>]*>",
    re.IGNORECASE,
)

# Site furniture around a statement published on a web page, not part of the statement.
_SKIP = frozenset((
    "script", "style", "head", "title", "template", "noscript", "svg", "nav", "footer", "aside",
    "form", "button", "select", "iframe", "object",
))  # fmt: skip
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6, "dt": 5}
_BLOCK = frozenset((
    "p", "div", "section", "article", "header", "main", "blockquote", "ul", "ol", "dl", "pre",
    "address", "figure", "figcaption", "caption", "hr", "html", "body", "fieldset", "details",
    "summary", "center", "li", "dd", "table", "tr", "td", "th",
))  # fmt: skip
_BOLD = frozenset(("strong", "b"))
_BOLD_MAX = 120  # a longer bold run is emphasis in a paragraph, not a heading


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _HtmlLines(HTMLParser):
    """Collect an HTML page's text as lines: blocks apart, headings marked, table rows joined."""

    def __init__(self, skip: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_tags = skip
        self.skipping = 0
        self.sinks: list[list[str]] = [[]]  # text goes to the innermost one
        self.heading: str | None = None  # the open heading tag, whose text is being captured
        self.table_depth = 0
        self.row: list[tuple[str, str]] | None = None
        self.cell: str | None = None  # "td" or "th" while a top-level table cell is open
        self.bold_open = False
        self.bold_pending: str | None = None  # a bold run that is a heading if a break follows

    # -- helpers

    @property
    def sink(self) -> list[str]:
        return self.sinks[-1]

    def _write(self, text: str) -> None:
        self.sink.append(text)

    def _ensure_breaks(self, count: int) -> None:
        """End the text so far with at least ``count`` line breaks (2: a blank line)."""
        have = 0
        for piece in reversed(self.sink):
            stripped = piece.rstrip(" ")
            have += len(stripped) - len(stripped.rstrip("\n"))
            if stripped.rstrip("\n"):
                break
        else:
            if not any(p.strip() for p in self.sink):
                return  # nothing written yet: no break needed
        self._write("\n" * max(0, count - have))

    def _just_broke(self) -> bool:
        for piece in reversed(self.sink):
            if piece.strip(" "):
                return piece.rstrip(" ").endswith("\n")
        return True

    def _at_line_start(self) -> bool:
        for piece in reversed(self.sink):
            if "\n" in piece:
                return not piece.rsplit("\n", 1)[1].strip()
            if piece.strip():
                return False
        return True

    def _settle_bold(self, *, heading: bool) -> None:
        text, self.bold_pending = self.bold_pending, None
        if text is None:
            return
        if heading and text.strip() and len(text) <= _BOLD_MAX:
            self._write(f"\n{MARK}8{_one_line(text)}\n")
        else:
            self._write(text)

    def _end_cell(self) -> None:
        if self.cell is not None and self.row is not None:
            self.row.append((self.cell, "".join(self.sinks.pop()).strip()))
            self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        row, self.row = self.row, None
        cells = [(tag, text) for tag, text in row or [] if text]
        if not cells:
            return
        head_tag, head = cells[0]
        data = [text for tag, text in cells[1:] if tag == "td"]
        if len(cells) == 1:
            self._ensure_breaks(2)
            self._write(f"{head}\n\n")  # a caption row spanning the table
        elif head_tag == "th" and data:
            self._ensure_breaks(2)
            self._write(f"{MARK}5{_one_line(head)}\n" + "\n".join(data) + "\n\n")
        elif len(cells) == 2 and head_tag == "td":
            # "heading<TAB>content", the shape the splitter also meets in pasted tables.
            self._ensure_breaks(1)
            self._write(f"{_one_line(head)}\t" + cells[1][1] + "\n")
        else:  # a header row or a data table inside a section
            self._ensure_breaks(1)
            self._write(BODY + " | ".join(_one_line(t) for _, t in cells) + "\n")

    # -- parser callbacks

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "body":
            self.skipping = 0  # an unclosed <head> ends here
        if tag in self.skip_tags:
            self.skipping += 1
        if self.skipping:
            return
        self._settle_bold(heading=tag == "br" or tag in _BLOCK or tag in _HEADING_LEVEL)
        if tag == "table":
            self.table_depth += 1
        if self.table_depth == 1 and tag in ("tr", "td", "th"):
            if tag == "tr" or self.row is None:
                if self.row is not None:
                    self._end_row()
                self.row = []
            if tag in ("td", "th"):
                self._end_cell()
                self.cell = tag
                self.sinks.append([])
            return
        if self.table_depth > 1 and tag in ("tr", "td", "th"):
            self._write("\n" if tag == "tr" else " | ")
        elif tag in _HEADING_LEVEL and self.heading is None and self.cell is None:
            self.heading = tag
            self.sinks.append([])
        elif tag in _BOLD and self.heading is None and self.cell is None and self._at_line_start():
            self.bold_open = True
            self.sinks.append([])
        elif tag == "br":
            self._write("\n")
        elif tag == "li":
            self._ensure_breaks(1)
            self._write("• ")
        elif tag == "dd":
            self._ensure_breaks(1)
        elif tag in _BLOCK:
            self._ensure_breaks(2)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img", "input", "meta", "link"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skip_tags and self.skipping:
            self.skipping -= 1
            return
        if self.skipping:
            return
        if tag in _BOLD and self.bold_open:
            self.bold_open = False
            self.bold_pending = "".join(self.sinks.pop())
            return
        if tag in _BLOCK or tag in _HEADING_LEVEL:
            self._settle_bold(heading=True)
        if tag == self.heading:
            text = _one_line("".join(self.sinks.pop()))
            self.heading = None
            if text:
                self._write(f"\n\n{MARK}{_HEADING_LEVEL[tag]}{text}\n\n")
        elif self.table_depth == 1 and tag in ("td", "th"):
            self._end_cell()
        elif self.table_depth == 1 and tag == "tr":
            self._end_row()
        elif tag == "table" and self.table_depth:
            if self.table_depth == 1:
                self._end_row()
            self.table_depth -= 1
            self._write("\n\n")
        elif tag == "li":
            self._ensure_breaks(1)
        elif tag in _BLOCK and self.table_depth != 1:
            self._ensure_breaks(2)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.bold_pending is not None:
            if not data.strip():
                return
            self._settle_bold(heading=False)
        if self._just_broke():
            # Source line breaks next to tags are layout; the tags already broke the line.
            data = data.lstrip(" \n\r")
            if not data:
                return
        elif not data.strip():
            data = " "
        self._write(data)

    def text(self) -> str:
        self._settle_bold(heading=True)
        if self.bold_open:
            self.bold_open = False
            self._write("".join(self.sinks.pop()))
        if self.heading is not None:
            self._write("".join(self.sinks.pop()))
        if self.table_depth:
            self._end_row()
        while len(self.sinks) > 1:  # unclosed cells
            self.sinks[-2].append("".join(self.sinks.pop()))
        return "".join(self.sinks[0])


def html_to_text(markup: str) -> str:
    """Return the text of an HTML page or fragment as lines, headings marked."""
    for skip in (_SKIP, frozenset(("script", "style"))):
        parser = _HtmlLines(skip)
        parser.feed(markup)
        parser.close()
        text = parser.text()
        if any(ch.isalpha() for ch in text):
            return text
    return text  # nothing readable either way: the caller reports an empty text


_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{3,})\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_WHOLE_BOLD = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*:?\s*$")
_WHOLE_EMPHASIS = re.compile(r"^\s*([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1\s*$")
_MD_LINK = re.compile(r"\[([^\]\n]{1,200})\]\(([^)\s]{1,500})\)")


def _markdown_lines(lines: list[str]) -> list[str]:
    """Mark Markdown headings (#, underlined, whole-line bold) and drop Markdown-only syntax."""
    out: list[str] = []
    for line in lines:
        if _SETEXT.match(line) and out and out[-1].strip() and not out[-1].startswith(MARK):
            level = "1" if "=" in line else "2"
            out[-1] = f"{MARK}{level}{out[-1].strip()}"
            continue
        if _RULE.match(line):
            out.append("")
            continue
        line = _MD_LINK.sub(lambda m: m[1] if m[1] == m[2] else f"{m[1]} ({m[2]})", line)
        if m := _ATX.match(line):
            line = f"{MARK}{len(m[1])}{m[2]}" if m[2] else ""
        elif m := _WHOLE_BOLD.match(line):
            line = f"{MARK}8{m[2]}"
        elif m := _WHOLE_EMPHASIS.match(line):
            line = m[2]
        elif line.lstrip().startswith("|"):
            if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line):
                continue  # a table's |---|---| rule
            line = BODY + line.strip()
        if not line.startswith((MARK, BODY)):
            line = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", line)  # inline bold
        out.append(line)
    return out


def clean(text: str) -> list[str]:
    """Normalise Unicode, line ends and spaces, strip markup, and return the lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\ufeff\u200b\u200c\u200d\u2060\xad]", "", text)
    text = text.replace(MARK, " ").replace(BODY, " ").replace("\f", "\n")
    if HTML_HINT.search(text):
        text = html_to_text(text)
    else:
        # Text taken from a PDF or a two-column layout separates heading and text by a run of
        # spaces; a tab makes the line a "heading<TAB>text" row like a pasted table's.
        text = re.sub(r"(?<=\S) {4,}(?=\S)", "\t", text)
    text = re.sub(r"[\xa0\u2007\u202f]", " ", text)
    text = unicodedata.normalize("NFC", text)
    return _markdown_lines(text.split("\n"))


# --- Language ---------------------------------------------------------------------------------

_FI_WORDS = frozenset((
    "ja", "tai", "sekä", "ei", "että", "tietoja", "tiedot", "tietojen", "henkilötietoja",
    "henkilötiedot", "voi", "voidaan", "kun", "jos", "mukaan", "myös", "vain", "joka", "jotka",
    "ovat", "olla", "ole", "tämä", "sen", "niiden", "kuten", "rekisterin", "asiakkaan",
    "käsitellään", "mitä", "yhteydessä", "tulee", "oikeus", "emme", "meille", "eikä",
    "tarvittaessa", "asiakas", "rekisteri", "henkilön", "hänen", "sitä", "siitä", "niitä",
))  # fmt: skip
_SV_WORDS = frozenset((
    "och", "att", "det", "som", "för", "av", "med", "till", "är", "ett", "på", "inte", "eller",
    "den", "vi", "har", "kan", "om", "dina", "du", "oss", "vid", "från", "uppgifter",
))  # fmt: skip
_EN_WORDS = frozenset((
    "the", "and", "of", "to", "is", "in", "for", "we", "your", "you", "with", "are", "be", "that",
    "this", "or", "by", "from", "will", "may", "our", "us", "data",
))  # fmt: skip
# Finnish case endings and register vocabulary that Swedish and English words rarely have.
_FI_SHAPE = re.compile(
    r"(ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|tta|ttä|nen|jen|iden|ään)$"
    r"|^(rekister|henkilötie|tietosuoj|käsittel|tietoj)"
)


def detect_language(text: str) -> str | None:
    """Return "fi", "sv" or "en" for the language most of the words are in, or None."""
    tokens = re.findall(r"[a-zåäö]+", text.lower())
    counts = {
        "fi": sum(t in _FI_WORDS or bool(_FI_SHAPE.search(t)) for t in tokens),
        "sv": sum(t in _SV_WORDS for t in tokens),
        "en": sum(t in _EN_WORDS for t in tokens),
    }
    best = max(counts, key=lambda lang: counts[lang])
    others = [n for lang, n in counts.items() if lang != best]
    if counts[best] < 3 or counts[best] <= max(others):
        return None
    return best
