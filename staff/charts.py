"""Charts drawn on the server as inline SVG, readable without colour.

Every bar carries its number as text, series are told apart by fill patterns as well as shade
and named in a legend, each chart has a <title> for screen readers, and the dashboard puts a
table of the same figures under every chart. Only presentation attributes are used (no style
attributes), so the Content-Security-Policy's style-src 'self' holds.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

BAR_WIDTH = 320
LABEL_WIDTH = 170

# Fill patterns, drawn in the text colour, so each series is recognisable in greyscale too.
PATTERNS = (
    "solid",
    '<path d="M0,6 L6,0" stroke="currentColor" stroke-width="1.5"/>',
    '<circle cx="3" cy="3" r="1.3" fill="currentColor"/>',
    '<path d="M0,0 L6,6 M6,0 L0,6" stroke="currentColor" stroke-width="1"/>',
    '<path d="M0,3 L6,3" stroke="currentColor" stroke-width="1.5"/>',
    '<path d="M3,0 L3,6" stroke="currentColor" stroke-width="1.5"/>',
)


@dataclass(frozen=True)
class Series:
    """One named series of a stacked chart: a value per category."""

    label: str
    values: Sequence[int]


def _defs(prefix: str, count: int) -> SafeString:
    patterns = format_html_join(
        "",
        '<pattern id="{}-{}" patternUnits="userSpaceOnUse" width="6" height="6">{}</pattern>',
        (
            (prefix, i, mark_safe(PATTERNS[i % len(PATTERNS)]))  # noqa: S308 (constants above)
            for i in range(count)
            if PATTERNS[i % len(PATTERNS)] != "solid"
        ),
    )
    return format_html("<defs>{}</defs>", patterns)


def _fill(prefix: str, index: int) -> str:
    if PATTERNS[index % len(PATTERNS)] == "solid":
        return "currentColor"
    return f"url(#{prefix}-{index})"


def _svg(title: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        'xmlns="http://www.w3.org/2000/svg" class="dashboard-chart"><title>{t}</title>{b}</svg>',
        w=width,
        h=height,
        t=title,
        b=body,
    )


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, int]],
    *,
    key: str = "bars",
    emphasised: Sequence[int] = (),
) -> SafeString:
    """Return a horizontal bar chart; `emphasised` rows (e.g. overdue) are cross-hatched.

    `key` names the chart's patterns; it must be unique on the page.
    """
    prefix = key
    height = 24 * len(rows) + 8
    top = max((n for _label, n in rows), default=0) or 1
    bars = format_html_join(
        "",
        '<text x="0" y="{y}" font-size="12" fill="currentColor">{label}</text>'
        '<rect x="{x}" y="{top}" width="{w}" height="16" fill="{fill}" stroke="currentColor" '
        'fill-opacity="{opacity}"></rect>'
        '<text x="{tx}" y="{y}" font-size="12" fill="currentColor">{n}</text>',
        (
            {
                "y": 24 * i + 18,
                "label": label,
                "x": LABEL_WIDTH,
                "top": 24 * i + 5,
                "w": max(1, round(BAR_WIDTH * n / top)) if n else 0,
                "fill": _fill(prefix, 3) if i in emphasised else "currentColor",
                "opacity": "1" if i in emphasised else "0.45",
                "tx": LABEL_WIDTH + 6 + round(BAR_WIDTH * n / top),
                "n": n,
            }
            for i, (label, n) in enumerate(rows)
        ),
    )
    body = format_html("{}{}", _defs(prefix, 4), bars)
    return _svg(title, LABEL_WIDTH + BAR_WIDTH + 60, height, body)


def stacked_columns(
    title: str, categories: Sequence[str], series: Sequence[Series], *, key: str
) -> SafeString:
    """Return a column per category with one patterned segment per series, totals on top.

    `key` names the chart's patterns; it must be unique on the page.
    """
    column, gap, plot_height, top_margin = 30, 14, 140, 18
    left = 4
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = max(totals, default=0) or 1
    width = left + len(categories) * (column + gap)
    legend_top = top_margin + plot_height + 34
    parts = []
    for i, category in enumerate(categories):
        x = left + i * (column + gap)
        y = top_margin + plot_height
        for index, s in enumerate(series):
            value = s.values[i]
            if not value:
                continue
            h = max(1, round(plot_height * value / peak))
            y -= h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="currentColor">'
                    "<title>{} {}: {}</title></rect>",
                    x,
                    y,
                    column,
                    h,
                    _fill(key, index),
                    category,
                    s.label,
                    value,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="currentColor">{}'
                "</text>",
                x + column // 2,
                y - 4,
                totals[i],
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="currentColor">{}'
                "</text>",
                x + column // 2,
                top_margin + plot_height + 16,
                category,
            )
        )
    for index, s in enumerate(series):
        y = legend_top + 20 * index
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="currentColor"></rect>'
                '<text x="{}" y="{}" font-size="12" fill="currentColor">{}</text>',
                left,
                y,
                _fill(key, index),
                left + 20,
                y + 12,
                s.label,
            )
        )
    height = legend_top + 20 * len(series) + 4
    body = format_html(
        "{}{}", _defs(key, len(series)), format_html_join("", "{}", ((p,) for p in parts))
    )
    return _svg(title, max(width, 260), height, body)
