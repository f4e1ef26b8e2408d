"""A generator for any board: the fictional "Stichting Voorbeeldscholen" (tests/data/voorbeeldscholen/) builds on each
engine from its own mkdocs.yml and docs/ alone, shows its own names, and its checker answers its own scenarios."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from build_tools.checker_assets import engine_dir
from build_tools.engines import ENGINES
from checker.engine import cited_articles, evaluate
from checker.rules import load_ruleset
from conftest import DATA, run_build
from sitetext import visible_text

BOARD = DATA / "voorbeeldscholen"
VERSION = BOARD / "docs" / "versies" / "1.0"
SCENARIOS = sorted((VERSION / "scenarios").glob("*.json"))
PDF = "1.0/pdf/afspraken-over-sociale-media-svs-1.0.pdf"
OTHER_BOARD = re.compile(r"CVO|Fryslân|sociale-media-cvo")


@pytest.fixture(scope="module", params=ENGINES)
def board_site(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(f"voorbeeldscholen-{request.param}") / "site"
    run_build(BOARD / "mkdocs.yml", out, engine=request.param)
    return out


def page_text(site: Path, path: str) -> str:
    return visible_text((site / path).read_text(encoding="utf-8"))


def test_the_board_publishes_its_own_protocol_under_its_own_names(board_site):
    assert json.loads((board_site / "versions.json").read_text()) == [
        {"version": "1.0", "title": "1.0 (geldend)", "aliases": ["latest"]}]
    protocol = page_text(board_site, "latest/protocol/index.html")
    for sentence in ("Je plaatst geen berichten die een ander kwetsen.", "FIXTURE — Stichting Voorbeeldscholen is verzonnen"):
        assert sentence in protocol
    assert "Vastgesteld door SVS" in page_text(board_site, "latest/vaststelling/index.html")
    head = (board_site / "latest" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', head, re.S).group(1))
    assert data["publisher"]["name"] == "Stichting Voorbeeldscholen"
    assert data["legislationIdentifier"] == "afspraken-over-sociale-media-svs-1.0"
    assert "privacy@voorbeeldscholen.example" in page_text(board_site, "latest/privacy/index.html")
    assert "toegankelijkheid@voorbeeldscholen.example" in page_text(board_site, "latest/toegankelijkheid/index.html")


def test_the_boards_pdf_carries_its_names(board_site):
    reader = PdfReader(board_site / PDF)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Stichting Voorbeeldscholen" in text and "Vastgesteld door SVS" in " ".join(text.split())
    assert reader.metadata.author == "SVS" and "Stichting Voorbeeldscholen" in reader.metadata.subject
    assert not OTHER_BOARD.search(str(reader.metadata))
    assert not OTHER_BOARD.search(text.split("Beslistabel")[0]), "the text and colophon before the decision table"


def test_the_reading_pages_name_no_other_board(board_site):
    for page in board_site.rglob("*.html"):
        if "checker" in page.parts or page.name != "index.html" or "beslistabel" in page.parts:
            continue
        assert not OTHER_BOARD.search(page.read_text(encoding="utf-8")), page


def test_the_checker_pages_name_no_other_board(board_site):
    for path in ("latest/checker/index.html", "latest/checker/embed/index.html", "latest/beslistabel/index.html"):
        assert not OTHER_BOARD.search((board_site / path).read_text(encoding="utf-8")), path
    pdf_text = " ".join(page.extract_text() for page in PdfReader(board_site / PDF).pages)
    assert not OTHER_BOARD.search(pdf_text), "the PDF's decision table quotes the questions"


def test_the_boards_checker_ships_its_own_rules(board_site):
    wheel = next(engine_dir(board_site / "1.0").glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("checker/regels.toml") == (VERSION / "regels.toml").read_bytes()
        assert archive.read("checker/vragen.toml") == (VERSION / "vragen.toml").read_bytes()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_boards_checker_answers_its_own_scenarios(path):
    scenario = json.loads(path.read_text(encoding="utf-8"))
    advice = evaluate(scenario["answers"], load_ruleset(VERSION / "regels.toml"))
    assert advice["verdict"] == scenario["verdict"], scenario["name"]
    assert cited_articles(advice) == scenario["articles"], scenario["name"]
