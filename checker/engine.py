"""The one rule engine: answers + rule set -> advice (a JSON-serialisable dict)."""

from __future__ import annotations

from typing import Any, Mapping

from .answers import Answers, parse_answers
from .conditions import holds, keys_of
from .questions import relevant_answers
from .rules import Rule, RuleSet
from .scanner import KIND_LABELS, Finding, personal_kinds, scan

# Verdict precedence, strongest first.
PRECEDENCE = ("buiten_reikwijdte", "niet_toegestaan", "toegestaan_mits", "toegestaan")


def effective_answers(answers: Answers) -> tuple[dict[str, Any], list[Finding], list[str]]:
    """Relevant answers, raised by what the scanner found in tekst; also the findings and raised keys."""
    given = relevant_answers(answers.to_json())
    findings = scan(answers.tekst) if answers.tekst else []
    raised: list[str] = []
    # The scanner can only raise an answer, never lower it; and only for a question that is relevant.
    for key, found in (
        ("persoonsgegevens", bool(personal_kinds(findings))),
        ("beeldmateriaal", any(f.kind == "beeld" for f in findings)),
    ):
        if found and given.get(key) is not True and key in relevant_answers({**given, key: True}):
            raised.append(key)
    if raised:
        given = relevant_answers({**given, **{k: True for k in raised}})
    return given, findings, raised


def _grounds(rule: Rule, answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: answers[k] for k in keys_of(rule.als) if k in answers}


def _reason(rule: Rule, answers: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "rule": rule.id,
        "article": rule.article,
        "articles": list(rule.artikelen),
        "text": rule.reden,
        "grounds": _grounds(rule, answers),
    }


def _consequences(ruleset: RuleSet, rol: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """S-articles for this rol, or a note when the protocol names none (or the rol is unknown)."""
    if rol is None:
        return [], ruleset.teksten["gevolgen_zonder_rol"]
    found = [c.to_json() for c in ruleset.gevolgen if rol in c.rollen]
    return found, None if found else ruleset.teksten["gevolgen_niet_genoemd"]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def evaluate(answers: "Answers | Mapping[str, Any]", ruleset: RuleSet) -> dict[str, Any]:
    """Advice for the answers; raises AnswersError only when a dict is not well typed."""
    parsed = answers if isinstance(answers, Answers) else parse_answers(answers)
    given, findings, raised = effective_answers(parsed)
    fired = [r for r in ruleset.regels if holds(r.als, given)]
    verdict_rules = [r for r in fired if r.effect in PRECEDENCE]
    verdict = next((v for v in PRECEDENCE if any(r.effect == v for r in verdict_rules)), "toegestaan")

    if verdict == "buiten_reikwijdte":
        shown = [r for r in verdict_rules if r.effect == verdict]
    elif verdict == "toegestaan":
        shown = verdict_rules
    else:
        # A worse verdict hides what is fine, but keeps every condition still to meet.
        shown = [r for r in verdict_rules if r.effect in ("niet_toegestaan", "toegestaan_mits")]

    info: list[dict[str, str]] = [{"article": r.article, "text": r.reden} for r in fired if r.effect == "info"]
    if "persoonsgegevens" in raised:
        kinds = ", ".join(KIND_LABELS[k] for k in personal_kinds(findings))
        info.append({"article": "", "text": ruleset.teksten["gevonden_persoonsgegevens"].replace("{soorten}", kinds)})
    if "beeldmateriaal" in raised:
        info.append({"article": "", "text": ruleset.teksten["gevonden_beeld"]})
    if not verdict_rules:
        info.append({"article": "", "text": ruleset.teksten["geen_bezwaar"]})

    consequences: list[dict[str, Any]] = []
    if verdict == "niet_toegestaan":
        consequences, note = _consequences(ruleset, given.get("rol"))
        if note:
            info.append({"article": "", "text": note})

    return {
        "version": ruleset.versie,
        "verdict": verdict,
        "verdict_label": ruleset.verdict_label(verdict),
        "summary": ruleset.oordelen[verdict]["samenvatting"],
        "reasons": [_reason(r, given) for r in shown],
        "actions": _unique([a for r in shown for a in r.acties]),
        "consequences": consequences,
        "info": info,
        "reminders": [{"article": r.article, "text": r.reden} for r in fired if r.effect == "reminder"],
        "findings": [f.to_json() for f in findings],
        "from_text": raised,
    }


def cited_articles(advice: Mapping[str, Any]) -> list[str]:
    """Sorted article IDs cited by the advice's reasons (what the scenario files record)."""
    return sorted({a for r in advice.get("reasons", []) for a in r["articles"]})
