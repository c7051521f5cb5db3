"""Arbitrary Unicode for the tests of what the door refuses and what the writers write.

`expected` says, independently of `nightout.text`, what a writer should write for a text:
line breaks as "\\n" (or a space in a one-line place, as is a tab), and nothing of Unicode
categories Cc (but "\\n" and tab) and Cs, nor any non-character.
"""

import re
import unicodedata

from django.conf import settings
from hypothesis import strategies as st

# Characters a plain generator rarely draws, and the ones that broke writers.
SPECIAL = ("\x00", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\x9f", "\t", "\n", "\r", "\r\n",
           "\u2028", "\u2029", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\ud800", "\udfff",
           ",", ";", ":", "\\", "\\n", "\\N", '"', "'", "<", "&", "=", "+", "-", "@", " ", "é",
           "中", "שלום", "😀", "👩\u200d👩\u200d👧", "\u202e")

ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def texts(*, storable: bool = False, max_size: int = 30) -> st.SearchStrategy[str]:
    """Any text, surrogates included; `storable`: what a database can hold (no surrogate,
    and no U+0000 on PostgreSQL), as an old row may."""
    if storable:
        refused = [c for c in SPECIAL if "\ud800" <= c[:1] <= "\udfff"
                   or (ON_POSTGRESQL and "\x00" in c)]
        char = st.characters(codec=None, exclude_categories=["Cs"],
                             exclude_characters="\x00" if ON_POSTGRESQL else None)
        special = st.sampled_from([c for c in SPECIAL if c not in refused])
    else:
        char = st.characters(codec=None, exclude_categories=[])
        special = st.sampled_from(SPECIAL)
    return st.lists(st.one_of(char, special), max_size=max_size).map("".join)


def _noncharacter(c: str) -> bool:
    return 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) % 0x10000 in (0xFFFE, 0xFFFF)


def expected(text: str, *, one_line: bool = False) -> str:
    text = re.sub("\r\n|[\r\u2028\u2029]", "\n", text)
    kept = []
    for c in text:
        if c in "\n\t":
            kept.append(" " if one_line else c)
        elif unicodedata.category(c) not in ("Cc", "Cs") and not _noncharacter(c):
            kept.append(c)
    return "".join(kept)


def calendar_expected(text: str, *, one_line: bool = False) -> str:
    """`expected` in an iCalendar TEXT value, where a literal backslash-N is a line break
    (RFC 5545's own escape for one, and what the calendar library makes of it)."""
    return expected(text.replace("\\N", "\n"), one_line=one_line)


# What every door takes: accents, emoji, CJK, right-to-left text.
ORDINARY = ["Fête de la rue Élise", "Block party 🎉🌭", "街区派对", "מסיבת רחוב",
            "حفلة الحي", "Ünïcödé & Co. — 5 pm", "👩‍👩‍👧 family night"]
