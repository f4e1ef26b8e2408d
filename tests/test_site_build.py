"""End-to-end: the real site built by `make site`, read back as a reader and a machine see it.

The version in force is found as a reader finds it (under latest/) and its expected data comes from the registry,
so adopting a new version changes no test here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_tools.dates import long_date
from build_tools.render import pdf_filename
from build_tools.sources import load_project
from conftest import BUILD_DATE, CURRENT, CURRENT_VERSION, SEED
from sitetext import seed_sentences, visible_text
from build_tools.protocol import load_protocol
from build_tools.versions import load_versions

REPO = Path(__file__).resolve().parent.parent
ARTICLE_IDS = load_protocol(CURRENT_VERSION.protocol_path).article_ids()
PDF = pdf_filename(CURRENT_VERSION, load_project(REPO / "mkdocs.yml").publisher)
RESOURCE_ATTRS = re.compile(
    r"<(script|img|iframe|source|audio|video|embed|track)\b[^>]*\bsrc=\"([^\"]+)\"|<link\b([^>]*)>", re.I)


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_every_sentence_of_the_adopted_text_is_on_the_protocol_page(engine_site):
    text = visible_text(read(engine_site, "latest/protocol/index.html"))
    sentences = seed_sentences(SEED)
    assert len(sentences) > 50
    missing = [s for s in sentences if s not in text]
    assert missing == []


@pytest.mark.parametrize("article_id", ARTICLE_IDS)
def test_every_article_has_its_anchor_label_and_links(engine_site, article_id):
    html = read(engine_site, "latest/protocol/index.html")
    anchor, label = article_id.lower(), f"{article_id[0]}.{article_id[1:]}"
    assert re.search(rf'<h[34] class="cvo-artikel-kop" id="{anchor}">{re.escape(label)}</h[34]>', html)
    assert f'href="../../{CURRENT}/protocol/#{anchor}"' in html
    assert f'href="../../latest/protocol/#{anchor}"' in html


@pytest.mark.parametrize("page", ["latest/index.html", "latest/protocol/index.html", "latest/vaststelling/index.html"])
def test_the_approval_record_is_shown_with_dutch_long_dates(engine_site, page):
    text = visible_text(read(engine_site, page))
    adopted, consent = CURRENT_VERSION.vaststelling, CURRENT_VERSION.instemming
    for expected in (long_date(adopted.datum), adopted.naam, adopted.functie,
                     long_date(consent.datum), consent.naam, consent.functie, "geldend"):
        assert expected in text


def test_the_approval_record_is_machine_readable_on_every_page(engine_site):
    pages = sorted((engine_site / "latest").rglob("index.html"))
    assert len(pages) >= 8
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="nl"' in html, page
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        if "embed" in page.parts:
            continue
        assert len(blocks) == 1, page
        data = json.loads(blocks[0])
        adopted = CURRENT_VERSION.vaststelling
        assert data["@type"] == "Legislation" and data["version"] == CURRENT
        assert data["legislationDate"] == adopted.datum.isoformat()
        assert data["legislationPassedBy"]["name"] == adopted.naam
        assert data["contributor"]["name"] == CURRENT_VERSION.instemming.naam
        assert data["legislationLegalForce"] == "InForce"
        assert f'<meta name="DCTERMS.issued" content="{adopted.datum.isoformat()}">' in html


def test_no_page_references_an_asset_on_another_host(engine_site):
    offenders = []
    for page in engine_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag, src, link in RESOURCE_ATTRS.findall(html):
            if link:
                rel = re.search(r'rel="([^"]+)"', link)
                href = re.search(r'href="([^"]+)"', link)
                if rel and href and rel.group(1) not in ("canonical", "alternate") and re.match(r"(https?:)?//", href.group(1)):
                    offenders.append((page, href.group(1)))
            elif re.match(r"(https?:)?//", src):
                offenders.append((page, src))
        assert "fonts.googleapis" not in html and "cdn.jsdelivr" not in html, page
    for css in engine_site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8")):
            if re.match(r"['\"]?(https?:)?//", url):
                offenders.append((css, url))
    assert offenders == []


def test_every_page_offers_the_pdf(engine_site):
    pdf = engine_site / "latest" / "pdf" / PDF
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    for page in (engine_site / "latest").rglob("index.html"):
        if "embed" in page.parts:
            continue
        depth = len(page.relative_to(engine_site / "latest").parts) - 1
        assert f'href="{"../" * depth}pdf/{PDF}"' in page.read_text(encoding="utf-8"), page


def test_versions_json_latest_and_redirects(engine_site):
    registry = load_versions(REPO / "docs" / "versies", BUILD_DATE)
    entries = json.loads(read(engine_site, "versions.json"))
    assert [entry["version"] for entry in entries] == [v.versie for v in reversed(registry.versions)]
    assert [entry for entry in entries if entry["aliases"]] == [
        {"version": CURRENT, "title": f"{CURRENT} (geldend)", "aliases": ["latest"]}]
    assert read(engine_site, "latest/protocol/index.html") == read(engine_site, f"{CURRENT}/protocol/index.html")
    assert 'content="../latest/protocol/"' in read(engine_site, "protocol/index.html")
    assert 'content="latest/"' in read(engine_site, "index.html")


# Where each engine writes its search index, and the key holding its documents.
SEARCH_INDEX = {"mkdocs": ("search/search_index.json", "docs"), "zensical": ("search.json", "items")}


def test_the_search_index_has_each_article_as_its_own_result(engine_site, engine):
    path, key = SEARCH_INDEX[engine]
    index = json.loads(read(engine_site, "latest/" + path))
    assert index["config"]["lang"] == ["nl"] and "stemmer" not in index["config"].get("pipeline", [])
    locations = {doc["location"]: doc for doc in index[key]}
    for article_id in ("A2", "A6"):
        doc = locations[f"protocol/#{article_id.lower()}"]
        assert "toestemming" in doc["text"]
        assert "Permanente link" not in doc["text"]
