"""Server-drawn SVG charts: safe to put into a page, deterministic, self-contained."""

import re

from defusedxml import ElementTree as ET

from retorno.lib.charts import bar_chart, histogram, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_a_line_chart_is_one_svg_element_with_its_labels_as_text():
    svg = line_chart({"Composite": [("Baseline", 0.4), ("Follow-up", 0.7)],
                      "Economic": [("Baseline", None), ("Follow-up", 0.6)]},
                     title="Scores")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img" and root.get("aria-label") == "Scores"
    assert root.get("viewBox") and root.get("width") is None  # scales with its box
    texts = _texts(svg)
    assert {"Baseline", "Follow-up", "Composite", "Economic", "Scores"} <= set(texts)
    assert "1.0" in texts  # the y axis goes to y_max


def test_user_text_is_escaped_and_never_read_as_math():
    svg = line_chart({"<script>alert(1)</script>": [("$x$ & co", 0.5)]},
                     title='"><script>')
    assert "<script" not in svg
    texts = _texts(svg)
    assert "<script>alert(1)</script>" in texts and "$x$ & co" in texts
    assert ET.fromstring(svg).get("aria-label") == '"><script>'


def test_it_is_deterministic_and_refers_to_nothing_outside():
    series = {"A": [("one", 0.1), ("two", 0.9)]}
    first, second = line_chart(series), line_chart(series)
    assert first == second
    assert "<metadata" not in first and "<image" not in first
    assert not re.search(r"(href|src)=\"https?:|url\(https?:|@font-face|@import", first)
    other = line_chart({"A": [("one", 0.2), ("two", 0.9)]})
    ids = re.findall(r'id="([^"]+)"', first)
    assert ids and all(f"#{i}\"" in first or f"#{i})" in first for i in ids)  # used ones
    assert not set(ids) & set(re.findall(r'id="([^"]+)"', other))  # two charts, one page


def test_bar_chart_and_histogram():
    bars = bar_chart(["Iraq", "Ghana <b>"], [3, None], title="Returns")
    assert "Ghana <b>" in _texts(bars) and "Returns" in _texts(bars)
    ET.fromstring(bars)
    hist = histogram([0.05, 0.15, 0.15, 0.95], bins=10, title="Composite scores",
                     x_label="Score", y_label="Responses")
    texts = _texts(hist)
    assert {"Composite scores", "Score", "Responses"} <= set(texts)
    # four values in three bins: three bars of non-zero height among the ten
    root = ET.fromstring(hist)
    assert root.get("role") == "img"
    assert histogram([], title="Nothing yet").startswith("<svg")


def test_counts_are_whole_numbers_on_the_axis():
    ticks = set(_texts(bar_chart(["Delays", "Travel"], [1, 2], title="Received",
                                 counts=True)))
    assert {"0", "1", "2"} <= ticks and not any("." in tick for tick in ticks)
    ticks = set(_texts(bar_chart(["Delays", "Travel"], [1, 2], title="Received")))
    assert "0.50" in ticks  # without `counts`, matplotlib's own ticks


def test_a_chart_is_drawn_once_for_the_same_numbers(monkeypatch):
    from retorno.lib import charts

    drawn = []
    real = charts._render
    monkeypatch.setattr(charts, "_render", lambda *a: drawn.append(a) or real(*a))
    first = charts.bar_chart(["Cached"], [0.25], title="Once")
    again = charts.bar_chart(["Cached"], [0.25], title="Once")
    other = charts.bar_chart(["Cached"], [0.5], title="Once")
    assert first == again != other
    assert len(drawn) == 2
