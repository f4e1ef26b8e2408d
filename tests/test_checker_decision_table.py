"""The decision table rows behind the no-JavaScript 'Beslistabel' page."""

from __future__ import annotations

import json
from pathlib import Path

from checker.conditions import parse_condition
from checker.decision_table import condition_parts, condition_to_dutch, decision_table
from checker.rules import load_ruleset

REPO = Path(__file__).resolve().parent.parent


def test_one_row_per_rule_with_dutch_texts():
    ruleset = load_ruleset(REPO / "docs/versies/2.0/regels.toml")
    rows = decision_table(ruleset)
    assert [r["id"] for r in rows] == [r.id for r in ruleset.regels]
    assert [r["number"] for r in rows] == list(range(1, len(rows) + 1))
    json.dumps(rows)
    a1 = next(r for r in rows if r["id"] == "A1-les-zonder-toestemming")
    assert a1["verdict"] == "Niet toegestaan" and a1["effect"] == "niet_toegestaan"
    assert a1["articles"] == ["A1"] and a1["actions"]
    assert "‘Wanneer plaats je het bericht?’: Tijdens de les" in a1["condition"]
    assert "_" not in a1["condition"]  # no raw answer keys leak into the Dutch text
    reminder = next(r for r in rows if r["id"] == "A4-eigen-verantwoordelijkheid")
    assert reminder["condition"] == "altijd" and reminder["verdict"] == "Herinnering"


def test_condition_rendering():
    assert condition_to_dutch(parse_condition({"rol": "medewerker"})) == "‘Wie ben je?’: Medewerker van CVO"
    assert condition_to_dutch(parse_condition({"niet": {"disclaimer": True}})).endswith(": nee of niet beantwoord")
    assert condition_to_dutch(parse_condition({"onbeantwoord": "situatie"})) == "‘Wanneer plaats je het bericht?’: niet beantwoord"
    both = condition_to_dutch(parse_condition({"situatie": ["werk", "prive"]}))
    assert both == "‘Wanneer plaats je het bericht?’: “In een werksituatie” of “In een privésituatie”"
    nested = condition_to_dutch(parse_condition({"een_van": [{"kwetsend": True}, {"twijfel": True, "ontspoort": True}]}))
    assert " of (" in nested and " en " in nested
    assert condition_to_dutch(parse_condition({"niet": {"een_van": [{"kwetsend": True}, {"twijfel": True}]}})).startswith("niet (")
    assert condition_parts(parse_condition([{"kwetsend": True}, {"twijfel": False}])) == [
        condition_to_dutch(parse_condition({"kwetsend": True})),
        condition_to_dutch(parse_condition({"twijfel": False})),
    ]
