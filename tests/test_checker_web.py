"""The browser entry point and the package's constraints for Pyodide."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from checker import web
from checker.scanner import _pieces
from checker.rules import load_ruleset

REPO = Path(__file__).resolve().parent.parent
CHECKER = REPO / "checker"


@pytest.fixture(autouse=True)
def real_rules(monkeypatch):
    # In the source tree there is no bundled checker/regels.toml; use the adopted version instead.
    monkeypatch.setattr(web, "bundled_ruleset", lambda: load_ruleset(REPO / "docs/versies/2.0/regels.toml"))
    web._ruleset.cache_clear()
    yield
    web._ruleset.cache_clear()


def test_advise_returns_advice_json():
    advice = json.loads(web.advise('{"rol": "leerling", "situatie": "les", "toestemming_les": false}'))
    assert advice["verdict"] == "niet_toegestaan"
    assert [r["article"] for r in advice["reasons"]] == ["A1"]


@pytest.mark.parametrize(
    "text, field",
    [('{"rol": "directeur"}', "rol"), ('{"x": 1}', "x"), ("{", None), ("[]", None), ('{"twijfel": 0}', "twijfel")],
)
def test_advise_reports_errors_instead_of_raising(text, field):
    result = json.loads(web.advise(text))
    assert set(result) == {"error"}
    assert result["error"]["field"] == field
    assert " / " in result["error"]["message"]


def test_questions_json_lists_the_form():
    questions = json.loads(web.questions_json())
    assert questions[0]["sleutel"] == "rol" and questions[-1]["sleutel"] == "tekst"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_checker_uses_the_standard_library_only_and_never_js():
    for path in CHECKER.glob("*.py"):
        imported = _imports(path)
        assert "js" not in imported and "pyodide" not in imported, path
        assert imported <= set(sys.stdlib_module_names) | {"__future__"}, (path, imported - set(sys.stdlib_module_names))


def test_bundled_rules_are_not_in_the_source_tree():
    # The site build puts the version's rules into the wheel; committing a copy would let them drift.
    assert not (CHECKER / "regels.toml").exists()


@pytest.mark.parametrize("text", [
    "[" * 990 + "]" * 990,
    '{"rol": ' + "[" * 990 + "]" * 990 + "}",
    "{" * 100_000,
    '{"toestemming": ' + "9" * 5000 + "}",
    '{"rol": "leerling", "tekst": "\\ud800 06-12345678"}',
    "\x00",
    "",
])
def test_advise_never_raises_and_returns_the_clis_error_object(text):
    import subprocess

    result = json.loads(web.advise(text))
    cli = subprocess.run([sys.executable, "-m", "checker", "--versie", "2.0"], input=text.encode("utf-8", "surrogatepass"),
                         capture_output=True, cwd=REPO)
    if "error" in result:
        assert set(result) == {"error"} and set(result["error"]) == {"field", "message"}
        assert cli.returncode == 2 and cli.stdout == b""
        assert cli.stderr.decode("utf-8") == f"fout in antwoorden / invalid answers: {result['error']['message']}\n"
    else:
        assert cli.returncode == 0 and json.loads(cli.stdout) == result


def test_advise_of_something_that_is_not_text_is_an_error_object():
    assert json.loads(web.advise(None))["error"]["field"] is None


def test_warm_up_evaluates_each_draft_of_the_version_s_own_wording_once_then_stops(monkeypatch):
    web._warm_up_drafts.cache_clear()
    drafts = web._warm_up_drafts()
    wording = {r.reden for r in web._ruleset().regels}
    assert len(drafts) >= 20 and len(set(drafts)) == len(drafts)  # each another text: the scanner's cache spares nothing
    assert all(len(d) <= web.WARM_UP_DRAFT + 3 for d in drafts)
    assert all(len(_pieces(d)) == 1 for d in drafts)  # one piece each: nothing of one draft is remembered for another
    assert any(reden[:200] in d for d in drafts for reden in wording)  # the version's own words, not invented text
    evaluated = []
    monkeypatch.setattr(web, "advise", lambda answers_json: evaluated.append(json.loads(answers_json)["tekst"]) or "{}")
    step = 0
    while web.warm_up(step):
        step += 1
    assert evaluated == list(drafts) and step == len(drafts) - 1
    assert [web.warm_up(x) for x in (-1, len(drafts), "0", None)] == [False] * 4
    assert len(evaluated) == len(drafts)  # out-of-range steps evaluate nothing
    web._warm_up_drafts.cache_clear()


def test_warm_up_drafts_give_real_advice():
    web._warm_up_drafts.cache_clear()
    for draft in web._warm_up_drafts()[:3]:
        assert "verdict" in json.loads(web.advise(json.dumps({"tekst": draft})))
    web._warm_up_drafts.cache_clear()
