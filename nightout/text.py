"""Text that every writer can carry: refused at the door, cleaned at the exit.

Some characters cannot be carried by the files and messages nightout writes: XML (the Atom
feeds, the sitemap) refuses control characters, iCalendar content lines break on a bare line
break, an email's subject header must be one line, no UTF-8 file can hold half of a UTF-16
surrogate pair, and PostgreSQL refuses U+0000. So:

- **At the door** every text a person types (forms, the JSON API, the spreadsheet import,
  the administration) is checked by `PlainText`, as a model field's validator and on every
  form (`PlainTextFields`). It refuses control characters (Unicode category Cc: C0, DEL and
  C1), unpaired surrogates and non-characters (U+FFFE, U+FFFF and the 64 others); a
  multi-line text (a description, notes, a comment) keeps its line breaks and tabs, a
  one-line text (a title, a venue, an address, a name) refuses them too, and U+2028 and
  U+2029 (the line and paragraph separators). The message says what was found, where, and
  what to do.
- **At the exit** every writer passes the text it writes through `writable`, which takes out
  what the door refuses (so rows stored before the door was there, or from a shell, still
  give a file every reader takes) and, for a one-line place such as a subject or a title,
  turns line breaks and tabs into spaces.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# The rule itself is pure Python (so code without Django applies it too); re-exported here.
from nightout.plaintext import (  # noqa: F401
    CONTROL,
    LINE_BREAK,
    LINE_BREAKS,
    NONCHARACTER,
    SURROGATE,
    TAB,
    TextProblem,
    refused,
    text_problem,
    with_newlines,
)

ONE_LINE = str.maketrans({"\n": " ", "\t": " "})


@deconstructible
class PlainText:
    """A validator: the text holds only what every writer can carry (see the module).

    `name` starts the message ("The title contains a control character (U+000B) at
    position 12; remove it and try again.")."""

    code = "plain_text"

    def __init__(self, name: str = "This field", *, multiline: bool = False) -> None:
        self.name = name
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        problem = text_problem(value, multiline=self.multiline)
        if problem:
            raise ValidationError(problem.message(self.name), code=self.code)

    def __eq__(self, other) -> bool:
        return (isinstance(other, PlainText) and self.name == other.name
                and self.multiline == other.multiline)

    def __hash__(self) -> int:
        return hash((self.name, self.multiline))


def one_line(name: str) -> PlainText:
    return PlainText(name)


def multi_line(name: str) -> PlainText:
    return PlainText(name, multiline=True)


def writable(value, *, single_line: bool = False) -> str:
    """`value` as every writer can carry it: line breaks as "\\n", without control
    characters (but "\\n" and tab), surrogates or non-characters; with `single_line`, each
    line break and tab becomes a space. Not text (None, a number) is written as its str()."""
    if value is None:
        return ""
    text = with_newlines(str(value))
    kept = "".join(c for c in text if refused(c, multiline=True) is None)
    if single_line:
        kept = kept.translate(ONE_LINE)
    return kept


def calendar_text(value, *, single_line: bool = False) -> str:
    """`writable` for an iCalendar TEXT value. RFC 5545 writes a line break as "\\n" or
    "\\N", and the calendar library takes a literal backslash-N in the text for one: so it
    is one here too, and a one-line property (a summary, a place) gets a space for it."""
    if value is None:
        return ""
    return writable(str(value).replace("\\N", "\n"), single_line=single_line)


class PlainTextFields:
    """A form mixin: each of the form's text fields refuses what `PlainText` refuses. A field
    drawn as a text area is multi-line: it keeps line breaks and tabs, and its line breaks
    are written as "\\n"."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(PlainText(multiline=multiline))

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea) and isinstance(data.get(name), str):
                data[name] = with_newlines(data[name])
        return data
