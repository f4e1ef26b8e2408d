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
    labels = [question(key).option_label(v) for v in values]
    if len(labels) == 1:
        return labels[0]
    # Quoted, because option labels may themselves contain "of".
    return ", ".join(f"“{v}”" for v in labels[:-1]) + f" of “{labels[-1]}”"


def _negated_equals(cond: Equals) -> str:
    if cond.key in BOOLEAN_FIELDS and len(cond.values) == 1:
        other = "nee" if cond.values[0] else "ja"
        return f"{_label(cond.key)}: {other} of niet beantwoord"
    labels = " en ".join(f"niet “{question(cond.key).option_label(v)}”" for v in cond.values)
    return f"{_label(cond.key)}: {labels} (of niet beantwoord)"


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


def condition_parts(cond: Condition) -> list[str]:
    """The top-level clauses of a condition, each in Dutch (all must hold), for a bulleted list."""
    if isinstance(cond, All):
        return [condition_to_dutch(p) for p in cond.parts] or ["altijd"]
    return [condition_to_dutch(cond)]


def decision_table(ruleset: RuleSet) -> list[dict[str, Any]]:
    """One row per rule, in file order: condition (when), verdict (then), articles, reason, actions."""
    return [
        {
            "number": number,
            "id": r.id,
            "condition": condition_to_dutch(r.als),
            "condition_parts": condition_parts(r.als),
            "verdict": ruleset.verdict_label(r.effect),
            "effect": r.effect,
            "articles": list(r.artikelen),
            "reason": r.reden,
            "actions": list(r.acties),
        }
        for number, r in enumerate(ruleset.regels, start=1)
    ]
