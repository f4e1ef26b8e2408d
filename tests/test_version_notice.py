"""In Chromium: a permalink into a version not in force shows the notice in view, linking to that article in force."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from axe import axe_violations
from conftest import copy_fixture, run_build, serve_directory

FILLER = "FIXTURE: verzonnen tekst om de pagina langer te maken dan het scherm, geen beleid. " * 6


def with_articles_up_to_a6(protocol: Path) -> None:
    """Adds fixture articles to section A up to A.6, so /1.0/protocol/#a6 lies far down a long page."""
    text = protocol.read_text(encoding="utf-8")
    head, tail = text.split("## Gevolgen", 1)
    count = len(re.findall(r"^\d+\. ", head.split("## Regels", 1)[1], re.M))
    extra = "".join(f"{n}. FIXTURE: artikel A.{n}. {FILLER}\n" for n in range(count + 1, 7))
    protocol.write_text(head.rstrip("\n") + "\n" + extra + "\n## Gevolgen" + tail, encoding="utf-8")


@pytest.fixture(scope="module")
def long_versions(tmp_path_factory) -> Path:
    """The three-version fixture (1.0 vervallen, 2.0 in force) with articles up to A.6; no PDF or checker needed."""
    tmp = tmp_path_factory.mktemp("notice")
    config = copy_fixture("three-versions", tmp)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('build_date: "2024-03-01"', 'build_date: "2024-03-01"\n      pdf: false\n      checker: false'))
    for version in ("1.0", "2.0"):
        with_articles_up_to_a6(config.parent / "docs" / "versies" / version / "protocol.md")
    out = tmp / "site"
    run_build(config, out)
    return out


NOTICE_BOX = """() => { const n = document.querySelector('.cvo-notice').getBoundingClientRect();
  const h = document.getElementById('a6').getBoundingClientRect();
  return {top: n.top, bottom: n.bottom, heading: h.top, headingBottom: h.bottom, scrolled: scrollY, height: innerHeight}; }"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 640}, {"width": 390, "height": 700}])
def test_a_permalink_into_a_lapsed_version_shows_the_notice_in_view_linking_to_the_article_in_force(
        long_versions, browser, viewport):
    with serve_directory(long_versions) as url:
        context = browser.new_context(viewport=viewport, locale="nl-NL")
        page = context.new_page()
        page.goto(url + "1.0/protocol/#a6")
        link = page.locator(".cvo-notice a")
        page.wait_for_function("() => document.querySelector('.cvo-notice a').getAttribute('href').endsWith('#a6')")
        box = page.evaluate(NOTICE_BOX)
        assert box["scrolled"] > 300, box  # the article is far down the page, below where the notice started
        assert 0 <= box["top"] and box["bottom"] <= box["height"], box  # the notice is in view ...
        assert box["heading"] >= box["bottom"] and box["headingBottom"] <= box["height"], box  # ... and so is A.6
        assert page.locator(".cvo-notice").inner_text().startswith("Deze versie is vervallen")
        assert link.inner_text() == "Lees A.6 in de geldende versie"
        assert link.get_attribute("href") == "../../latest/protocol/#a6"
        link.click()
        page.wait_for_url(re.compile(r".*/latest/protocol/#a6$"))
        assert page.locator(".cvo-notice").count() == 0  # the version in force shows nothing extra
        context.close()


def test_the_notice_follows_the_reader_to_the_next_article_and_back_to_the_page(long_versions, browser):
    with serve_directory(long_versions) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 640})
        page.goto(url + "1.0/protocol/#a6")
        link = page.locator(".cvo-notice a")
        page.locator("#s1").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('s1').scrollIntoView()")
        page.wait_for_function("() => document.querySelector('.cvo-notice a').getAttribute('href').endsWith('#s1')")
        assert link.inner_text() == "Lees S.1 in de geldende versie"
        page.evaluate("scrollTo(0, 0)")
        page.wait_for_function("() => !document.querySelector('.cvo-notice a').getAttribute('href').includes('#')")
        assert link.inner_text() == "Lees deze pagina in de geldende versie"
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_sticky_notice_passes_axe_in_both_palettes(long_versions, browser, scheme):
    with serve_directory(long_versions) as url:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(url + "1.0/protocol/#a6")
        page.wait_for_function("() => document.querySelector('.cvo-notice a').getAttribute('href').endsWith('#a6')")
        assert axe_violations(page) == []
        context.close()
