"""One vocabulary, one version: the answer keys come from the version's vragen.toml only, and what lives in a
version folder beside the text (questions, scenarios) is not published."""

from __future__ import annotations

import re
from pathlib import Path

from build_tools.versions import load_versions
from checker.rules import load_ruleset

REPO = Path(__file__).resolve().parent.parent


def current_questions():
    from datetime import date

    return load_ruleset(load_versions(REPO / "docs" / "versies", date.today()).current.rules_path).questions


def test_the_integration_page_documents_exactly_the_keys_of_the_version_in_force():
    text = (REPO / "docs" / "checker" / "integratie.md").read_text(encoding="utf-8")
    section = text.split("| sleutel | soort | waarden |", 1)[1].split("\n\n", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {key for line in table for key in re.findall(r"`([a-z_]+)`", line.split("|")[1])}
    assert documented == set(current_questions().keys)


def test_no_copy_of_the_keys_in_the_package_or_the_page_script():
    script = (REPO / "build_tools" / "theme" / "assets" / "checker" / "checker.js").read_text(encoding="utf-8")
    for key in ("schoolgerelateerd", "vermeldt_medewerker", "toestemming_les", "personen_in_beeld"):
        assert key not in script
        for module in (REPO / "checker").glob("*.py"):
            assert key not in module.read_text(encoding="utf-8"), module


def test_version_folders_scenarios_and_questions_are_not_published(built_site):
    published = {p.name for p in built_site.rglob("*")}
    assert "vragen.toml" not in published and "regels.toml" not in published
    assert [p for p in built_site.rglob("*") if "scenarios" in p.parts] == []
