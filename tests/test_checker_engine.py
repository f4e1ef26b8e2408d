"""The engine on every version's scenarios, and the advice's shape and semantics."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from checker.answers import Answers, AnswersError, parse_answers
from checker.conditions import holds
from checker.engine import cited_articles, effective_answers, evaluate, evaluate_json
from checker.rules import load_ruleset, validate_citations
from scenario_data import load, rules_path, scenario_id, scenario_paths

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = scenario_paths()
RULES_PATH = REPO / "docs" / "versies" / "2.0" / "regels.toml"
CHOICES = load_ruleset(RULES_PATH).questions.choices
SCENARIO_FIELDS = {"name", "answers", "verdict", "articles"}
OPTIONAL_FIELDS = {"checks", "effects", "citaat"}
PROTOCOL_PATH = REPO / "docs" / "versies" / "2.0" / "protocol.md"
DISCLAIMER = (
    "De standpunten en meningen in dit bericht zijn mijn eigen persoonlijke mening en staan los van "
    "eventuele officiële standpunten van het CVO."
)


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULES_PATH)


def protocol_ids(text: str) -> set[str]:
    """Article IDs as the protocol's syntax defines them: list items under a heading with prefix=X."""
    ids, prefix, count = set(), None, 0
    for line in text.splitlines():
        heading = re.match(r"#+ .*?(?:\{[^}]*prefix=([A-Z])[^}]*\})?\s*$", line)
        if line.startswith("#") and heading:
            prefix, count = heading.group(1), 0
        elif prefix and re.match(r"\d+\.\s", line):
            count += 1
            ids.add(f"{prefix}{count}")
    return ids


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def test_protocol_ids_parser_matches_the_contract():
    ids = protocol_ids(PROTOCOL_PATH.read_text(encoding="utf-8"))
    expected = {f"U{i}" for i in range(1, 6)} | {"R1", "R2"} | {f"A{i}" for i in range(1, 8)}
    expected |= {"B1", "B2", "B3"} | {f"C{i}" for i in range(1, 6)} | {f"S{i}" for i in range(1, 7)}
    assert ids == expected


def test_real_rules_cite_only_protocol_articles_and_every_normative_one(ruleset):
    validate_citations(ruleset, protocol_ids(PROTOCOL_PATH.read_text(encoding="utf-8")))
    assert set(ruleset.normatief) == {"R2", *(f"A{i}" for i in range(1, 8)), "B1", "B2", "B3",
                                      *(f"C{i}" for i in range(1, 6))}


# ------------------------------------------------------------------ scenarios


def test_there_are_at_least_100_scenarios_for_the_version_in_force():
    assert len([p for v, p in SCENARIOS if v == "2.0"]) >= 100


@pytest.mark.parametrize("item", SCENARIOS, ids=scenario_id)
def test_scenario_file_format(item):
    versie, path = item
    data = load(path)
    assert SCENARIO_FIELDS <= set(data) <= SCENARIO_FIELDS | OPTIONAL_FIELDS
    assert path.stem == slug(data["name"])
    parse_answers(data["answers"], load_ruleset(rules_path(versie)).questions)
    assert data["verdict"] in ("toegestaan", "toegestaan_mits", "niet_toegestaan", "buiten_reikwijdte")
    assert data["articles"] == sorted(set(data["articles"]))
    if "citaat" in data:
        # The article that decides the case, quoted word for word from the version's adopted text.
        protocol = " ".join((path.parent.parent / "protocol.md").read_text(encoding="utf-8").split())
        assert " ".join(data["citaat"].split()) in protocol, data["name"]


@pytest.mark.parametrize("item", SCENARIOS, ids=scenario_id)
def test_scenario(item):
    versie, path = item
    data = load(path)
    advice = evaluate(data["answers"], load_ruleset(rules_path(versie)))
    assert advice["verdict"] == data["verdict"], data["name"]
    assert cited_articles(advice) == data["articles"], data["name"]
    if "checks" in data:
        assert sorted({a for c in advice["checks"] for a in c["articles"]}) == data["checks"], data["name"]
    if "effects" in data:
        assert [f["effect"] for f in advice["findings"]] == data["effects"], data["name"]
    assert evaluate_json(data["answers"], load_ruleset(rules_path(versie))) == json.dumps(advice), data["name"]
    if any(f["effect"] == "controleer" for f in advice["findings"]):
        # The person wins: a finding contradicting an answer changes nothing but adds a point to check.
        without_text = evaluate({k: v for k, v in data["answers"].items() if k != "tekst"}, load_ruleset(rules_path(versie)))
        assert (advice["verdict"], advice["reasons"], advice["consequences"]) == (
            without_text["verdict"], without_text["reasons"], without_text["consequences"]), data["name"]
        assert advice["checks"], data["name"]


def test_scenarios_cover_every_rule_rol_and_situatie(ruleset):
    fired, roles, situations, verdicts, raised = set(), set(), set(), set(), set()
    effects = set()
    for versie, path in SCENARIOS:
        if versie != "2.0":
            continue
        answers = load(path)["answers"]
        given, _, from_text, found = effective_answers(parse_answers(answers, ruleset.questions), ruleset)
        effects |= set(found)
        fired |= {r.id for r in ruleset.regels if holds(r.als, given)}
        roles.add(answers.get("rol"))
        situations.add(answers.get("situatie"))
        verdicts.add(load(path)["verdict"])
        raised |= set(from_text)
    assert {r.id for r in ruleset.regels} <= fired
    assert set(CHOICES["rol"]) | {None} <= roles
    assert set(CHOICES["situatie"]) | {None} <= situations
    assert verdicts == {"toegestaan", "toegestaan_mits", "niet_toegestaan", "buiten_reikwijdte"}
    assert raised == {"persoonsgegevens", "beeldmateriaal"}
    assert effects == {"aangenomen", "controleer", "bevestigd", "geen"}


# ------------------------------------------------------------------ the required examples


def test_leerling_in_lesson_without_permission(ruleset):
    advice = evaluate({"rol": "leerling", "situatie": "les", "toestemming_les": False}, ruleset)
    assert advice["verdict"] == "niet_toegestaan"
    assert advice["reasons"][0]["article"] == "A1"
    assert advice["reasons"][0]["grounds"] == {"situatie": "les", "rol": "leerling", "toestemming_les": False}


def test_photo_of_classmates_without_consent(ruleset):
    advice = evaluate({"rol": "leerling", "situatie": "prive", "beeldmateriaal": True, "toestemming": False}, ruleset)
    assert advice["verdict"] == "niet_toegestaan"
    assert "A6" in [r["article"] for r in advice["reasons"]]


def test_medewerker_private_about_cvo_without_disclaimer_gets_the_sentence(ruleset):
    advice = evaluate({"rol": "medewerker", "situatie": "prive", "over_cvo": True, "disclaimer": False}, ruleset)
    assert advice["verdict"] == "toegestaan_mits"
    assert "C5" in cited_articles(advice)
    assert any(DISCLAIMER in action for action in advice["actions"])
    c5 = next(r for r in advice["reasons"] if r["article"] == "C5")
    assert c5["grounds"] == {"rol": "medewerker", "situatie": "prive", "over_cvo": True, "disclaimer": False}


def test_over_cvo_implies_school_related(ruleset):
    advice = evaluate({"rol": "medewerker", "situatie": "prive", "over_cvo": True}, ruleset)
    assert advice["verdict"] == "toegestaan_mits"
    assert "C5" in cited_articles(advice)


def test_b2_action_is_to_contact_the_manager(ruleset):
    advice = evaluate({"rol": "medewerker", "situatie": "werk", "ontspoort": True}, ruleset)
    assert advice["verdict"] == "toegestaan_mits"
    assert any(a.startswith("Neem direct contact op met je leidinggevende") for a in advice["actions"])


# ------------------------------------------------------------------ advice shape


def test_advice_shape_and_json(ruleset):
    advice = evaluate({"rol": "ouder", "situatie": "prive", "kwetsend": True, "tekst": "Bel 06-12345678"}, ruleset)
    assert json.loads(json.dumps(advice)) == advice
    assert {"verdict", "reasons", "actions", "consequences", "findings", "version", "reminders"} <= set(advice)
    assert advice["version"] == "2.0"
    for r in advice["reasons"]:
        assert set(r) >= {"article", "text", "grounds"} and r["article"] == r["articles"][0]
    assert [{k: f[k] for k in ("kind", "start", "end", "question", "effect")} for f in advice["findings"]] == [
        {"kind": "telefoon", "start": 4, "end": 15, "question": "persoonsgegevens", "effect": "aangenomen"}]


@pytest.mark.parametrize("answers", [{}, {"rol": "leerling", "situatie": "prive", "schoolgerelateerd": False}])
def test_reminders_a4_a5_always_shown(ruleset, answers):
    assert [r["article"] for r in evaluate(answers, ruleset)["reminders"]] == ["A4", "A5"]


@pytest.mark.parametrize(
    "rol, expected",
    [("medewerker", ["S1", "S2", "S3", "S6"]), ("leerling", ["S4", "S5", "S6"]), ("ouder", ["S4", "S5", "S6"])],
)
def test_consequences_per_rol_only_when_not_allowed(ruleset, rol, expected):
    bad = evaluate({"rol": rol, "situatie": "prive", "kwetsend": True}, ruleset)
    assert [c["article"] for c in bad["consequences"]] == expected
    good = evaluate({"rol": rol, "situatie": "prive", "over_cvo": True, "kwetsend": False}, ruleset)
    assert good["verdict"] != "niet_toegestaan" and good["consequences"] == []


def test_betrokkene_gets_no_invented_consequences_but_a_note(ruleset):
    advice = evaluate({"rol": "betrokkene", "situatie": "prive", "kwetsend": True}, ruleset)
    assert advice["verdict"] == "niet_toegestaan"
    assert advice["consequences"] == []
    assert any("andere betrokkenen noemt het geen maatregelen" in i["text"] for i in advice["info"])


def test_unknown_rol_gets_a_note_instead_of_consequences(ruleset):
    advice = evaluate({"situatie": "prive", "kwetsend": True}, ruleset)
    assert advice["consequences"] == []
    assert any("hangt af van je rol" in i["text"] for i in advice["info"])


def test_protocol_silence_for_parents_in_b_and_c_is_said(ruleset):
    advice = evaluate({"rol": "ouder", "situatie": "werk"}, ruleset)
    assert any("alleen voor medewerkers" in i["text"] for i in advice["info"])


def test_worse_verdict_hides_fine_reasons_but_keeps_conditions(ruleset):
    answers = {"rol": "medewerker", "situatie": "prive", "over_cvo": True, "vermeldt_medewerker": True,
               "kwetsend": True}
    advice = evaluate(answers, ruleset)
    assert advice["verdict"] == "niet_toegestaan"
    assert cited_articles(advice) == ["A7", "C5"]  # C4 is met, so its toegestaan reason is not shown


def test_out_of_scope_overrides_everything(ruleset):
    advice = evaluate({"rol": "leerling", "situatie": "prive", "schoolgerelateerd": False, "kwetsend": True,
                       "tekst": "BSN 111222333"}, ruleset)
    assert advice["verdict"] == "buiten_reikwijdte"
    assert cited_articles(advice) == ["R2"] and advice["consequences"] == []
    assert [(f["kind"], f["start"], f["end"], f["effect"]) for f in advice["findings"]] == [("bsn", 4, 13, "geen")]
    assert advice["from_text"] == [] and advice["checks"] == []


@pytest.mark.parametrize("rol", [*CHOICES["rol"], None])
@pytest.mark.parametrize("situatie", [*CHOICES["situatie"], None])
def test_missing_answers_never_make_a_violation(ruleset, rol, situatie):
    answers = {k: v for k, v in (("rol", rol), ("situatie", situatie)) if v}
    assert evaluate(answers, ruleset)["verdict"] != "niet_toegestaan"


def test_without_a_rol_a_lesson_without_permission_is_a_condition_not_a_violation(ruleset):
    advice = evaluate({"situatie": "les", "toestemming_les": False}, ruleset)
    assert advice["verdict"] == "toegestaan_mits" and cited_articles(advice) == ["A1"]
    assert advice["consequences"] == []


def test_stale_lesson_permission_is_ignored(ruleset):
    advice = evaluate({"rol": "leerling", "situatie": "werk", "toestemming_les": False}, ruleset)
    assert advice["verdict"] == "toegestaan"
    assert "A1" not in cited_articles(advice)


def test_a_finding_stands_in_only_for_an_unanswered_question(ruleset):
    answers = {"rol": "leerling", "situatie": "prive", "toestemming": False, "tekst": "Mail naar sanne@example.nl"}
    advice = evaluate(answers, ruleset)
    assert advice["verdict"] == "niet_toegestaan"
    assert advice["from_text"] == ["persoonsgegevens"]
    assert advice["reasons"][0]["grounds"]["persoonsgegevens"] is True
    assert any("e-mailadres" in i["text"] for i in advice["info"])
    assert [f["effect"] for f in advice["findings"]] == ["aangenomen"] and advice["checks"] == []
    # A text without findings never lowers an explicit yes.
    plain = evaluate({**answers, "persoonsgegevens": True, "tekst": "Hallo allemaal"}, ruleset)
    assert plain["verdict"] == "niet_toegestaan" and plain["from_text"] == []


def test_the_persons_explicit_no_wins_over_a_finding_and_the_advice_says_what_to_check(ruleset):
    text = "Ziekmelden kan bij de administratie van school: 0519-123456"
    answers = {"rol": "ouder", "situatie": "prive", "persoonsgegevens": False, "toestemming": False, "tekst": text}
    advice = evaluate(answers, ruleset)
    assert advice["verdict"] == "toegestaan" and advice["consequences"] == [] and advice["from_text"] == []
    [finding] = advice["findings"]
    assert {k: finding[k] for k in ("kind", "start", "end", "question", "effect")} == {
        "kind": "telefoon", "start": 48, "end": 59, "question": "persoonsgegevens", "effect": "controleer"}
    assert finding["note"] == ("Je antwoordde nee bij ‘Staan er persoonsgegevens van anderen in je bericht?’. "
                               "Jouw antwoord geldt; controleer wel of het klopt.")
    [check] = advice["checks"]
    assert check["articles"] == ["A2"] and check["findings"] == [0] and check["question"] == "persoonsgegevens"
    assert check["text"].startswith("We zagen iets dat op een telefoonnummer lijkt. Is het van iemand anders? Dan geldt A.2")
    # Unanswered, the same text still gets the condition A2 asks for.
    open_question = evaluate({"rol": "ouder", "situatie": "prive", "tekst": text}, ruleset)
    assert open_question["verdict"] == "toegestaan_mits" and cited_articles(open_question) == ["A2"]
    assert open_question["findings"][0]["effect"] == "aangenomen" and open_question["checks"] == []


def test_no_consequence_ever_follows_from_a_contradicted_finding(ruleset):
    for rol in CHOICES["rol"]:
        answers = {"rol": rol, "situatie": "prive", "persoonsgegevens": False, "beeldmateriaal": False,
                   "toestemming": False, "tekst": "Foto van Sanne, sanne@example.nl, 06-12345678"}
        advice = evaluate(answers, ruleset)
        assert advice["verdict"] != "niet_toegestaan" and advice["consequences"] == []
        assert {c["question"] for c in advice["checks"]} == {"persoonsgegevens", "beeldmateriaal"}
        assert {f["effect"] for f in advice["findings"]} == {"controleer"}


def test_findings_never_carry_the_text(ruleset):
    advice = evaluate({"tekst": "geheim 06-12345678 sanne@example.nl @sanne foto"}, ruleset)
    assert advice["findings"]
    assert all(set(f) == {"kind", "start", "end", "question", "effect", "note"} for f in advice["findings"])
    assert "sanne" not in json.dumps(advice)


def test_accepts_answers_object_and_rejects_ill_typed_dict(ruleset):
    assert evaluate(Answers(rol="leerling", situatie="les", toestemming_les=False), ruleset)["verdict"] == "niet_toegestaan"
    with pytest.raises(AnswersError):
        evaluate({"rol": "directeur"}, ruleset)


def test_no_verdict_rule_means_toegestaan_with_a_note(ruleset):
    advice = evaluate({"rol": "leerling", "situatie": "prive"}, ruleset)
    assert advice["verdict"] == "toegestaan" and advice["reasons"] == []
    assert any("geen regel" in i["text"] for i in advice["info"])


@pytest.mark.parametrize("antwoord", [None, True, False])
def test_evaluate_json_writes_what_json_dumps_writes_for_thousands_of_findings(ruleset, antwoord):
    from bench.keystrokes import long_texts

    for text in long_texts().values():
        answers = {"rol": "ouder", "situatie": "prive", "tekst": text}
        if antwoord is not None:
            answers["persoonsgegevens"] = antwoord
        advice = evaluate(answers, ruleset)
        assert len(advice["findings"]) > 100
        assert evaluate_json(answers, ruleset) == json.dumps(advice)
