"""Bar charts as inline SVG, drawn on the server: they need no JavaScript and print as drawn.

Only presentation attributes (fill, font-size …): the strict Content Security Policy allows
no style attributes. Each chart names itself with <title> and sums itself up in <desc>; the
table beside it holds every figure for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

WIDTH = 640
LABEL_WIDTH = 240
VALUE_WIDTH = 70
ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_CHARACTERS = 30
# GOV.UK blue and text colour: 4.5:1 or more against white, also in greyscale print.
BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"


def _short(label: str) -> str:
    """A label that fits the chart; the table beside it has the whole one."""
    if len(label) <= LABEL_CHARACTERS:
        return label
    return label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def bar_chart(
    *, chart_id: str, title: str, bars: Sequence[tuple[str, float]], unit: str
) -> SafeString:
    """A horizontal bar chart of ``bars`` (label, value), longest bar the largest value."""
    largest = max((value for _label, value in bars), default=0)
    if largest > 0:
        top_label, top_value = max(bars, key=lambda bar: bar[1])
        summary = gettext("Largest: %(label)s, %(value)s %(unit)s.") % {
            "label": top_label,
            "value": _number(top_value),
            "unit": unit,
        }
    else:
        summary = gettext("No figures in this period.")
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / largest if largest > 0 else 0
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    rows = []
    for index, (label, value) in enumerate(bars):
        y = 4 + index * ROW_HEIGHT
        bar_width = round(value * scale, 1)
        rows.append(
            (
                LABEL_WIDTH - 8,
                y + 18,
                TEXT_COLOUR,
                _short(label),
                LABEL_WIDTH,
                y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                bar_width,
                BAR_HEIGHT,
                BAR_COLOUR,
                LABEL_WIDTH + bar_width + 6,
                y + 18,
                TEXT_COLOUR,
                _number(value),
            )
        )
    body = format_html_join(
        "\n",
        '<g><text x="{}" y="{}" text-anchor="end" font-size="14" fill="{}">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="14" fill="{}">{}</text></g>',
        rows,
    )
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}"'
        ' width="100%" preserveAspectRatio="xMinYMin meet"'
        ' aria-labelledby="{}-title" aria-describedby="{}-desc" font-family="sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>\n{}\n</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        summary,
        body,
    )
