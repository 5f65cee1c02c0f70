"""References to the GDPR's articles, written one way in each language by one function.

Every article reference a reader sees — the statement, the letters, the access package, the
portal, the staff panel — is made by `cite`, so each language has one citation style
(docs/terminology.md, "Citation style"):

- `Style.FULL`, the first mention in a document: "EU:n yleisen tietosuoja-asetuksen (2016/679)
  6 artiklan 1 kohdan b alakohta", "artikel 6.1 b i EU:s allmänna dataskyddsförordning
  (2016/679)", "Article 6(1)(b) of the EU General Data Protection Regulation (2016/679)";
- `Style.TEXT`, later in running text: "tietosuoja-asetuksen 21 artiklan 3 kohta", "artikel
  21.3 i dataskyddsförordningen", "Article 21(3) GDPR";
- `Style.SHORT`, labels and tables where the regulation is plain from the document: "6 artiklan
  1 kohdan b alakohta", "artikel 6.1 b", "Article 6(1)(b)".

A reference is in the nominative and stands where a noun phrase can: in parentheses after what it
supports, or after a colon; a translated sentence takes it as "%(article)s" rather than writing
it out, so the three languages cannot drift apart.

The grammar of a reference (Finnish "artiklan … kohdan … alakohta", Swedish "6.1 b", English
"6(1)(b)") is not a sentence to translate but a number format, so it is kept here per language,
as Django keeps date formats per locale.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import lazy
from django.utils.translation import get_language


class Style(StrEnum):
    FULL = "full"
    TEXT = "text"
    SHORT = "short"


@dataclass(frozen=True)
class Article:
    """One article, optionally one or more of its paragraphs, and a point of one paragraph."""

    number: str  # "6", or a range "12–22"
    paragraphs: tuple[str, ...] = ()
    point: str = ""

    @property
    def is_plural(self) -> bool:
        return "–" in self.number or len(self.paragraphs) > 1


# "6", "6(1)", "6(1)(b)", "21(2,3)", "12–22", "45-47".
_NOTATION = re.compile(r"^(\d+(?:[–-]\d+)?)(?:\((\d+(?:,\d+)*)\))?(?:\(([a-z])\))?$")


def parse(reference: int | str) -> Article:
    """Return the article a compact reference names: 15, "6(1)(b)", "21(2,3)", "12–22"."""
    match = _NOTATION.match(str(reference).replace(" ", ""))
    if match is None:
        raise ValueError(f"Not an article reference: {reference!r}")
    number, paragraphs, point = match.groups()
    if point and (not paragraphs or "," in paragraphs):
        raise ValueError(f"A point needs exactly one paragraph: {reference!r}")
    return Article(
        number.replace("-", "–"), tuple(paragraphs.split(",")) if paragraphs else (), point or ""
    )


def _joined(parts: list[str], word: str) -> str:
    """Return "a", "a ja b", "a, b ja c" with the language's "and"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def _finnish(articles: list[Article]) -> str:
    if all(not a.paragraphs for a in articles):  # "13 ja 14 artikla", "12–22 artikla"
        return f"{_joined([a.number for a in articles], 'ja')} artikla"
    parts = []
    for a in articles:
        if not a.paragraphs:
            parts.append(f"{a.number} artikla")
        elif a.point:
            parts.append(f"{a.number} artiklan {a.paragraphs[0]} kohdan {a.point} alakohta")
        else:
            parts.append(f"{a.number} artiklan {_joined(list(a.paragraphs), 'ja')} kohta")
    return _joined(parts, "ja")


def _numbers(articles: list[Article], paragraph: str, point: str, word: str) -> str:
    parts = []
    for a in articles:
        if not a.paragraphs:
            parts.append(a.number)
        else:
            parts += [
                a.number + paragraph % p + (point % a.point if a.point else "")
                for p in a.paragraphs
            ]
    return _joined(parts, word)


def _swedish(articles: list[Article]) -> str:
    plural = len(articles) > 1 or any(a.is_plural for a in articles)
    return ("artiklarna " if plural else "artikel ") + _numbers(articles, ".%s", " %s", "och")


def _english(articles: list[Article]) -> str:
    plural = len(articles) > 1 or any(a.is_plural for a in articles)
    return ("Articles " if plural else "Article ") + _numbers(articles, "(%s)", "(%s)", "and")


# Per language: how the articles are written, and the regulation's name in each style, before
# ("{}" is the articles) or after them.
_LANGUAGES = {
    "fi": (
        _finnish,
        {
            Style.FULL: "EU:n yleisen tietosuoja-asetuksen (2016/679) {}",
            Style.TEXT: "tietosuoja-asetuksen {}",
            Style.SHORT: "{}",
        },
    ),
    "sv": (
        _swedish,
        {
            Style.FULL: "{} i EU:s allmänna dataskyddsförordning (2016/679)",
            Style.TEXT: "{} i dataskyddsförordningen",
            Style.SHORT: "{}",
        },
    ),
    "en": (
        _english,
        {
            Style.FULL: "{} of the EU General Data Protection Regulation (2016/679)",
            Style.TEXT: "{} GDPR",
            Style.SHORT: "{}",
        },
    ),
}


def cite(*references: int | str, style: Style = Style.SHORT) -> str:
    """Return a reference to GDPR articles in the active language and the given style.

    `cite("6(1)(b)")` is "6 artiklan 1 kohdan b alakohta" in Finnish, "artikel 6.1 b" in
    Swedish, "Article 6(1)(b)" in English; `cite("5(2)", 32, style=Style.TEXT)` is
    "tietosuoja-asetuksen 5 artiklan 2 kohta ja 32 artikla".
    """
    articles = [parse(r) for r in references]
    language = (get_language() or "fi")[:2]
    write, frames = _LANGUAGES.get(language, _LANGUAGES["fi"])
    return frames[Style(style)].format(write(articles))


cite_lazy = lazy(cite, str)


def _interpolated(message: object, values: dict[str, object]) -> str:
    return str(message) % {key: str(value) for key, value in values.items()}


_interpolated_lazy = lazy(_interpolated, str)


def with_citations(message: object, **values: object) -> str:
    """Return a lazy text: `message` with its "%(name)s" placeholders filled at use.

    For texts declared at import time (the vocabulary, model choices): both the message and the
    references are rendered in the language active when the text is read, not when it is made.
    """
    return _interpolated_lazy(message, values)


def cited(message: object, *references: int | str, style: Style = Style.SHORT) -> str:
    """Return a lazy text: `message` with "%(article)s" filled by `cite(*references, style)`."""
    return with_citations(message, article=cite_lazy(*references, style=style))
