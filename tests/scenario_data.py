"""The checker scenarios of every version: docs/versies/<versie>/scenarios/*.json, found through the registry.

Shared by the CPython tests and the browser tests, so both run exactly the same cases for each version.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from build_tools.versions import load_versions

REPO = Path(__file__).resolve().parent.parent
SCENARIO_DIR = "scenarios"


def versions_with_scenarios(versions_dir: Path = REPO / "docs" / "versies"):
    """Versions (registry order) that have rules and a scenarios folder."""
    registry = load_versions(versions_dir, date.today())
    return [v for v in registry.versions if v.rules_path.is_file() and (v.folder / SCENARIO_DIR).is_dir()]


def scenario_paths(versions_dir: Path = REPO / "docs" / "versies") -> list[tuple[str, Path]]:
    """(versie, path) for every scenario file of every version."""
    return [(v.versie, path) for v in versions_with_scenarios(versions_dir)
            for path in sorted((v.folder / SCENARIO_DIR).glob("*.json"))]


def rules_path(versie: str, versions_dir: Path = REPO / "docs" / "versies") -> Path:
    return versions_dir / versie / "regels.toml"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def scenario_id(item: tuple[str, Path]) -> str:
    return f"{item[0]}/{item[1].stem}"
