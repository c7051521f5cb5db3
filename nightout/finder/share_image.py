"""An event's share image: the 1200 × 630 PNG that link previews show (Open Graph, Twitter
cards), drawn here with Pillow in DejaVu Sans, the font matplotlib ships (no system font, no
outside service). It draws only the lines it is given (`nightout.finder.sharing.share_card`
makes them from public data), and the same lines always give the same bytes.
"""

import importlib.util
import io
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
BACKGROUND = (20, 33, 61)
ACCENT = (252, 163, 17)
TEXT = (255, 255, 255)
QUIET = (214, 222, 235)
ALERT = (190, 30, 45)
TITLE_SIZES = (72, 64, 56, 48)
TITLE_LINES = 3
ELLIPSIS = "…"


def font_file(*, bold: bool) -> Path:
    """DejaVu Sans (bold) from matplotlib's own data, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The share image's font comes with matplotlib, which is missing.")
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / name


@lru_cache(maxsize=16)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_file(bold=bold)), size)


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """The characters both weights of the font draw."""
    maps = [set(TTFont(font_file(bold=b), lazy=True).getBestCmap()) for b in (False, True)]
    return frozenset(maps[0] & maps[1])


def drawable(text: str) -> str:
    """`text` without the characters the font has no glyph for (they would be empty boxes),
    on one line."""
    covered = _covered()
    kept = "".join(c if ord(c) in covered else " " for c in text.replace("\n", " "))
    return " ".join(kept.split())


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, lines: int) -> list[str] | None:
    """`text` in at most `lines` lines of `width` pixels, or None when it does not fit."""
    out: list[str] = []
    for word in text.split():
        if draw.textlength(word, font=font) > width:
            return None
        if out and draw.textlength(f"{out[-1]} {word}", font=font) <= width:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
        if len(out) > lines:
            return None
    return out


def _shortened(draw: ImageDraw.ImageDraw, text: str, font, width: int, lines: int) -> list[str]:
    """The first words of `text` that fit `lines` lines of `width`, ending with an ellipsis."""
    words = text.split()
    while words:
        words.pop()
        fitted = _wrap(draw, " ".join(words) + ELLIPSIS, font, width, lines)
        if fitted:
            return fitted
    shown = ""  # one word longer than a line: cut inside it
    for char in text:
        if draw.textlength(shown + char + ELLIPSIS, font=font) > width:
            break
        shown += char
    return [shown + ELLIPSIS]


def _title_lines(draw: ImageDraw.ImageDraw, title: str, width: int):
    for size in TITLE_SIZES:
        font = _font(size, True)
        fitted = _wrap(draw, title, font, width, TITLE_LINES)
        if fitted:
            return font, fitted
    font = _font(TITLE_SIZES[-1], True)
    return font, _shortened(draw, title, font, width, TITLE_LINES)


def share_png(*, heading: str, title: str, when: str, hours: str, status: str = "") -> bytes:
    """The image: `heading` (the town's night) at the top, `status` on a red band when the
    event was cancelled or moved, the title in large type, the day and hours below."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 12), fill=ACCENT)
    heading_font = _font(34, True)
    heading = drawable(heading)
    heading_lines = (_wrap(draw, heading, heading_font, width, 1)
                     or _shortened(draw, heading, heading_font, width, 1))
    draw.text((MARGIN, 56), heading_lines[0], font=heading_font, fill=ACCENT)
    top = 120
    if status:
        band_font = _font(30, True)
        band = drawable(status).upper()
        band_width = min(width, int(draw.textlength(band, font=band_font)) + 40)
        draw.rectangle((MARGIN, top, MARGIN + band_width, top + 52), fill=ALERT)
        draw.text((MARGIN + 20, top + 9), band, font=band_font, fill=TEXT)
        top += 76
    font, lines = _title_lines(draw, drawable(title) or "National Night Out", width)
    line_height = int(font.size * 1.18)
    for n, line in enumerate(lines):
        draw.text((MARGIN, top + n * line_height), line, font=font, fill=TEXT)
    site = _font(28, True)
    room = width - int(draw.textlength("nightout", font=site)) - 40
    for text, y, font, fill in ((when, HEIGHT - 150, _font(42, True), TEXT),
                                (hours, HEIGHT - 94, _font(36, False), QUIET)):
        text = drawable(text)
        if text:
            line = _wrap(draw, text, font, room, 1) or _shortened(draw, text, font, room, 1)
            draw.text((MARGIN, y), line[0], font=font, fill=fill)
    draw.text((WIDTH - MARGIN - draw.textlength("nightout", font=site), HEIGHT - 88),
              "nightout", font=site, fill=ACCENT)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
