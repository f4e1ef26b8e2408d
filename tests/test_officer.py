"""The policy officer's commands, as the Beheer page describes them: `nieuwe-versie` and `controleer`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from conftest import BUILD_DATE, BUILD_ENV, REPO, copy_fixture, run_build


def officer(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_tools", "-f", str(config), *args], cwd=config.parent,
                          capture_output=True, text=True, env={**os.environ, **BUILD_ENV})


def test_a_new_version_is_a_concept_copy_of_the_version_in_force(tmp_path):
    config = copy_fixture("three-versions", tmp_path)
    versions = config.parent / "docs" / "versies"
    result = officer(config, "nieuwe-versie", "3.1")
    assert result.returncode == 0, result.stderr
    assert "Versie 3.1 is aangemaakt als concept" in result.stdout and "[vaststelling]" in result.stdout
    new = versions / "3.1"
    # Fixture 2.0 is in force on its build date; 3.0 is a concept and is not the source.
    assert (new / "protocol.md").read_bytes() == (versions / "2.0" / "protocol.md").read_bytes()
    assert 'versie = "3.1"' in (new / "regels.toml").read_text(encoding="utf-8")
    metadata = (new / "versie.toml").read_text(encoding="utf-8")
    assert 'status = "concept"' in metadata and "\n[vaststelling]" not in metadata and "\n[instemming]" not in metadata
    assert not list(versions.parent.glob(".nieuwe-versie-*"))


def test_a_new_version_number_must_be_new_and_higher(tmp_path):
    config = copy_fixture("three-versions", tmp_path)
    before = sorted(p.name for p in (config.parent / "docs" / "versies").iterdir())
    for number, message in (("3.0", "versie 3.0 bestaat al"), ("2.5", "hoger zijn dan de nieuwste versie (3.0)"),
                            ("drie", "'drie' is geen versienummer")):
        result = officer(config, "nieuwe-versie", number)
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
        assert result.returncode == 1 and len(errors) == 1 and message in errors[0], result.stderr
        assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (config.parent / "docs" / "versies").iterdir()) == before


def test_controleer_validates_without_building(tmp_path):
    config = copy_fixture("minimal", tmp_path)
    reference = config.parent / "docs" / "versies" / "1.0" / "vastgestelde-tekst.txt"
    result = officer(config, "controleer")
    assert result.returncode == 1 and "vastgestelde-tekst.txt" in result.stderr and "ontbreekt" in result.stderr
    reference.write_text("FIXTURE: de vastgestelde tekst.\n", encoding="utf-8")
    result = officer(config, "controleer")
    assert result.returncode == 0, result.stderr
    assert "Alles in orde: 1 versie(s)" in result.stdout and "geldt versie 1.0" in result.stdout
    assert not (config.parent / "site").exists(), "controleer builds nothing"

    index = config.parent / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n<!-- cvo:statsu -->\n", encoding="utf-8")
    result = officer(config, "controleer")
    assert result.returncode == 1 and "index.md:" in result.stderr and "cvo:statsu" in result.stderr
    metadata = config.parent / "docs" / "versies" / "1.0" / "versie.toml"
    index.write_text(index.read_text(encoding="utf-8").replace("<!-- cvo:statsu -->", ""), encoding="utf-8")
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("datum = 2023-09-01", "datum = 2023-02-30"))
    result = officer(config, "controleer")
    assert result.returncode == 1 and "veld 'vaststelling.datum'" in result.stderr


def _real_sources(tmp_path: Path) -> Path:
    """A copy of the repository's sources and tests (caches and installed packages shared, not copied)."""
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("docs", "tests"):
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy2(REPO / name, copy / name)
    for name in (".cache", "node_modules"):
        if (REPO / name).exists():
            os.symlink(REPO / name, copy / name)
    return copy


def test_adopting_a_new_version_as_the_beheer_page_says_keeps_the_tests_green(tmp_path):
    """nieuwe-versie 2.1, a build (2.1 published as a concept beside the version in force), then adoption from a
    past date: the reading-page tests, run unchanged on that copy, follow the new version in force."""
    copy = _real_sources(tmp_path)
    config = copy / "mkdocs.yml"
    versions = copy / "docs" / "versies"
    current = max((p for p in versions.iterdir() if (p / "vastgestelde-tekst.txt").is_file()),
                  key=lambda p: tuple(int(x) for x in p.name.split(".")))
    new = ".".join(current.name.split(".")[:-1] + [str(int(current.name.split(".")[-1]) + 1)])
    assert officer(config, "nieuwe-versie", new).returncode == 0

    site = tmp_path / "site"
    run_build(config, site, env=BUILD_ENV)
    entries = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert entries[0] == {"version": new, "title": f"{new} (concept)", "aliases": []}
    assert {"version": current.name, "title": f"{current.name} (geldend)", "aliases": ["latest"]} in entries
    assert "Concept — nog niet vastgesteld" in (site / new / "protocol" / "index.html").read_text(encoding="utf-8")

    # Steps 5 and 6 of the Beheer page: approvals, vastgesteld from a past date, the old version ends the day before.
    start = BUILD_DATE - timedelta(days=7)
    metadata = versions / new / "versie.toml"
    text = metadata.read_text(encoding="utf-8").replace('status = "concept"', 'status = "vastgesteld"')
    text = text.replace("# geldig_vanaf = JJJJ-MM-DD", f"geldig_vanaf = {start.isoformat()}")
    text += (f'\n[instemming]\nversie = "{new}"\ndatum = {(start - timedelta(days=7)).isoformat()}\n'
             f'naam = "Fixture GMR-voorzitter"\nfunctie = "Voorzitter GMR"\n'
             f'\n[vaststelling]\nversie = "{new}"\ndatum = {start.isoformat()}\n'
             f'naam = "Fixture CvB-voorzitter"\nfunctie = "Voorzitter college van bestuur"\n')
    metadata.write_text(text, encoding="utf-8")
    old = current / "versie.toml"
    old.write_text(re.sub(r"^(geldig_vanaf = .*)$", rf"\1\ngeldig_tot = {(start - timedelta(days=1)).isoformat()}",
                          old.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    shutil.copy2(current / "vastgestelde-tekst.txt", versions / new / "vastgestelde-tekst.txt")
    checked = officer(config, "controleer")
    assert checked.returncode == 0 and f"geldt versie {new}" in checked.stdout, checked.stderr

    tests = ["tests/test_site_build.py", "tests/test_search_browser.py", "tests/test_print_browser.py",
             "tests/test_checker_cli.py", "tests/test_checker_rules.py"]
    own_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_ADDOPTS", "PYTEST_XDIST"))}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=copy,
                            capture_output=True, text=True, env={**own_env, "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"\b\d+ passed", result.stdout) and not re.search(r"\b\d+ failed", result.stdout), result.stdout
