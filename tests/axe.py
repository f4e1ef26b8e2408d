"""Runs axe-core (pinned in package.json, installed by `npm ci`) inside a Playwright page."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe's experimental rules too (label-content-name-mismatch, WCAG 2.5.3, is one of them).
TAGS = WCAG_TAGS + ["experimental"]


def axe_violations(page) -> list[dict]:
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: run `npm ci` (make test does this).")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [node["target"] for node in v["nodes"]][:5]}
        for v in result["violations"]
    ]
