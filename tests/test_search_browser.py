"""In headless Chromium, on each engine: the site's own search lists single articles and lands on their anchor."""

from __future__ import annotations

import re

from conftest import xfail_on

# Each engine's search UI: Material's (MkDocs) and Zensical's (a dialog in a shadow root, which Playwright pierces).
UI = {
    "mkdocs": {"open": "label.md-search__icon, .md-search__input", "input": "input.md-search__input",
               "ready": ".md-search-result__meta:has-text('Typ om te beginnen')", "result": ".md-search-result__item a"},
    "zensical": {"open": ".md-search__button", "input": "input[role='combobox']", "ready": "input[role='combobox']",
                 "result": "a[role='option']"},
}


def search(page, base_url: str, engine: str, query: str):
    ui = UI[engine]
    page.goto(base_url + "latest/")
    page.locator(ui["open"]).first.click()
    # The search worker must have built its index before typing counts.
    page.wait_for_selector(ui["ready"], timeout=30000)
    page.locator(ui["input"]).press_sequentially(query, delay=50)
    results = page.locator(ui["result"])
    results.first.wait_for(timeout=15000)
    # Results for a prefix of the query may show first: wait until the list stays the same for half a second.
    shown, previous = hrefs(results), None
    for _ in range(20):
        if shown == previous:
            break
        page.wait_for_timeout(500)
        shown, previous = hrefs(results), shown
    return results


def hrefs(results) -> list[str]:
    """The results' addresses, read at once: the list may be re-rendered between two separate reads."""
    return results.evaluate_all("links => links.map(link => link.getAttribute('href'))")


def test_searching_foto_lists_article_a6_and_lands_on_its_anchor(page, engine_server, engine):
    results = search(page, engine_server, engine, "foto")
    a6 = results.filter(has_text="A.6")
    a6.first.wait_for(timeout=15000)
    assert re.search(r"/latest/protocol/(\?h=foto)?#a6$", a6.first.get_attribute("href"))
    a6.first.click()
    page.wait_for_url(re.compile(r".*/latest/protocol/(\?h=foto)?#a6$"))
    assert page.evaluate("document.getElementById('a6').textContent") == "A.6"


def test_searching_toestemming_lists_articles_a2_and_a6_directly(page, engine_server, engine):
    found = hrefs(search(page, engine_server, engine, "toestemming"))
    assert any("/protocol/" in h and h.endswith("#a2") for h in found), found
    assert any("/protocol/" in h and h.endswith("#a6") for h in found), found


def test_a_word_prefix_finds_the_longer_dutch_word_forms(page, engine_server, engine):
    found = hrefs(search(page, engine_server, engine, "toestem"))
    assert any("/protocol/" in h and h.endswith("#a6") for h in found), found


def test_the_search_box_speaks_dutch(page, engine_server, engine, request):
    xfail_on(request, engine, "zensical", "the 0.0.73 search dialog is not translated: its field is labelled 'Search'")
    ui = UI[engine]
    page.goto(engine_server + "latest/")
    page.locator(ui["open"]).first.click()
    field = page.locator(ui["input"])
    field.wait_for(timeout=30000)
    assert field.get_attribute("placeholder") == "Zoeken"
    assert (field.get_attribute("aria-label") or "Zoeken") == "Zoeken"
