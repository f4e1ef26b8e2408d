"""The scanner's speed-ups give exactly what the plain forms they replace give (differential tests).

Each fast form is checked against the readable one it stands for: patterns rewritten to begin with a character
set, e-mail addresses tried only at an '@', image words looked up only where a hint occurs, context words searched
in the lower-cased text, folding by segments against folding one character at a time, and a long text scanned
in pieces against one scan of the whole.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import scanner as s
from checker.textnorm import _fold, normalise

ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("0123456789 .,-/@+%_'!?\nabfgilnopstANLSBDİıſ") + ["\u00a0", "\u200b", "\u0301", "\ufb01"]),
)
WORDS = st.sampled_from([
    "foto", "foto's", "FOTO", "klassenfoto", "filmpje", "film", "opname", "ziekenhuisopname", "opnemen", "gesprek",
    "kijken", "posten", "online", "ouderapp", "wordt", "gemaakt", "geboren", "geb.", "jarig", "Geboren", "06-12345678",
    "111 222 333", "1234.56.782", "8900 AB", "Dorpsstraat 12", "postcode", "a@b.nl", "@jan", "x.@y", "12-03-2009",
    "12 maart 2009", "12 MRT. '09", "filmden", "Maakte", "verjaardag", "bioscoop", "Netflix", "ziekenhuis",
    "verlof", "kijk je", "opgenomen", "wachtlijst", "draaien", "geb", "oppakte", "gemaakte", "onnetflix", "2009-03-12", "1-2-03", "12/03/2009", "1.2.2009", "1950", "ONLİNE", "kıjken", "fılm", "van ons", "contact", "de les", "staat op", "sociale media",
])
TEXTS = st.lists(st.one_of(WORDS, st.text(alphabet=ALPHABET, max_size=6)), max_size=60).map(" ".join)
CHECK = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The readable forms of the patterns rewritten to begin with a character set.
READABLE = {
    "_SENTENCE_END": r"[!?\n]|\.(?=\s|$)",
    "_POSTCODE": r"(?<![A-Za-z0-9])[1-9][0-9]{3} ?(?!SA|SD|SS)[A-Z]{2}(?![A-Za-z0-9])",
    "_MENTION": r"(?<![A-Za-z0-9_%+\-@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?",
}
READABLE_BSN = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][.,\-])(?:"
    r"[0-9]{9}"
    r"|(?P<g3>[0-9]{3}(?P<s1>[ .\-])[0-9]{3}(?P=s1)[0-9]{3})"
    r"|(?P<g4>[0-9]{4}(?P<s2>[ .\-])[0-9]{2}(?P=s2)[0-9]{3})"
    r")(?![0-9A-Za-z])(?![.,\-][0-9])"
)


@CHECK
@given(TEXTS)
def test_patterns_beginning_with_a_character_set_match_as_their_readable_forms(text):
    for name, readable in READABLE.items():
        assert [m.span() for m in getattr(s, name).finditer(text)] == [m.span() for m in re.finditer(readable, text)]
    fast = [(m.span(), m.group("s1") is not None or m.group("s2") is not None) for m in s._BSN.finditer(text)]
    plain = [(m.span(), bool(m.group("g3") or m.group("g4"))) for m in READABLE_BSN.finditer(text)]
    assert fast == plain
    assert [m.span() for m in s._DATE_FAST.finditer(text)] == [m.span() for m in s._DATE.finditer(text)]
    assert all(s._DATE.match(text, m.start()).span() == m.span() for m in s._DATE_FAST.finditer(text))


@CHECK
@given(TEXTS, st.integers(0, 80))
def test_emails_tried_at_each_at_sign_are_the_pattern_s_matches(text, many):
    for variant in (text, text + " a@b.nl" * many):  # more than 64 '@' takes the one-pass route
        assert list(s._emails(s._Text(variant))) == [m.span() for m in s._EMAIL.finditer(variant)]


def _image_words_word_by_word(t: s._Text):
    for m in s._WORD.finditer(t.text):
        word = m.group().lower()
        if word.endswith("'s"):
            word = word[:-2] + "s"
        if len(word) <= 40 and s._is_image_word(word) and s._image_word_counts(t, word, m.start(), m.end()):
            yield m.start(), m.end()


@CHECK
@given(TEXTS)
def test_image_words_looked_up_by_hint_are_those_found_word_by_word(text):
    assert list(s._image_words(s._Text(text))) == list(_image_words_word_by_word(s._Text(text)))


@CHECK
@given(TEXTS)
def test_context_words_in_the_lower_cased_text_are_those_found_ignoring_case(text):
    t = s._Text(text)
    for cue in (s._BIRTH_BEFORE, s._BIRTH_AFTER, s._RECORDING_OBJECT, s._NOT_RECORDED, s._WATCHING, s._SHARED,
                s._MADE, s._ANNOUNCED):
        matches = list(cue.finditer(text))
        assert t.spans(cue) == ([m.start() for m in matches], [m.end() for m in matches])


def test_lower_case_twins_are_written_in_lower_case():
    for pattern in s._LOWER_CASE_TWINS:
        assert pattern == pattern.lower(), pattern


def test_letter_first_keeps_every_word_and_its_boundaries():
    pattern = r"\b(?:foto|film(?:pje)?|ge[uü]pload|kijk ?je)\b"
    fast = re.compile(s._letter_first(pattern))
    assert fast.pattern.startswith("(?:f(?<!\\w.)oto|")
    text = "foto fotos afoto film filmpje gepload geüpload kijkje kijk je _foto 1film foto_"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in re.finditer(pattern, text)]
    assert s._letter_first(r"\b(?:app|\d+)") == r"\b(?:app|\d+)"  # an alternative not beginning with a letter


def test_only_the_case_exceptions_match_otherwise_in_the_lower_cased_text():
    # Over all of Unicode: a letter of the context patterns, ignoring case, matches exactly the characters whose
    # lower case it is, and \w, \d, \s hold for a character as for its lower case, except for _CASE_EXCEPTIONS.
    everything = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    lowered = s._Text(everything).lowered
    assert len(lowered) == len(everything)
    exceptions = {m.start() for m in s._CASE_EXCEPTIONS.finditer(everything)}

    def where(pattern: str, text: str, flags: int = 0) -> set[int]:
        return {m.start() for m in re.finditer(pattern, text, flags)} - exceptions

    letters = set("".join(s._LOWER_CASE_TWINS)) & set("abcdefghijklmnopqrstuvwxyzëü")
    for letter in sorted(letters):
        assert where(letter, everything, re.IGNORECASE) == where(letter, lowered), letter
    for kind in (r"\w", r"\d", r"\s"):
        assert where(kind, everything) == where(kind, lowered), kind


def _fold_one_by_one(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The folding by its definition: character by character, each folded character with its original span."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        folded = _fold(ch) if ch >= "\x80" else ch
        if len(folded) == 1 and out and unicodedata.combining(folded):
            composed = unicodedata.normalize("NFC", out[-1] + folded)
            if len(composed) == 1:
                out[-1] = composed
                spans[-1] = (spans[-1][0], i + 1)
                continue
        out += folded
        spans += [(i, i + 1)] * len(folded)
    return "".join(out), spans


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_folding_by_segments_is_folding_one_character_at_a_time(text):
    folded = normalise(text)
    expected_text, expected_spans = _fold_one_by_one(text)
    assert folded.text == expected_text
    assert [folded.original_span(i, i + 1) for i in range(len(folded.text))] == expected_spans


# Texts with line breaks between words, digits and context words: the cuts between pieces fall among them.
PIECED = st.lists(st.one_of(WORDS, st.text(alphabet=ALPHABET, max_size=6), st.sampled_from(["\n\n", " ", "\n", "\n\n\n"])),
                  max_size=120).map("".join)


@CHECK
@given(PIECED, st.integers(1, 40))
def test_a_text_scanned_in_pieces_gives_the_whole_scan_s_findings(text, piece_length):
    # Pieces far shorter than the real ones put a cut at nearly every line break; the margins stay as they are.
    with patch.object(s, "PIECE_LENGTH", piece_length):
        assert s.scan_spans(text) == s._scan_whole(text)


# One line of words, many holding an '@' (addresses pasted as one line), with the other kinds' words between them:
# a cut can fall after nearly every space between two of the '@' words.
AT_WORDS = st.sampled_from(["a@b.nl", "a@b.nl;", "<a@b.nl>,", "x@8911", "AB@y", "12@x", "x@12", "@jan", "x@foto", "b@c"])
ON_ONE_LINE = st.lists(st.one_of(AT_WORDS, AT_WORDS, WORDS, st.text(alphabet=ALPHABET, max_size=6)), max_size=120).map(" ".join)


@CHECK
@given(ON_ONE_LINE, st.integers(1, 40))
def test_a_line_of_addresses_scanned_in_pieces_gives_the_whole_scan_s_findings(text, piece_length):
    with patch.object(s, "PIECE_LENGTH", piece_length):
        assert s.scan_spans(text) == s._scan_whole(text)


def test_the_corpus_on_one_line_cut_between_addresses_gives_the_whole_scan_s_findings():
    from bench.scanner import load_corpus

    lines, texts = [""], [sample.text.replace("\n", " ") for sample in load_corpus()]
    for text in texts:  # lines of at most MAX_LENGTH; a cut can fall between every two texts, and inside some
        if len(lines[-1]) + len(text) + 15 > s.MAX_LENGTH:
            lines.append("")
        lines[-1] += text + " a@b.nl c@d.nl "
    assert len(lines) >= 2
    for line in lines:
        for piece_length in (1, 50, 300, 1_000):
            with patch.object(s, "PIECE_LENGTH", piece_length):
                if piece_length == 1:
                    assert len(s._pieces(line)) > line.count(" c@d.nl ")
                assert s.scan_spans(line) == s._scan_whole(line), piece_length


@pytest.mark.parametrize("text, kind", [
    ("Dorpsstraat 12 x@8911 AB@y", "postcode"),  # a finding across the cut, kept by the piece it starts in
    ("Er wordt een a@b.nl c@d.nl filmpje gemaakt", "beeld"),  # context across the cut
    ("Mijn BSN a@b.nl c@d.nl 111222333", "bsn"),
])
def test_a_finding_or_its_context_across_a_cut_between_addresses_is_seen_as_in_the_whole_text(text, kind):
    padded = "x " * (s.PIECE_LENGTH // 2) + text + " y" * 600
    cut = padded.index("@") + padded[padded.index("@"):].index(" ") + 1
    assert cut in [start for start, _ in s._pieces(padded)]
    assert s.scan_spans(padded) == s._scan_whole(padded)
    assert kind in {found for found, _, _ in s.scan_spans(padded)}


def test_a_line_of_addresses_typed_at_its_end_rescans_only_its_last_piece():
    from bench.scanner import adversarial_texts

    text = adversarial_texts()["e-mail-veel"]
    assert "\n" not in text and len(s._pieces(text)) >= len(text) // (s.PIECE_LENGTH + 10)
    s._scan_piece.cache_clear()
    s.scan_spans(text[:-1])
    before = s._scan_piece.cache_info()
    assert s.scan_spans(text) == s._scan_whole(text)
    after = s._scan_piece.cache_info()
    assert after.misses - before.misses <= 2


def test_every_adversarial_input_typed_at_its_end_gives_the_whole_scan_s_findings():
    from bench.keystrokes import typed
    from bench.scanner import adversarial_texts

    for name, text in adversarial_texts().items():
        for variant in typed(text, 5):
            assert s.scan_spans(variant) == s._scan_whole(variant), name


def test_a_long_draft_typed_at_its_end_gives_the_whole_scan_s_findings():
    from bench.keystrokes import long_texts, typed

    for text in long_texts().values():
        for variant in typed(text, 30):
            assert s.scan_spans(variant) == s._scan_whole(variant)


@pytest.mark.parametrize("text", [
    "Mijn BSN is\n\n111222333",  # a context word before a blank line
    "111222333\n\nBSN",  # and after one
    "Dorpsstraat 12\n\n8900 AB",  # a street before the postcode
    "geboren\n\n12-03-2009",  # no birth date: the context stops at a line break
])
def test_context_across_a_cut_is_seen_as_in_the_whole_text(text):
    padded = "x " * (s.PIECE_LENGTH // 2) + text + "\n\n" + "y " * 1_250
    cut = s.PIECE_LENGTH + text.index("\n\n") + 1
    assert cut in [start for start, _ in s._pieces(padded)]  # the cut falls in the text's blank line
    assert s.scan_spans(padded) == s._scan_whole(padded)
    assert len({kind for kind, _, _ in s.scan_spans(padded)}) == (0 if text.startswith("geboren") else 1)
