"""Unit tests for build_tools.render: notices, periods, approval HTML and page metadata."""

import json
import re
from datetime import date
from pathlib import Path

from build_tools import render
from build_tools.protocol import load_protocol
from build_tools.publisher import Publisher
from build_tools.versions import Approval, Version, VersionRegistry, load_versions

REPO = Path(__file__).resolve().parent.parent


def version(status="vastgesteld", vanaf=date(2022, 8, 1), tot=None, vaststelling=True) -> Version:
    approval = Approval("1.0", date(2022, 8, 1), "Fixture <Bestuurder>", "Fixture voorzitter")
    consent = Approval("1.0", date(2022, 6, 1), "Fixture Raadslid", "Fixture GMR")
    return Version("1.0", status, vanaf, tot, "FIXTURE", approval if vaststelling else None, consent, Path("/x/1.0"))


def registry(*versions, on=date(2024, 1, 1)) -> VersionRegistry:
    return VersionRegistry(tuple(versions), versions[-1], on)


def test_notices_for_versions_not_in_force():
    lapsed = version(tot=date(2023, 7, 31))
    assert render.notice_text(lapsed, registry(lapsed)) == "Deze versie is vervallen (geldig van 1 augustus 2022 t/m 31 juli 2023)"
    concept = version(status="concept", vanaf=None, vaststelling=False)
    assert render.notice_text(concept, registry(concept)) == "Concept — nog niet vastgesteld"
    future = version(vanaf=date(2025, 1, 1))
    assert render.notice_text(future, registry(future)) == "Deze versie geldt nog niet (geldig vanaf 1 januari 2025)"
    current = version()
    assert render.notice_text(current, registry(current)) is None


PUBLISHER = Publisher("Fixture-organisatie", "FO", "Fixture-protocol", "fixture-protocol")


def test_approval_tables_escape_names_and_use_dutch_dates():
    html = render.approval_tables_html(version(), PUBLISHER)
    assert "Fixture &lt;Bestuurder&gt;" in html and "<Bestuurder>" not in html
    assert '<time datetime="2022-08-01">1 augustus 2022</time>' in html
    assert html.index("Vastgesteld door FO") < html.index("Instemming door GMR")


def test_head_metadata_is_valid_json_ld_and_dublin_core():
    reg = load_versions(REPO / "docs" / "versies", date(2026, 1, 1))
    protocol = load_protocol(reg.current.protocol_path)
    html = render.head_metadata_html(protocol, reg.current, reg, "https://intranet.example/2.0/protocol/", PUBLISHER)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert data["@type"] == "Legislation" and data["legislationLegalForce"] == "InForce"
    assert data["temporalCoverage"] == "2020-08-01/.."
    assert '<meta name="DC.language" content="nl">' in html
    assert data["publisher"]["name"] == "Fixture-organisatie" and data["legislationIdentifier"] == "fixture-protocol-2.0"


def test_the_protocol_page_has_one_heading_per_article_below_its_section():
    reg = load_versions(REPO / "docs" / "versies", date(2026, 1, 1))
    markdown = render.protocol_markdown(load_protocol(reg.current.protocol_path), reg.current, reg)
    assert "### U.1 {#u1 .cvo-artikel-kop}" in markdown   # under an h2 section
    assert "#### A.6 {#a6 .cvo-artikel-kop}" in markdown  # under an h3 subsection
