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
