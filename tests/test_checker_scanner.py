"""The local text scanner: what it reports, what it must not report, and where."""

from __future__ import annotations

import pytest

from checker.scanner import MAX_LENGTH, Finding, elfproef, iban_valid, personal_kinds, scan


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start:f.end]) for f in scan(text)]


def kinds(text: str) -> list[str]:
    return [f.kind for f in scan(text)]


# ------------------------------------------------------------------ BSN


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "1234.56.782"])
def test_valid_bsn_is_reported(bsn):
    assert found(f"Mijn BSN is {bsn}.") == [("bsn", bsn)]


@pytest.mark.parametrize("number", ["123456789", "111222334", "000000000", "1234.56.789"])
def test_nine_digits_failing_the_elfproef_are_not_reported(number):
    assert scan(f"Lotnummer {number} gewonnen") == []


@pytest.mark.parametrize("text", ["1112223330", "01112223339", "3.111222333", "A111222333", "111222333,5"])
def test_bsn_inside_a_longer_number_or_code_is_not_reported(text):
    assert "bsn" not in kinds(text)


def test_elfproef():
    assert elfproef("111222333") and elfproef("123456782")
    assert not elfproef("123456789") and not elfproef("12345678") and not elfproef("000000000")


# ------------------------------------------------------------------ IBAN

VALID_IBANS = [
    "NL91ABNA0417164300",
    "NL91 ABNA 0417 1643 00",
    "nl91abna0417164300",
    "DE89370400440532013000",
    "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432",
    "BE68539007547034",
    "FR1420041010050500013M02606",
    "NO9386011117947",
]


@pytest.mark.parametrize("iban", VALID_IBANS)
def test_valid_iban_is_reported(iban):
    assert found(f"Rekening: {iban} graag.") == [("iban", iban)]
    assert iban_valid(iban)


@pytest.mark.parametrize(
    "iban",
    ["NL91ABNA0417164301", "NL91 ABNA 0417 1643 01", "DE89370400440532013001", "NL91ABNA041716430", "XX91ABNA0417164300"],
)
def test_iban_failing_mod97_or_length_is_not_reported(iban):
    assert "iban" not in kinds(f"Rekening {iban}")
    assert not iban_valid(iban)


def test_iban_is_not_also_a_phone_number():
    assert kinds("NL91ABNA0417164300") == ["iban"]
    assert "telefoon" not in kinds("NL91ABNA0417164301")


def test_iban_followed_by_a_word_keeps_exact_offsets():
    text = "Op BE68539007547034 ABCD staat het"
    assert found(text) == [("iban", "BE68539007547034")]


# ------------------------------------------------------------------ phone numbers

PHONES = [
    "06-12345678",
    "0612345678",
    "06 12345678",
    "06 12 34 56 78",
    "+31 6 12345678",
    "+316 12345678",
    "+31612345678",
    "0031 6 12345678",
    "+31 (0)6 12345678",
    "058-1234567",
    "058 123 4567",
    "0581234567",
    "020-1234567",
    "0517-123456",
    "0517 12 34 56",
    "+31 58 1234567",
]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_formats(phone):
    assert found(f"Bel me op {phone} vanavond") == [("telefoon", phone)]


@pytest.mark.parametrize(
    "text",
    ["12-03-2009 10:00", "01-02-2009 12 34", "06-1234567", "061234567890", "in 2019 waren er 1234567 bezoekers", "1612345678"],
)
def test_not_phone_numbers(text):
    assert "telefoon" not in kinds(text)


# ------------------------------------------------------------------ addresses


@pytest.mark.parametrize(
    "text, postcode",
    [
        ("Stationsweg 12, 8911 AB Leeuwarden", "8911 AB"),
        ("Dorpsstraat 3a 9101AB Dokkum", "9101AB"),
        ("Kerklaan 7, en dan nog een hele lange zin die verder gaat dan zestig tekens: 8911 AB", None),
        ("Postcode: 8911AB", "8911AB"),
        ("Stationsweg 12\n8911 AB Leeuwarden", "8911 AB"),
    ],
)
def test_postcode_needs_an_address_nearby(text, postcode):
    expected = [("postcode", postcode)] if postcode else []
    assert [x for x in found(text) if x[0] == "postcode"] == expected


@pytest.mark.parametrize("text", ["In 2019 EN 2020", "Groep 8911 AB", "Stationsweg 12, 8911 ab", "Stationsweg 12, 8911 SS"])
def test_postcode_lookalikes_are_not_reported(text):
    assert "postcode" not in kinds(text)


def test_postcode_offsets():
    text = "Stationsweg 12, 8911 AB Leeuwarden"
    [f] = scan(text)
    assert (f.kind, f.start, f.end) == ("postcode", 16, 23)


# ------------------------------------------------------------------ e-mail and mentions


@pytest.mark.parametrize("email", ["jan.jansen@school.nl", "a+b@sub.example.co.uk", "J_de-Vries@cvo-nwf.nl"])
def test_email(email):
    assert found(f"Mail {email}.") == [("email", email)]


def test_mentions_are_not_emails_and_emails_are_not_mentions():
    text = "Mail jan@school.nl of tag @jan_j en (@piet.k)."
    assert found(text) == [("email", "jan@school.nl"), ("vermelding", "@jan_j"), ("vermelding", "@piet.k")]


@pytest.mark.parametrize("text", ["a @ b", "prijs 5@", "jan@@school"])
def test_not_mentions(text):
    assert "vermelding" not in kinds(text)


def test_mention_is_not_personal_data():
    assert personal_kinds(scan("Top @team_cvo")) == []
    assert personal_kinds(scan("Mail a@b.nl")) == ["email"]


# ------------------------------------------------------------------ birth dates


@pytest.mark.parametrize(
    "text, date",
    [
        ("Tom is geboren op 12-03-2009.", "12-03-2009"),
        ("geb. 12/03/2009", "12/03/2009"),
        ("Geboortedatum: 12.03.2009", "12.03.2009"),
        ("Ze is geboren op 12 maart 2009", "12 maart 2009"),
        ("geb 3 mrt. 09", "3 mrt. 09"),
        ("Sanne is morgen jarig, 1 april 2010", "1 april 2010"),
    ],
)
def test_birth_date_after_keyword(text, date):
    assert found(text) == [("geboortedatum", date)]


@pytest.mark.parametrize(
    "text",
    ["De ouderavond is op 12-03-2025.", "Op 12 maart 2009 was de opening", "geboren op 31-02-2009", "geboren op 12-13-2009"],
)
def test_dates_without_keyword_or_invalid_are_not_reported(text):
    assert "geboortedatum" not in kinds(text)


# ------------------------------------------------------------------ images


@pytest.mark.parametrize(
    "word",
    ["foto", "Foto's", "klassenfoto", "filmpje", "video", "schoolvideo", "opname", "geluidsopname", "selfie",
     "screenshot", "schermafbeelding", "gefilmd", "vlog"],
)
def test_image_words(word):
    text = f"Kijk naar de {word} van gisteren"
    assert [k for k, _ in found(text)] == ["beeld"]


@pytest.mark.parametrize("text", ["fotosynthese in de biologieles", "de fotograafkamer", "we hebben videovergadering"])
def test_image_lookalikes(text):
    assert "beeld" not in kinds(text)


def test_beeld_offsets_point_at_the_word():
    text = "Hé 👋 kijk deze foto!"
    [f] = scan(text)
    assert text[f.start:f.end] == "foto" and f.kind == "beeld"


# ------------------------------------------------------------------ general behaviour


def test_offsets_are_python_str_indices_with_emoji():
    text = "😀😀 bel 06-12345678 😀 mail a@b.nl"
    assert found(text) == [("telefoon", "06-12345678"), ("email", "a@b.nl")]


def test_findings_are_sorted_and_do_not_overlap():
    text = "NL91ABNA0417164300 0612345678 111222333 a@b.nl @x foto " * 20
    findings = scan(text)
    assert findings == sorted(findings, key=lambda f: f.start)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:]))


def test_finding_json_roundtrip():
    f = Finding("email", 3, 9)
    assert f.to_json() == {"kind": "email", "start": 3, "end": 9}
    assert Finding.from_json(f.to_json()) == f


def test_too_long_text_is_refused():
    scan("a" * MAX_LENGTH)
    with pytest.raises(ValueError):
        scan("a" * (MAX_LENGTH + 1))


@pytest.mark.parametrize(
    "text",
    [
        "a" * MAX_LENGTH,
        "1" * MAX_LENGTH,
        "0 " * (MAX_LENGTH // 2),
        "a." * (MAX_LENGTH // 2),
        "a@" * (MAX_LENGTH // 2),
        "@" * MAX_LENGTH,
        "NL91" * (MAX_LENGTH // 4),
        "1234 AB " * (MAX_LENGTH // 8),
        "geboren 12-03-" * (MAX_LENGTH // 14),
        "x-" * (MAX_LENGTH // 2 - 1) + "@",
        "a@" + "bb." * (MAX_LENGTH // 3 - 1),
        "a@b." * (MAX_LENGTH // 4),
        "06 12 " * (MAX_LENGTH // 6),
        "+31 " * (MAX_LENGTH // 4),
        "Straat 1, " * (MAX_LENGTH // 10),
    ],
    ids=lambda t: repr(t[:8]),
)
def test_pathological_input_is_scanned(text):
    # How fast is a bench matter (python -m bench.scanner prints the worst case); here: it completes, in range.
    for f in scan(text):
        assert 0 <= f.start < f.end <= len(text)
