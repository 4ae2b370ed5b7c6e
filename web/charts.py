"""Bar charts drawn on the server as inline SVG, with text a reader and a test see.

Each bar is a <rect> with `data-label` (the row's words), `data-key` (the
row's value in the JSON), `data-series` and `data-value` (the number drawn);
its width is proportional to that number. A row without a number (no data)
gets no bar, only the words "no data". A stacked chart draws one bar per row,
each series a segment of it, so its segments carry the same attributes.
"""

from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 480
LABEL_WIDTH = 190
VALUE_WIDTH = 84
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
BAR_HEIGHT = 16
ROW_GAP = 10
TOP = 30
COLOURS = ("#1f5fbf", "#b35c00", "#1e7a3c", "#6a3d9a")
# Service-level states: met, running, paused, at risk, breached.
STATE_COLOURS = ("#1e7a3c", "#1f5fbf", "#8a8f98", "#b35c00", "#b3261e")


def bar_chart(
    chart_id, title, rows, series, label="label", words=None, fmt=str, top=None
):
    """Horizontal bars for `rows` (dicts): one bar per (field, legend) of
    `series`, for the row whose key is its `label` field.

    `words` names a row for people: a field of the row, or a dict from keys
    to words (by default the key itself). `fmt` writes a value for people;
    `top` is the value a full-width bar stands for (by default the largest
    value drawn).
    """
    values = [row[field] for row in rows for field, _ in series]
    scale = top or max((v for v in values if v is not None), default=0)
    row_height = len(series) * BAR_HEIGHT + ROW_GAP
    height = TOP + len(rows) * row_height
    parts = [
        Markup(
            '<svg class="chart" id="{0}" role="img" aria-labelledby="{0}-title" '
            'viewBox="0 0 {1} {2}" width="100%" font-size="13" '
            'font-family="system-ui, sans-serif">'
        ).format(chart_id, WIDTH, height),
        Markup('<title id="{}-title">{}</title>').format(chart_id, title),
        _legend(series),
    ]
    for index, row in enumerate(rows):
        key = row[label]
        said = _words(row, key, words)
        y = TOP + index * row_height
        parts.append(_label(said, y + len(series) * BAR_HEIGHT / 2 + 4))
        for offset, (field, legend) in enumerate(series):
            bar = Bar(said, key, field, legend, COLOURS[offset % len(COLOURS)])
            parts.append(bar.draw(row[field], y + offset * BAR_HEIGHT, scale, fmt))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _words(row, key, words):
    if isinstance(words, str):
        return row[words]
    return (words or {}).get(key, "Not set" if key is None else key)


def stacked_chart(
    chart_id, title, rows, series, label="label", words=None, part=None, colours=None
):
    """One horizontal bar per row of `rows`, split into a segment per (field,
    legend) of `series`, with the row's total after it.

    `part` names a field of each row that holds the numbers (for example one
    clock's counts); without it they are the row's own fields. `words` is as
    for bar_chart. A full-width bar stands for the largest total.
    """
    colours = colours or COLOURS
    counts = [row[part] if part else row for row in rows]
    totals = [sum(numbers[field] for field, _ in series) for numbers in counts]
    scale = max(totals, default=0)
    height = TOP + len(rows) * (BAR_HEIGHT + ROW_GAP)
    parts = [
        Markup(
            '<svg class="chart stacked" id="{0}" role="img" '
            'aria-labelledby="{0}-title" viewBox="0 0 {1} {2}" width="100%" '
            'font-size="13" font-family="system-ui, sans-serif">'
        ).format(chart_id, WIDTH, height),
        Markup('<title id="{}-title">{}</title>').format(chart_id, title),
        _legend(series, colours, x=8, always=True),
    ]
    for index, (row, numbers) in enumerate(zip(rows, counts, strict=True)):
        key = row[label]
        said = _words(row, key, words)
        y = TOP + index * (BAR_HEIGHT + ROW_GAP)
        parts.append(_label(said, y + BAR_HEIGHT / 2 + 4))
        drawn = 0
        for offset, (field, legend) in enumerate(series):
            segment = Bar(said, key, field, legend, colours[offset % len(colours)])
            parts.append(segment.segment(numbers[field], drawn, y, scale))
            drawn += numbers[field]
        end = _width(drawn, scale)
        parts.append(
            Markup('<text x="{}" y="{}">{}</text>').format(
                LABEL_WIDTH + end + 4, y + BAR_HEIGHT - 4, drawn
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _width(value, scale):
    return round(value / scale * PLOT_WIDTH, 2) if scale else 0


def _legend(series, colours=COLOURS, x=LABEL_WIDTH, always=False):
    if len(series) < 2 and not always:
        return Markup("")
    items = []
    for offset, (_, legend) in enumerate(series):
        items.append(
            Markup(
                '<rect x="{0}" y="6" width="12" height="12" fill="{1}"/>'
                '<text x="{2}" y="17">{3}</text>'
            ).format(x, colours[offset % len(colours)], x + 16, legend)
        )
        x += 24 + 8 * len(legend)
    return Markup('<g class="legend">{}</g>').format(Markup("").join(items))


def _label(words, y):
    return Markup('<text x="{}" y="{}" text-anchor="end">{}</text>').format(
        LABEL_WIDTH - 8, y, words
    )


@dataclass
class Bar:
    """One bar of a row: whose it is, which series, and its colour."""

    words: str
    key: object
    field: str
    legend: str
    colour: str

    def draw(self, value, y, scale, fmt):
        """The bar for `value` at height `y`, full width at `scale`, and its text."""
        text_y = y + BAR_HEIGHT - 4
        if value is None:
            return Markup('<text x="{}" y="{}">no data</text>').format(
                LABEL_WIDTH + 4, text_y
            )
        width = _width(value, scale)
        said = fmt(value)
        text = Markup('<text x="{}" y="{}">{}</text>').format(
            LABEL_WIDTH + width + 4, text_y, said
        )
        return self._rect(LABEL_WIDTH, y, width, value, said) + text

    def segment(self, value, before, y, scale):
        """The part of a stacked bar at height `y` for `value`, after the
        segments worth `before`; a zero value is a bar of no width."""
        start = _width(before, scale)
        width = round(_width(before + value, scale) - start, 2)
        return self._rect(round(LABEL_WIDTH + start, 2), y, width, value, value)

    def _rect(self, x, y, width, value, said):
        return Markup(
            '<rect x="{x}" y="{y}" width="{width}" height="{height}" '
            'fill="{colour}" data-label="{words}" data-key="{key}" '
            'data-series="{field}" data-value="{value}">'
            "<title>{words}, {legend}: {said}</title></rect>"
        ).format(
            x=x,
            y=y,
            width=width,
            height=BAR_HEIGHT - 2,
            colour=self.colour,
            words=self.words,
            key="" if self.key is None else self.key,
            field=self.field,
            value=value,
            legend=self.legend,
            said=said,
        )


def duration(seconds):
    """A time in the unit a person reads: '45 s', '12 min', '3.5 h', '2.1 days'."""
    if seconds is None:
        return "no data"
    if seconds < 1:
        return "under 1 s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def percent(share):
    """A share as a percentage: 0.25 -> '25%'."""
    return "no data" if share is None else f"{share * 100:.0f}%"
