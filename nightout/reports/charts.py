"""Charts drawn on the server as SVG, which prints sharply and needs no script.

Only the figures handed in are drawn: callers pass published aggregates, never raw answers.
"""

import html
import io
import re
from html import escape

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

matplotlib.rcParams.update({
    "svg.fonttype": "none",        # text stays text: searchable, and crisp in print
    "svg.hashsalt": "nightout",    # the same figures give the same file
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
})
INK, ACCENT, MUTED = "#1b1f24", "#1d5fa8", "#8a95a3"


def _svg(fig) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = out.getvalue()
    return _without_inline_styles(svg[svg.index("<svg"):])


_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<defs>\s*<style[^>]*>\*\{([^}]*)\}</style>\s*</defs>")


def _as_attributes(declarations: str) -> str:
    pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
    return " ".join(f'{name.strip()}="{escape(value.strip())}"' for name, value in pairs)


def _without_inline_styles(svg: str) -> str:
    """The same drawing with SVG presentation attributes (fill="...") instead of style=""
    attributes and a <style> element, which the site's content security policy refuses.
    matplotlib writes only properties that are also presentation attributes."""
    element = _STYLE_ELEMENT.search(svg)
    if element:  # `*{...}` for every element: inherited from the root instead
        svg = svg[:element.start()] + svg[element.end():]
        svg = svg.replace("<svg ", f"<svg {_as_attributes(element.group(1))} ", 1)
    return _STYLE_ATTRIBUTE.sub(lambda m: _as_attributes(html.unescape(m.group(1))), svg)


def bar_chart(labels: list[str], values: list[float], *, title: str, unit: str = "") -> str:
    """Horizontal bars, one per label, with the value written at the end of each."""
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * max(len(labels), 2) + 0.8))
    bars = ax.barh(labels[::-1], values[::-1], color=ACCENT)
    ax.bar_label(bars, labels=[f"{v:g}{unit}" for v in values[::-1]], padding=3, color=INK)
    ax.set_title(title, loc="left", color=INK)
    ax.tick_params(colors=INK)
    ax.set_xlim(0, max(values + [1]) * 1.18)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    return _svg(fig)


def line_chart(years: list[int], series: dict[str, list[float | None]], *, title: str) -> str:
    """One line per series across the years; a None leaves a gap (a withheld figure)."""
    fig, ax = plt.subplots(figsize=(6.5, 3))
    colors = [ACCENT, "#b5651d", "#2e7d32", MUTED]
    for (name, values), color in zip(series.items(), colors, strict=False):
        ax.plot(years, [float("nan") if v is None else v for v in values], marker="o",
                label=name, color=color)
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_title(title, loc="left", color=INK)
    ax.legend(frameon=False)
    return _svg(fig)


def grouped_bar_chart(labels: list[str], series: dict[str, list[float]], *, title: str) -> str:
    """Horizontal bars in groups, one group per label and one bar per series (in the series'
    order, top to bottom), each with its value written at its end."""
    count = len(series)
    height = 0.8 / count
    fig, ax = plt.subplots(figsize=(6.5, (0.25 * count + 0.2) * max(len(labels), 2) + 1.0))
    colors = [MUTED, ACCENT, "#2e7d32", "#b5651d"]
    positions = range(len(labels))[::-1]
    for n, ((name, values), color) in enumerate(zip(series.items(), colors, strict=False)):
        bars = ax.barh([p + 0.4 - height * (n + 0.5) for p in positions], values, height,
                       label=name, color=color)
        ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=3, color=INK,
                     fontsize=8)
    ax.set_yticks(list(positions), labels)
    ax.set_title(title, loc="left", color=INK)
    ax.tick_params(colors=INK)
    ax.set_xlim(0, max([v for values in series.values() for v in values] + [1]) * 1.18)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.legend(frameon=False, loc="lower right", ncols=count, bbox_to_anchor=(1, 1))
    return _svg(fig)
