"""What a printed page must not do: print one text over another, or past the paper's edge.

Read glyph by glyph with pdfplumber: two words that overprint (a long compound running into the
next table column) have glyphs whose boxes cover each other, which a text search cannot see.
"""

import io
from collections.abc import Iterator

import pdfplumber
from pypdf import PdfReader

# Share of the smaller glyph two glyphs must cover of each other, across and down, to count as
# printed over each other.
COVERED = 0.25


def _glyphs(page) -> list[dict]:
    """Return the page's visible glyphs by their left edge, each with its place in the stream."""
    glyphs = [{**c, "order": n} for n, c in enumerate(page.chars) if c["text"].strip()]
    return sorted(glyphs, key=lambda c: c["x0"])


def _covers(a: dict, b: dict) -> bool:
    across = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    width = min(a["x1"] - a["x0"], b["x1"] - b["x0"])
    height = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
    return across > COVERED * width and down > COVERED * height


def _line(glyphs: list[dict], glyph: dict) -> str:
    """Return the text printed on the same line as the glyph, to show where an overlap is."""
    same = [g for g in glyphs if abs(g["top"] - glyph["top"]) < 1]
    return "".join(g["text"] for g in sorted(same, key=lambda g: g["x0"]))


def overlaps(data: bytes) -> Iterator[str]:
    """Yield a description of each pair of glyphs printed over each other, and of each glyph off
    the paper, page by page."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            glyphs = _glyphs(page)
            for i, a in enumerate(glyphs):
                if a["x0"] < 0 or a["x1"] > page.width or a["bottom"] > page.height:
                    yield f"page {number}: {a['text']!r} is off the paper in {_line(glyphs, a)!r}"
                for b in glyphs[i + 1 :]:
                    if b["x0"] >= a["x1"]:
                        break
                    # Neighbours in the text stream are one word's letters: a kerned pair
                    # ("Y-", "r.") has boxes that touch, yet is set that way on purpose.
                    if abs(a["order"] - b["order"]) > 1 and _covers(a, b):
                        yield (
                            f"page {number}: {a['text']!r} in {_line(glyphs, a)!r} and "
                            f"{b['text']!r} in {_line(glyphs, b)!r} overlap"
                        )


def page_texts(data: bytes) -> list[str]:
    """Return each page's text, its whitespace (no-break spaces too) collapsed to single spaces."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def page_words(data: bytes) -> list[list[dict]]:
    """Return each page's words with their boxes (a no-break space separates words too)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_words() for page in pdf.pages]


def link_targets(data: bytes) -> set[str]:
    """Return the addresses the PDF's link annotations point to."""
    targets = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.add(str(action["/URI"]))
    return targets
