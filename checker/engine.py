"""The one rule engine: answers + rule set -> advice (a JSON-serialisable dict)."""

from __future__ import annotations

import json
from typing import Any, Mapping

from .answers import Answers, parse_answers
from .conditions import holds, keys_of
from .rules import Rule, RuleSet
from .scanner import KIND_LABELS, PERSONAL_KINDS, Finding, personal_kinds_of, scan_spans

# Verdict precedence, strongest first.
PRECEDENCE = ("buiten_reikwijdte", "niet_toegestaan", "toegestaan_mits", "toegestaan")
# What a finding did (advice["findings"][i]["effect"]):
#   aangenomen  stood in for an unanswered question (as if answered ja)
#   controleer  contradicts the person's explicit nee: the answer stands, the advice adds a point to check
#   bevestigd   agrees with the person's ja
#   geen        bears on no question, or on one that does not apply (e.g. outside the protocol)
EFFECTS = ("aangenomen", "controleer", "bevestigd", "geen")


def bears_on(kind: str) -> str | None:
    """The question a finding of this kind bears on (a personal-data kind, or an image word)."""
    if kind in PERSONAL_KINDS:
        return "persoonsgegevens"
    return "beeldmateriaal" if kind == "beeld" else None


def _dutch_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " of " + items[-1]


Span = tuple[str, int, int]  # a finding as scan_spans gives it: (kind, start, end)


def effective_answers(answers: Answers, ruleset: RuleSet) -> tuple[dict[str, Any], list[Finding], list[str], list[str]]:
    """Relevant answers, with findings standing in for unanswered questions; also the findings, the raised keys
    and each finding's effect. A finding never overrules an answer that was given: the person wins."""
    given, spans, raised, effects = _effective_answers(answers, ruleset)
    return given, [Finding(*span) for span in spans], raised, [effects[kind] for kind, _, _ in spans]


def _effective_answers(answers: Answers, ruleset: RuleSet) -> tuple[dict[str, Any], list[Span], list[str], dict[str, str]]:
    """As effective_answers, with the effect per kind: what a finding did depends on its kind alone."""
    questions = ruleset.questions
    given = questions.relevant_answers(answers.to_json())
    text = next((answers.get(k) for k in questions.texts if answers.get(k)), None)
    findings = scan_spans(text) if text else []
    kinds = {kind for kind, _, _ in findings}  # a long text can hold thousands of findings of a few kinds
    found = {q for q in map(bears_on, kinds) if q in questions.by_key}
    raised = [q for q in questions.keys if q in found and q not in given
              and q in questions.relevant_answers({**given, q: True})]
    if raised:
        given = questions.relevant_answers({**given, **{k: True for k in raised}})

    def effect(kind: str) -> str:
        q = bears_on(kind)
        if q in raised:
            return "aangenomen"
        if q is None or q not in given:
            return "geen"
        return "bevestigd" if given[q] is True else "controleer"

    return given, findings, raised, {kind: effect(kind) for kind in kinds}


def _note(ruleset: RuleSet, kind: str, effect: str) -> tuple[str | None, str]:
    """The question a finding of this kind bears on and, in the version's words, what it did there."""
    vraag = bears_on(kind)
    label = ruleset.questions.question(vraag).label if vraag in ruleset.questions.by_key else ""
    return vraag, ruleset.teksten[f"vondst_{effect}"].replace("{vraag}", label)


def _findings_json(ruleset: RuleSet, findings: list[Span], effects: dict[str, str]) -> list[dict[str, Any]]:
    """Where each is (never the text), the question it bears on, what it did and that in the version's words."""
    notes = {kind: _note(ruleset, kind, effect) for kind, effect in effects.items()}  # thousands share a few
    return [{"kind": kind, "start": start, "end": end, "question": notes[kind][0], "effect": effects[kind],
             "note": notes[kind][1]} for kind, start, end in findings]


def _findings_text(ruleset: RuleSet, findings: list[Span], effects: dict[str, str]) -> str:
    """json.dumps(_findings_json(...)), written from one template per kind instead of a dict per finding: for a
    text with thousands of findings this was half of the evaluation's time."""
    heads: dict[str, str] = {}  # what comes before a finding's start, per kind
    tails: dict[str, str] = {}  # and after its end
    for kind, effect in effects.items():
        vraag, note = _note(ruleset, kind, effect)
        heads[kind] = f'{{"kind": {json.dumps(kind)}, "start": '
        tails[kind] = f', "question": {json.dumps(vraag)}, "effect": {json.dumps(effect)}, "note": {json.dumps(note)}}}'
    return "[" + ", ".join([f'{heads[kind]}{start}, "end": {end}{tails[kind]}' for kind, start, end in findings]) + "]"


def _checks(ruleset: RuleSet, findings: list[Span], effects: dict[str, str]) -> list[dict[str, Any]]:
    """One point to check per question whose explicit nee the text seems to contradict."""
    contradicting = {kind for kind, effect in effects.items() if effect == "controleer"}
    if not contradicting:
        return []
    checks = []
    for vraag in dict.fromkeys(bears_on(f[0]) for f in findings if f[0] in contradicting):
        check = ruleset.check_for(vraag)
        if check is None:
            continue
        indices = [i for i, f in enumerate(findings) if f[0] in contradicting and bears_on(f[0]) == vraag]
        kinds = list(dict.fromkeys(KIND_LABELS.get(findings[i][0], findings[i][0]) for i in indices))
        checks.append({
            "article": check.artikelen[0],
            "articles": list(check.artikelen),
            "text": check.tekst.replace("{soort}", _dutch_list(kinds)),
            "question": vraag,
            "findings": indices,
        })
    return checks


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
    advice = _advice(answers, ruleset)
    advice["findings"] = _findings_json(ruleset, *advice["findings"])
    return advice


def evaluate_json(answers: "Answers | Mapping[str, Any]", ruleset: RuleSet) -> str:
    """json.dumps(evaluate(answers, ruleset)) (ASCII, default separators), faster for a text with many findings."""
    advice = _advice(answers, ruleset)
    return "{" + ", ".join(
        f"{json.dumps(key)}: {_findings_text(ruleset, *value) if key == 'findings' else json.dumps(value)}"
        for key, value in advice.items()
    ) + "}"


def _advice(answers: "Answers | Mapping[str, Any]", ruleset: RuleSet) -> dict[str, Any]:
    """The advice, with its findings still as (spans, effects) for evaluate or evaluate_json to write out."""
    parsed = parse_answers(answers, ruleset.questions)
    given, findings, raised, effects = _effective_answers(parsed, ruleset)
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
        kinds = ", ".join(KIND_LABELS[k] for k in personal_kinds_of(effects))
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
        "findings": (findings, effects),
        "checks": _checks(ruleset, findings, effects),
        "from_text": raised,
    }


def cited_articles(advice: Mapping[str, Any]) -> list[str]:
    """Sorted article IDs cited by the advice's reasons (what the scenario files record)."""
    return sorted({a for r in advice.get("reasons", []) for a in r["articles"]})
