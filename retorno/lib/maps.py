"""World maps that shade each country by a number, drawn on the server as inline SVG.

Made like the charts of `retorno.lib.charts` (one `<svg>` element, text as `<text>`,
escaped and never read as math, deterministic, responsive, `role="img"`, kept in the
cache under a hash of what it is drawn from), from the country boundaries shipped in
`data/world-110m.json` (Natural Earth 1:110m, public domain; `data/README.md` and
`tools/build-world-map` say where they come from). Nothing is fetched.

Choices, so that a map reads the same on a screen and on paper:

- The projection is Equal Earth (Šavrič, Patterson and Jenny, 2018): equal-area, so a
  large country does not look like more returns than a small one, and the usual look of
  a world map. Its formula is a few lines (`_equal_earth`); PROJ's `eqearth` gives the
  same coordinates. Antarctica is left out (it is not in the data file).
- Countries are shaded in at most five classes, not on a continuous scale: the legend
  then names each shade, and neighbouring shades stay apart in print. The breaks are the
  quantiles of the values (each class holds about as many countries), rounded to two
  significant digits so they are easy to read; a value on a break falls in the lower
  class. With five distinct values or fewer each value is its own class. Zero is a value
  and is shaded; a country without one (absent or None) has the neutral "no data" fill.
- Every country carries `data-country="IRQ"` and a `<title>` with its name and value
  (a tooltip in a browser), so the map can be read and tested per country.
- A value for a country too small for a 1:110m map (Malta, Bahrain, Singapore...)
  counts for the classes and is named in a note under the map.
"""

import functools
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

import matplotlib
import numpy as np
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from matplotlib import colormaps
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath

from retorno.lib.charts import _STYLE, _cached, _render, _salt
from retorno.lib.codes import country_name

DATA = Path(__file__).resolve().parent / "data" / "world-110m.json"

WIDTH = 6.4  # inches, as the charts
TITLE_HEIGHT = 0.35  # inches above the map
NOTE_HEIGHT = 0.25  # inches below it, when some values are not on the map
NOTE_COUNTRIES = 6  # named in that note, largest values first
CLASSES = 5
EDGE = "#b0b0b0"
NO_DATA = "#f0f0f0"
# Where the classes sit on the colour map: the palest end of most sequential maps is too
# close to the "no data" fill, the darkest too close to black in print.
LIGHTEST, DARKEST = 0.3, 0.95
# Codes Natural Earth draws that pycountry (ISO 3166-1) does not name.
NAMES = {"XKX": gettext_lazy("Kosovo")}

_MARK = "retorno-country:"  # a placeholder url on each country, replaced in the SVG
_LINK = re.compile(r'<a xlink:href="' + re.escape(_MARK) + r'(\w+)" target="_blank">')
_XLINK = re.compile(r'\s+xmlns:xlink="[^"]*"')
_PATH_DATA = re.compile(r'\sd="([^"]*)"')
_COMMAND_SPACE = re.compile(r"\s*([MLz])\s*")


@functools.cache
def _boundaries() -> dict[str, list[list[list[list[float]]]]]:
    with DATA.open(encoding="utf-8") as source:
        return json.load(source)


def countries() -> frozenset[str]:
    """The alpha-3 codes the map can shade (ISO 3166-1, and "XKX" for Kosovo)."""
    return frozenset(_boundaries())


def _equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal Earth on the unit sphere (Šavrič, Patterson and Jenny, 2018, eq. 2)."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    m = math.sqrt(3) / 2
    theta = np.arcsin(m * np.sin(np.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = np.radians(lon) * np.cos(theta) / (m * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return x, y


@functools.cache
def _outlines() -> tuple[tuple[str, ...], tuple[MplPath, ...], float]:
    """Each country's outline in points (1/72 inch) on a map WIDTH inches wide, rounded
    to a tenth of a point (the SVG then writes short numbers) and the map's height.

    Each ring is one MOVETO and LINETOs closed by CLOSEPOLY; SVG's nonzero fill rule
    keeps the holes (the data file orients them against their outer ring)."""
    boundaries = _boundaries()
    rings = [(code, np.asarray(ring, dtype=float))
             for code, polygons in sorted(boundaries.items())
             for polygon in polygons for ring in polygon]
    projected = [(code, np.column_stack(_equal_earth(ring[:, 0], ring[:, 1])))
                 for code, ring in rings]
    everything = np.concatenate([xy for _code, xy in projected])
    low, high = everything.min(axis=0), everything.max(axis=0)
    margin = 0.02 * (high[0] - low[0])
    low, high = low - margin, high + margin
    scale = WIDTH * 72 / (high[0] - low[0])
    height = round(float((high[1] - low[1]) * scale), 1)

    vertices: dict[str, list[np.ndarray]] = {}
    codes: dict[str, list[np.ndarray]] = {}
    for code, xy in projected:
        points = np.round((xy - low) * scale, 1)
        keep = np.ones(len(points), dtype=bool)  # what rounding made repeat, once
        keep[1:] = np.any(points[1:] != points[:-1], axis=1)
        points = points[keep]
        if len(points) > 1 and np.array_equal(points[0], points[-1]):
            points = points[:-1]  # CLOSEPOLY closes it
        if len(points) < 3:
            continue
        ring_codes = np.full(len(points) + 1, MplPath.LINETO, dtype=MplPath.code_type)
        ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
        vertices.setdefault(code, []).append(np.vstack([points, points[:1]]))
        codes.setdefault(code, []).append(ring_codes)
    names = tuple(sorted(vertices))
    paths = tuple(MplPath(np.concatenate(vertices[code]), np.concatenate(codes[code]))
                  for code in names)
    return names, paths, height


def _number(value: float | int | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _two_digits(value: float) -> float:
    if value == 0:
        return 0.0
    return round(value, 1 - math.floor(math.log10(abs(value))))


def breaks(values: list[float], classes: int = CLASSES) -> list[float]:
    """The upper bound of each class, lowest first; the last is the largest value.

    Quantile breaks rounded to two significant digits; each distinct value its own
    class when there are no more of them than classes."""
    distinct = sorted(set(values))
    if len(distinct) <= classes:
        return distinct
    ordered = np.sort(np.asarray(values, dtype=float))
    quantiles = np.quantile(ordered, [i / classes for i in range(1, classes)],
                            method="inverted_cdf")
    rounded = {_two_digits(float(q)) for q in quantiles}
    inner = sorted(b for b in rounded if distinct[0] <= b < distinct[-1])
    return [*inner, distinct[-1]]


def _decimals(values: list[float]) -> int:
    """Decimal places for every number of one map: none when all values are whole (a
    count), else enough to show the smallest to two significant digits."""
    if all(float(v).is_integer() for v in values):
        return 0
    smallest = min((abs(v) for v in values if v), default=1.0)
    return max(0, min(4, 1 - math.floor(math.log10(smallest))))


def _show(number: float, places: int) -> str:
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def _labels(values: list[float], upper: list[float], places: int) -> list[str]:
    """"3", "10" when each value is its own class; else "1–4", "5–19"... for counts and
    "0.10–0.25", "0.25–0.50"... otherwise (a value on a break is in the lower class)."""
    if len(upper) == len(set(values)):
        return [_show(u, places) for u in upper]
    labels = []
    for i, high in enumerate(upper):
        if i == 0:
            low = min(values)
        else:
            low = upper[i - 1] + 1 if places == 0 else upper[i - 1]
        labels.append(_show(high, places) if low == high else
                      _("%(low)s–%(high)s") % {"low": _show(low, places),
                                              "high": _show(high, places)})
    return labels


def world_map(values: Mapping[str, float | int | None], *, title: str, legend: str,
              colormap: str = "Blues", classes: int = CLASSES) -> str:
    """A world map with each country in `values` (alpha-3 code -> number) shaded by its
    class on `colormap` (a sequential matplotlib colour map), the others in the "no
    data" fill, and a legend titled `legend`. Labels and numbers are in the active
    language."""
    clean = tuple(sorted((str(code), _number(value)) for code, value in values.items()))
    return _world_map(clean, title=title, legend=legend, colormap=colormap,
                      classes=classes, language=get_language() or "")


@_cached
def _world_map(values: tuple[tuple[str, float | None], ...], *, title: str, legend: str,
               colormap: str, classes: int, language: str) -> str:
    names, paths, map_height = _outlines()
    known = set(names)
    given = {code: value for code, value in values if value is not None}
    places = _decimals(list(given.values()))
    upper = breaks(list(given.values()), classes)
    labels = _labels(list(given.values()), upper, places)
    cmap = colormaps[colormap]
    shades = [matplotlib.colors.to_hex(cmap(LIGHTEST + (DARKEST - LIGHTEST) * i
                                            / max(1, len(upper) - 1)))
              for i in range(len(upper))]

    def shade(code: str) -> str:
        value = given.get(code)
        if value is None:
            return NO_DATA
        return shades[int(np.searchsorted(upper, value, side="left"))]

    elsewhere = sorted((code for code in given if code not in known),
                       key=lambda code: (-given[code], code))
    note_height = NOTE_HEIGHT if elsewhere else 0.0
    height = map_height / 72 + TITLE_HEIGHT + note_height

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(WIDTH, height))
        FigureCanvasSVG(figure)
        axes = figure.add_axes((0, note_height / height, 1, map_height / 72 / height))
        axes.set_axis_off()
        axes.set_xlim(0, WIDTH * 72)
        axes.set_ylim(0, map_height)
        collection = PathCollection(list(paths), facecolors=[shade(c) for c in names],
                                    edgecolors=EDGE, linewidths=0.3, clip_on=False)
        collection.set_urls([_MARK + code for code in names])
        axes.add_collection(collection, autolim=False)
        handles = [Patch(facecolor=colour, edgecolor=EDGE, linewidth=0.3, label=label)
                   for colour, label in zip(shades, labels, strict=True)]
        handles.append(Patch(facecolor=NO_DATA, edgecolor=EDGE, linewidth=0.3,
                             label=_("No data")))
        axes.legend(handles=handles, title=legend, loc="lower left", frameon=False,
                    fontsize=7, title_fontsize=7.5, alignment="left",
                    handlelength=1.4, handleheight=1.0, borderaxespad=0.2)
        if title:
            figure.text(0.5, 1 - 0.5 * TITLE_HEIGHT / height, title, ha="center",
                        va="center", fontsize=10)
        if elsewhere:
            shown = [f"{_name(code)} ({_show(given[code], places)})"
                     for code in elsewhere[:NOTE_COUNTRIES]]
            if len(elsewhere) > NOTE_COUNTRIES:
                shown.append(_("%(count)s more") % {
                    "count": _show(len(elsewhere) - NOTE_COUNTRIES, 0)})
            figure.text(0.01, 0.5 * note_height / height,
                        _("Not on the map: %(countries)s") % {"countries": ", ".join(shown)},
                        ha="left", va="center", fontsize=7, color="#444444")

    svg = _render(figure, title, _salt("map", values, title, legend, colormap, classes,
                                       language))
    return _countries_marked(svg, {code: given.get(code) for code in names}, places)


def _compact(match: re.Match[str]) -> str:
    return f' d="{_COMMAND_SPACE.sub(r"\1", match.group(1))}"'


def _name(code: str) -> str:
    return str(NAMES[code]) if code in NAMES else country_name(code)


def _countries_marked(svg: str, values: Mapping[str, float | None], places: int) -> str:
    """matplotlib links each country to its placeholder url; make each link a group with
    the country's code and a `<title>` instead, so nothing in the map points anywhere."""
    def group(match: re.Match[str]) -> str:
        code = match.group(1)
        value = values.get(code)
        shown = _("no data") if value is None else _show(value, places)
        text = _("%(country)s: %(value)s") % {"country": _name(code), "value": shown}
        return f'<g data-country="{code}"><title>{escape(text)}</title>'

    svg = _LINK.sub(group, svg).replace("</a>", "</g>")
    # "M 305.5 82.3 \nL 305.2 82.2 \n": a quarter of the bytes of ten thousand points
    svg = _PATH_DATA.sub(_compact, svg)
    if "xlink:" not in svg.replace('xmlns:xlink="', ""):
        svg = _XLINK.sub("", svg, count=1)
    return svg
