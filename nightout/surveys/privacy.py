"""Pure rules that keep the trust pulse anonymous (no Django import).

`scrub` removes what could identify someone from a comment. `publishable` decides which
groups of answers may be shown: a group under the threshold is withheld, and so is at least
one more group whenever the withheld ones would otherwise add up to less than the threshold,
so that a published total minus the published groups never reveals a small group.
"""

import re

REMOVED = "[removed]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)(\+?\(?\d[\d\s().-]{6,}\d)(?!\w)")
URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)


def scrub(text: str) -> str:
    """Replace email addresses, phone numbers and web addresses with [removed]."""
    for pattern in (EMAIL, URL, PHONE):
        text = pattern.sub(REMOVED, text)
    return text.strip()


def publishable(groups: dict[str, int], threshold: int, total_published: bool = True
                ) -> set[str]:
    """The keys of `groups` (group → number of answers) whose figures may be published.

    Every group under `threshold` is withheld. If the total of all groups is published too,
    the withheld groups together must reach the threshold; otherwise the next smallest group
    is withheld as well, until they do (or nothing is left to publish).
    """
    shown = {key for key, n in groups.items() if n >= threshold}
    withheld = set(groups) - shown
    if total_published and withheld:
        while shown and sum(groups[k] for k in withheld) < threshold:
            smallest = min(shown, key=lambda k: (groups[k], k))
            shown.discard(smallest)
            withheld.add(smallest)
    return shown
