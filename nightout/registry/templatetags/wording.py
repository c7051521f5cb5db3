"""`{{ label|in_sentence }}`: a kind's or a status's label as it reads inside a sentence
("no fire engine visit", "no K9 unit visit"), not lowered whole; `{{ event.source|source_words }}`:
where a registration came from, in words."""

from django import template

from nightout.plaintext import in_sentence as _in_sentence

register = template.Library()


@register.filter
def in_sentence(label) -> str:
    return _in_sentence(str(label))


@register.filter
def source_words(source) -> str:
    """Where a registration came from, as the history says it ("web form", "phoned in")."""
    from nightout.registry.history import SOURCES

    return SOURCES.get(str(source), str(source))
