"""Which characters a text may hold: the rule behind `nightout.text`, in pure Python.

`nightout.text` applies it at the door (form fields, model validators) and at the exit
(`writable`); code that must stay free of Django (the spreadsheet readers in
`nightout.registry.imports.values`) applies it from here. See `nightout.text` for why each
character is refused.
"""

import dataclasses
import re

# Line breaks a multi-line text may hold; each is written as "\n" at the exit.
LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029")

CONTROL = ("{name} contains a control character ({code}) at position {position}; remove it "
           "and try again.")
LINE_BREAK = "{name} contains a line break ({code}) at position {position}; keep it on one line."
TAB = "{name} contains a tab ({code}) at position {position}; use a space instead."
SURROGATE = ("{name} contains half of a UTF-16 surrogate pair ({code}), which is not a "
             "character, at position {position}; remove it and try again.")
NONCHARACTER = ("{name} contains a non-character ({code}) at position {position}; remove it "
                "and try again.")


def _is_noncharacter(point: int) -> bool:
    return 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE


def refused(char: str, *, multiline: bool) -> str | None:
    """The message template for `char`, or None when a text of this kind may hold it."""
    point = ord(char)
    if char in "\n\r\u2028\u2029":
        return None if multiline else LINE_BREAK
    if char == "\t":
        return None if multiline else TAB
    if point < 0x20 or 0x7F <= point <= 0x9F:
        return CONTROL
    if 0xD800 <= point <= 0xDFFF:
        return SURROGATE
    if _is_noncharacter(point):
        return NONCHARACTER
    return None


@dataclasses.dataclass(frozen=True)
class TextProblem:
    template: str
    char: str
    position: int  # counted from 1, in characters

    def message(self, name: str) -> str:
        return self.template.format(name=name, code=f"U+{ord(self.char):04X}",
                                    position=self.position)


# Every character `refused` refuses, as one class: a text is searched once, in C, and only a
# text holding one of them is walked character by character (a spreadsheet's 100,000 cells).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000))
_REFUSED_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029" + _NONCHARACTERS + "]")
_REFUSED_MULTI_LINE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS + "]")


def text_problem(value: str, *, multiline: bool = False) -> TextProblem | None:
    """The first character of `value` that a text of this kind may not hold."""
    found = (_REFUSED_MULTI_LINE if multiline else _REFUSED_ONE_LINE).search(value)
    if found is None:
        return None
    for index in range(found.start(), len(value)):
        template = refused(value[index], multiline=multiline)
        if template:
            return TextProblem(template, value[index], index + 1)
    return None


def with_newlines(value: str) -> str:
    """Every line break of `value` written as "\\n"."""
    for brk in LINE_BREAKS:
        value = value.replace(brk, "\n")
    return value


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Fire engine" becomes "fire engine", while a
    name or an abbreviation stays as written ("K9 unit", "McGruff the Crime Dog", "EMS")."""
    first = label.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        return label[:1].lower() + label[1:]
    return label
