"""Everyday formats the scanner must read, look-alikes it must leave alone, and offsets after folding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.scanner import KIND_PRIORITY, MAX_LENGTH, scan
from checker.textnorm import normalise


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start:f.end]) for f in scan(text)]


def kinds(text: str) -> list[str]:
    return [f.kind for f in scan(text)]


# ------------------------------------------------------------------ telephone numbers

LOOKALIKE_PHONES = [
    "06\u00a012\u00a034\u00a056\u00a078",  # no-break spaces
    "06\u202f12\u202f34\u202f56\u202f78",  # narrow no-break spaces
    "06\u200712345678",  # figure space
    "06\u201312345678",  # en dash
    "06\u201412345678",  # em dash
    "06\u201112345678",  # non-breaking hyphen
    "06\u221212345678",  # minus sign
    "06 - 12345678",
    "06/12345678",
    "0519 / 123456",
    "06\u200b12345678",  # zero-width space
    "06\u200e-12345678",  # left-to-right mark
    "\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",  # full-width digits
    "(058) 123 45 67",
    "(0519) 12 34 56",
    "(020)1234567",
    "+31-6-12345678",
    "+31 06 12345678",
    "+32 470 12 34 56",
    "058\u00a0123\u00a045\u00a067",
]


@pytest.mark.parametrize("phone", LOOKALIKE_PHONES)
def test_phone_numbers_with_lookalike_separators(phone):
    assert found(f"Bel Lisa op {phone} vanavond") == [("telefoon", phone)]


@pytest.mark.parametrize(
    "text",
    [
        "Herkansing op 06-12-2024 14:00",
        "Toets op 09-01-2025 10.30 uur",
        "Vakantie van 06-07-2024 t/m 18-08-2024",
        "Inleveren 08/03/2025 23:59",
        "Kindertelefoon 0800-0432",
        "Servicenummer 0900-1234567",
        "Rekening NL91 ABNA 0417 1643 01 klopt niet",
        "Rooster 08:30-09:20 en 10:30-11:20",
        "Order 0001234567",
    ],
)
def test_dates_times_service_numbers_and_iban_digits_are_not_phone_numbers(text):
    assert "telefoon" not in kinds(text)


def test_a_number_after_the_phone_number_is_not_swallowed():
    assert found("Bel 0519 123456 2 keer") == [("telefoon", "0519 123456")]


# ------------------------------------------------------------------ BSN


@pytest.mark.parametrize("bsn", ["111 222 333", "111.222.333", "111-222-333", "1234.56.782", "111\u00a0222\u00a0333"])
def test_bsn_in_groups_is_reported_without_a_context_word(bsn):
    assert found(f"Het nummer is {bsn}.") == [("bsn", bsn)]


@pytest.mark.parametrize(
    "text", ["BSN 123456782", "burgerservicenummer: 123456782", "sofinummer 123456782", "123456782 (bsn)",
             "Persoonsnummer 123456782"],
)
def test_bare_bsn_needs_a_context_word(text):
    assert kinds(text) == ["bsn"]


@pytest.mark.parametrize("text", ["Bestelnummer 123456782", "ordernummer 987654329", "Zoekcode 111222333"])
def test_elfproef_alone_is_not_enough(text):
    assert kinds(text) == []


def test_context_word_far_away_does_not_count():
    assert kinds("BSN" + " bla" * 20 + " 123456782") == []


# ------------------------------------------------------------------ birth dates


@pytest.mark.parametrize(
    "text, date",
    [
        ("Geboortedatum: 2009-03-12", "2009-03-12"),
        ("geboren 2010-11-05", "2010-11-05"),
        ("Op 12-03-2009 is Tom geboren.", "12-03-2009"),
        ("14 februari 2011 geboren", "14 februari 2011"),
        ("Is 29-02-2012 je geboortedatum?", "29-02-2012"),
        ("geboren op 7\u00a0juni\u00a02012", "7\u00a0juni\u00a02012"),
    ],
)
def test_birth_dates_in_iso_form_and_with_the_keyword_after(text, date):
    assert found(text) == [("geboortedatum", date)]


def test_one_keyword_for_two_birth_dates():
    assert found("De tweeling is geboren op 02-02-2012, hun broertje op 15-08-2015") == [
        ("geboortedatum", "02-02-2012"), ("geboortedatum", "15-08-2015")]


def test_every_image_word_passes_the_quick_hint():
    from checker.scanner import _IMAGE_HEADS, _IMAGE_HINT, _IMAGE_WORDS, _RECORDING_VERBS

    for word in (*_IMAGE_HEADS, *_IMAGE_WORDS, *_RECORDING_VERBS):
        assert _IMAGE_HINT.search(word), word


@pytest.mark.parametrize(
    "text",
    ["De toets is op 2025-01-14", "Tom is geboren in Dokkum. Op 12-03-2025 gaat hij op kamp.",
     "Opa is geboren in 1950 en vertelt op 14-03-2025 over de oorlog",
     "Op 01-02-2025 is de kraamvisite: baby Mila is geboren!", "geboren 2009-02-30"],
)
def test_dates_that_are_not_birth_dates(text):
    assert "geboortedatum" not in kinds(text)


# ------------------------------------------------------------------ e-mail


@pytest.mark.parametrize(
    "email",
    ["jan\u200b@example.nl", "lisa\u200b.bakker@example.nl", "bestellen@bäckerij-dokkum.nl",
     "echange@école-lumière.fr", "jörgen.müller@example.de", "sanne\uff20example.nl", "roos.van\u00addijk@example.nl"],
)
def test_email_with_zero_width_characters_or_a_non_ascii_domain(email):
    assert found(f"Mail {email} graag") == [("email", email)]


# ------------------------------------------------------------------ addresses


@pytest.mark.parametrize(
    "text",
    ["Postbus 123, 9100 AA Dokkum", "Antwoordnummer 4567, 9100 VB Dokkum", "Bezoekadres: Parkweg 1, 9101 AB Dokkum",
     "Postadres: Stationsplein 2, 8911 AC Leeuwarden", "Les in lokaal 2, 2024 VW"],
)
def test_postbus_labelled_organisation_addresses_and_rooms_are_not_home_addresses(text):
    assert "postcode" not in kinds(text)


def test_home_address_with_a_no_break_space():
    assert found("Feest bij Bram, Molenweg 5, 9291\u00a0EF Kollum") == [("postcode", "9291\u00a0EF")]


# ------------------------------------------------------------------ image and sound


@pytest.mark.parametrize(
    "word",
    ["beeldmateriaal", "beelden", "video", "vlog", "vloggen", "podcast", "livestream", "livestreamen", "screenshot",
     "camera", "camera's", "filmen", "gefilmd", "fotograferen", "geluidsopname", "geluidsopnamen", "video's",
     "foto’s", "spraakbericht", "webcam", "camerabeelden", "selfie", "pic", "afgebeeld", "vid", "trailer",
     "selfiesticks"],
)
def test_image_and_sound_words(word):
    assert found(f"Kijk: {word}!") == [("beeld", word)]


@pytest.mark.parametrize(
    "text",
    ["ziekenhuisopname", "Gefeliciteerd met je opname in de leerlingenraad", "we kijken in de les een film",
     "Bij biologie kijken we een filmpje over de celdeling", "Wilt u contact opnemen met de mentor?",
     "Morgen wordt de klassenfoto gemaakt.", "Dinsdag komt de schoolfotograaf.", "Hij is opgenomen in het ziekenhuis",
     "Het keuzevak fotografie", "Kunt u een beeld geven van de situatie?", "De opnametoets is in juni",
     "De opname van nieuwe leerlingen gebeurt in mei", "Neem je de telefoon nog op?"],
)
def test_image_lookalikes(text):
    assert "beeld" not in kinds(text)


@pytest.mark.parametrize(
    "text, word",
    [("Ik heb het gesprek opgenomen", "opgenomen"), ("Mag ik de les opnemen?", "opnemen"),
     ("Morgen worden foto's gemaakt, die komen in de ouderapp", "foto's"),
     ("De film van ons eindfeest is klaar, we kijken hem vrijdag", "film"),
     ("Onze klas heeft een film gemaakt, kijk op de website", "film"),
     ("Hij heeft het opgenomen met zijn telefoon", "opgenomen"), ("wie heeft die vid van Milan", "vid"),
     ("de trailer staat op YouTube", "trailer")],
)
def test_image_words_that_count_in_context(text, word):
    assert found(text) == [("beeld", word)]


# ------------------------------------------------------------------ folding and offsets


def test_ascii_text_is_not_copied_or_mapped():
    folded = normalise("Bel 06-12345678")
    assert folded.text == "Bel 06-12345678" and folded.starts is None
    assert folded.original_span(4, 15) == (4, 15)


def test_one_for_one_folding_keeps_the_offsets():
    folded = normalise("Bel 06\u00a012\u201334 \uff15")
    assert folded.text == "Bel 06 12-34 5" and folded.starts is None


def test_folding_maps_every_character_back():
    text = "a\u200bb\u00a0c\uff11\u2013d\u2019e"
    folded = normalise(text)
    assert folded.text == "ab c1-d'e"
    assert [text[s:e] for s, e in zip(folded.starts, folded.ends)] == [
        "a", "b", "\u00a0", "c", "\uff11", "\u2013", "d", "\u2019", "e"]


def test_combining_marks_are_composed_and_span_both_characters():
    text = "cafe\u0301 foto"
    folded = normalise(text)
    assert folded.text == "café foto"
    assert folded.original_span(3, 4) == (3, 5)
    assert found(text) == [("beeld", "foto")]


def test_ligatures_expand_and_long_expansions_stay():
    assert normalise("\ufb01lm").text == "film"
    assert normalise("\ufdfa").text == "\ufdfa"  # an 18-character expansion is left alone


def test_finding_after_many_invisible_characters_points_into_the_original():
    text = "\u200b" * 50 + "Bel \u2066+31\u00a06\u00a012345678\u2069 nu"
    [f] = scan(text)
    assert f.kind == "telefoon" and text[f.start:f.end] == "+31\u00a06\u00a012345678"


def test_offsets_with_emoji_full_width_and_zero_width_together():
    text = "😀 \uff10\uff16-\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18 😀 fo\u200bto"
    assert found(text) == [("telefoon", "\uff10\uff16-\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"),
                           ("beeld", "fo\u200bto")]


# ------------------------------------------------------------------ properties

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad", "\u2066", "\u2069"]
SEEDS = [
    "Bel Lisa op 06 12 34 56 78 vanavond", "Mail jan.jansen@example.nl graag", "BSN 111 222 333",
    "geboren op 12-03-2009", "Stationsweg 12, 8911 AB Leeuwarden", "NL91 ABNA 0417 1643 00", "Kijk deze foto!",
    "Herkansing op 06-12-2024 14:00", "(058) 123 45 67", "tag @team_cvo", "we kijken in de les een film",
]
text_alphabet = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("0123456789 @.-+/()'NLABnlfoto") + INVISIBLE + ["\u00a0", "\u2013", "\uff10", "\u0301"]),
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 60), st.sampled_from(INVISIBLE)), max_size=6))
def test_invisible_characters_do_not_change_what_is_found(seed, inserts):
    text = seed
    for position, mark in sorted(inserts, reverse=True):
        text = text[:position] + mark + text[position:]
    strip = lambda s: "".join(ch for ch in s if ch not in INVISIBLE)  # noqa: E731
    expected = [(k, strip(s)) for k, s in found(seed)]
    assert [(k, strip(s)) for k, s in found(text)] == expected


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SEEDS), st.sampled_from(["\u00a0", "\u202f", "\u2007"]), st.booleans())
def test_space_and_digit_lookalikes_give_the_same_findings_at_the_same_offsets(seed, space, wide_digits):
    text = seed.replace(" ", space)
    if wide_digits:
        text = "".join(chr(ord(ch) - ord("0") + 0xFF10) if "0" <= ch <= "9" else ch for ch in text)
    assert [(f.kind, f.start, f.end) for f in scan(text)] == [(f.kind, f.start, f.end) for f in scan(seed)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=text_alphabet, max_size=300))
def test_folding_map_is_monotonic_and_covers_the_text(text):
    folded = normalise(text)
    if folded.starts is None:  # every character folded to exactly one
        assert len(folded.text) == len(text)
        return
    assert len(folded.starts) == len(folded.ends) == len(folded.text)
    for i, (start, end) in enumerate(zip(folded.starts, folded.ends)):
        assert 0 <= start < end <= len(text)
        if i:
            assert folded.starts[i - 1] <= start and folded.ends[i - 1] <= end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=text_alphabet, max_size=300))
def test_findings_are_in_range_sorted_and_do_not_overlap(text):
    previous_end = 0
    for f in scan(text):
        assert f.kind in KIND_PRIORITY
        assert previous_end <= f.start < f.end <= len(text)
        previous_end = f.end


def test_maximum_length_with_every_character_expanding():
    scan("\ufb03" * MAX_LENGTH)  # 'ffi' ligature: three folded characters each


def test_lone_surrogates_from_json_do_not_break_folding():
    text = "\ud800 06\u00a012345678 \udfff fo\u200bto"
    assert found(text) == [("telefoon", "06\u00a012345678"), ("beeld", "fo\u200bto")]
