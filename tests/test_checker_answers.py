"""Strict validation of the answers object against a version's questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.answers import MAX_DEPTH, MAX_TEXT_LENGTH, Answers, AnswersError, parse_answers, parse_answers_json
from checker.rules import load_ruleset

QUESTIONS = load_ruleset(Path(__file__).resolve().parent.parent / "docs/versies/2.0/regels.toml").questions
ANSWER_KEYS, BOOLEAN_FIELDS = QUESTIONS.keys, QUESTIONS.booleans


def error_for(obj) -> AnswersError:
    with pytest.raises(AnswersError) as info:
        parse_answers(obj)
    return info.value


def test_all_keys_are_optional():
    assert parse_answers({}) == Answers()


def test_full_answers_roundtrip():
    data = {key: True for key in BOOLEAN_FIELDS} | {"rol": "ouder", "situatie": "werk", "tekst": "Hallo"}
    answers = parse_answers(data)
    assert answers.to_json() == data
    assert Answers.from_json(answers.to_json()) == answers
    assert set(data) == set(ANSWER_KEYS)


def test_null_means_unanswered():
    assert parse_answers({"rol": None, "twijfel": None}) == Answers()


def test_unknown_key():
    err = error_for({"rol": "leerling", "leeftijd": 14})
    assert err.field == "leeftijd"
    assert "veld 'leeftijd'" in err.message and "field 'leeftijd'" in err.message
    assert "onbekend veld" in err.message and "unknown field" in err.message


@pytest.mark.parametrize("value", [1, 0, "ja", "nee", "true", [True], {"x": True}, 1.0])
def test_boolean_must_be_a_real_bool(value):
    err = error_for({"toestemming": value})
    assert err.field == "toestemming"
    assert "true of false" in err.message and "true or false" in err.message


def test_bad_enum_value_lists_allowed_values():
    err = error_for({"rol": "directeur"})
    assert err.field == "rol"
    assert err.message == (
        "veld 'rol': onbekende waarde 'directeur' (toegestaan: medewerker, leerling, ouder, betrokkene) / "
        "field 'rol': unknown value 'directeur' (allowed: medewerker, leerling, ouder, betrokkene)"
    )


@pytest.mark.parametrize("value", [1, True, ["les"]])
def test_enum_must_be_a_string(value):
    err = error_for({"situatie": value})
    assert err.field == "situatie" and "moet tekst zijn" in err.message


def test_enum_is_case_sensitive():
    assert error_for({"situatie": "Les"}).field == "situatie"


def test_tekst_length_limit():
    assert parse_answers({"tekst": "x" * MAX_TEXT_LENGTH}).tekst == "x" * MAX_TEXT_LENGTH
    err = error_for({"tekst": "x" * (MAX_TEXT_LENGTH + 1)})
    assert err.field == "tekst" and "te lang" in err.message and "too long" in err.message


def test_tekst_must_be_a_string():
    assert error_for({"tekst": 12}).field == "tekst"


@pytest.mark.parametrize("obj", [[], "rol", 3, None, True])
def test_top_level_must_be_an_object(obj):
    err = error_for(obj)
    assert err.field is None
    assert "JSON-object" in err.message and "JSON object" in err.message


def test_message_is_one_line():
    err = error_for({"tekst": 5})
    assert "\n" not in err.message
    assert err.to_json() == {"field": "tekst", "message": err.message}


def test_json_parsing():
    assert parse_answers_json('{"rol": "leerling"}') == Answers(rol="leerling")
    with pytest.raises(AnswersError) as info:
        parse_answers_json('{"rol": ')
    assert info.value.field is None and "geen geldige JSON" in info.value.message and "not valid JSON" in info.value.message


def test_json_duplicate_keys_are_refused():
    with pytest.raises(AnswersError) as info:
        parse_answers_json('{"rol": "leerling", "rol": "ouder"}')
    assert info.value.field == "rol"


def test_json_nan_is_refused():
    with pytest.raises(AnswersError):
        parse_answers_json('{"toestemming": NaN}')


def test_json_parsing_without_a_field_names_de_invoer():
    with pytest.raises(AnswersError) as info:
        parse_answers_json("[1, 2")
    assert info.value.field is None and info.value.message.startswith("de invoer: ")


@pytest.mark.parametrize("depth", [10, MAX_DEPTH + 1, 990, 1000, 5000, 100_000])
def test_deep_nesting_is_one_error_naming_the_field_or_de_invoer(depth):
    for text, field in (("[" * depth + "]" * depth, None), ('{"rol": ' + "[" * depth + "]" * depth + "}", "rol")):
        with pytest.raises(AnswersError) as info:
            parse_answers_json(text)
        assert info.value.field == field, text[:20]
        assert info.value.message.startswith("de invoer: " if field is None else f"veld '{field}': ")


def test_brackets_inside_a_string_are_no_nesting():
    text = "[" * (MAX_DEPTH + 5) + "{" * (MAX_DEPTH + 5)  # more brackets than MAX_DEPTH, so they are tokenised
    assert parse_answers_json(json.dumps({"tekst": text})).get("tekst") == text


@pytest.mark.parametrize("digits", [31, 4301, 5000, 50_000])
def test_huge_numbers_are_named_by_their_field(digits):
    with pytest.raises(AnswersError) as info:
        parse_answers_json('{"toestemming": ' + "9" * digits + "}")
    assert info.value.field == "toestemming" and "number" in info.value.message
    assert "9" * 20 not in info.value.message, "the message stays short"


def test_a_lone_surrogate_in_a_field_name_is_shown_escaped():
    with pytest.raises(AnswersError) as info:
        parse_answers_json('{"\\ud800x": 1}'.replace("\\\\", "\\"))
    info.value.message.encode("utf-8")  # printable


def test_answers_are_validated_against_the_versions_questions():
    assert "personen_in_beeld" in QUESTIONS.booleans
    other = load_ruleset(Path(__file__).resolve().parent / "data/rules/minimaal.toml").questions
    assert parse_answers({"rol": "leerling"}, other) == Answers(rol="leerling")
