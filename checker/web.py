"""The single entry point the browser's Pyodide worker calls: JSON in, JSON out."""

from __future__ import annotations

import json
from functools import lru_cache

from .answers import AnswersError, parse_answers_json
from .engine import evaluate
from .questions import load_questions
from .rules import RuleSet, bundled_ruleset


@lru_cache(maxsize=1)
def _ruleset() -> RuleSet:
    return bundled_ruleset()


def advise(answers_json: str) -> str:
    """Advice as JSON; invalid answers give {"error": {"field", "message"}} instead of raising."""
    try:
        answers = parse_answers_json(answers_json)
    except AnswersError as exc:
        return json.dumps({"error": exc.to_json()}, ensure_ascii=False)
    return json.dumps(evaluate(answers, _ruleset()), ensure_ascii=False)


def questions_json() -> str:
    """The form's questions, so a page can build the form from the same data."""
    return json.dumps([q.to_json() for q in load_questions()], ensure_ascii=False)
