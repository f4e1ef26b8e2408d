"""The rule set as a decision table in plain Dutch, for the no-JavaScript 'Beslistabel' page."""

from __future__ import annotations

from typing import Any

from .conditions import All, Any_, Condition, Equals, Not, Unanswered
from .questions import Questions
from .rules import RuleSet, default_ruleset


def _label(key: str, qs: Questions) -> str:
    return f"‘{qs.question(key).label}’"


def _values(key: str, values: tuple[Any, ...], qs: Questions) -> str:
    labels = [qs.question(key).option_label(v) for v in values]
    if len(labels) == 1:
        return labels[0]
    # Quoted, because option labels may themselves contain "of".
    return ", ".join(f"“{v}”" for v in labels[:-1]) + f" of “{labels[-1]}”"


def _negated_equals(cond: Equals, qs: Questions) -> str:
    if cond.key in qs.booleans and len(cond.values) == 1:
        other = "nee" if cond.values[0] else "ja"
        return f"{_label(cond.key, qs)}: {other} of niet beantwoord"
    labels = " en ".join(f"niet “{qs.question(cond.key).option_label(v)}”" for v in cond.values)
    return f"{_label(cond.key, qs)}: {labels} (of niet beantwoord)"


def condition_to_dutch(cond: Condition, qs: Questions | None = None) -> str:
    """A condition as one Dutch sentence fragment, using the form's question labels of the version."""
    qs = qs or default_ruleset().questions
    if isinstance(cond, Equals):
        return f"{_label(cond.key, qs)}: {_values(cond.key, cond.values, qs)}"
    if isinstance(cond, Unanswered):
        return f"{_label(cond.key, qs)}: niet beantwoord"
    if isinstance(cond, Not):
        if isinstance(cond.part, Equals):
            return _negated_equals(cond.part, qs)
        if isinstance(cond.part, Unanswered):
            return f"{_label(cond.part.key, qs)}: beantwoord"
        return f"niet ({condition_to_dutch(cond.part, qs)})"
    if isinstance(cond, All):
        if not cond.parts:
            return "altijd"
        return " en ".join(_grouped(p, qs) for p in cond.parts)
    return " of ".join(_grouped(p, qs) for p in cond.parts)


def _grouped(cond: Condition, qs: Questions) -> str:
    text = condition_to_dutch(cond, qs)
    return f"({text})" if isinstance(cond, (All, Any_)) and len(cond.parts) > 1 else text


def condition_parts(cond: Condition, qs: Questions | None = None) -> list[str]:
    """The top-level clauses of a condition, each in Dutch (all must hold), for a bulleted list."""
    if isinstance(cond, All):
        return [condition_to_dutch(p, qs) for p in cond.parts] or ["altijd"]
    return [condition_to_dutch(cond, qs)]


def decision_table(ruleset: RuleSet) -> list[dict[str, Any]]:
    """One row per rule, in file order: condition (when), verdict (then), articles, reason, actions."""
    return [
        {
            "number": number,
            "id": r.id,
            "condition": condition_to_dutch(r.als, ruleset.questions),
            "condition_parts": condition_parts(r.als, ruleset.questions),
            "verdict": ruleset.verdict_label(r.effect),
            "effect": r.effect,
            "articles": list(r.artikelen),
            "reason": r.reden,
            "actions": list(r.acties),
        }
        for number, r in enumerate(ruleset.regels, start=1)
    ]
