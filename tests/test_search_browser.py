"""In headless Chromium: Material's search with Dutch stemming lists single articles and lands on their anchor."""

from __future__ import annotations

import re


def search(page, base_url: str, query: str):
    page.goto(base_url + "latest/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Material's search worker must have built its index before typing counts.
    page.wait_for_selector(".md-search-result__meta:has-text('Typ om te beginnen')", timeout=30000)
    page.locator("input.md-search__input").press_sequentially(query, delay=50)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=15000)
    return results


def test_searching_foto_lists_article_a6_and_lands_on_its_anchor(page, site_server):
    results = search(page, site_server, "foto")
    a6 = page.locator('.md-search-result__item a[href*="/latest/protocol/"][href$="#a6"]')
    a6.first.wait_for(timeout=15000)
    assert "A.6" in a6.first.inner_text()
    a6.first.click()
    page.wait_for_url(re.compile(r".*/latest/protocol/(\?h=foto)?#a6$"))
    assert page.evaluate("document.getElementById('a6').textContent") == "A.6"


def test_searching_toestemming_lists_articles_a2_and_a6_directly(page, site_server):
    search(page, site_server, "toestemming")
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.getAttribute('href'))")
    assert any("/protocol/" in h and h.endswith("#a2") for h in hrefs), hrefs
    assert any("/protocol/" in h and h.endswith("#a6") for h in hrefs), hrefs



def test_a_word_prefix_finds_the_longer_dutch_word_forms(page, site_server):
    search(page, site_server, "toestem")
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.getAttribute('href'))")
    assert any("/protocol/" in h and h.endswith("#a6") for h in hrefs), hrefs

