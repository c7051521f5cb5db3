"""nightout.text: what the door refuses, with what message, and what the exit writes."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given, settings

from nightout.text import PlainText, PlainTextFields, text_problem, writable
from tests.unicode_text import ORDINARY, expected, texts


def test_the_message_names_the_field_the_character_and_its_position():
    with pytest.raises(ValidationError) as caught:
        PlainText("The title")("Block party\x0b on Elm")
    assert caught.value.messages == [
        "The title contains a control character (U+000B) at position 12; remove it and try "
        "again."]


@pytest.mark.parametrize(("char", "words"), [
    ("\x00", "a control character (U+0000)"),
    ("\x0b", "a control character (U+000B)"),
    ("\x7f", "a control character (U+007F)"),
    ("\x85", "a control character (U+0085)"),
    ("\n", "a line break (U+000A)"),
    ("\r", "a line break (U+000D)"),
    ("\u2028", "a line break (U+2028)"),
    ("\t", "a tab (U+0009)"),
    ("\ud800", "half of a UTF-16 surrogate pair (U+D800), which is not a character,"),
    ("\ufffe", "a non-character (U+FFFE)"),
    ("\U0001ffff", "a non-character (U+1FFFF)"),
])
def test_a_one_line_text_refuses_controls_line_breaks_surrogates_and_non_characters(char,
                                                                                      words):
    problem = text_problem(f"ab{char}c")
    assert problem is not None and problem.position == 3
    assert f"The venue contains {words} at position 3" in problem.message("The venue")


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x85", "\ud800", "\ufffe", "\uffff"])
def test_a_multi_line_text_refuses_the_same_but_line_breaks_and_tabs(char):
    assert text_problem(f"one\r\ntwo\n\tthree{char}", multiline=True).char == char
    assert text_problem("one\r\ntwo\n\tthree\u2028four", multiline=True) is None


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_in_any_script_is_taken(text):
    PlainText()(text)
    PlainText(multiline=True)(text + "\nsecond line")
    assert writable(text) == text


@settings(max_examples=300)
@given(texts())
def test_writable_leaves_out_exactly_what_no_writer_carries(text):
    assert writable(text) == expected(text)
    assert writable(text, single_line=True) == expected(text, one_line=True)
    writable(text).encode("utf-8")  # raises on a surrogate left behind
    assert text_problem(writable(text), multiline=True) is None
    assert text_problem(writable(text, single_line=True).replace("\t", "")) is None


@settings(max_examples=300)
@given(texts())
def test_what_the_door_takes_the_exit_writes_unchanged(text):
    if text_problem(text) is None:
        assert writable(text, single_line=True) == text
    if text_problem(text, multiline=True) is None and "\r" not in text and \
            "\u2028" not in text and "\u2029" not in text:
        assert writable(text) == text


class Note(PlainTextFields, forms.Form):
    title = forms.CharField()
    notes = forms.CharField(required=False, widget=forms.Textarea)


def test_a_form_with_plain_text_fields_checks_each_and_keeps_line_breaks_in_a_text_area():
    form = Note({"title": "Elm\x0bStreet", "notes": "one\r\ntwo\rthree\x00"})
    assert not form.is_valid()
    assert form.errors["title"] == ["This field contains a control character (U+000B) at "
                                    "position 4; remove it and try again."]
    assert any("control character (U+0000) at position 15" in message
               for message in form.errors["notes"])
    form = Note({"title": "Elm Street 🎉", "notes": "one\r\ntwo\rthree\ttabbed"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["notes"] == "one\ntwo\nthree\ttabbed"


def test_the_validator_is_kept_in_migrations_by_its_name_and_kind():
    assert PlainText("The title").deconstruct() == ("nightout.text.PlainText", ("The title",), {})
    assert PlainText("The notes", multiline=True) == PlainText("The notes", multiline=True)
    assert PlainText("The notes", multiline=True) != PlainText("The notes")


def test_a_calendar_takes_a_literal_backslash_n_for_the_line_break_rfc_5545_makes_it():
    from nightout.text import calendar_text

    assert calendar_text("Bring chairs\\Nand water") == "Bring chairs\nand water"
    assert calendar_text("Bring chairs\\Nand water", single_line=True) == (
        "Bring chairs and water")
    assert calendar_text("C:\\new folder") == "C:\\new folder"  # a lower-case n is text


def test_the_one_search_refuses_exactly_the_characters_the_rule_refuses():
    """`text_problem` searches a text once for any refused character before walking it: the
    search and the character rule agree on every code point, in both kinds of text."""
    from nightout.plaintext import refused

    for multiline in (False, True):
        for point in range(0x110000):
            char = chr(point)
            rule = refused(char, multiline=multiline)
            found = text_problem("ab" + char, multiline=multiline)
            assert (found is None) == (rule is None), (hex(point), multiline)
            if found is not None:
                assert (found.position, found.template) == (3, rule)


@pytest.mark.parametrize(("label", "said"), [
    ("Fire engine", "fire engine"), ("Police officers", "police officers"),
    ("Ambulance / EMS", "ambulance / EMS"), ("K9 unit", "K9 unit"),
    ("McGruff the Crime Dog", "McGruff the Crime Dog"), ("EMS", "EMS"), ("", ""),
])
def test_a_label_inside_a_sentence_keeps_its_names_and_abbreviations(label, said):
    from nightout.plaintext import in_sentence

    assert in_sentence(label) == said
