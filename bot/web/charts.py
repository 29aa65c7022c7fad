"""Small bar charts for the staff overview, drawn on the server as inline SVG.

The markup is in two templates (staff/chart, staff/chart_bar); this module only
works out where each bar goes. Each label sits above its bar, so the chart stays
narrow and its words stay readable when a phone shrinks it. Labels are escaped by
`render`; there is no script and nothing is fetched.
"""

from __future__ import annotations

from bot.web.pages import render

LABEL_HEIGHT = 18  # px: one line of label text above each bar
BAR_HEIGHT = 16
GAP = 10  # px between one bar and the next label
COUNT_ROOM = 40  # px kept right of the longest bar for its count


def bar_chart(title: str, rows: list[tuple[str, int]], width: int = 320) -> str:
    """A horizontal bar chart of `rows` (label, count), labelled for screen readers."""
    row = LABEL_HEIGHT + BAR_HEIGHT + GAP
    most = max((n for _, n in rows), default=0) or 1
    bars = []
    for i, (label, count) in enumerate(rows):
        top = GAP + i * row
        length = max(round((width - COUNT_ROOM) * count / most), 1 if count else 0)
        bars.append(
            render(
                "staff/chart_bar",
                label=label,
                label_y=top + 14,
                bar_y=top + LABEL_HEIGHT,
                length=length,
                bar_height=BAR_HEIGHT,
                count=count,
                count_x=length + 6,
                count_y=top + LABEL_HEIGHT + 13,
            )
        )
    height = max(len(rows), 1) * row + GAP
    return render("staff/chart", title=title, width=width, height=height, bars_html="".join(bars))
