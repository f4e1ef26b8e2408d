"""Strict validation of the answers object."""

from __future__ import annotations

import pytest

from checker.answers import (
    ANSWER_KEYS,
    BOOLEAN_FIELDS,
    MAX_TEXT_LENGTH,
    Answers,
    AnswersError,
    parse_answers,
    parse_answers_json,
)


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
