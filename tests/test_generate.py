"""The generated docs tree: page URLs, markers resolved, template data as front matter, links per engine."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from build_tools.generate import generate_docs, page_url, relative_links, split_front_matter, to_site_root
from build_tools.publisher import Publisher
from build_tools.sources import Settings, load_version_sources
from build_tools.versions import load_versions
from conftest import DATA


@pytest.mark.parametrize("src, url", [("index.md", ""), ("protocol.md", "protocol/"), ("checker/index.md", "checker/"),
                                      ("checker/embed.md", "checker/embed/")])
def test_page_urls_follow_mkdocs_directory_urls(src, url):
    assert page_url(src) == url
    assert to_site_root(url) == "../" * url.count("/")


def test_page_urls_without_directory_urls():
    assert page_url("protocol.md", use_directory_urls=False) == "protocol.html"
    assert to_site_root("protocol.html") == ""


def test_links_are_rewritten_for_an_engine_that_reads_them_relative_to_the_source():
    html = ('<a href="../checker/">c</a> <a href="#a6">x</a> <a href="https://e.example/">e</a> '
            '<a href="sub/">s</a> <noscript><a href="../beslistabel/">b</a></noscript>')
    assert relative_links(html, "protocol.md", "protocol/", "page") == html
    assert relative_links(html, "protocol.md", "protocol/", "source") == (
        '<a href="checker/">c</a> <a href="#a6">x</a> <a href="https://e.example/">e</a> '
        '<a href="protocol/sub/">s</a> <noscript><a href="../beslistabel/">b</a></noscript>')
    assert relative_links(html, "index.md", "", "source") == html


@pytest.fixture
def three_versions(tmp_path):
    docs = DATA / "three-versions" / "docs"
    registry = load_versions(docs / "versies", date(2024, 3, 1))
    return docs, registry


@pytest.mark.parametrize("versie", ["1.0", "2.0", "3.0"])
def test_every_page_is_complete_markdown_with_its_template_data_in_front_matter(tmp_path, three_versions, versie):
    docs, registry = three_versions
    publisher = Publisher("Fixture-organisatie", "FO", "Fixture drie versies", "fixture-drie-versies")
    sources = load_version_sources(registry.get(versie), Settings(), publisher)
    pages = generate_docs(docs, tmp_path / "out", versions_dir=docs / "versies", sources=sources, registry=registry,
                          site_url="https://fixture.example/beleid/1.0/")
    assert "protocol.md" in pages and not (tmp_path / "out" / "versies").exists()
    for page in pages:
        meta, body = split_front_matter((tmp_path / "out" / page).read_text(encoding="utf-8"))
        assert "<!-- cvo:" not in body, page
        data = meta["cvo"]
        assert data["version"] == versie and '"@type": "Legislation"' in data["head"]
        assert data["pdf_href"].endswith(f"pdf/fixture-drie-versies-{versie}.pdf")
        assert ("notice" in data) == (versie != "2.0"), page
    checker = yaml.safe_load((tmp_path / "out" / "checker" / "index.md").read_text(encoding="utf-8").split("---")[1])
    assert checker["cvo"]["notice_href"] == "../../latest/checker/"
    assert 'id="cvo-checker"' in (tmp_path / "out" / "checker" / "index.md").read_text(encoding="utf-8")


def test_the_publisher_comes_from_mkdocs_yml(tmp_path):
    from build_tools.sources import load_project

    real = load_project(DATA.parent.parent / "mkdocs.yml").publisher
    assert (real.afkorting, real.pdf_filename("2.0")) == ("CVO", "richtlijnen-sociale-media-cvo-2.0.pdf")
    fixture = load_project(DATA / "three-versions" / "mkdocs.yml").publisher
    assert fixture.naam == fixture.afkorting == "Fixture drie versies"  # no site_author: the site's name
    assert fixture.pdf_filename("1.0") == "fixture-drie-versies-1.0.pdf"
