"""`{{ label|in_sentence }}`: a kind's or a status's label as it reads inside a sentence
("no fire engine visit", "no K9 unit visit"), not lowered whole."""

from django import template

from nightout.plaintext import in_sentence as _in_sentence

register = template.Library()


@register.filter
def in_sentence(label) -> str:
    return _in_sentence(str(label))
