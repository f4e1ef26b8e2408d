"""The single entry point the browser's Pyodide worker calls: JSON in, JSON out, never an exception."""

from __future__ import annotations

import json
from functools import lru_cache

from .answers import AnswersError, parse_answers_json
from .engine import evaluate_json
from .rules import RuleSet, bundled_ruleset
from .scanner import PIECE_LENGTH

INTERNAL_ERROR = "de invoer: de checker kon deze antwoorden niet verwerken / the input: the checker could not process these answers"


@lru_cache(maxsize=1)
def _ruleset() -> RuleSet:
    return bundled_ruleset()


def error_json(exc: AnswersError) -> str:
    """The error object both `advise` and the CLI report: {"error": {"field", "message"}}."""
    return json.dumps({"error": exc.to_json()}, ensure_ascii=False)


def advise(answers_json: str) -> str:
    """Advice as JSON; any bad input gives {"error": {"field", "message"}} instead of raising."""
    try:
        if not isinstance(answers_json, str):
            raise AnswersError(None, "de invoer: moet JSON-tekst zijn / the input: must be JSON text")
        ruleset = _ruleset()
        # ASCII JSON (\uXXXX escapes): Pyodide hands an ASCII str to JavaScript in one copy, any other str
        # character by character (700 kB of advice for a text full of findings: 0.5 ms against 100 ms).
        return evaluate_json(parse_answers_json(answers_json, ruleset.questions), ruleset)
    except AnswersError as exc:
        return error_json(exc)
    except (RecursionError, MemoryError, ValueError, TypeError):
        # Not reachable by any JSON we know of; still an error object, never an exception across to JavaScript.
        return error_json(AnswersError(None, INTERNAL_ERROR))


def questions_json() -> str:
    """The form's questions of the bundled version, so a page can build the form from the same data."""
    return json.dumps(_ruleset().questions.to_json(), ensure_ascii=False)


# Warming up: V8 first runs the interpreter's wasm in a baseline tier and optimises the functions that get hot; the
# first long draft evaluated in a fresh worker pays for that (twice the steady time). worker.js calls warm_up(step)
# for step 0, 1, ... while nobody is waiting for advice, until it returns False.
WARM_UP_DRAFT = PIECE_LENGTH  # characters per evaluation: one piece, so a waiting message waits little
WARM_UP_STRIDE = PIECE_LENGTH // 2
WARM_UP_ROUNDS = 2


@lru_cache(maxsize=1)
def _warm_up_drafts() -> tuple[str, ...]:
    """Overlapping drafts of the version's own wording (reasons, actions, texts, questions, checks): no invented
    text, and each one another text, so the scanner's cache of pieces does not spare the work."""
    ruleset = _ruleset()
    wording = "\n\n".join(
        [r.reden for r in ruleset.regels] + [a for r in ruleset.regels for a in r.acties] + list(ruleset.teksten.values())
        + [f"{q.label} {q.uitleg}" for q in ruleset.questions.by_key.values()] + [c.tekst for c in ruleset.controles]
    )
    starts = range(0, max(1, len(wording) - WARM_UP_DRAFT + 1), WARM_UP_STRIDE)
    return tuple(wording[i:i + WARM_UP_DRAFT] + f" {n}" for n in range(WARM_UP_ROUNDS) for i in starts)


def warm_up(step: int) -> bool:
    """Evaluates warm-up draft number `step` as a form with only its text filled in; True while more drafts follow."""
    drafts = _warm_up_drafts()
    if isinstance(step, int) and 0 <= step < len(drafts):
        advise(json.dumps({"tekst": drafts[step]}))
    return isinstance(step, int) and 0 <= step < len(drafts) - 1
