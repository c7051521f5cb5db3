"""The finder's results read from its page, as a resident's browser gets them: the titles
of the cards, each card's distance, the count's place and the map's settings."""

import html
import json
import re
from dataclasses import dataclass


@dataclass
class Results:
    titles: list[str]
    distances: list[float | None]  # miles, on each card near a place
    place: str | None  # what the count says the search is near
    points: str  # the address of the map's markers (the search, as the server read it)
    centre: list[float] | None  # where the map starts


def read(response) -> Results:
    page = response.content.decode()
    section = page[page.index('<section id="results"'):]
    section = section[:section.index("</section>")]
    cards = re.findall(r"<li>(.*?)</li>", section, re.S)
    titles = [html.unescape(re.search(r"<h3><a [^>]*>(.*?)</a></h3>", card, re.S)[1])
              for card in cards]
    distances = [float(m[1]) if (m := re.search(r'<p class="where">([\d.]+) mi away</p>',
                                                card)) else None for card in cards]
    near = re.search(r" near <strong>(.*?)</strong>", section, re.S)
    points = html.unescape(re.search(r'data-points="([^"]*)"', section)[1])
    config = re.search(r'<script id="finder-map-config" type="application/json">(.*?)</script>',
                       page, re.S)
    return Results(titles=titles, distances=distances,
                   place=html.unescape(near[1]) if near else None, points=points,
                   centre=json.loads(config[1])["centre"] if config else None)
