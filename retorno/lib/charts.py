"""Small charts drawn on the server as inline SVG (matplotlib, Agg-free SVG backend).

The pages show the same numbers as a table beside each chart; the chart is a picture of
them, not the only way to read them. Each function returns one `<svg>` element as a
string, ready to be put into a page:

- text is kept as `<text>` (`svg.fonttype = "none"`), in the browser's own sans-serif
  font: no font file and no URL is embedded or referred to;
- every text (title, labels, legend) is escaped by matplotlib's SVG writer and is never
  read as matplotlib math (`$...$`), so a label may safely be anything a user typed;
- the output is deterministic (`svg.hashsalt`, no date in the metadata): the same
  numbers give the same bytes, and a page can hold several charts; so each chart is
  kept in Django's cache for a day under a hash of what it is drawn from, and drawn
  (tens of milliseconds in matplotlib) only when its numbers change;
- the root element is responsive (no fixed width or height, its `viewBox` kept), has
  `role="img"` and the title as its accessible name.

It knows no domain: callers pass labels and numbers.
"""

import functools
import hashlib
import io
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib
from django.core.cache import cache
from django.utils.html import escape
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

SIZE = (6.4, 3.2)  # inches
_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "retorno",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # only for measuring: the SVG names "sans-serif"
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
_SVG_START = re.compile(r"<svg\b[^>]*>", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
_ID = re.compile(r'\sid="([^"]+)"')
_DIMENSION = re.compile(r'\s(?:width|height)="[^"]*"')


def _figure() -> Figure:
    figure = Figure(figsize=SIZE, layout="constrained")
    FigureCanvasSVG(figure)
    return figure


def _literal(figure: Figure) -> None:
    """Never read a label as matplotlib math: `$x$` stays the text "$x$"."""
    for text in figure.findobj(Text):
        text.set_parse_math(False)


def _render(figure: Figure, title: str, salt: str) -> str:
    _literal(figure)
    out = io.StringIO()
    with matplotlib.rc_context({**_STYLE, "svg.hashsalt": f"retorno-{salt}"}):
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    start = _SVG_START.search(svg)
    if start is None:  # pragma: no cover - matplotlib always writes one
        return ""
    root = _DIMENSION.sub("", start.group(0))
    label = escape(title) if title else ""
    root = root.replace("<svg", '<svg role="img" preserveAspectRatio='
                        f'"xMidYMid meet" aria-label="{label}"', 1)
    body = _METADATA.sub("", svg[start.end():])
    # matplotlib names every group ("figure_1", "axes_1"...): the same names in every
    # chart, so two charts on one page would repeat them. Keep only the ids something
    # refers to (the clip paths, whose names are hashed from the content and the salt).
    body = _ID.sub(lambda m: m.group(0) if f"#{m.group(1)}" in body else "", body)
    return (root + body).strip()


def _salt(*parts: object) -> str:
    """A short stable salt from the chart's content, so two charts on one page never
    share the ids of their clip paths."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:10]


# Drawing a chart takes matplotlib tens of milliseconds; the same numbers give the same
# bytes, so each chart is kept in the cache under a hash of everything it is drawn from.
CACHE_SECONDS = 24 * 3600


def _cached(draw: Callable[..., str]) -> Callable[..., str]:
    @functools.wraps(draw)
    def cached(*args: Any, **kwargs: Any) -> str:
        key = "retorno.charts:" + hashlib.sha256(
            repr((draw.__name__, args, sorted(kwargs.items()))).encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = draw(*args, **kwargs)
            cache.set(key, svg, CACHE_SECONDS)
        return svg
    return cached


def _number(value: float | None) -> float:
    if value is None:
        return math.nan
    return float(value)


@_cached
def line_chart(series: dict[str, list[tuple[str, float | None]]], *, y_max: float = 1.0,
               title: str = "") -> str:
    """One line per series over shared category labels (e.g. survey rounds), in the order
    the labels first appear. A None value is a gap, not a zero."""
    labels: list[str] = []
    for points in series.values():
        for label, _value in points:
            if label not in labels:
                labels.append(label)
    position = {label: i for i, label in enumerate(labels)}
    with matplotlib.rc_context(_STYLE):
        figure = _figure()
        axes = figure.add_subplot()
        for name, points in series.items():
            xs = [position[label] for label, _v in points]
            ys = [_number(v) for _l, v in points]
            axes.plot(xs, ys, marker="o", label=name, clip_on=False)
        axes.set_xticks(range(len(labels)), labels)
        if len(labels) > 3:  # long category labels would overlap
            axes.tick_params(axis="x", labelrotation=30)
            for tick in axes.get_xticklabels():
                tick.set_horizontalalignment("right")
        axes.set_ylim(0, y_max)
        if len(labels) == 1:
            axes.set_xlim(-0.5, 0.5)
        if title:
            axes.set_title(title)
        if series:
            axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return _render(figure, title, _salt("line", series, y_max, title))


@_cached
def bar_chart(labels: Sequence[str], values: Sequence[float | None], *,
              title: str = "", y_max: float | None = None, counts: bool = False) -> str:
    """One bar per label; a None value draws no bar. `counts`: whole numbers on the
    axis (no 0.5 of a complaint)."""
    with matplotlib.rc_context(_STYLE):
        figure = _figure()
        axes = figure.add_subplot()
        heights = [0.0 if v is None else float(v) for v in values]
        axes.bar(range(len(labels)), heights)
        axes.set_xticks(range(len(labels)), list(labels))
        if counts:
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        if y_max is not None:
            axes.set_ylim(0, y_max)
        if title:
            axes.set_title(title)
    return _render(figure, title, _salt("bar", list(labels), list(values), title, y_max,
                                        counts))


@_cached
def histogram(values: Sequence[float], *, bins: int = 10,
              value_range: tuple[float, float] | None = (0.0, 1.0), title: str = "",
              x_label: str = "", y_label: str = "") -> str:
    """How many values fall in each of `bins` equal bins over `value_range`."""
    with matplotlib.rc_context(_STYLE):
        figure = _figure()
        axes = figure.add_subplot()
        axes.hist([float(v) for v in values if v is not None], bins=bins,
                  range=value_range)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # how many: whole numbers
        if x_label:
            axes.set_xlabel(x_label)
        if y_label:
            axes.set_ylabel(y_label)
        if title:
            axes.set_title(title)
    return _render(figure, title, _salt("hist", list(values), bins, value_range, title))
