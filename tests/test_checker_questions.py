"""The form's questions (vragen.toml of a version) and the toon_als routing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.engine import evaluate
from checker.questions import QuestionsError, parse_questions, parse_toon_als
from checker.rules import load_ruleset

REPO = Path(__file__).resolve().parent.parent
VRAGEN = REPO / "docs" / "versies" / "2.0" / "vragen.toml"
QUESTIONS = parse_questions(VRAGEN.read_text(encoding="utf-8"), str(VRAGEN))


def test_one_question_per_answer_key_in_a_natural_order():
    keys = list(QUESTIONS.keys)
    assert len(set(keys)) == len(keys)
    assert keys[:2] == ["rol", "situatie"]
    assert keys[-1] == "tekst"
    assert QUESTIONS.choices["rol"] == ("medewerker", "leerling", "ouder", "betrokkene")


def test_questions_have_dutch_labels_and_explanations():
    for q in QUESTIONS:
        assert q.label.strip() and q.uitleg.strip()
        assert (q.type == "keuze") == bool(q.opties)


def test_to_json_schema_is_exactly_the_agreed_one():
    for q in QUESTIONS:
        data = q.to_json()
        expected = {"sleutel", "type", "label", "uitleg", "toon_als", "clauses"} | ({"opties"} if q.type == "keuze" else set())
        assert set(data) == expected
        if q.type == "keuze":
            assert all(set(o) == {"waarde", "label"} for o in data["opties"])
    # The page's script gets the parsed routing, with answers written as in the form (ja/nee).
    disclaimer = QUESTIONS.question("disclaimer").to_json()
    assert disclaimer["clauses"] == [
        {"key": "rol", "negated": False, "values": ["medewerker"]},
        {"key": "situatie", "negated": False, "values": ["prive"]},
        {"key": "over_cvo", "negated": False, "values": ["ja"]},
    ]


def test_toon_als_grammar():
    clauses = parse_toon_als("rol=medewerker & situatie=werk|prive & over_cvo!=ja", QUESTIONS.by_key)
    assert [(c.key, c.negated, c.values) for c in clauses] == [
        ("rol", False, ("medewerker",)),
        ("situatie", False, ("werk", "prive")),
        ("over_cvo", True, (True,)),
    ]
    assert parse_toon_als("", QUESTIONS.by_key) == ()


@pytest.mark.parametrize(
    "text", ["rol", "rol=", "=leerling", "leeftijd=12", "rol=directeur", "twijfel=true", "tekst=hallo", "rol=leerling && situatie=les"]
)
def test_toon_als_errors(text):
    with pytest.raises(QuestionsError):
        parse_toon_als(text, QUESTIONS.by_key)


def test_unanswered_key_fails_equals_and_passes_not_equals():
    [eq] = parse_toon_als("situatie=les", QUESTIONS.by_key)
    [ne] = parse_toon_als("situatie!=les", QUESTIONS.by_key)
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
        # B1 and C4 impose the same duty, so a medewerker is asked before choosing a situation.
        ("over_cvo", {"rol": "medewerker"}, True),
        ("vermeldt_medewerker", {"rol": "medewerker", "over_cvo": True}, True),
        ("over_cvo", {"rol": "leerling"}, False),
        # A6: whether anyone is seen or heard is asked only for images.
        ("personen_in_beeld", {"beeldmateriaal": True}, True),
        ("personen_in_beeld", {"beeldmateriaal": False}, False),
        ("personen_in_beeld", {}, False),
    ],
)
def test_is_relevant(key, answers, expected):
    assert QUESTIONS.is_relevant(QUESTIONS.question(key), answers) is expected


def test_stale_answers_do_not_route():
    # over_cvo is not asked of a leerling, so its stale yes must not hide schoolgerelateerd.
    answers = {"rol": "leerling", "situatie": "prive", "over_cvo": True, "schoolgerelateerd": False}
    assert QUESTIONS.relevant_answers(answers) == {"rol": "leerling", "situatie": "prive", "schoolgerelateerd": False}
    assert QUESTIONS.is_relevant(QUESTIONS.question("schoolgerelateerd"), answers)


def test_relevant_keys():
    assert QUESTIONS.relevant_keys({}) == [
        "rol", "situatie", "schoolgerelateerd", "persoonsgegevens", "beeldmateriaal", "toestemming",
        "vertrouwelijk", "kwetsend", "tekst",
    ]
    assert QUESTIONS.relevant_keys({"rol": "leerling", "situatie": "prive", "schoolgerelateerd": False}) == [
        "rol", "situatie", "schoolgerelateerd", "tekst",
    ]
    keys = QUESTIONS.relevant_keys({"rol": "medewerker", "situatie": "prive", "over_cvo": True})
    assert {"vermeldt_medewerker", "disclaimer", "strijdig_met_missie", "schaadt_naam"} <= set(keys)
    assert "schoolgerelateerd" not in keys and "ontspoort" not in keys


def test_every_version_has_its_own_questions_next_to_its_rules():
    for versie in ("1.0", "2.0", "3.0"):
        folder = REPO / "tests" / "data" / "three-versions" / "docs" / "versies" / versie
        assert (folder / "vragen.toml").is_file()
        assert load_ruleset(folder / "regels.toml").questions.source == str(folder / "vragen.toml")
    assert not (REPO / "checker" / "vragen.toml").exists(), "no unversioned copy in the package sources"


def test_changing_a_later_versions_questions_does_not_change_an_earlier_versions_advice(tmp_path):
    versies = tmp_path / "versies"
    shutil.copytree(REPO / "tests" / "data" / "three-versions" / "docs" / "versies", versies)
    answers = {"rol": "leerling", "situatie": "prive", "schoolgerelateerd": True, "persoonsgegevens": True}
    before = evaluate(answers, load_ruleset(versies / "2.0" / "regels.toml"))
    later = versies / "3.0" / "vragen.toml"
    # 3.0 asks about personal data only during lessons: its advice changes, 2.0's does not.
    text = later.read_text(encoding="utf-8").replace(
        'sleutel = "persoonsgegevens"\ntype = "janee"', 'sleutel = "persoonsgegevens"\ntype = "janee"\ntoon_als = "situatie=les"', 1)
    text = text.replace('toon_als = "schoolgerelateerd!=nee"\n\n[[vraag]]\nsleutel = "beeldmateriaal"',
                        '\n[[vraag]]\nsleutel = "beeldmateriaal"', 1)
    later.write_text(text, encoding="utf-8")
    assert not load_ruleset(later.with_name("regels.toml")).questions.is_relevant(
        load_ruleset(later.with_name("regels.toml")).questions.question("persoonsgegevens"), answers)
    assert evaluate(answers, load_ruleset(versies / "2.0" / "regels.toml")) == before


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('toon_als = "situatie=les & rol!=ouder|betrokkene"', 'toon_als = "twijfel=ja"', "geen eerdere vraag"),
        ('label = "Wie ben je?"', 'label = "Wie ben je?"\nkleur = "rood"', "onbekend veld kleur"),
        ('{ waarde = "ouder", label = "Ouder of verzorger" },', '{ waarde = "leerling", label = "Nog eens" },', "opties"),
        ('sleutel = "twijfel"\ntype = "janee"', 'sleutel = "twijfel"\ntype = "getal"', "type"),
        ('sleutel = "twijfel"', 'sleutel = "ontspoort"', "dubbel"),
        ('sleutel = "twijfel"', 'sleutel = "niet"', "sleutel"),
        ('uitleg = "Twijfel is een goed moment om even te overleggen."', 'uitleg = ""', "uitleg"),
    ],
)
def test_bad_question_files_are_refused(old, new, expected):
    text = VRAGEN.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(QuestionsError, match=expected):
        parse_questions(text.replace(old, new, 1))


def test_a_rule_on_a_key_the_versions_questions_lack_is_refused(tmp_path):
    from checker.rules import RulesError

    (tmp_path / "regels.toml").write_text((REPO / "docs/versies/2.0/regels.toml").read_text(encoding="utf-8"), encoding="utf-8")
    text = VRAGEN.read_text(encoding="utf-8")
    head, sep, tail = text.partition('[[vraag]]\nsleutel = "twijfel"')
    (tmp_path / "vragen.toml").write_text(head + "[[vraag]]" + tail.split("[[vraag]]", 1)[1], encoding="utf-8")
    with pytest.raises(RulesError, match="twijfel"):
        load_ruleset(tmp_path / "regels.toml")
