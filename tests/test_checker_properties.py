"""Property tests: the engine, the parser and the scanner on generated input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker import web
from checker.answers import MAX_TEXT_LENGTH, AnswersError, parse_answers
from checker.engine import evaluate
from checker.rules import load_ruleset
from checker.scanner import KIND_PRIORITY, scan

REPO = Path(__file__).resolve().parent.parent
RULESET = load_ruleset(REPO / "docs" / "versies" / "2.0" / "regels.toml")
QUESTIONS = RULESET.questions
ANSWER_KEYS, BOOLEAN_FIELDS, CHOICES = QUESTIONS.keys, QUESTIONS.booleans, QUESTIONS.choices
VERDICTS = {"toegestaan", "toegestaan_mits", "niet_toegestaan", "buiten_reikwijdte"}

# Text with emoji, control characters and digits, so the scanner's patterns get exercised.
SCAN_ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("0123456789 @.-+/NLABnl") + ["😀", "\x00", "\n", "\u200b", "é"]),
)
texts = st.text(alphabet=SCAN_ALPHABET, max_size=400)
well_typed = st.fixed_dictionaries(
    {},
    optional={
        **{k: st.sampled_from(v) for k, v in CHOICES.items()},
        **{k: st.booleans() for k in BOOLEAN_FIELDS},
        "tekst": texts,
    },
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(well_typed)
def test_engine_never_raises_and_gives_one_verdict(answers):
    advice = evaluate(answers, RULESET)
    assert advice["verdict"] in VERDICTS
    assert json.loads(json.dumps(advice)) == advice
    assert [r["article"] for r in advice["reminders"]] == ["A4", "A5"]
    if advice["verdict"] != "niet_toegestaan":
        assert advice["consequences"] == []
    if advice["verdict"] == "buiten_reikwijdte":
        assert {r["article"] for r in advice["reasons"]} == {"R2"}


@FAST
@given(well_typed, st.sampled_from(sorted(set(BOOLEAN_FIELDS) - {"schoolgerelateerd", "personen_in_beeld"})))
def test_a_missing_answer_never_adds_a_prohibition(answers, key):
    # Dropping a no-answer may lose information but must never create a prohibition.
    # Two no-answers are exceptions by design, since they take the person out of a rule the protocol applies
    # by default: schoolgerelateerd (unanswered, the protocol applies) and personen_in_beeld (unanswered, someone
    # may be seen or heard, so A6 asks for their consent; see test_nobody_in_the_picture_is_the_only_way_out).
    with_answer = evaluate({**answers, key: False}, RULESET)["verdict"]
    without = evaluate({k: v for k, v in answers.items() if k != key}, RULESET)["verdict"]
    if with_answer != "niet_toegestaan" and without == "niet_toegestaan":
        pytest.fail(f"omitting {key} created a prohibition for {answers}")


@FAST
@given(well_typed)
def test_nobody_in_the_picture_is_the_only_way_out(answers):
    """Image material without consent is prohibited unless the person says nobody is seen or heard on it (A6)."""
    image = {**answers, "beeldmateriaal": True, "toestemming": False, "tekst": ""}
    unanswered = {k: v for k, v in image.items() if k != "personen_in_beeld"}
    for case in (unanswered, {**image, "personen_in_beeld": True}):
        assert evaluate(case, RULESET)["verdict"] in ("niet_toegestaan", "buiten_reikwijdte"), case
    assert "A6-beeld-zonder-toestemming" not in {
        r["rule"] for r in evaluate({**image, "personen_in_beeld": False}, RULESET)["reasons"]}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


def _well_typed_value(key, value) -> bool:
    if value is None:
        return True
    if key in CHOICES:
        return value in CHOICES[key]
    if key in BOOLEAN_FIELDS:
        return isinstance(value, bool)
    return isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH


@FAST
@given(st.dictionaries(st.sampled_from([*ANSWER_KEYS, "leeftijd", "Rol", ""]), json_values, max_size=5))
def test_parser_accepts_exactly_the_well_typed_objects(obj):
    ok = all(k in ANSWER_KEYS and _well_typed_value(k, v) for k, v in obj.items())
    if ok:
        parse_answers(obj)
    else:
        with pytest.raises(AnswersError) as info:
            parse_answers(obj)
        assert info.value.field in obj and " / " in info.value.message


@FAST
@given(json_values.filter(lambda v: not isinstance(v, dict)))
def test_parser_rejects_non_objects(value):
    with pytest.raises(AnswersError):
        parse_answers(value, QUESTIONS)


# Any JSON at all: scalars with huge numbers, containers, and nesting far past the recursion limit.
any_scalar = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**40, max_value=10**4000)
              | st.floats(allow_nan=False) | st.text(max_size=10) | st.sampled_from(sorted(v for vs in CHOICES.values() for v in vs)))
any_json = st.recursive(any_scalar, lambda children: st.lists(children, max_size=4)
                        | st.dictionaries(st.sampled_from([*ANSWER_KEYS, "x", ""]) | st.text(max_size=4), children, max_size=4),
                        max_leaves=12)


def _nest(value, depth: int, kind: str) -> str:
    inner = json.dumps(value)
    return ("[" * depth + inner + "]" * depth) if kind == "[" else ('{"a": ' * depth + inner + "}" * depth)


any_document = st.one_of(
    any_json.map(json.dumps),
    st.builds(_nest, any_json, st.integers(0, 5000), st.sampled_from(["[", "{"])),
    st.builds(lambda key, nested: "{" + json.dumps(key) + ": " + nested + "}",
              st.sampled_from(ANSWER_KEYS), st.builds(_nest, any_scalar, st.integers(900, 3000), st.sampled_from(["[", "{"]))),
    st.builds(lambda key, n: "{" + json.dumps(key) + ": -" + "9" * n + "}", st.sampled_from(ANSWER_KEYS), st.integers(4000, 6000)),
    st.text(max_size=50),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_document)
def test_any_json_gives_advice_or_one_error_naming_a_field_or_de_invoer(document):
    web._ruleset.cache_clear()
    original = web.bundled_ruleset
    web.bundled_ruleset = lambda: RULESET
    try:
        result = json.loads(web.advise(document))
    finally:
        web.bundled_ruleset = original
        web._ruleset.cache_clear()
    if "error" in result:
        error = result["error"]
        assert set(result) == {"error"} and "\n" not in error["message"]
        assert (error["field"] is None and error["message"].startswith("de invoer: ")) or \
            error["message"].startswith(f"veld '{error['field']}': ")
    else:
        assert result["verdict"] in VERDICTS


@pytest.mark.parametrize(
    "stdin",
    ['{"rol": 3}', '{"twijfel": "ja"}', '{"situatie": null, "kwetsend": 1}', '{"tekst": ["a"]}', "null"],
)
def test_cli_exits_2_on_ill_typed_input(stdin):
    result = subprocess.run([sys.executable, "-m", "checker"], input=stdin.encode(), capture_output=True, cwd=REPO, timeout=60)
    assert result.returncode == 2 and result.stdout == b"" and result.stderr


@settings(max_examples=200, deadline=None)
@given(texts)
@example("😀" * MAX_TEXT_LENGTH)
@example("\x00\xff\ud7ff" * 100 + "06-12345678")
def test_scanner_never_crashes_and_offsets_are_in_range(text):
    findings = scan(text)
    previous_end = 0
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= previous_end
        assert f.kind in KIND_PRIORITY
        previous_end = f.end


def _fill(chunk: str) -> str:
    # Hypothesis cannot generate 20,000 characters directly; repeating a drawn chunk gets there.
    return (chunk * (MAX_TEXT_LENGTH // len(chunk) + 1))[:MAX_TEXT_LENGTH]


@settings(max_examples=15, deadline=None)
@given(st.text(alphabet=SCAN_ALPHABET, min_size=1, max_size=120).map(_fill))
def test_scanner_handles_maximum_length_text(text):
    assert len(text) == MAX_TEXT_LENGTH
    for f in scan(text):
        assert 0 <= f.start < f.end <= len(text)


@FAST
@given(well_typed, st.booleans(), st.booleans(),
       st.sampled_from(["Bel 0519-123456", "jan@example.nl", "foto van de klas", "BSN 111222333 en een filmpje", ""]))
def test_once_both_questions_are_answered_the_text_never_changes_the_verdict(answers, personal, images, text):
    # The person's answer wins: a finding may only stand in for an unanswered question.
    answered = {**answers, "persoonsgegevens": personal, "beeldmateriaal": images}
    without = evaluate({k: v for k, v in answered.items() if k != "tekst"}, RULESET)
    advice = evaluate({**answered, "tekst": text}, RULESET)
    assert (advice["verdict"], advice["reasons"], advice["consequences"]) == (
        without["verdict"], without["reasons"], without["consequences"])
    assert advice["from_text"] == [] and "aangenomen" not in {f["effect"] for f in advice["findings"]}
    contradicted = {f["question"] for f in advice["findings"] if f["effect"] == "controleer"}
    assert {c["question"] for c in advice["checks"]} == contradicted
