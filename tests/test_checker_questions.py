"""The form's questions (vragen.toml) and the toon_als routing."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.answers import ANSWER_KEYS, CHOICES, field_type
from checker.questions import (
    QuestionsError,
    is_relevant,
    load_questions,
    parse_questions,
    parse_toon_als,
    question,
    relevant_answers,
    relevant_keys,
)

VRAGEN = Path(__file__).resolve().parent.parent / "checker" / "vragen.toml"


def test_one_question_per_answer_key_in_a_natural_order():
    keys = [q.sleutel for q in load_questions()]
    assert sorted(keys) == sorted(ANSWER_KEYS)
    assert keys[:2] == ["rol", "situatie"]
    assert keys[-1] == "tekst"


def test_questions_have_dutch_labels_and_explanations():
    for q in load_questions():
        assert q.label.strip() and q.uitleg.strip()
        assert q.type == field_type(q.sleutel)
        if q.type == "keuze":
            assert [o.waarde for o in q.opties] == list(CHOICES[q.sleutel])
        else:
            assert q.opties == ()


def test_to_json_schema_is_exactly_the_agreed_one():
    for q in load_questions():
        data = q.to_json()
        expected = {"sleutel", "type", "label", "uitleg", "toon_als"} | ({"opties"} if q.type == "keuze" else set())
        assert set(data) == expected
        if q.type == "keuze":
            assert all(set(o) == {"waarde", "label"} for o in data["opties"])


def test_toon_als_grammar():
    clauses = parse_toon_als("rol=medewerker & situatie=werk|prive & over_cvo!=ja")
    assert [(c.key, c.negated, c.values) for c in clauses] == [
        ("rol", False, ("medewerker",)),
        ("situatie", False, ("werk", "prive")),
        ("over_cvo", True, (True,)),
    ]
    assert parse_toon_als("") == ()


@pytest.mark.parametrize(
    "text", ["rol", "rol=", "=leerling", "leeftijd=12", "rol=directeur", "twijfel=true", "tekst=hallo", "rol=leerling && situatie=les"]
)
def test_toon_als_errors(text):
    with pytest.raises(QuestionsError):
        parse_toon_als(text)


def test_unanswered_key_fails_equals_and_passes_not_equals():
    [eq] = parse_toon_als("situatie=les")
    [ne] = parse_toon_als("situatie!=les")
    assert not eq.holds({}) and ne.holds({})
    assert eq.holds({"situatie": "les"}) and not ne.holds({"situatie": "les"})


@pytest.mark.parametrize(
    "key, answers, expected",
    [
        ("toestemming_les", {"situatie": "les"}, True),
        ("toestemming_les", {"situatie": "les", "rol": "ouder"}, False),
        ("toestemming_les", {"situatie": "werk"}, False),
        ("disclaimer", {"rol": "medewerker", "situatie": "prive", "over_cvo": True}, True),
        ("disclaimer", {"rol": "medewerker", "situatie": "werk", "over_cvo": True}, False),
        ("disclaimer", {"rol": "leerling", "situatie": "prive", "over_cvo": True}, False),
        ("schoolgerelateerd", {"situatie": "les"}, False),
        ("schoolgerelateerd", {"rol": "medewerker", "situatie": "prive", "over_cvo": True}, False),
        ("schoolgerelateerd", {"rol": "leerling", "situatie": "prive"}, True),
        ("persoonsgegevens", {"schoolgerelateerd": False}, False),
        ("persoonsgegevens", {}, True),
        ("tekst", {"schoolgerelateerd": False}, True),
        ("ontspoort", {"rol": "medewerker", "situatie": "werk"}, True),
        ("ontspoort", {"rol": "medewerker", "situatie": "prive"}, False),
    ],
)
def test_is_relevant(key, answers, expected):
    assert is_relevant(question(key), answers) is expected


def test_stale_answers_do_not_route():
    # over_cvo is not asked of a leerling, so its stale yes must not hide schoolgerelateerd.
    answers = {"rol": "leerling", "situatie": "prive", "over_cvo": True, "schoolgerelateerd": False}
    assert relevant_answers(answers) == {"rol": "leerling", "situatie": "prive", "schoolgerelateerd": False}
    assert is_relevant(question("schoolgerelateerd"), answers)


def test_relevant_keys():
    assert relevant_keys({}) == [
        "rol", "situatie", "schoolgerelateerd", "persoonsgegevens", "beeldmateriaal", "toestemming",
        "vertrouwelijk", "kwetsend", "tekst",
    ]
    assert relevant_keys({"rol": "leerling", "situatie": "prive", "schoolgerelateerd": False}) == [
        "rol", "situatie", "schoolgerelateerd", "tekst",
    ]
    keys = relevant_keys({"rol": "medewerker", "situatie": "prive", "over_cvo": True})
    assert {"vermeldt_medewerker", "disclaimer", "strijdig_met_missie", "schaadt_naam"} <= set(keys)
    assert "schoolgerelateerd" not in keys and "ontspoort" not in keys


def test_bundled_file_parses_to_the_loaded_questions():
    assert parse_questions(VRAGEN.read_text(encoding="utf-8")) == load_questions()


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('toon_als = "situatie=les & rol!=ouder|betrokkene"', 'toon_als = "twijfel=ja"', "geen eerdere vraag"),
        ('label = "Wie ben je?"', 'label = "Wie ben je?"\nkleur = "rood"', "onbekend veld kleur"),
        ('{ waarde = "ouder", label = "Ouder of verzorger" },', "", "opties"),
        ('sleutel = "twijfel"\ntype = "janee"', 'sleutel = "twijfel"\ntype = "tekst"', "type 'tekst' past niet"),
        ('sleutel = "twijfel"', 'sleutel = "ontspoort"', "dubbel"),
        ('sleutel = "twijfel"', 'sleutel = "leeftijd"', "onbekende sleutel"),
        ('uitleg = "Twijfel is een goed moment om even te overleggen."', 'uitleg = ""', "uitleg"),
    ],
)
def test_bad_question_files_are_refused(old, new, expected):
    text = VRAGEN.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(QuestionsError, match=expected):
        parse_questions(text.replace(old, new, 1))


def test_a_missing_question_is_refused():
    text = VRAGEN.read_text(encoding="utf-8")
    head, _, _ = text.rpartition("[[vraag]]")
    with pytest.raises(QuestionsError, match="geen vraag voor: tekst"):
        parse_questions(head)
