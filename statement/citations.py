"""Legal references kept on one line: "16 art.", "art. 21", "12 artiklan 3 kohta", "200 §".

A line break inside a reference ("(16" at the end of one line, "art.)" at the start of the next)
makes it hard to read, so the space between a number and its unit becomes a no-break space.
Only the pairs are bound, not a whole reference: "6 artiklan 1 kohdan b alakohta" may still break
between its pairs, or it would not fit a narrow table column.

A suspended hyphen ("Markkinointiluvat ja -kiellot") is bound to its word too: a line ending in
"ja -" reads as a typing error.
"""

import re

NBSP = "\u00a0"
WORD_JOINER = "\u2060"

_NUMBER = r"\d+(?:[.:]\d+)*(?:\(\d+\))*(?:\([a-z]\))*"
# Units written after the number, in Finnish, Swedish and English.
_AFTER = (
    r"art\.|artikla\w*|artikel\w*|kohta|kohda\w*|k\.|alakohta|alakohda\w*|mom\.|momen\w*"
    r"|luku|luvun|§|punkt\w*|led\w*|stycket|st\.|kap\."
)
# Units written before the number.
_BEFORE = r"[Aa]rts?\.|[Aa]rticles?|[Aa]rtikel|[Aa]rtiklarna|§|[Ss]ection"

_NUMBER_THEN_UNIT = re.compile(rf"(?<![\w.])({_NUMBER}(?: [a-z])?) (?=(?:{_AFTER})(?!\w))")
_UNIT_THEN_NUMBER = re.compile(rf"(?<![\w.])({_BEFORE}) (?={_NUMBER})")
# A point of a paragraph after its number or unit ("6 art. 1 b)", "17 art. 3 k. e", "6.1 b,"),
# and a point before its unit ("b alakohta"); a lone letter elsewhere ("3 a day") is left alone.
_POINT = re.compile(rf"((?<![\w.]){_NUMBER}|(?<!\w)k\.) (?=[a-h](?:[),.;:]|$))")
_POINT_THEN_UNIT = re.compile(r"(?<![\w.-])([a-h]) (?=(?:alakoh|punkt|led)\w*)")
_SUSPENDED_HYPHEN = re.compile(r"(?<!\S)-(?=\w)")
_TAG = re.compile(r"(<[^>]*>)")


def keep_citations_together(text: str) -> str:
    """Return the text with a no-break space inside each legal reference's number–unit pair."""
    text = _NUMBER_THEN_UNIT.sub(lambda m: m.group(1).replace(" ", NBSP) + NBSP, text)
    text = _UNIT_THEN_NUMBER.sub(rf"\1{NBSP}", text)
    text = _POINT_THEN_UNIT.sub(rf"\1{NBSP}", text)
    return _POINT.sub(rf"\1{NBSP}", text)


def keep_suspended_hyphens(text: str) -> str:
    """Return the text with each suspended hyphen ("ja -kiellot") joined to its word."""
    return _SUSPENDED_HYPHEN.sub(f"-{WORD_JOINER}", text)


def keep_together_in_html(html: str) -> str:
    """Return an HTML fragment whose references and suspended hyphens do not break across lines.

    Only the text is changed; tags and attribute values are left as they are.
    """
    return "".join(
        part if part.startswith("<") else keep_suspended_hyphens(keep_citations_together(part))
        for part in _TAG.split(html)
    )
