"""The rule set as a decision table in plain Dutch, for the no-JavaScript 'Beslistabel' page."""

from __future__ import annotations

from typing import Any

from .answers import BOOLEAN_FIELDS
from .conditions import All, Any_, Condition, Equals, Not, Unanswered
from .questions import question
from .rules import RuleSet


def _label(key: str) -> str:
    return f"‘{question(key).label}’"


def _values(key: str, values: tuple[Any, ...]) -> str:
    q = question(key)
    return " of ".join(q.option_label(v) for v in values)


def _negated_equals(cond: Equals) -> str:
    if cond.key in BOOLEAN_FIELDS and len(cond.values) == 1:
        other = "nee" if cond.values[0] else "ja"
        return f"{_label(cond.key)}: {other} of niet beantwoord"
    return f"{_label(cond.key)}: niet {_values(cond.key, cond.values)}"


def condition_to_dutch(cond: Condition) -> str:
    """A condition as one Dutch sentence fragment, using the form's question labels."""
    if isinstance(cond, Equals):
        return f"{_label(cond.key)}: {_values(cond.key, cond.values)}"
    if isinstance(cond, Unanswered):
        return f"{_label(cond.key)}: niet beantwoord"
    if isinstance(cond, Not):
        if isinstance(cond.part, Equals):
            return _negated_equals(cond.part)
        if isinstance(cond.part, Unanswered):
            return f"{_label(cond.part.key)}: beantwoord"
        return f"niet ({condition_to_dutch(cond.part)})"
    if isinstance(cond, All):
        if not cond.parts:
            return "altijd"
        return " en ".join(_grouped(p) for p in cond.parts)
    return " of ".join(_grouped(p) for p in cond.parts)


def _grouped(cond: Condition) -> str:
    text = condition_to_dutch(cond)
    return f"({text})" if isinstance(cond, (All, Any_)) and len(cond.parts) > 1 else text


def decision_table(ruleset: RuleSet) -> list[dict[str, Any]]:
    """One row per rule, in file order: when, then, articles, reason, actions."""
    return [
        {
            "id": r.id,
            "when": condition_to_dutch(r.als),
            "then": ruleset.verdict_label(r.effect),
            "effect": r.effect,
            "articles": list(r.artikelen),
            "reason": r.reden,
            "actions": list(r.acties),
        }
        for r in ruleset.regels
    ]
